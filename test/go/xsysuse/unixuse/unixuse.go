//go:build linux || darwin

// Package unixuse calls golang.org/x/sys/unix the way code written on one system does.
package unixuse

import "golang.org/x/sys/unix"

func Poller() (int, error) {
	return unix.EpollCreate1(0) // want syscall-portability `unix.EpollCreate1 is declared only in zsyscall_linux.go \(linux\); undefined on darwin/arm64`
}

func Queue() (int, error) {
	return unix.Kqueue() // want syscall-portability `unix.Kqueue is declared only .*undefined on linux/amd64, linux/arm64, linux/386`
}

func Pipe() error {
	var p [2]int
	return unix.Pipe2(p[:], unix.O_CLOEXEC) // want syscall-portability `unix.Pipe2 .*undefined on darwin/arm64`
}

func Blocks(path string) (int64, error) {
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		return 0, err
	}
	var total int64
	total += st.Blksize // want syscall-portability `mismatched types int64 and int32 on linux/arm64, linux/386, darwin/arm64`
	total += int64(st.Blksize)
	return total, nil
}

func Dup(oldfd, newfd int) error {
	// unix.Dup2 exists on every linux port (arm64 implements it with dup3).
	return unix.Dup2(oldfd, newfd)
}
