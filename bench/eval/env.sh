# Sourced by the evaluation scripts: where things are, and the module list reader.
#   EVAL   work files (module copies, results); default: crossvet-eval in the system's
#          temporary directory (Node's os.tmpdir(), which honours TMPDIR).
#   repo   the crossvet checkout; its dist/ is built when missing.
evalhere=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$evalhere/../.." && pwd)
export EVAL=${EVAL:-$(node -p "require('node:path').join(require('node:os').tmpdir(), 'crossvet-eval')")}

ensure_built() {
  [ -f "$repo/dist/src/cli/main.js" ] || (cd "$repo" && npx tsc -p .)
}

# Prints "module@version slug" for each entry of a list file (comments and blank lines skipped).
list_modules() {
  grep -v '^#' "$1" | awk 'NF {print $1}' | while read -r mv; do
    echo "$mv $(echo "$mv" | tr '/@+' '___')"
  done
}
