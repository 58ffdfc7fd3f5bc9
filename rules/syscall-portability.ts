// syscall-portability: uses of syscall and golang.org/x/sys that do not compile on some
// targets — functions, constants and types a port lacks, struct fields that exist on some
// ports only, fields whose type differs between ports where they meet another typed
// operand, and imports of golang.org/x/sys/windows or /unix where they have no files.
// GOROOT's syscall sources (or the shipped facts) and the vendored or cached x/sys are the
// truth; the advice below is data.
import type { Rule, RuleContext } from '../src/rule';
import type { RuleMeta } from '../src/types';
import { analyse } from '../src/symbols/analysis';
import type { SymFinding } from '../src/symbols/check';
import { findingPackage, isSyscallFamily, toDiagnostic } from '../src/symbols/diagnostics';
import { unixDropIn } from './support/unix-drop-ins';

export const meta: RuleMeta = {
  id: 'syscall-portability',
  name: 'SyscallPortability',
  shortDescription: 'syscall and golang.org/x/sys identifiers, fields and field types that differ between target platforms',
  fullDescription:
    'Finds uses of the syscall package and of golang.org/x/sys/unix and /windows that do not compile on some of the ' +
    'targets: functions and constants a port lacks (syscall.Dup2 on linux/arm64, syscall.Kill on windows), struct ' +
    'fields that exist on some ports only (SysProcAttr.Setpgid), fields whose type differs between ports where they ' +
    'meet another typed operand (Stat_t.Blksize is int64 on linux/amd64 and int32 on linux/arm64), and imports of ' +
    'x/sys packages that have no files for a target. Messages suggest the portable replacement where there is one.',
  helpMarkdown: [
    'The `syscall` package is different on every port: it is generated from each operating system\'s headers, so',
    'a function, constant or field that exists on `linux/amd64` may be missing on `linux/arm64` (`Dup2`, `EpollWait`',
    'variants), on `darwin` (`Pipe2`, `Statfs_t.Type` widths) or on `windows` (`Kill`, `Flock`, `Stat_t`), and a field',
    'may change type (`Stat_t.Blksize` is `int64` on amd64, `int32` on arm64 and 386, `uint32` on some BSDs).',
    '`golang.org/x/sys/unix` and `/windows` inherit the same differences.',
    '',
    'This rule checks each use against every target\'s declarations (GOROOT\'s sources, or the facts crossvet ships',
    'when no Go toolchain is installed, and the vendored or cached x/sys) and reports:',
    '',
    '- names a port does not declare, with the portable replacement when there is one (`syscall.Kill` →',
    '  `(*os.Process).Signal`, `syscall.Dup2` → `unix.Dup2`, or `syscall.Dup3` on linux); when the replacement is',
    '  the same name in `golang.org/x/sys/unix`, of the same type, declared for every target the file builds for,',
    '  the result says so in `properties.replacement` (`{ "importPath": "golang.org/x/sys/unix", "name": "Dup2" }`),',
    '  which editors turn into a quick fix;',
    '- fields some ports lack (`SysProcAttr.Setpgid` is unix-only);',
    '- operations and assignments that mix a field whose type differs between ports with a fixed type',
    '  (`total += st.Blksize` with `total int64` fails on linux/arm64): convert explicitly (`int64(st.Blksize)`);',
    '- imports of x/sys packages that have no files for a target (`golang.org/x/sys/windows` from a file that',
    '  also builds for linux).',
    '',
    'Put platform-specific calls in files constrained to the platforms that have them (`//go:build unix`,',
    '`_linux.go`), with a fallback for the others, or use the portable API in `os`, `os/exec` and `os/signal`.',
  ].join('\n'),
  defaultLevel: 'error',
  tags: ['portability', 'correctness', 'compile-error', 'syscall'],
  precision: 'very-high',
};

/**
 * Portable replacements, by package and name (a member is `Type.Field`). The first
 * matching entry gives the advice; findings without an entry get the generic cure.
 */
export const REPLACEMENTS: { pkg: 'syscall' | 'unix' | 'windows'; name: string | RegExp; advice: string }[] = [
  { pkg: 'syscall', name: 'Dup2', advice: 'use unix.Dup2 from golang.org/x/sys/unix, or syscall.Dup3(oldfd, newfd, 0) on linux, where arm64, loong64 and riscv64 have no dup2 system call' },
  { pkg: 'unix', name: 'Dup2', advice: 'use unix.Dup3(oldfd, newfd, 0) on linux, which every linux port has' },
  { pkg: 'syscall', name: 'Kill', advice: 'use os.FindProcess(pid) and (*os.Process).Signal (or Kill), which work on every target' },
  { pkg: 'syscall', name: 'Flock', advice: 'use unix.Flock from golang.org/x/sys/unix in a //go:build unix file and windows.LockFileEx in a _windows.go file' },
  { pkg: 'syscall', name: /^(Stat_t|Stat|Fstat|Lstat)$/, advice: 'get a *syscall.Stat_t from os.FileInfo.Sys() in a file constrained to unix (//go:build unix), and use the os.FileInfo methods (Size, Mode, ModTime) elsewhere' },
  { pkg: 'syscall', name: /^SysProcAttr\.(Setpgid|Setsid|Setctty|Noctty|Foreground|Pgid|Credential|Chroot|Ptrace)$/, advice: 'set unix-only SysProcAttr fields in a file constrained to unix (//go:build unix), and leave them unset (or use CreationFlags) on windows' },
  { pkg: 'syscall', name: /^SysProcAttr\.(Pdeathsig|Cloneflags|Unshareflags|UidMappings|GidMappings|AmbientCaps|UseCgroupFD|CgroupFD|PidFD)$/, advice: 'set linux-only SysProcAttr fields in a file constrained to linux (_linux.go)' },
  { pkg: 'syscall', name: /^SysProcAttr\.(HideWindow|CmdLine|CreationFlags|Token|ProcessAttributes|ThreadAttributes|NoInheritHandles|AdditionalInheritedHandles|ParentProcess)$/, advice: 'set windows-only SysProcAttr fields in a _windows.go file' },
  { pkg: 'syscall', name: /^(Getpgid|Setpgid|Setsid|Getsid)$/, advice: 'use the unix.* equivalents from golang.org/x/sys/unix in a //go:build unix file, or SysProcAttr when starting a process' },
  { pkg: 'syscall', name: 'Mmap', advice: 'use unix.Mmap in a //go:build unix file and windows.CreateFileMapping/MapViewOfFile in a _windows.go file' },
  { pkg: 'syscall', name: /^(Getrlimit|Setrlimit|Rlimit|RLIMIT_\w+)$/, advice: 'use unix.Getrlimit/unix.Setrlimit in a //go:build unix file; windows has no resource limits' },
  { pkg: 'syscall', name: /^(Statfs|Statfs_t|Fstatfs)$/, advice: 'use unix.Statfs in a file constrained to the systems that have it (linux, darwin, freebsd, openbsd); windows needs windows.GetDiskFreeSpaceEx' },
  { pkg: 'syscall', name: 'Uname', advice: 'use unix.Uname from golang.org/x/sys/unix (all unix systems), in a //go:build unix file' },
  { pkg: 'syscall', name: 'Sysinfo', advice: 'use unix.Sysinfo in a _linux.go file; other systems need their own source (sysctl on BSDs)' },
  { pkg: 'syscall', name: 'Select', advice: 'use unix.Select in a //go:build unix file, or better, goroutines and os/net deadlines' },
  { pkg: 'syscall', name: /^(Pipe2)$/, advice: 'use os.Pipe, which sets close-on-exec everywhere, or unix.Pipe2 where it exists (not on darwin)' },
  { pkg: 'syscall', name: /^(Umask|Mkfifo|Access|Sync|Setuid|Setgid|Chroot)$/, advice: 'use the golang.org/x/sys/unix equivalent in a //go:build unix file' },
  { pkg: 'syscall', name: /^(Exec|ForkExec)$/, advice: 'use os/exec (or os.StartProcess), which every target has' },
  { pkg: 'syscall', name: /^(EpollCreate1?|EpollCtl|EpollWait|EpollEvent|InotifyInit1?|InotifyAddWatch|Getdents|Reboot|Fdatasync|Sendfile|Splice|Tee)$/, advice: 'keep it in a _linux.go file (or use golang.org/x/sys/unix there), with a fallback for other systems' },
  { pkg: 'syscall', name: /^(SIGUSR1|SIGUSR2|SIGCHLD|SIGWINCH|SIGCONT|SIGSTOP|SIGTSTP|SIGTTIN|SIGTTOU|SIGIO|SIGPROF|SIGSYS|SIGURG|SIGXCPU|SIGXFSZ|SIGVTALRM|SIGPWR|SIGSTKFLT|SIGINFO|SIGEMT)$/, advice: 'use os.Interrupt and os.Kill for portable signals; handle this one in a //go:build unix file' },
  { pkg: 'syscall', name: /^(Termios|TIOCGWINSZ|TIOCSWINSZ|TCGETS|TCSETS|TIOCGETA|TIOCSETA|Winsize)$/, advice: 'use golang.org/x/term (term.GetSize, term.MakeRaw), which covers unix and windows' },
  { pkg: 'syscall', name: /^(SYS_\w+|Syscall|Syscall6|RawSyscall|RawSyscall6)$/, advice: 'system call numbers differ per OS and architecture: call the wrapper in golang.org/x/sys/unix or /windows instead, in a constrained file' },
  { pkg: 'syscall', name: /^(O_DIRECT|O_NOATIME|O_PATH|O_TMPFILE|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC|O_ASYNC)$/, advice: 'take the flag from golang.org/x/sys/unix in a file constrained to the systems that define it; os.OpenFile already sets close-on-exec' },
];

const ALIAS: Record<string, 'syscall' | 'unix' | 'windows'> = {
  syscall: 'syscall',
  'golang.org/x/sys/unix': 'unix',
  'golang.org/x/sys/windows': 'windows',
};

/** The name a finding is about, as the table writes it. */
function subject(f: SymFinding): string | undefined {
  switch (f.kind) {
    case 'name':
      return f.name;
    case 'member':
      return `${f.typeName}.${f.sel}`;
    case 'mismatch':
      return `${f.owner.typeName}.${f.owner.sel}`;
    case 'import':
      return undefined;
  }
}

export function adviceFor(f: SymFinding): string | undefined {
  const pkg = ALIAS[findingPackage(f)];
  const name = subject(f);
  if (f.kind === 'import') {
    return f.path === 'golang.org/x/sys/windows'
      ? 'import golang.org/x/sys/windows only from _windows.go files (or //go:build windows)'
      : f.path === 'golang.org/x/sys/unix'
        ? 'import golang.org/x/sys/unix only from files constrained to unix (//go:build unix, or a _linux.go/_darwin.go name)'
        : undefined;
  }
  if (!pkg || !name) return undefined;
  for (const r of REPLACEMENTS) {
    if (r.pkg !== pkg) continue;
    if (typeof r.name === 'string' ? r.name === name : r.name.test(name)) return r.advice;
  }
  return undefined;
}

/**
 * The drop-in replacement of a `syscall.X` reference, when there is one for every target
 * the file builds for: `{ importPath, name }`, for `properties.replacement`.
 */
export function replacementFor(ctx: RuleContext, f: SymFinding): { importPath: string; name: string } | undefined {
  if (f.kind !== 'name' || !f.qualifier || findingPackage(f) !== 'syscall') return undefined;
  const goos = new Set(ctx.targets.filter((t) => f.file.builds.has(t.id)).map((t) => t.goos));
  return goos.size ? unixDropIn(f.name, goos) : undefined;
}

export const rule: Rule = {
  meta,
  // The shared analysis picks the files to parse itself (see src/symbols/analysis.ts).
  wantsSyntax: () => false,
  async check(ctx) {
    const { findings } = await analyse(ctx);
    for (const f of findings) {
      if (!isSyscallFamily(findingPackage(f))) continue;
      // Mismatches carry their own cure (the explicit conversion).
      const d = toDiagnostic(ctx, f, meta.id, f.kind === 'mismatch' ? undefined : adviceFor(f));
      const replacement = replacementFor(ctx, f);
      if (replacement) d.properties = { ...d.properties, replacement };
      ctx.report(d);
    }
  },
};
