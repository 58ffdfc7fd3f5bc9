// The same program with the StateMachine first in its holder: ops is at offset 0 and the
// GOARCH=386 run completes; nothing must be reported.
package main

import (
	"context"
	"fmt"

	"github.com/qmuntal/stateless"
)

type door struct {
	machine stateless.StateMachine
	open    bool
}

func main() {
	d := &door{machine: *stateless.NewStateMachine("closed")}
	d.machine.Configure("closed").Permit("push", "opened")
	fmt.Println(d.machine.FireCtx(context.Background(), "push"))
}
