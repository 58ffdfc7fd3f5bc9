// A program of our own that holds a stateless.StateMachine by value after a bool, as
// qmuntal/stateless#52 describes: v1.6.1 keeps ops first in StateMachine, but a StateMachine
// at offset 4 of another struct still puts ops at offset 4. GOARCH=386 go run . panics.
package main

import (
	"context"
	"fmt"

	"github.com/qmuntal/stateless"
)

type door struct {
	open    bool
	machine stateless.StateMachine
}

func main() {
	d := &door{machine: *stateless.NewStateMachine("closed")}
	d.machine.Configure("closed").Permit("push", "opened")
	fmt.Println(d.machine.FireCtx(context.Background(), "push"))
}
