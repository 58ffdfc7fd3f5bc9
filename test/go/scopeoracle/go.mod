module crossvet.test/scopeoracle

go 1.22
