// The shapes whose layout the engine must compute exactly as gc does. Each top-level type
// that is not generic is measured (size, alignment, offset of each named field) by a
// program built for several GOARCH values; see test/atomic-alignment.test.ts.
package main

import (
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"crossvet.test/layoutoracle/sub"
	vd "example.com/vdep"
)

type Basic struct {
	a bool
	b int64
	c int8
	d uint64
	e complex128
	f complex64
	g float64
	h uintptr
	i int
	j string
	k []int
	l map[int]int
	m chan int
	n func()
	o interface{}
	p error
	q *int
	r unsafe.Pointer
	s rune
	t byte
	u float32
	v int16
	w any
}

type ZeroTail struct {
	a int32
	z struct{}
}

type ZeroTail64 struct {
	a int64
	z [0]int64
}

type ZeroOnly struct {
	z struct{}
	w [0]int
}

type ZeroHead struct {
	z struct{}
	a int32
}

type Empty struct{}

type Arrays struct {
	a [3]byte
	b [2]int64
	c [0]int64
	d byte
	e [2][3]int16
	f [4]ZeroTail
}

const (
	N = 3
	M = N*2 + 1
)

const (
	K0 = iota * 4
	K1
	K2
)

type Consts struct {
	a [N]int32
	b [M]byte
	c [1 << 3]byte
	d [K2]byte
	e [sub.Width + 1]int8
	f [0x10 - 'A' + 65]byte
}

type Emb struct {
	Basic
	*ZeroTail
	x int8
	sub.Small
}

type Gen[T any, U any] struct {
	a T
	b U
	c int8
}

type GI = Gen[int8, int64]

type GenUse struct {
	f bool
	g Gen[bool, uint64]
	h Gen[[3]byte, complex64]
	p vd.Pair[string, int64]
}

type AliasBasic = Basic

type Named int64

type NamedUse struct {
	a int8
	n Named
	s []Named
	x [2]Named
}

type WithStd struct {
	a  bool
	mu sync.Mutex
	b  bool
	o  sync.Once
	c  bool
	t  time.Time
	d  bool
	p  sync.Pool
	e  bool
	wg sync.WaitGroup
	f  bool
	rw sync.RWMutex
	g  bool
	m  sync.Map
	h  bool
	d2 time.Duration
}

type WithAtomic struct {
	a bool
	i atomic.Int64
	b bool
	u atomic.Uint64
	c bool
	x atomic.Bool
	d bool
	v atomic.Value
	e bool
	p atomic.Pointer[int]
	f bool
	y atomic.Int32
	g bool
	z atomic.Uintptr
}

type HoldsAtomic struct {
	flag bool
	w    WithAtomic
	tail int8
}

type Blank struct {
	a int8
	_ int32
	b int8
	_ [3]int16
	c int8
}

type Nested struct {
	a  int8
	in struct {
		x int8
		y int64
	}
	z int16
}

type Cross struct {
	a bool
	t sub.Thing
	s vd.Stats
	c vd.Counter
	b bool
}

type Iface interface{ M() }

type Misc struct {
	i  Iface
	fn FuncT
	ch <-chan int
	cs chan<- string
	mp map[string][]byte
}

type FuncT func(int) int

type Rec struct {
	a    int8
	next *Rec
	kids []Rec
	m    map[string]Rec
}

type Big struct {
	a   int8
	arr [10]Basic
	b   int8
}

type PtrEmb struct {
	a int8
	*sub.Thing
}

type OnlyBool bool

type Ints struct {
	a OnlyBool
	b Named
	c OnlyBool
}

// The test adds a file whose init functions register what to print.
var reports []func()

func main() {
	for _, r := range reports {
		r()
	}
}
