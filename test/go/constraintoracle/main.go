// Command constraintoracle reports what Go's go/build/constraint package makes of
// build constraint lines, so that tests can compare another implementation with it.
//
// Input: one JSON string per line (the constraint line, which may itself contain
// newlines). Output: one JSON object per input line, in the same order.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"go/build/constraint"
	"os"
	"strings"
)

// tagSets are the fixed build configurations every expression is evaluated under.
// The last one is a rule rather than a list, to reach tags no list would name.
var tagSets = []func(string) bool{
	func(string) bool { return false },
	inSet("linux", "amd64", "unix", "cgo", "gc", "go1.21", "go1.1"),
	inSet("windows", "386", "go1.1", "go1.99", "foo", "a", "b_c", "x.y"),
	func(tag string) bool { return len(tag)%2 == 1 },
}

func inSet(tags ...string) func(string) bool {
	return func(tag string) bool {
		for _, t := range tags {
			if t == tag {
				return true
			}
		}
		return false
	}
}

type verdict struct {
	IsGoBuild   bool       `json:"isGoBuild"`
	IsPlusBuild bool       `json:"isPlusBuild"`
	OK          bool       `json:"ok"`
	Err         string     `json:"err,omitempty"`
	Offset      int        `json:"offset"`
	Syntax      bool       `json:"syntax"` // the error is a *constraint.SyntaxError
	String      string     `json:"string,omitempty"`
	Evals       []bool     `json:"evals,omitempty"`
	Seen        [][]string `json:"seen,omitempty"` // tags asked about, in order, per tag set
	PlusLines   []string   `json:"plusLines,omitempty"`
	PlusErr     string     `json:"plusErr,omitempty"`
	GoVersion   string     `json:"goVersion"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for in.Scan() {
		var line string
		if err := json.Unmarshal(in.Bytes(), &line); err != nil {
			fmt.Fprintf(os.Stderr, "constraintoracle: bad input line %q: %v\n", in.Text(), err)
			os.Exit(2)
		}
		v := verdict{IsGoBuild: constraint.IsGoBuild(line), IsPlusBuild: constraint.IsPlusBuild(line)}
		x, err := constraint.Parse(line)
		if err != nil {
			v.Err = err.Error()
			var se *constraint.SyntaxError
			if errors.As(err, &se) {
				v.Syntax = true
				v.Offset = se.Offset
			}
		} else {
			v.OK = true
			v.String = x.String()
			for _, set := range tagSets {
				var seen []string
				v.Evals = append(v.Evals, x.Eval(func(tag string) bool {
					seen = append(seen, tag)
					return set(tag)
				}))
				v.Seen = append(v.Seen, seen)
			}
			if lines, err := constraint.PlusBuildLines(x); err != nil {
				v.PlusErr = err.Error()
			} else {
				v.PlusLines = lines
			}
			v.GoVersion = constraint.GoVersion(x)
		}
		if err := enc.Encode(v); err != nil {
			fmt.Fprintln(os.Stderr, "constraintoracle:", strings.TrimSpace(err.Error()))
			os.Exit(2)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, "constraintoracle:", err)
		os.Exit(2)
	}
}
