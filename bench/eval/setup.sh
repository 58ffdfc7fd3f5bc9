#!/usr/bin/env bash
# Copies each module@version of a list into $EVAL/src/<slug> and downloads its dependencies.
# Needs the Go module proxy. Usage: bench/eval/setup.sh LIST
set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/env.sh"
list=$1
mkdir -p "$EVAL/src"
list_modules "$list" | while read -r mv slug; do
  dst="$EVAL/src/$slug"
  [ -d "$dst" ] && continue
  dir=$(go mod download -json "$mv" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || { echo "setup: $mv not served" >&2; continue; }
  cp -r "$dir" "$dst"
  chmod -R u+w "$dst"
  mod=${mv%@*}
  ( cd "$dst"
    [ -f go.mod ] || go mod init "$mod" >/dev/null 2>&1
    # A module cut out of a monorepo: drop replacements by directories that are not here,
    # and build from the module cache instead of a vendor/ tree that go.mod no longer matches.
    for r in $(go mod edit -json | sed -n 's/.*"Path": "\(\.\.*\/[^"]*\)".*/\1/p'); do
      [ -d "$r" ] || go mod edit -dropreplace="$(go mod edit -json | grep -B3 "\"$r\"" | sed -n 's/.*"Path": "\([^.][^"]*\)".*/\1/p' | head -1)"
    done
    rm -rf vendor
    # Old go.mod files may lack go.sum lines or a go directive new enough for the code.
    GOFLAGS=-mod=mod go mod tidy -e >/dev/null 2>&1 || true
    go mod download >/dev/null 2>&1 || true
    echo "setup: $mv -> $dst"
  )
done
