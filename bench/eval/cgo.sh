#!/usr/bin/env bash
# Evaluation of cgo-net-linking on real repositories (needs the network: the Go module proxy).
#   bench/eval/cgo.sh [LIST]      default LIST: bench/eval/cgo-modules.txt
# For each module@version: builds every main package natively with CGO_ENABLED=1 and reads
# the binary's program headers (PT_INTERP: dynamically linked); runs crossvet with
# `--targets "$(go env GOOS)/$(go env GOARCH)" --cgo on` and with its defaults; compare-cgo.mjs joins the two.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
list=${1:-$here/cgo-modules.txt}
mkdir -p "$EVAL/out-cgo"
ensure_built
"$here/setup.sh" "$list" >&2
list_modules "$list" | while read -r mv slug; do
  src="$EVAL/src/$slug"; out="$EVAL/out-cgo/$slug"
  [ -d "$src" ] || continue
  mkdir -p "$out/bin"
  ( cd "$src"
    : > "$out/linked.txt"
    CGO_ENABLED=1 go list -e -f '{{if eq .Name "main"}}{{.ImportPath}}{{end}}' ./... | while read -r pkg; do
      [ -n "$pkg" ] || continue
      exe="$out/bin/$(echo "$pkg" | tr '/' '_')"
      if CGO_ENABLED=1 go build -o "$exe" "$pkg" 2> "$exe.err"; then
        if readelf -l "$exe" | grep -q 'Requesting program interpreter'; then echo "$pkg dynamic" >> "$out/linked.txt"; else echo "$pkg static" >> "$out/linked.txt"; fi
        rm -f "$exe"
      else
        echo "$pkg build-failed" >> "$out/linked.txt"
      fi
    done
    node "$repo/bin/crossvet.js" check --targets "$(go env GOOS)/$(go env GOARCH)" --cgo on --rules cgo-net-linking --format json ./... > "$out/crossvet-host.json" 2> "$out/crossvet-host.err"
    node "$repo/bin/crossvet.js" check --rules cgo-net-linking --format json ./... > "$out/crossvet-default.json" 2> "$out/crossvet-default.err"
  )
  echo "cgo.sh: $mv done" >&2
done
node "$here/compare-cgo.mjs" "$list" "$EVAL/out-cgo"
