module crossvet.test/atomicoracle

go 1.22
