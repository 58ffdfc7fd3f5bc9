//go:build !windows

package winok

import "os"

func Pid() uint32 { return uint32(os.Getpid()) }
