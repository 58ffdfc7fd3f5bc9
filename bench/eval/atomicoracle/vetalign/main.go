// vetalign runs go vet's atomicalign analyzer (golang.org/x/tools/go/analysis/passes/atomicalign),
// which cmd/vet does not include, on packages loaded for the GOARCH of the environment:
//
//	GOARCH=386 vetalign -test ./...
//
// (As a -vettool of `go vet` it never ran here, so it is a standalone checker.)
package main

import (
	"golang.org/x/tools/go/analysis/passes/atomicalign"
	"golang.org/x/tools/go/analysis/singlechecker"
)

func main() { singlechecker.Main(atomicalign.Analyzer) }
