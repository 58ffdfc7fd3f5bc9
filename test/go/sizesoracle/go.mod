module crossvet.test/sizesoracle

go 1.22
