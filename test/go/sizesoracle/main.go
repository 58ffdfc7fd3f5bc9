// Prints, for each GOARCH named on the command line, the gc compiler's pointer size and
// int64 alignment as go/types reports them (types.SizesFor("gc", arch)).
package main

import (
	"encoding/json"
	"go/types"
	"os"
)

func main() {
	out := map[string][2]int64{}
	for _, arch := range os.Args[1:] {
		s := types.SizesFor("gc", arch)
		if s == nil {
			continue
		}
		out[arch] = [2]int64{s.Sizeof(types.Typ[types.Uintptr]), s.Alignof(types.Typ[types.Int64])}
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
