module example.com/eval/stateless-embed

go 1.21

require github.com/qmuntal/stateless v1.6.1
