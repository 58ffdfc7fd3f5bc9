// cgo-net-linking against the toolchain: the ELF reader against readelf; which ports link
// statically without cgo; the linker's internal-linking list; every main package of the
// fixtures built natively (reported ⇔ dynamically linked); dropped cgo files against
// `go list`; the build-configuration reader against make and sh running a fake go command;
// and the fixture Makefile's and script's real builds (suppressed ⇔ static).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readElf, ElfError } from '../src/elf';
import { goEnv, runGo } from '../src/goenv';
import { check, type CheckOptions } from '../src/engine/check';
import { parseTarget, type Target } from '../src/targets';
import { INTERNAL_LINK_PKGS, STATIC_OS } from '../rules/cgo-net-linking';
import { BUILD_FILE_GLOBS, readBuildConfig, recipeBuilds, recipeImage, type BuildRecipe } from '../src/buildconfig';
import { readRepoFiles } from '../src/buildconfig/files';
import { minimalImage } from '../src/buildconfig/images';
import { formatSarif } from '../src/report/sarif';
import type { Finding } from '../src/report/model';

const repo = path.resolve(__dirname, '..');
const fixturesDir = path.join(repo, 'fixtures');
const env = goEnv();
const hostId = env ? `${env.GOHOSTOS}/${env.GOHOSTARCH}` : '';
const hasReadelf = spawnSync('readelf', ['--version']).status === 0;
const hostIsElf = env !== null && STATIC_OS.has(env.GOHOSTOS);
const cgoWorks = env !== null && env.CGO_ENABLED === '1';
const hasMake = spawnSync('make', ['--version']).status === 0;

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-cgo-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Build a one-file program; returns the binary path, or the go command's error. */
function buildProgram(name: string, src: string, envExtra: Record<string, string>, flags: string[] = []): { bin?: string; error?: string } {
  const dir = path.join(tmp, 'src-' + name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/prog\n\ngo 1.22\n');
  fs.writeFileSync(path.join(dir, 'main.go'), src);
  const bin = path.join(tmp, 'bin-' + name);
  const r = runGo(['build', ...flags, '-o', bin, '.'], { cwd: dir, env: { GOFLAGS: '-mod=mod', ...envExtra }, timeoutMs: 300_000 });
  return r.status === 0 ? { bin } : { error: r.stderr || String(r.error) };
}

interface ReadelfFacts {
  bits: number;
  endian: string;
  interp?: string;
  needed: string[];
}

function readelf(file: string): ReadelfFacts {
  const out = spawnSync('readelf', ['-h', '-l', '-d', '-W', file], { encoding: 'utf8' }).stdout;
  return {
    bits: Number(/Class:\s+ELF(32|64)/.exec(out)![1]),
    endian: /Data:.*(little|big) endian/.exec(out)![1],
    interp: /\[Requesting program interpreter: ([^\]]+)\]/.exec(out)?.[1],
    needed: [...out.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]),
  };
}

const HELLO = 'package main\n\nimport "os"\n\nfunc main() { os.Exit(0) }\n';
const WITH_NET = 'package main\n\nimport (\n\t"net"\n\t"os"\n)\n\nfunc main() { os.Exit(len(net.IPv4bcast.String())) }\n';

describe('ELF reader against readelf', () => {
  const cases: { name: string; src: string; env: Record<string, string>; flags?: string[]; needsCgo?: boolean }[] = [
    { name: 'amd64-cgo-net', src: WITH_NET, env: { CGO_ENABLED: '1' }, needsCgo: true },
    { name: 'amd64-static', src: HELLO, env: { CGO_ENABLED: '0', GOOS: 'linux', GOARCH: 'amd64' } },
    { name: '386-static', src: HELLO, env: { CGO_ENABLED: '0', GOOS: 'linux', GOARCH: '386' } },
    // OpenBSD binaries load libc even without cgo: 32-bit little-endian and 64-bit big-endian dynamic files.
    { name: 'openbsd-386', src: HELLO, env: { CGO_ENABLED: '0', GOOS: 'openbsd', GOARCH: '386' } },
    { name: 'openbsd-ppc64', src: HELLO, env: { CGO_ENABLED: '0', GOOS: 'openbsd', GOARCH: 'ppc64' } },
    { name: 'mips-static', src: HELLO, env: { CGO_ENABLED: '0', GOOS: 'linux', GOARCH: 'mips' } },
    // A PIE the internal linker writes: an interpreter, but no DT_NEEDED.
    { name: 'ppc64le-pie', src: HELLO, env: { CGO_ENABLED: '0', GOOS: 'linux', GOARCH: 'ppc64le' }, flags: ['-buildmode=pie'] },
  ];
  for (const c of cases) {
    it.skipIf(!env || !hasReadelf || (c.needsCgo && !(cgoWorks && hostIsElf)))(c.name, () => {
      const b = buildProgram(c.name, c.src, c.env, c.flags);
      expect(b.error).toBeUndefined();
      const ours = readElf(fs.readFileSync(b.bin!));
      const theirs = readelf(b.bin!);
      expect({ bits: ours.bits, endian: ours.endian, interp: ours.interp, needed: ours.needed }).toEqual(theirs);
      expect(ours.dynamic).toBe(theirs.interp !== undefined || theirs.needed.length > 0);
    });
  }

  it.skipIf(!hasReadelf)('reads the running node binary (a glibc PIE with many libraries) as readelf does', () => {
    const buf = fs.readFileSync(process.execPath);
    if (buf.subarray(0, 4).toString('latin1') !== '\x7fELF') return;
    const ours = readElf(buf);
    const theirs = readelf(process.execPath);
    expect({ bits: ours.bits, endian: ours.endian, interp: ours.interp, needed: ours.needed }).toEqual(theirs);
  });

  it('rejects what is not a well-formed ELF file with ElfError, never a crash', () => {
    expect(() => readElf(Buffer.from('#!/bin/sh\necho hi\n'))).toThrow(ElfError);
    expect(() => readElf(Buffer.alloc(0))).toThrow(/not an ELF file/);
    const bad = Buffer.from('\x7fELF\x03\x01\x01\0\0\0\0\0\0\0\0\0', 'latin1');
    expect(() => readElf(bad)).toThrow(/bad ELF class 3/);
    const header = Buffer.alloc(64);
    Buffer.from('\x7fELF\x02\x01\x01', 'latin1').copy(header);
    header.writeUInt16LE(1, 56); // one program header ...
    header.writeUInt16LE(56, 54);
    header.writeBigUInt64LE(64n, 32); // ... right after the header, where the file ends
    expect(() => readElf(header)).toThrow(/truncated/);
  });

  it.skipIf(!env || !cgoWorks || !hostIsElf)('rejects a truncated real binary with a clear message', () => {
    const b = buildProgram('amd64-cgo-net', WITH_NET, { CGO_ENABLED: '1' });
    const buf = fs.readFileSync(b.bin!);
    const info = readElf(buf);
    const dyn = info.programHeaders.find((p) => p.type === 2)!;
    expect(() => readElf(buf.subarray(0, dyn.offset + 8))).toThrow(ElfError);
  });
});

describe('which ports link statically without cgo (STATIC_OS)', () => {
  // The ELF operating systems; darwin, ios (Mach-O), windows (PE), aix (XCOFF), plan9, js and wasip1 are not ELF.
  const candidates = ['android', 'dragonfly', 'freebsd', 'illumos', 'linux', 'netbsd', 'openbsd', 'solaris'];
  it.skipIf(!env)('a cgo-off build has no interpreter exactly on the STATIC_OS systems', () => {
    const list = JSON.parse(runGo(['tool', 'dist', 'list', '-json']).stdout) as { GOOS: string; GOARCH: string }[];
    const seen: string[] = [];
    for (const goos of candidates) {
      const arches = list.filter((p) => p.GOOS === goos).map((p) => p.GOARCH).sort((a, b) => rank(a) - rank(b));
      for (const goarch of arches) {
        const b = buildProgram(`os-${goos}-${goarch}`, HELLO, { CGO_ENABLED: '0', GOOS: goos, GOARCH: goarch });
        if (!b.bin) continue; // some ports need cgo to link at all (android/amd64)
        const info = readElf(fs.readFileSync(b.bin));
        expect(info.dynamic, `${goos}/${goarch}`).toBe(!STATIC_OS.has(goos));
        seen.push(goos);
        break;
      }
    }
    for (const goos of STATIC_OS) expect(seen).toContain(goos);
  });
  const rank = (arch: string) => ['amd64', 'arm64', '386'].indexOf(arch) + 1 || 9;
});

describe('INTERNAL_LINK_PKGS', () => {
  it.skipIf(!env)("is cmd/link's internalpkg list", () => {
    const src = fs.readFileSync(path.join(env!.GOROOT, 'src/cmd/link/internal/ld/lib.go'), 'utf8');
    const m = /var internalpkg = \[\]string\{([^}]*)\}/.exec(src);
    expect(m).not.toBeNull();
    const list = [...m![1].matchAll(/"([^"]+)"/g)].map((x) => x[1]);
    expect(new Set(list)).toEqual(INTERNAL_LINK_PKGS);
  });
});

// ---------------------------------------------------------------------------
// Fixtures: the engine's findings against real builds.

function fixtureArgs(dir: string): Partial<CheckOptions> {
  const goMod = fs.readFileSync(path.join(dir, 'go.mod'), 'utf8');
  const m = /^\/\/\s*crossvet-args:(.*)$/m.exec(goMod);
  const opts: Partial<CheckOptions> = {};
  if (!m) return opts;
  const words = m[1].trim().split(/\s+/);
  for (let i = 0; i < words.length; i++) {
    if (words[i] === '--targets') opts.targets = words[++i];
    else if (words[i] === '--tags') opts.tags = words[++i].split(',');
    else if (words[i] === '--cgo') opts.cgo = words[++i] as CheckOptions['cgo'];
  }
  return opts;
}

async function runFixture(dir: string): Promise<{ findings: Finding[]; opts: CheckOptions; targets: Target[] }> {
  const opts: CheckOptions = {
    cwd: dir, paths: ['./...'], targets: 'default', tags: [], cgo: 'auto', tests: true,
    rules: ['cgo-net-linking'], disable: [], cache: false, workers: 0, ...fixtureArgs(dir),
  };
  const r = await check(opts);
  return { findings: r.findings.filter((f) => f.ruleId === 'cgo-net-linking'), opts, targets: r.targets };
}

interface ListedPackage {
  Dir: string;
  ImportPath: string;
  Name: string;
  GoFiles?: string[];
  CgoFiles?: string[];
  IgnoredGoFiles?: string[];
  Error?: { Err: string };
}

function goList(dir: string, envExtra: Record<string, string>, tags: string[]): ListedPackage[] {
  const args = ['list', '-e', '-json', ...(tags.length ? ['-tags', tags.join(',')] : []), './...'];
  const r = runGo(args, { cwd: dir, env: { GOFLAGS: modFlag(dir), ...envExtra }, timeoutMs: 300_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout
    .split(/\n(?=\{)/)
    .filter((s) => s.trim())
    .map((s) => JSON.parse(s) as ListedPackage);
}

function goFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && e.name.endsWith('.go')).map((e) => path.join(e.parentPath, e.name));
}

/** Vendored fixtures build from vendor/; the others need no module download. */
function modFlag(dir: string): string {
  return fs.existsSync(path.join(dir, 'vendor', 'modules.txt')) ? '-mod=vendor' : '-mod=mod';
}

const cgoFixtures = fs
  .readdirSync(fixturesDir)
  .filter((n) => n.startsWith('cgo-net-') && fs.existsSync(path.join(fixturesDir, n, 'go.mod')))
  .sort();

/** Item-1 findings (active or suppressed) for the host target, by command import path. */
function commandsReported(findings: Finding[]): Map<string, Finding> {
  const out = new Map<string, Finding>();
  for (const f of findings) {
    const cmd = f.properties?.command;
    if (typeof cmd === 'string' && f.targets.includes(hostId)) out.set(cmd, f);
  }
  return out;
}

describe('every main package of the fixtures: reported ⇔ dynamically linked', () => {
  it('has fixtures', () => expect(cgoFixtures.length).toBeGreaterThanOrEqual(5));
  for (const name of cgoFixtures) {
    it.skipIf(!env || !hostIsElf || !cgoWorks)(name, async () => {
      const dir = path.join(fixturesDir, name);
      const { findings, opts } = await runFixture(dir);
      const targets = (opts.targets ?? 'default').split(',');
      expect(targets.includes(hostId) || targets.includes('default'), `${name} must include the host target`).toBe(true);
      const cgo = opts.cgo === 'on' ? '1' : opts.cgo === 'off' ? '0' : env!.CGO_ENABLED;
      const reported = commandsReported(findings);
      const mains = goList(dir, { CGO_ENABLED: cgo }, opts.tags).filter((p) => p.Name === 'main' && !p.Error && (p.GoFiles?.length || p.CgoFiles?.length));
      expect(mains.length).toBeGreaterThan(0);
      const verdicts: string[] = [];
      for (const p of mains) {
        const bin = path.join(tmp, `${name}-${path.basename(p.Dir)}`);
        const r = runGo(['build', ...(opts.tags.length ? ['-tags', opts.tags.join(',')] : []), '-o', bin, p.ImportPath], {
          cwd: dir,
          env: { CGO_ENABLED: cgo, GOFLAGS: modFlag(dir) },
          timeoutMs: 300_000,
        });
        expect(r.status, r.stderr).toBe(0);
        const dynamic = readElf(fs.readFileSync(bin)).dynamic;
        verdicts.push(`${p.ImportPath}: ${dynamic ? 'dynamic' : 'static'}, ${reported.has(p.ImportPath) ? 'reported' : 'not reported'}`);
      }
      expect(verdicts).toEqual(verdicts.map((v) => v.replace(/(dynamic|static), .*$/, (_, d) => `${d}, ${d === 'dynamic' ? 'reported' : 'not reported'}`)));
      // Nothing reported about a command go list does not know.
      for (const cmd of reported.keys()) expect(mains.map((p) => p.ImportPath)).toContain(cmd);
    });
  }
});

describe('dropped cgo files against go list', () => {
  for (const name of cgoFixtures) {
    it.skipIf(!env)(name, async () => {
      const dir = path.join(fixturesDir, name);
      const { findings, opts, targets } = await runFixture(dir);
      const want = new Set<string>();
      // Without a file that imports "C" nothing can drop out, and go list has nothing to say.
      const anyCgo = goFilesUnder(dir).some((f) => /^import "C"/m.test(fs.readFileSync(f, 'utf8')));
      for (const t of anyCgo ? targets : []) {
        const cgoOn = opts.cgo === 'on' || (opts.cgo !== 'off' && t.cgoDefault);
        if (cgoOn) continue;
        const tEnv = parseTarget(t.id).env;
        const on = goList(dir, { ...tEnv, CGO_ENABLED: '1' }, opts.tags);
        const off = goList(dir, { ...tEnv, CGO_ENABLED: '0' }, opts.tags);
        for (const p of on) {
          const q = off.find((x) => x.Dir === p.Dir);
          const filesOn = new Set([...(p.GoFiles ?? []), ...(p.CgoFiles ?? [])]);
          const filesOff = new Set([...(q?.GoFiles ?? []), ...(q?.CgoFiles ?? [])]);
          const fallback = [...filesOff].some((f) => !filesOn.has(f));
          if (fallback) continue;
          for (const f of p.CgoFiles ?? []) if (!filesOff.has(f)) want.add(`${path.join(p.Dir, f)} ${t.id}`);
        }
      }
      const got = new Set<string>();
      for (const f of findings) {
        if (f.properties?.kind !== 'cgo-dropped') continue;
        for (const file of f.properties.files as string[]) for (const t of f.targets) got.add(`${file} ${t}`);
      }
      expect([...got].sort()).toEqual([...want].sort());
    });
  }
});

describe('the fixture build files, run for real: suppressed ⇔ static', () => {
  it.skipIf(!env || !hostIsElf || !cgoWorks || !hasMake)('cgo-net-buildconfig', async () => {
    const src = path.join(fixturesDir, 'cgo-net-buildconfig');
    const { findings } = await runFixture(src);
    const reported = commandsReported(findings);
    const work = path.join(tmp, 'buildconfig');
    fs.cpSync(src, work, { recursive: true });
    const cleanEnv = { ...process.env, GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: '-mod=mod' };
    delete cleanEnv.CGO_ENABLED;
    const staticLibc = spawnSync('gcc', ['-print-file-name=libc.a'], { encoding: 'utf8' }).stdout.trim();
    const targets = ['worker', 'resolver', 'users', 'linked', ...(path.isAbsolute(staticLibc) ? ['fullstatic'] : [])];
    const runs: { cmd: string[]; bin: string; command: string }[] = [
      ...targets.map((t) => ({ cmd: ['make', t], bin: `bin/${t}`, command: `example.com/cgo-net-buildconfig/cmd/${t}` })),
      { cmd: ['sh', 'scripts/build.sh'], bin: 'bin/scripted', command: 'example.com/cgo-net-buildconfig/cmd/scripted' },
    ];
    const verdicts: string[] = [];
    for (const r of runs) {
      const res = spawnSync(r.cmd[0], r.cmd.slice(1), { cwd: work, env: cleanEnv, encoding: 'utf8', timeout: 300_000 });
      expect(res.status, res.stderr).toBe(0);
      const dynamic = readElf(fs.readFileSync(path.join(work, r.bin))).dynamic;
      const f = reported.get(r.command);
      expect(f, `${r.command} has a finding (every command imports net)`).toBeDefined();
      verdicts.push(`${r.command}: ${dynamic ? 'dynamic' : 'static'}, ${f!.suppressed ? 'suppressed' : 'active'}`);
    }
    expect(verdicts).toEqual(verdicts.map((v) => v.replace(/(dynamic|static), .*$/, (_, d) => `${d}, ${d === 'dynamic' ? 'active' : 'suppressed'}`)));
  });

  it('raises to error what a Dockerfile or GoReleaser puts in a minimal image, and says where', async () => {
    const { findings } = await runFixture(path.join(fixturesDir, 'cgo-net-buildconfig'));
    const by = commandsReported(findings);
    const api = by.get('example.com/cgo-net-buildconfig/cmd/api')!;
    expect(api.level).toBe('error');
    expect(api.related?.some((r) => r.file.endsWith('Dockerfile') && /COPY --from=build \/out\/api/.test(r.message ?? ''))).toBe(true);
    expect(by.get('example.com/cgo-net-buildconfig/cmd/gate')!.level).toBe('error');
    expect(by.get('example.com/cgo-net-buildconfig/cmd/plain')!.level).toBe('warning');
    expect(by.get('example.com/cgo-net-buildconfig/cmd/alpine')!.suppressed?.justification).toMatch(/no C compiler in golang:1\.22-alpine/);
    expect(by.get('example.com/cgo-net-buildconfig/cmd/edge')!.suppressed?.kind).toBe('external');
  });
});

describe('imports that do not resolve', () => {
  it.skipIf(!env)('says which commands it cannot judge, instead of calling them static', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'unresolved-'));
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module example.com/unresolved\n\ngo 1.22\n');
    fs.mkdirSync(path.join(dir, 'cmd', 'client'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'cmd', 'client', 'main.go'), 'package main\n\nimport "example.org/not/downloaded"\n\nfunc main() { downloaded.Run() }\n');
    const r = await check({ cwd: dir, paths: ['./...'], targets: hostId, tags: [], cgo: 'on', tests: true, rules: ['cgo-net-linking'], disable: [], cache: false, workers: 0 });
    expect(r.findings).toEqual([]);
    const note = r.notifications.find((n) => n.id === 'cgo-net-linking-incomplete');
    expect(note?.message).toMatch(/cannot tell whether command cmd\/client links the C library/);
  });
});

describe('chains in SARIF', () => {
  it.skipIf(!env)('lists each hop of the chain as a related location', async () => {
    const dir = path.join(fixturesDir, 'cgo-net-basic');
    const { findings } = await runFixture(dir);
    const f = commandsReported(findings).get('example.com/cgo-net-basic/cmd/lookup')!;
    expect(f.message).toContain('cmd/lookup → internal/netutil → net');
    const hops = f.related!.filter((r) => /imports "/.test(r.message ?? ''));
    expect(hops.map((h) => path.relative(dir, h.file))).toEqual([path.join('cmd', 'lookup', 'main.go'), path.join('internal', 'netutil', 'netutil.go')]);
    // The last hop is the import of net in netutil.go, line 4.
    expect(hops[1].span.start.line).toBe(4);
    const sarif = JSON.parse(
      formatSarif({
        root: dir, toolVersion: '0', rules: [(await import('../rules/cgo-net-linking')).meta], findings: [f], notifications: [], targets: [hostId],
        invocation: { commandLine: 'crossvet', arguments: [], workingDirectory: dir, startTime: new Date(), endTime: new Date(), exitCode: 1, executionSuccessful: true },
      }),
    );
    expect(sarif.runs[0].results[0].relatedLocations.length).toBe(f.related!.length);
  });
});

// ---------------------------------------------------------------------------
// The build-configuration reader against make and sh running a fake go command.

/** Cases: files of a small repository whose entry.sh is run with `sh entry.sh` from its root. */
const SHELL_CASES: Record<string, Record<string, string>> = {
  script: {
    'entry.sh': [
      '#!/bin/sh',
      'set -e',
      'go build -o bin/a ./cmd/a',
      'CGO_ENABLED=0 go build ./cmd/b',
      'export GOFLAGS=-tags=netgo',
      'go build -o out/ ./cmd/c',
      "cd cmd/d && go build -tags 'osusergo netgo' .",
      '(cd ../e; CGO_ENABLED=1 go install -v ./...)',
      'go vet ./...',
      'unset GOFLAGS',
      'V=1.2',
      'go build -ldflags "-s -w -X main.version=$V" \\',
      '  -o ../../bin/d2 .',
      'CGO=${CGO_ENABLED:-0}',
      'CGO_ENABLED=$CGO go build -o /dev/null ../b',
      'env CGO_ENABLED=0 GOOS=linux go build -o ../../bin/b-linux ../b',
      'go build ../a # a comment',
    ].join('\n'),
  },
  make: {
    'entry.sh': ['#!/bin/sh', 'make -C build app', 'make -f other.mk tool CGO_ENABLED=0', 'make -f other.mk'].join('\n'),
    'build/Makefile': [
      'GO ?= go',
      'FLAGS := -tags netgo',
      'FLAGS += -trimpath',
      'export CGO_ENABLED ?= 1',
      'OUT = ../bin',
      '',
      'app: TAGS = osusergo',
      'app: gen',
      '\tcd .. && $(GO) build $(FLAGS) -o bin/app ./cmd/a',
      '\t$(GO) build -tags "$(TAGS)" -o $(OUT)/$@ ../cmd/b',
      '',
      'gen:',
      '\t@echo generating',
      '\t-$(GO) build -o $(OUT)/gen ../cmd/c',
    ].join('\n'),
    'other.mk': [
      '.EXPORT_ALL_VARIABLES:',
      'GOFLAGS = -tags=osusergo',
      'CGO_ENABLED = 1',
      'first:',
      '\tgo build -o bin/first ./cmd/a',
      'tool:',
      '\tgo build -o bin/$@ \\',
      '\t\t./cmd/b',
    ].join('\n'),
  },
  nested: {
    'entry.sh': ['#!/bin/sh', 'sh scripts/inner.sh', 'bash -c "CGO_ENABLED=0 go build -o bin/x ./cmd/a"', 'export CGO_ENABLED=0', 'make -C sub'].join('\n'),
    'scripts/inner.sh': ['#!/bin/sh', 'cd "$(dirname "$0")/.."', 'go build -o bin/inner ./cmd/c'].join('\n'),
    'sub/Makefile': ['all: one two', 'one:', '\tgo build -o one ../cmd/a', 'two: export GOFLAGS=-tags=netgo', 'two:', '\tCGO_ENABLED=1 go build -o two ../cmd/b'].join('\n'),
  },
};

interface Invocation {
  argv: string;
  cwd: string;
  cgo: string;
  tags: string;
}

/** Tags as the go command reads them: the last -tags flag, else GOFLAGS' -tags. */
function tagsOf(argv: string[], goflags: string | null): string {
  let tags: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const m = /^--?tags(?:=(.*))?$/s.exec(argv[i]);
    if (m) tags = m[1] ?? argv[++i];
  }
  if (tags === undefined && goflags) tags = /(?:^|\s)-tags=(\S*)/.exec(goflags)?.[1];
  return (tags ?? '').split(/[,\s]+/).filter(Boolean).sort().join(',');
}

describe('build configuration against make and sh', () => {
  for (const [name, files] of Object.entries(SHELL_CASES)) {
    it.skipIf(!hasMake || process.platform === 'win32')(name, () => {
      const root = fs.realpathSync(fs.mkdtempSync(path.join(tmp, `shell-${name}-`)));
      for (const [rel, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        fs.writeFileSync(path.join(root, rel), text + '\n');
      }
      for (const d of ['cmd/a', 'cmd/b', 'cmd/c', 'cmd/d', 'cmd/e', 'bin']) fs.mkdirSync(path.join(root, d), { recursive: true });
      // A fake go command that records how it was run.
      const fake = path.join(tmp, `fakebin-${name}`);
      fs.mkdirSync(fake, { recursive: true });
      const log = path.join(tmp, `log-${name}.jsonl`);
      fs.writeFileSync(
        path.join(fake, 'go'),
        `#!${process.execPath}\nrequire('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), cgo: process.env.CGO_ENABLED ?? null, goflags: process.env.GOFLAGS ?? null }) + '\\n');\n`,
        { mode: 0o755 },
      );
      const r = spawnSync('sh', ['entry.sh'], { cwd: root, encoding: 'utf8', env: { PATH: `${fake}${path.delimiter}${process.env.PATH}`, HOME: tmp } });
      expect(r.status, r.stderr + r.stdout).toBe(0);
      const real = fs
        .readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { argv: string[]; cwd: string; cgo: string | null; goflags: string | null })
        .filter((x) => x.argv[0] === 'build' || x.argv[0] === 'install')
        .map((x): Invocation => ({ argv: JSON.stringify(x.argv), cwd: x.cwd, cgo: x.cgo ?? '<unset>', tags: tagsOf(x.argv, x.goflags) }));

      const config = readBuildConfig(readRepoFiles(root, BUILD_FILE_GLOBS), root);
      const entry = path.join(root, 'entry.sh');
      const ours = config.recipes
        .filter((x) => (x.via[0]?.file ?? x.at.file) === entry)
        .map((x: BuildRecipe): Invocation => ({
          argv: JSON.stringify(x.argv ?? []),
          cwd: x.cwd ?? '<unknown>',
          cgo: x.cgo === undefined ? '<unset>' : x.cgo === null ? '<unknown>' : x.cgo.value,
          tags: x.tags.map((t) => t.value).sort().join(','),
        }));
      const key = (i: Invocation) => JSON.stringify(i);
      expect([...new Set(ours.map(key))].sort()).toEqual([...new Set(real.map(key))].sort());
    });
  }
});

describe('build configuration: Dockerfiles, GoReleaser, workflows', () => {
  const write = (files: Record<string, string>) => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(tmp, 'bc-')));
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    return { root, config: readBuildConfig(readRepoFiles(root, BUILD_FILE_GLOBS), root) };
  };

  it('follows a multi-stage Dockerfile from the build to the image it is copied into', () => {
    const { root, config } = write({
      'Dockerfile': [
        'ARG GO_VERSION=1.22',
        'FROM golang:${GO_VERSION} AS build',
        'WORKDIR /src',
        'COPY . .',
        'WORKDIR /src/cmd/app',
        'RUN go build -o /bin/app . && go build -o /bin/other ../other',
        'FROM busybox:1.36 AS final',
        'COPY --from=build /bin/app /app',
        'FROM final',
      ].join('\n'),
    });
    const app = config.recipes.find((r) => recipeBuilds(r, path.join(root, 'cmd/app'), 'x/cmd/app'))!;
    expect(app.image?.name).toBe('busybox:1.36');
    expect(app.image?.at.line).toBe(8);
    const other = config.recipes.find((r) => recipeBuilds(r, path.join(root, 'cmd/other'), 'x/cmd/other'))!;
    expect(other.image).toBeUndefined();
  });

  it('puts only the binaries a stage copies into the image when one build writes several', () => {
    const { root, config } = write({
      'Dockerfile': 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/ ./cmd/...\nFROM scratch\nCOPY --from=build /out/app /app\n',
    });
    const r = config.recipes.find((x) => recipeBuilds(x, path.join(root, 'cmd/app'), 'x/cmd/app'))!;
    expect(recipeBuilds(r, path.join(root, 'cmd/other'), 'x/cmd/other')).toBe(true);
    expect(recipeImage(r, path.join(root, 'cmd/app'))?.name).toBe('scratch');
    expect(recipeImage(r, path.join(root, 'cmd/other'))).toBeUndefined();
  });

  it('reads Dockerfiles named Dockerfile-<name> and Dockerfile_<name>, not Dockerfile.dockerignore', () => {
    const { config } = write({
      'docker/Dockerfile-for-api': 'FROM golang:1.22 AS build\nCOPY . /src\nWORKDIR /src\nRUN go build -o /out/api ./cmd/api\nFROM scratch\nCOPY --from=build /out/api /api\n',
      'Dockerfile_arm': 'FROM golang:1.22\nCOPY . /src\nWORKDIR /src\nRUN go build ./cmd/arm\n',
      'Dockerfile.dockerignore': 'RUN go build ./cmd/nothing\n',
    });
    expect(config.recipes.map((r) => path.basename(r.at.file)).sort()).toEqual(['Dockerfile-for-api', 'Dockerfile_arm']);
    expect(config.recipes.find((r) => r.at.file.endsWith('Dockerfile-for-api'))!.image?.name).toBe('scratch');
  });

  it('counts a Makefile rule that a workflow runs through make once, not again on its own', () => {
    const { root, config } = write({
      'Makefile': 'all: build\n\nbuild:\n\tCGO_ENABLED=0 go build -o bin/app ./cmd/app\n',
      '.github/workflows/ci.yml': 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n',
    });
    const builds = config.recipes.filter((r) => recipeBuilds(r, path.join(root, 'cmd/app'), 'x/cmd/app'));
    expect(builds).toHaveLength(1);
    expect(builds[0].via.map((v) => path.basename(v.file))).toEqual(['ci.yml', 'Makefile']);
  });

  it('reads promu builds run from Makefile.common: cgo off unless go.cgo or --cgo turns it on', () => {
    const promu = (cgo: string, flag = '') => write({
      'Makefile': 'include Makefile.common\n',
      'Makefile.common': `FIRST_GOPATH := $(firstword $(subst :, ,$(shell go env GOPATH)))\nPROMU := $(FIRST_GOPATH)/bin/promu\n\ncommon-build:\n\t$(PROMU) build${flag} --prefix out\n`,
      '.promu.yml': `go:\n  version: 1.22\n${cgo}repository:\n  path: example.com/x\nbuild:\n  binaries:\n    - name: app\n      path: ./cmd/app\n    - name: root\n  flags: -a -tags netgo\n`,
    });
    const off = promu('');
    const app = off.config.recipes.find((r) => recipeBuilds(r, path.join(off.root, 'cmd/app'), 'example.com/x/cmd/app'))!;
    expect(app.cgo?.value).toBe('0');
    expect(app.tags.map((t) => t.value)).toEqual(['netgo']);
    expect(path.basename(app.at.file)).toBe('.promu.yml');
    expect(app.via.map((v) => path.basename(v.file))).toEqual(['Makefile.common', 'Makefile.common']);
    expect(off.config.recipes.some((r) => recipeBuilds(r, off.root, 'example.com/x'))).toBe(true);
    const on = promu('  cgo: true\n');
    expect(on.config.recipes.every((r) => r.cgo?.value === '1')).toBe(true);
    const flag = promu('', ' --cgo');
    expect(flag.config.recipes.every((r) => r.cgo?.value === '1')).toBe(true);
  });

  it('does not count a build whose binary goes to /dev/null as one that ships', () => {
    const { root, config } = write({ 'ci.sh': '#!/bin/sh\ngo build -v -o /dev/null ./cmd/app\nCGO_ENABLED=0 go build -o bin/app ./cmd/app\n' });
    const builds = config.recipes.filter((r) => recipeBuilds(r, path.join(root, 'cmd/app'), 'x/cmd/app'));
    expect(builds.map((r) => r.cgo?.value)).toEqual(['0']);
  });

  it('says when a build runs in a builder image other than golang, whose settings it cannot see', () => {
    const { config } = write({
      'a.Dockerfile': 'FROM --platform=$BUILDPLATFORM ghcr.io/example/gobuilder:1 AS build\nCOPY . /src\nWORKDIR /src\nRUN go build ./cmd/a\n',
      'b.Dockerfile': 'FROM docker.io/library/golang:1.22 AS base\nFROM base AS build\nCOPY . /src\nWORKDIR /src\nRUN go build ./cmd/b\n',
      'c.Dockerfile': 'FROM ghcr.io/example/gobuilder:1\nENV CGO_ENABLED=0\nCOPY . /src\nWORKDIR /src\nRUN go build ./cmd/c\n',
    });
    const byFile = (f: string) => config.recipes.find((r) => r.at.file.endsWith(f))!;
    expect(byFile('a.Dockerfile').foreignBuilder?.line).toBe(1);
    expect(byFile('b.Dockerfile').foreignBuilder).toBeUndefined();
    expect(byFile('c.Dockerfile').foreignBuilder).toBeUndefined();
    expect(byFile('c.Dockerfile').cgo?.value).toBe('0');
  });

  it('knows golang alpine images have no C compiler until one is installed', () => {
    const { config } = write({
      'a.Dockerfile': 'FROM golang:1.22-alpine\nCOPY . /src\nWORKDIR /src\nRUN go build ./cmd/a\n',
      'b.Dockerfile': 'FROM golang:1.22-alpine\nRUN apk add --no-cache gcc musl-dev\nCOPY . /src\nWORKDIR /src\nRUN go build ./cmd/b\n',
    });
    const byFile = (f: string) => config.recipes.find((r) => r.at.file.endsWith(f))!;
    expect(byFile('a.Dockerfile').noCompiler?.line).toBe(1);
    expect(byFile('b.Dockerfile').noCompiler).toBeUndefined();
  });

  it('reads GoReleaser builds with their env, tags, platforms and overrides, and a workflow env around them', () => {
    const { root, config } = write({
      '.goreleaser.yml': [
        'env: [CGO_ENABLED=1]',
        'builds:',
        '  - main: ./cmd/a',
        '    tags: [netgo]',
        '    flags: [-trimpath, "-tags=osusergo"]',
        '    goos: [linux, windows]',
        '    goarch: [amd64]',
        '    overrides:',
        '      - goos: linux',
        '        goarch: amd64',
        '        env: [CGO_ENABLED=0]',
        '  - main: ./cmd/b',
        '    env: ["CGO_ENABLED={{ .Env.CGO }}"]',
      ].join('\n'),
      '.github/workflows/release.yml': 'on: push\nenv:\n  CGO_ENABLED: 0\njobs:\n  r:\n    steps:\n      - uses: goreleaser/goreleaser-action@v6\n',
    });
    const a = config.recipes.filter((r) => recipeBuilds(r, path.join(root, 'cmd/a'), 'x'));
    expect(a.map((r) => [r.platforms?.list.join(' '), r.cgo?.value, r.tags.map((t) => t.value).join(',')]).sort()).toEqual([
      ['linux/amd64', '0', 'netgo,osusergo'],
      ['windows/amd64', '1', 'netgo,osusergo'],
    ]);
    // The config sets CGO_ENABLED itself, over the workflow's; cmd/b's is a template.
    const b = config.recipes.find((r) => recipeBuilds(r, path.join(root, 'cmd/b'), 'x'))!;
    expect(b.cgo).toBeNull();
    expect(b.via[0].file).toMatch(/release\.yml$/);
  });

  it('layers workflow, job and step env, and reads matrix values as unknown', () => {
    const { config } = write({
      '.github/workflows/ci.yaml': [
        'on: push',
        'env: { CGO_ENABLED: "1", GOFLAGS: -tags=netgo }',
        'jobs:',
        '  a:',
        '    env: { CGO_ENABLED: "0" }',
        '    steps:',
        '      - run: go build ./cmd/a',
        '      - run: go build ./cmd/b',
        '        env: { CGO_ENABLED: "${{ matrix.cgo }}" }',
        '        working-directory: sub',
      ].join('\n'),
    });
    const [a, b] = [...config.recipes].sort((x, y) => x.at.line - y.at.line);
    expect([a.cgo?.value, a.tags.map((t) => t.value), a.at.line]).toEqual(['0', ['netgo'], 7]);
    expect(b.cgo).toBeNull();
    expect(b.cwd).toMatch(/sub$/);
  });

  it('turns a file it cannot read into a note, not a crash', () => {
    const { config } = write({ '.goreleaser.yaml': 'builds: [\n  - main: x\n', 'Dockerfile': 'FROM\nRUN\nCOPY --from=\n' });
    expect(config.problems.map((p) => path.basename(p.file))).toEqual(['.goreleaser.yaml']);
  });

  it('knows which base images lack a C library', () => {
    expect(minimalImage('scratch')).toBeDefined();
    expect(minimalImage('gcr.io/distroless/static-debian12:nonroot')).toBeDefined();
    expect(minimalImage('docker.io/library/busybox:1.36')).toBeDefined();
    expect(minimalImage('busybox:1.36-glibc')).toBeUndefined();
    expect(minimalImage('gcr.io/distroless/base-debian12')).toBeUndefined();
    expect(minimalImage('debian:bookworm-slim')).toBeUndefined();
  });
});
