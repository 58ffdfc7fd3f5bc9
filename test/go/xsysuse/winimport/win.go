// Package winimport imports golang.org/x/sys/windows from a file that builds everywhere.
package winimport

import "golang.org/x/sys/windows" // want syscall-portability `package golang.org/x/sys/windows has no Go files for linux/amd64, linux/arm64, linux/386, darwin/arm64`

func Pid() uint32 { return windows.GetCurrentProcessId() }
