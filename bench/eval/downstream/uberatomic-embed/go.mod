module example.com/eval/uberatomic-embed

go 1.21

require go.uber.org/atomic v1.9.0
