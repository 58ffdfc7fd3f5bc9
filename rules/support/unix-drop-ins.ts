// Names of package syscall whose namesake in golang.org/x/sys/unix can take their place as
// they are written: the same kind of declaration, of the same type (functions with the same
// parameter and result types, untyped constants), so replacing `syscall.Dup2` with
// `unix.Dup2` changes nothing but where the name comes from. For each, the GOOS values for
// which golang.org/x/sys/unix declares it, on every GOARCH of that GOOS.
//
// Read from golang.org/x/sys v0.39.0 (the version Go 1.26 vendors) with `go doc -all`, port
// by port; test/platform-symbol.test.ts checks this table against GOROOT's vendored copy.
// Names whose signature mentions another type of the package (Getrlimit's *Rlimit,
// Statfs's *Statfs_t) are not drop-ins: unix.Rlimit is not syscall.Rlimit.

export const UNIX_IMPORT_PATH = 'golang.org/x/sys/unix';

/** Every GOOS golang.org/x/sys/unix has files for. */
const UNIX = ['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'illumos', 'ios', 'linux', 'netbsd', 'openbsd', 'solaris'] as const;

const except = (...gone: string[]) => UNIX.filter((g) => !gone.includes(g));

export const UNIX_DROP_INS: Readonly<Record<string, readonly string[]>> = {
  Dup2: UNIX,
  Flock: except('aix'),
  Getpgid: UNIX,
  Setpgid: UNIX,
  Setsid: UNIX,
  Getsid: UNIX,
  Mmap: UNIX,
  Pipe2: except('aix', 'darwin', 'ios'),
  Umask: UNIX,
  Mkfifo: UNIX,
  Access: UNIX,
  Setuid: UNIX,
  Setgid: UNIX,
  Chroot: UNIX,
  O_DIRECT: except('darwin', 'ios', 'openbsd'),
  O_NOATIME: ['android', 'linux'],
  O_PATH: ['android', 'linux'],
  O_TMPFILE: ['android', 'linux'],
  O_DIRECTORY: UNIX,
  O_NOFOLLOW: UNIX,
  O_CLOEXEC: UNIX,
  O_ASYNC: except('aix', 'illumos', 'solaris'),
};

/** The unix namesake of `syscall.<name>` when it is a drop-in on every one of these GOOS values. */
export function unixDropIn(name: string, goos: Iterable<string>): { importPath: string; name: string } | undefined {
  const on = Object.prototype.hasOwnProperty.call(UNIX_DROP_INS, name) ? UNIX_DROP_INS[name] : undefined;
  if (!on) return undefined;
  for (const g of goos) if (!on.includes(g)) return undefined;
  return { importPath: UNIX_IMPORT_PATH, name };
}
