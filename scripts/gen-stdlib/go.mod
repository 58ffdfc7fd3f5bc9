module crossvet.dev/genstdlib

go 1.22
