// File-name suffixes as build constraints (go/build's goodOSArchFile): foo_linux.go,
// foo_arm64.go, foo_windows_386_test.go. Only the part of the name before the first
// dot counts, and only what follows its first underscore: "linux.go" is not tagged.
import { KNOWN_ARCH, KNOWN_OS } from '../targets';

/** The GOOS and/or GOARCH a file name restricts the file to; empty when it restricts nothing. */
export function suffixConstraint(name: string): { goos?: string; goarch?: string } {
  // Accept a path: only the base name carries the suffix.
  const base = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  const stem = base.split('.', 1)[0];
  const underscore = stem.indexOf('_');
  if (underscore < 0) return {};
  const parts = stem.slice(underscore).split('_'); // parts[0] is always ""
  if (parts[parts.length - 1] === 'test') parts.pop(); // only one _test is stripped
  const n = parts.length;
  const last = parts[n - 1];
  if (n >= 2 && KNOWN_OS.has(parts[n - 2]) && KNOWN_ARCH.has(last)) return { goos: parts[n - 2], goarch: last };
  if (KNOWN_OS.has(last)) return { goos: last };
  if (KNOWN_ARCH.has(last)) return { goarch: last };
  return {};
}

/**
 * Whether the name's suffix admits the file, asking `matchTag` about the GOOS and GOARCH
 * it names. matchTag is the build context's tag matcher, so the aliases (android admits
 * _linux files, illumos _solaris, ios _darwin) and even user -tags apply, as in go/build.
 */
export function goodOSArchFile(name: string, matchTag: (tag: string) => boolean): boolean {
  const { goos, goarch } = suffixConstraint(name);
  // go/build asks about the GOARCH first and stops there when it does not match.
  if (goarch !== undefined && !matchTag(goarch)) return false;
  if (goos !== undefined && !matchTag(goos)) return false;
  return true;
}
