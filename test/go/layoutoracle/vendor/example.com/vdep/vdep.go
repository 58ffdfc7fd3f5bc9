// Package vdep is a vendored dependency: its types are read from vendor/.
package vdep

import "sync/atomic"

// Stats has 64-bit counters after a 32-bit one.
type Stats struct {
	Hits  int32
	Total int64
	Peak  uint64
}

// Counter wraps an int64 that its methods use atomically.
type Counter struct {
	v int64
}

func (c *Counter) Add(n int64) int64 { return atomic.AddInt64(&c.v, n) }

type Pair[K comparable, V any] struct {
	Key K
	Val V
}
