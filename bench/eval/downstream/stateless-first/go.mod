module example.com/eval/stateless-first

go 1.21

require github.com/qmuntal/stateless v1.6.1
