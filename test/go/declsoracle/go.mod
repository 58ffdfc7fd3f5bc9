module declsoracle

go 1.22
