// Targets: GOOS/GOARCH[/variant] in Docker/OCI platform notation, with the facts the
// rules need (pointer size, int64 alignment, cgo default, unix) and the presets.
import portsFile from './ports.json';
import { goEnv, runGo } from '../goenv';

export interface Port {
  goos: string;
  goarch: string;
  cgoSupported: boolean;
  firstClass: boolean;
}

export interface Target {
  /** Canonical spelling, e.g. "linux/arm/v6" or "linux/amd64". */
  id: string;
  goos: string;
  goarch: string;
  variant?: string;
  /** Environment the go command needs for this target (GOOS, GOARCH, GOARM, GOAMD64, ...). */
  env: Record<string, string>;
  ptrSize: 4 | 8;
  /** Alignment of int64/uint64/float64/complex128 fields under gc. */
  int64Align: 4 | 8;
  cgoSupported: boolean;
  /** Whether the go command enables cgo for this target when CGO_ENABLED is unset. */
  cgoDefault: boolean;
  unix: boolean;
  firstClass: boolean;
}

export class TargetError extends Error {}

/** GOOS values that satisfy the `unix` build constraint (go/build's unixOS). */
export const UNIX_OS = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'linux', 'netbsd', 'openbsd', 'solaris',
]);

/** Every GOOS and GOARCH the go command knows, including ones without a port (go/build's knownOS/knownArch). */
export const KNOWN_OS = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux', 'nacl', 'netbsd',
  'openbsd', 'plan9', 'solaris', 'wasip1', 'windows', 'zos',
]);
export const KNOWN_ARCH = new Set([
  '386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le',
  'mips64p32', 'mips64p32le', 'ppc', 'ppc64', 'ppc64le', 'riscv', 'riscv64', 's390', 's390x', 'sparc', 'sparc64', 'wasm',
]);

const PTR4 = new Set(['386', 'arm', 'mips', 'mipsle', 'amd64p32', 'armbe', 'mips64p32', 'mips64p32le', 'ppc', 'riscv', 's390', 'sparc']);

/** Per-architecture variant variable, its default, and the accepted values. */
const VARIANTS: Record<string, { env: string; def: string; values: RegExp; normalise?: (v: string) => string }> = {
  arm: { env: 'GOARM', def: '7', values: /^v?[567]$/, normalise: (v) => v.replace(/^v/, '') },
  arm64: { env: 'GOARM64', def: 'v8.0', values: /^v(8(\.[0-9])?|9(\.[0-5])?)$/, normalise: (v) => (/^v\d$/.test(v) ? `${v}.0` : v) },
  amd64: { env: 'GOAMD64', def: 'v1', values: /^v[1-4]$/ },
  '386': { env: 'GO386', def: 'sse2', values: /^(sse2|softfloat)$/ },
  mips: { env: 'GOMIPS', def: 'hardfloat', values: /^(hardfloat|softfloat)$/ },
  mipsle: { env: 'GOMIPS', def: 'hardfloat', values: /^(hardfloat|softfloat)$/ },
  mips64: { env: 'GOMIPS64', def: 'hardfloat', values: /^(hardfloat|softfloat)$/ },
  mips64le: { env: 'GOMIPS64', def: 'hardfloat', values: /^(hardfloat|softfloat)$/ },
  ppc64: { env: 'GOPPC64', def: 'power8', values: /^power(8|9|10)$/ },
  ppc64le: { env: 'GOPPC64', def: 'power8', values: /^power(8|9|10)$/ },
  riscv64: { env: 'GORISCV64', def: 'rva20u64', values: /^rva2[023]u64$/ },
};

export const PRESETS: Record<string, string> = {
  default: 'The targets most Go code ships to: linux/amd64, linux/386, linux/arm/v6, linux/arm64, linux/ppc64le, linux/s390x, windows/amd64, darwin/arm64',
  'first-class': 'The first-class ports of the Go release',
  '32bit': 'Every port with 4-byte pointers (where 64-bit atomics need care)',
  all: 'Every port of `go tool dist list`',
  host: 'The machine crossvet runs on (GOHOSTOS/GOHOSTARCH), where cgo is on by default',
};

const DEFAULT_PRESET = [
  'linux/amd64', 'linux/386', 'linux/arm/v6', 'linux/arm64', 'linux/ppc64le', 'linux/s390x', 'windows/amd64', 'darwin/arm64',
];

let portCache: { ports: Port[]; source: string } | undefined;

/** The ports of the go command on PATH, else the list embedded for the Go release we ship facts for. */
export function ports(): { ports: Port[]; source: string } {
  if (portCache) return portCache;
  if (goEnv()) {
    const r = runGo(['tool', 'dist', 'list', '-json'], { timeoutMs: 30_000 });
    if (r.status === 0) {
      try {
        const live = JSON.parse(r.stdout) as Array<{ GOOS: string; GOARCH: string; CgoSupported: boolean; FirstClass: boolean }>;
        portCache = {
          ports: live.map((p) => ({ goos: p.GOOS, goarch: p.GOARCH, cgoSupported: p.CgoSupported, firstClass: p.FirstClass })),
          source: `go tool dist list (${goEnv()!.GOVERSION})`,
        };
        return portCache;
      } catch {
        /* fall through to the embedded list */
      }
    }
  }
  portCache = { ports: portsFile.ports, source: `embedded list (${portsFile.goVersion})` };
  return portCache;
}

function hostCgo(): { os: string; arch: string; enabled: boolean } {
  const env = goEnv();
  if (env) return { os: env.GOHOSTOS, arch: env.GOHOSTARCH, enabled: env.CGO_ENABLED === '1' };
  const arch = ({ x64: 'amd64', ia32: '386', arm: 'arm', arm64: 'arm64', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[process.arch] ?? process.arch;
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  return { os, arch, enabled: false };
}

/**
 * Parse one target. Accepts "linux/arm/v6", "linux/arm64/v8", "linux/amd64/v3", and the
 * Go spellings of variants ("linux/arm/6", "linux/386/softfloat").
 */
export function parseTarget(spec: string): Target {
  const parts = spec.trim().split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) {
    throw new TargetError(`bad target "${spec}": want GOOS/GOARCH or GOOS/GOARCH/VARIANT (for example linux/arm/v6)`);
  }
  const [goos, goarch, rawVariant] = parts;
  const list = ports().ports;
  const port = list.find((p) => p.goos === goos && p.goarch === goarch);
  if (!port) {
    const sameOs = list.filter((p) => p.goos === goos).map((p) => `${p.goos}/${p.goarch}`);
    const hint = sameOs.length ? `; ${goos} supports ${sameOs.join(', ')}` : KNOWN_OS.has(goos) ? '' : `; "${goos}" is not a GOOS the go command knows`;
    throw new TargetError(`unknown target "${spec}": not a port of ${ports().source}${hint}`);
  }
  const env: Record<string, string> = { GOOS: goos, GOARCH: goarch };
  let variant: string | undefined;
  const v = VARIANTS[goarch];
  if (rawVariant !== undefined) {
    if (!v || !v.values.test(rawVariant)) {
      throw new TargetError(`bad variant "${rawVariant}" in target "${spec}"${v ? ` (${v.env} takes ${v.values.source})` : `: ${goarch} has no variants`}`);
    }
    variant = rawVariant;
    env[v.env] = v.normalise ? v.normalise(rawVariant) : rawVariant;
  } else if (v) {
    env[v.env] = v.def;
  }
  const host = hostCgo();
  const ptrSize: 4 | 8 = PTR4.has(goarch) ? 4 : 8;
  return {
    id: variant ? `${goos}/${goarch}/${variant}` : `${goos}/${goarch}`,
    goos,
    goarch,
    variant,
    env,
    ptrSize,
    int64Align: ptrSize === 4 ? 4 : 8,
    cgoSupported: port.cgoSupported,
    cgoDefault: port.cgoSupported && host.enabled && host.os === goos && host.arch === goarch,
    unix: UNIX_OS.has(goos),
    firstClass: port.firstClass,
  };
}

/** Parse a comma-separated list of targets and presets into distinct targets, in order. */
export function parseTargets(spec: string): Target[] {
  const out: Target[] = [];
  const seen = new Set<string>();
  const add = (t: Target) => {
    if (!seen.has(t.id)) {
      seen.add(t.id);
      out.push(t);
    }
  };
  const items = spec.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new TargetError('no targets given');
  for (const item of items) {
    if (item in PRESETS) presetTargets(item).forEach(add);
    else add(parseTarget(item));
  }
  return out;
}

export function presetTargets(name: string): Target[] {
  const list = ports().ports;
  switch (name) {
    case 'default':
      return DEFAULT_PRESET.filter((id) => {
        const [os, arch] = id.split('/');
        return list.some((p) => p.goos === os && p.goarch === arch);
      }).map(parseTarget);
    case 'first-class':
      return list.filter((p) => p.firstClass).map((p) => parseTarget(`${p.goos}/${p.goarch}`));
    case '32bit':
      return list.filter((p) => PTR4.has(p.goarch)).map((p) => parseTarget(`${p.goos}/${p.goarch}`));
    case 'all':
      return list.map((p) => parseTarget(`${p.goos}/${p.goarch}`));
    case 'host': {
      const h = hostCgo();
      if (!list.some((p) => p.goos === h.os && p.goarch === h.arch)) throw new TargetError(`the host ${h.os}/${h.arch} is not a port of this Go release`);
      return [parseTarget(`${h.os}/${h.arch}`)];
    }
    default:
      throw new TargetError(`unknown preset "${name}" (presets: ${Object.keys(PRESETS).join(', ')})`);
  }
}

/** Variant variables and their values for a target (GOARM=6, GOAMD64=v1, ...). */
export function variantEnv(t: Target): { name: string; value: string } | undefined {
  const v = VARIANTS[t.goarch];
  return v ? { name: v.env, value: t.env[v.env] } : undefined;
}
