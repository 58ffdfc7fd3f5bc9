// go.uber.org/atomic v1.9.0's Int64 wraps a plain int64, so it is only 4-aligned on 32-bit
// targets: after a uint32 in a struct of our own, Inc panics under GOARCH=386 (the
// situation of uber-go/atomic#151 and prometheus/prometheus#16002).
package main

import (
	"fmt"

	"go.uber.org/atomic"
)

type meter struct {
	hits  uint32
	total atomic.Int64
}

func main() {
	m := &meter{}
	m.total.Inc()
	fmt.Println(m.total.Load())
}
