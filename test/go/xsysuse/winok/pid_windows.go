// Package winok uses golang.org/x/sys/windows from a windows-only file: nothing to report.
package winok

import "golang.org/x/sys/windows"

func Pid() uint32 { return windows.GetCurrentProcessId() }
