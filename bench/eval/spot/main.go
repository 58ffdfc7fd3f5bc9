// Offsets of the upstream bugs' words, by the compiler's own layout: GOFLAGS=-mod=mod GOARCH=386 go run .
// (compare with the oracle's offsets in README.md).
package main

import (
	"fmt"
	"reflect"

	"github.com/blevesearch/zapx/v16"
	"github.com/centrifugal/centrifuge-go"
	"github.com/olekukonko/errors"
	"github.com/qmuntal/stateless"
)

func off(v any, name string) {
	t := reflect.TypeOf(v)
	f, _ := t.FieldByName(name)
	fmt.Printf("%s.%s %d\n", t.Name(), name, f.Offset)
}

func main() {
	off(stateless.StateMachine{}, "ops")
	off(centrifuge.Client{}, "futureID")
	off(zap.SegmentBase{}, "bytesRead"); off(zap.SegmentBase{}, "bytesWritten")
	off(errors.Error{}, "count")
}
