module crossvet.test/constraintoracle

go 1.22
