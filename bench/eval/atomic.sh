#!/usr/bin/env bash
# Evaluation of atomic-alignment on real modules (needs the network: the Go module proxy).
#   bench/eval/atomic.sh [LIST]      default LIST: bench/eval/atomic-modules.txt
# For each module@version of LIST it runs, with GOARCH=386 (and arm for the oracle):
#   - the oracle (atomicoracle/): every 64-bit atomic access with its offset from the start
#     of its allocation, from go/types with gc's sizes;
#   - go vet's atomicalign analyzer (atomicoracle/vetalign: cmd/vet does not include it);
#   - staticcheck -checks SA1027 (when it installs);
#   - crossvet check --targets linux/386,linux/arm/v6 --rules atomic-alignment;
# then compare.mjs scores each tool against the oracle. Work files go to $EVAL (see env.sh).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
list=${1:-$here/atomic-modules.txt}
mkdir -p "$EVAL/bin" "$EVAL/out"
( cd "$here/atomicoracle" && go build -o "$EVAL/bin/atomicoracle" . && go build -o "$EVAL/bin/vetalign" ./vetalign ) || exit 2
[ -x "$EVAL/bin/staticcheck" ] || GOBIN="$EVAL/bin" go install honnef.co/go/tools/cmd/staticcheck@v0.8.2 || echo "atomic.sh: no staticcheck" >&2
ensure_built
"$here/setup.sh" "$list" >&2
list_modules "$list" | while read -r mv slug; do
  src="$EVAL/src/$slug"; out="$EVAL/out/$slug"
  [ -d "$src" ] || continue
  mkdir -p "$out"
  ( cd "$src"
    GOARCH=386 "$EVAL/bin/atomicoracle" ./... > "$out/oracle-386.jsonl" 2> "$out/oracle.err"
    GOARCH=arm GOARM=6 "$EVAL/bin/atomicoracle" ./... > "$out/oracle-arm.jsonl" 2>> "$out/oracle.err"
    GOARCH=386 "$EVAL/bin/vetalign" -test ./... > "$out/vet.txt" 2>&1
    [ -x "$EVAL/bin/staticcheck" ] && GOARCH=386 "$EVAL/bin/staticcheck" -checks SA1027 -f json -tests ./... > "$out/staticcheck.jsonl" 2> "$out/staticcheck.err"
    node "$repo/bin/crossvet.js" check --targets linux/386,linux/arm/v6 --rules atomic-alignment --format json ./... > "$out/crossvet.json" 2> "$out/crossvet.err"
  )
  echo "atomic.sh: $mv done" >&2
done
node "$here/compare.mjs" "$list" "$EVAL/out"

# Programs of our own that use a module's types the way its users did when the bug struck:
# the truth is a GOARCH=386 run (panics or not); crossvet must report the holding field.
for d in "$here"/downstream/*/; do
  name=$(basename "$d"); work="$EVAL/downstream/$name"
  rm -rf "$work"; mkdir -p "$work"; cp -r "$d"/. "$work"
  ( cd "$work" && GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1
    if GOARCH=386 go run . > run.txt 2>&1; then ran=runs; else grep -q 'unaligned 64-bit atomic operation' run.txt && ran=panics || ran=fails; fi
    n=$(node "$repo/bin/crossvet.js" check --targets linux/386,linux/arm/v6 --rules atomic-alignment --format json ./... | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).findings.length))')
    echo "downstream $name: GOARCH=386 run $ran; crossvet findings: $n" )
done
