// The syntax pass: facts from tree-sitter, the disk cache, the worker pool.
// Expected values come from the Go spec (hand-written snippets) and from go/parser
// (test/go/declsoracle) on Go's own sources.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { goEnv, runGo } from '../src/goenv';
import { defaultCacheDir, FactsCache, sha256 } from '../src/syntax/cache';
import { extractorSignature, LineIndex, registerExtractor, unregisterExtractor } from '../src/syntax/extractors';
import { extractFacts, unquote, type DeclFact, type FileFacts, type TypeExpr } from '../src/syntax/facts';
import { decodeFacts, encodeFacts, packFacts, unpackFacts } from '../src/syntax/pack';
import { FactsPool, workerScript } from '../src/syntax/pool';
import { factsSignature } from '../src/syntax/read';
import { topLevelNames } from '../src/symbols/toplevel';

const repo = path.resolve(__dirname, '..');
const env = goEnv();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-syntax-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function facts(src: string): FileFacts {
  return extractFacts(Buffer.from(src, 'utf8'), 'test.go');
}

function decl(f: FileFacts, name: string): DeclFact {
  const d = f.decls.find((x) => x.name === name);
  if (!d) throw new Error(`no decl ${name} in ${JSON.stringify(f.decls.map((x) => x.name))}`);
  return d;
}

function at(line: number, col: number) {
  return { line, col };
}

/** Every .go entry under GOROOT/src, sorted (Go's own sources, testdata included). */
function gorootGoFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.name.endsWith('.go')) out.push(p);
      else if (e.isDirectory()) walk(p);
    }
  };
  walk(path.join(env!.GOROOT, 'src'));
  return out.sort();
}

/**
 * The worker threads run dist/: rebuild it when a source file is newer or when it
 * extracts different facts than the sources (an edit made while tsc was running).
 */
function ensureBuilt(): void {
  const worker = path.join(repo, 'dist', 'src', 'syntax', 'worker.js');
  const newest = (dir: string): number => {
    let t = 0;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) t = Math.max(t, newest(p));
      else if (e.name.endsWith('.ts') || e.name.endsWith('.json')) t = Math.max(t, fs.statSync(p).mtimeMs);
    }
    return t;
  };
  const builtSignature = () =>
    spawnSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(path.join(repo, 'dist', 'src', 'syntax', 'read.js'))}).factsSignature())`], { encoding: 'utf8' }).stdout;
  const source = Math.max(newest(path.join(repo, 'src')), newest(path.join(repo, 'rules')));
  const fresh = () => fs.existsSync(worker) && fs.statSync(worker).mtimeMs >= source && builtSignature() === factsSignature();
  if (fresh()) return;
  // tsc emits even when another module has type errors; those are not this test's concern.
  spawnSync(process.execPath, [path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: repo, stdio: 'ignore' });
  if (!fresh()) throw new Error('could not build dist/ for the worker threads, or the sources changed meanwhile (npm run build)');
}

describe('facts (Go spec)', () => {
  it('declares every name of a grouped const block with its iota and the implicitly repeated expression', () => {
    // Go spec, Iota: "Within a constant declaration, the predeclared identifier iota
    // represents successive untyped integer constants. Its value is the index of the
    // respective ConstSpec in that constant declaration." An omitted expression list
    // repeats the first preceding non-empty list and its type.
    const f = facts(`package p

const Solo = 7

const (
	A, B = iota, iota * 10 // 0, 0
	C, D                   // 1, 10
	_, _                   // 2, 20 (blank names declare nothing usable)
	E int64 = 1 << iota    // 3
	F                      // 4, int64
)
`);
    const consts = f.decls.filter((d) => d.kind === 'const');
    expect(consts.map((d) => [d.name, d.iota, d.group, d.value])).toEqual([
      ['Solo', 0, 0, '7'],
      ['A', 0, 1, 'iota'],
      ['B', 0, 1, 'iota * 10'],
      ['C', 1, 1, 'iota'],
      ['D', 1, 1, 'iota * 10'],
      ['_', 2, 1, 'iota'],
      ['_', 2, 1, 'iota * 10'],
      ['E', 3, 1, '1 << iota'],
      ['F', 4, 1, '1 << iota'],
    ]);
    expect(decl(f, 'F').type).toEqual({ kind: 'name', name: 'int64' });
    expect(decl(f, 'C').type).toBeUndefined();
    expect(decl(f, 'A').span).toEqual({ start: at(6, 2), end: at(6, 3) });
    expect(decl(f, 'D').span).toEqual({ start: at(7, 5), end: at(7, 6) });
  });

  it('finds the receiver base type of methods, generic parameters stripped', () => {
    // Go spec, Method declarations: the receiver base type is T in T, *T, T[P], *T[P];
    // parentheses are allowed around the receiver type.
    const f = facts(`package p

type T[K comparable, V any] struct{ m map[K]V }
type U int

func (r *T[K, V]) Get(k K) V { return r.m[k] }
func (T[_, _]) Len() int { return 0 }
func (u (*U)) Inc() { *u++ }
func (U) String() string { return "" }
func Map[S ~[]E, E any](s S) S { return s }
`);
    expect(decl(f, 'Get')).toMatchObject({ kind: 'method', recv: 'T', recvPointer: true, typeParams: ['K', 'V'] });
    expect(decl(f, 'Len')).toMatchObject({ kind: 'method', recv: 'T', recvPointer: false, typeParams: ['_', '_'] });
    expect(decl(f, 'Inc')).toMatchObject({ kind: 'method', recv: 'U', recvPointer: true });
    expect(decl(f, 'String')).toMatchObject({ kind: 'method', recv: 'U', recvPointer: false });
    expect(decl(f, 'Map')).toMatchObject({ kind: 'func', typeParams: ['S', 'E'] });
    expect(decl(f, 'Map').recv).toBeUndefined();
    expect(decl(f, 'T')).toMatchObject({ kind: 'type', typeParams: ['K', 'V'] });
  });

  it('counts columns in UTF-16 code units after é and an emoji', () => {
    // é is U+00E9 (2 UTF-8 bytes, 1 UTF-16 unit); 😀 is U+1F600 (4 bytes, 2 units, a
    // surrogate pair); 𝒳 (U+1D4B3) is a letter, so a valid Go identifier, of 2 units.
    const f = facts('package p\n\nvar s = "é😀"; var t = 1\nvar 𝒳, é = t, 2\n');
    // "var s = " is 8 units, then " é 😀 " is 1+1+2+1 = 5, then "; var " 6: t starts at unit 20.
    expect(decl(f, 't').span).toEqual({ start: at(3, 20), end: at(3, 21) });
    expect(decl(f, '𝒳').span).toEqual({ start: at(4, 5), end: at(4, 7) });
    expect(decl(f, 'é').span).toEqual({ start: at(4, 9), end: at(4, 10) });
    expect(f.refs).toEqual([{ kind: 'ident', name: 't', span: { start: at(4, 13), end: at(4, 14) } }]);
  });

  it('describes struct fields as written, embedded ones named by their type name', () => {
    // Go spec, Struct types: "a field declared with a type but no explicit field name is
    // an embedded field ... The unqualified type name acts as the field name."
    const f = facts(`package p

import "sync/atomic"

type S struct {
	a, b int64
	*atomic.Int64
	List[int] \`json:"l"\`
	n    [4 * 2]uint32
	fn   func()
	ch   <-chan map[string]*S
}
`);
    const st = decl(f, 'S').type as Extract<TypeExpr, { kind: 'struct' }>;
    expect(st.kind).toBe('struct');
    expect(st.fields.map((x) => ({ name: x.name, embedded: x.embedded, type: x.type, tag: x.tag, start: x.span.start }))).toEqual([
      { name: 'a', embedded: false, type: { kind: 'name', name: 'int64' }, tag: undefined, start: at(6, 2) },
      { name: 'b', embedded: false, type: { kind: 'name', name: 'int64' }, tag: undefined, start: at(6, 5) },
      { name: 'Int64', embedded: true, type: { kind: 'pointer', elem: { kind: 'name', pkg: 'atomic', name: 'Int64' } }, tag: undefined, start: at(7, 10) },
      { name: 'List', embedded: true, type: { kind: 'name', name: 'List', args: [{ kind: 'name', name: 'int' }] }, tag: '`json:"l"`', start: at(8, 2) },
      { name: 'n', embedded: false, type: { kind: 'array', len: '4 * 2', elem: { kind: 'name', name: 'uint32' } }, tag: undefined, start: at(9, 2) },
      { name: 'fn', embedded: false, type: { kind: 'func' }, tag: undefined, start: at(10, 2) },
      { name: 'ch', embedded: false, type: { kind: 'chan', elem: { kind: 'map', key: { kind: 'name', name: 'string' }, value: { kind: 'pointer', elem: { kind: 'name', name: 'S' } } } }, tag: undefined, start: at(11, 2) },
    ]);
    expect(f.imports).toEqual([{ path: 'sync/atomic', span: { start: at(3, 8), end: at(3, 21) } }]);
  });

  it('records imports with their names, and uses as idents, selectors and literal keys', () => {
    const f = facts(`package p

import (
	str "strings"
	. "os"
	_ "embed"
	"sync/\\x61tomic"
)

type P struct{ X, Y int }

var v = P{X: 1, Y: str.Count("a", "b")}
`);
    expect(f.package).toBe('p');
    expect(f.imports.map((i) => [i.path, i.name])).toEqual([
      ['strings', 'str'],
      ['os', '.'],
      ['embed', '_'],
      ['sync/atomic', undefined],
    ]);
    expect(f.refs.map((r) => [r.kind, 'x' in r ? r.x : undefined, r.name, r.span.start.col])).toEqual([
      ['ident', undefined, 'int', 21],
      ['ident', undefined, 'P', 9],
      ['key', undefined, 'X', 11],
      ['key', undefined, 'Y', 17],
      ['ident', undefined, 'str', 20],
      ['selector', 'str', 'Count', 24],
    ]);
  });

  it('records locals with the scopes the Go spec gives them', () => {
    // Go spec, Declarations and scope: parameters are scoped to the function body; a
    // variable declared inside a function is in scope from the end of its ShortVarDecl
    // to the end of the innermost containing block, so `x := x + 1` reads the outer x.
    const f = facts(`package p

import "fmt"

var x = 1

func f(fmt string) int {
	x := x + 1
	if y := x; y > 0 {
		return y
	}
	return x + len(fmt)
}
`);
    const loc = Object.fromEntries(f.locals.map((l) => [l.name, l]));
    expect(loc.fmt).toMatchObject({ span: { start: at(7, 8) }, scopeStart: at(7, 24), scopeEnd: at(13, 2) });
    expect(loc.x).toMatchObject({ span: { start: at(8, 2) }, scopeStart: at(8, 12), scopeEnd: at(13, 2) });
    // The if statement is an implicit block: y ends with it.
    expect(loc.y).toMatchObject({ scopeStart: at(9, 11), scopeEnd: at(11, 3) });
    const xs = f.refs.filter((r) => r.name === 'x').map((r) => r.span.start);
    expect(xs).toEqual([at(8, 7), at(9, 10), at(12, 9)]);
    // The defining occurrences are not uses.
    expect(f.refs.some((r) => r.name === 'y' && r.span.start.line === 9 && r.span.start.col === 5)).toBe(false);
    expect(f.refs.filter((r) => r.name === 'fmt').map((r) => r.span.start)).toEqual([at(12, 17)]);
  });

  it('keeps partial facts and reports syntax errors', () => {
    const f = facts(`package p

func broken( {
}

var ok = 1

func alsoOK() {}
`);
    expect(f.errors.length).toBeGreaterThan(0);
    expect(f.errors[0].span.start.line).toBe(3);
    expect(f.errors[0].message).toMatch(/syntax error/);
    expect(f.decls.map((d) => d.name)).toEqual(expect.arrayContaining(['ok', 'alsoOK']));
    // Go rejects statements at top level even where tree-sitter parses them.
    const g = facts('package p\n\nx := 1\n');
    expect(g.errors.map((e) => [e.span.start.line, e.message])).toEqual([[3, 'syntax error: non-declaration statement outside function body']]);
    expect(facts('func f() {}\n').errors.map((e) => e.message)).toContain('syntax error: missing package clause');
  });

  it('parses Go 1.26 new(expr), which tree-sitter-go 0.25 does not know', () => {
    // Go 1.26: "The built-in new function ... now allows its operand to be an expression."
    let seen = '';
    registerExtractor('test-new', 1, (root) => (seen = root.descendantsOfType('call_expression').map((c) => c.childForFieldName('function')!.text).join(',')));
    try {
      const f = facts('package p\n\nfunc f() int { return 1 }\n\nvar a = new(int64(300))\nvar b = new /* c */ (f())\nvar c = new([]int)\n');
      expect(f.errors).toEqual([]);
      expect(f.decls.map((d) => [d.name, d.value])).toEqual([['f', undefined], ['a', 'new(int64(300))'], ['b', 'new /* c */ (f())'], ['c', 'new([]int)']]);
      expect(f.refs.filter((r) => r.name === 'new' || r.name === 'f').map((r) => `${r.name}@${r.span.start.line}:${r.span.start.col}`)).toEqual(['new@5:9', 'new@6:9', 'f@6:22', 'new@7:9']);
      // Extractors read the source as written.
      expect(seen).toBe('new,int64,new,f,new');
    } finally {
      unregisterExtractor('test-new');
    }
  });

  it('does not crash on bytes that are not UTF-8, and counts each bad byte here as one column (U+FFFD)', () => {
    const src = Buffer.concat([Buffer.from('package p\n\nvar s = "'), Buffer.from([0xff, 0xfe]), Buffer.from('"; var t = 1\n')]);
    const f = extractFacts(src, 'bad.go');
    expect(decl(f, 't').span.start).toEqual(at(3, 19));
  });

  it('unquotes Go string literals', () => {
    expect(unquote('"a\\tb\\u00e9\\x41\\101"')).toBe('a\tbéAA');
    expect(unquote('`raw\\n`')).toBe('raw\\n');
    expect(unquote('"\\xc3\\xa9"')).toBe('é');
    expect(unquote('"bad\\q"')).toBeUndefined();
  });

  it('maps offsets and positions both ways', () => {
    const li = new LineIndex('ab\n😀c\n\nd');
    expect(li.pos(0)).toEqual(at(1, 1));
    expect(li.pos(3)).toEqual(at(2, 1));
    expect(li.pos(5)).toEqual(at(2, 3));
    expect(li.pos(8)).toEqual(at(4, 1));
    for (let i = 0; i <= li.length; i++) expect(li.offset(li.pos(i))).toBe(i);
    expect(li.lineText(2)).toBe('😀c');
  });

  it('packs and unpacks facts without loss', () => {
    const f = facts('package p\nfunc f(a int) { b := a; _ = b.c; _ = T{K: b} }\n');
    expect(unpackFacts(JSON.parse(JSON.stringify(packFacts(f))))).toStrictEqual(f);
  });

  it('encodes facts as a blob that decodes without loss, each part when first read', () => {
    const f = facts('package p\n\nimport "sync/atomic"\n\nvar n int64\nfunc f(a int) { b := a; _ = b.c; _ = T{K: b}; atomic.AddInt64(&n, 1) }\n');
    expect(Object.keys(f.extras).length).toBeGreaterThan(0);
    const decoded = decodeFacts(encodeFacts(f));
    expect(Object.getOwnPropertyDescriptor(decoded, 'decls')?.get).toBeDefined();
    expect(decoded).toStrictEqual(f);
    expect(Object.getOwnPropertyDescriptor(decoded, 'decls')?.value).toBe(decoded.decls);
    // An extractor's result that is an object is parsed member by member.
    const consts = decodeFacts(encodeFacts(f)).extras.consts as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(consts, 'roots')?.get).toBeDefined();
    expect(consts.funcs).toEqual((f.extras.consts as Record<string, unknown>).funcs);
    expect(Object.getOwnPropertyDescriptor(consts, 'roots')?.get).toBeDefined();
    // A part can be replaced like any property.
    decoded.errors = [];
    expect(decoded.errors).toEqual([]);
  });
});

describe('extractors', () => {
  it('adds each registered extractor result to extras, and failures to extractorErrors', () => {
    registerExtractor('test-shape', 3, (root, ctx) => ({ type: root.type, lines: ctx.lines.lineCount, first: ctx.toSpan(root.firstNamedChild!), plain: ctx.tree.type }));
    registerExtractor('test-throws', 1, () => {
      throw new Error('boom');
    });
    try {
      expect(extractorSignature()).toMatch(/test-shape@3/);
      const f = facts('package p\n\nvar x = 1\n');
      expect(f.extras['test-shape']).toEqual({ type: 'source_file', lines: 4, first: { start: at(1, 1), end: at(1, 10) }, plain: 'source_file' });
      expect(f.extractorErrors).toEqual([{ name: 'test-throws', message: 'boom' }]);
      expect(decl(f, 'x').value).toBe('1');
    } finally {
      unregisterExtractor('test-shape');
      unregisterExtractor('test-throws');
    }
  });

  it('puts the extractor versions in the cache key', () => {
    const dir = path.join(tmp, 'key');
    const before = new FactsCache({ dir }).entryPath('00');
    registerExtractor('test-key', 1, () => null);
    try {
      const during = new FactsCache({ dir }).entryPath('00');
      expect(during).not.toBe(before);
      registerExtractor('test-key', 2, () => null);
      expect(new FactsCache({ dir }).entryPath('00')).not.toBe(during);
    } finally {
      unregisterExtractor('test-key');
    }
    expect(new FactsCache({ dir }).entryPath('00')).toBe(before);
  });
});

describe('cache', () => {
  it('chooses the directory from the environment and the platform', () => {
    expect(defaultCacheDir({ CROSSVET_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' }, 'linux', '/h')).toBe('/c');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x' }, 'darwin', '/h')).toBe(path.join('/x', 'crossvet'));
    expect(defaultCacheDir({}, 'linux', '/h')).toBe(path.join('/h', '.cache', 'crossvet'));
    expect(defaultCacheDir({}, 'darwin', '/h')).toBe(path.join('/h', 'Library', 'Caches', 'crossvet'));
    expect(defaultCacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u')).toBe('C:\\Users\\u\\AppData\\Local\\crossvet');
  });

  it('hits on the second run, misses after a change, and ignores a corrupt entry', async () => {
    const dir = path.join(tmp, 'cache1');
    const file = path.join(tmp, 'c.go');
    fs.writeFileSync(file, 'package p\n\nconst A = 1\n');
    const pool = new FactsPool({ workers: 0, cacheDir: dir });
    try {
      const first = await pool.facts([file]);
      expect(pool.stats()).toMatchObject({ files: 1, parsed: 1, cacheHits: 0, cacheMisses: 1 });
      const second = await pool.facts([file]);
      expect(pool.stats()).toMatchObject({ files: 2, parsed: 1, cacheHits: 1, cacheMisses: 1 });
      expect(second.get(file)).toEqual(first.get(file));

      fs.writeFileSync(file, 'package p\n\nconst B = 2\n');
      const third = await pool.facts([file]);
      expect(pool.stats()).toMatchObject({ files: 3, parsed: 2, cacheHits: 1, cacheMisses: 2 });
      expect((third.get(file) as FileFacts).decls.map((d) => d.name)).toEqual(['B']);

      const entry = new FactsCache({ dir }).entryPath(sha256(fs.readFileSync(file)));
      fs.writeFileSync(entry, '{"key": "truncated');
      const fourth = await pool.facts([file]);
      expect(pool.stats()).toMatchObject({ parsed: 3, cacheHits: 1, cacheMisses: 3 });
      expect((fourth.get(file) as FileFacts).decls.map((d) => d.name)).toEqual(['B']);
      // Rewritten whole, through a temporary file that is gone.
      const blob = new FactsCache({ dir }).get(sha256(fs.readFileSync(file)));
      expect(blob && decodeFacts(blob).decls[0].name).toBe('B');
      expect(fs.readdirSync(path.dirname(entry)).filter((n) => n.endsWith('.tmp'))).toEqual([]);

      // A truncated entry, or one with a changed byte, is a miss too.
      const whole = fs.readFileSync(entry);
      fs.writeFileSync(entry, whole.subarray(0, whole.length - 1));
      await pool.facts([file]);
      expect(pool.stats()).toMatchObject({ parsed: 4, cacheHits: 1, cacheMisses: 4 });
      const flipped = Buffer.from(fs.readFileSync(entry));
      flipped[flipped.length - 3] ^= 1;
      fs.writeFileSync(entry, flipped);
      const sixth = await pool.facts([file]);
      expect(pool.stats()).toMatchObject({ parsed: 5, cacheHits: 1, cacheMisses: 5 });
      expect((sixth.get(file) as FileFacts).decls.map((d) => d.name)).toEqual(['B']);
      await pool.facts([file]);
      expect(pool.stats()).toMatchObject({ parsed: 5, cacheHits: 2, cacheMisses: 5 });
    } finally {
      await pool.close();
    }
  });

  it('neither reads nor writes with the cache off', async () => {
    const dir = path.join(tmp, 'cache-off');
    const file = path.join(tmp, 'off.go');
    fs.writeFileSync(file, 'package p\n');
    const pool = new FactsPool({ workers: 0, cache: false, cacheDir: dir });
    await pool.facts([file]);
    await pool.facts([file]);
    expect(pool.stats()).toMatchObject({ parsed: 2, cacheHits: 0, cacheMisses: 0 });
    expect(fs.existsSync(dir)).toBe(false);
    await pool.close();
  });
});

describe('pool', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it('answers unreadable, oversized and odd files with an error entry, never an exception', async () => {
    const big = path.join(tmp, 'big.go');
    fs.writeFileSync(big, Buffer.alloc(8 * 1024 * 1024 + 1, 0x20));
    const dir = path.join(tmp, 'dir.go');
    fs.mkdirSync(dir, { recursive: true });
    const empty = path.join(tmp, 'empty.go');
    fs.writeFileSync(empty, '');
    for (const workers of [0, 1]) {
      const pool = new FactsPool({ workers, cache: false });
      try {
        const got = await pool.facts([big, dir, path.join(tmp, 'missing.go'), empty]);
        expect((got.get(big) as { error: string }).error).toMatch(/over 8 MiB are skipped/);
        expect((got.get(dir) as { error: string }).error).toMatch(/cannot read/);
        expect((got.get(path.join(tmp, 'missing.go')) as { error: string }).error).toMatch(/ENOENT/);
        expect((got.get(empty) as FileFacts).errors.map((e) => e.message)).toContain('syntax error: missing package clause');
        expect(pool.stats().workers).toBe(workers);
      } finally {
        await pool.close();
      }
    }
  });

  it.skipIf(!env)('gives the same facts from worker threads as in process', async () => {
    const all = gorootGoFiles().filter((f) => fs.statSync(f).isFile());
    const sample = all.filter((_, i) => i % Math.floor(all.length / 100) === 0);
    const pool = new FactsPool({ workers: 2, cache: false });
    try {
      const got = await pool.facts(sample);
      expect(pool.stats()).toMatchObject({ workers: 2, files: sample.length, parsed: sample.length });
      expect(workerScript()).toBe(path.join(repo, 'dist', 'src', 'syntax', 'worker.js'));
      let refs = 0;
      for (const f of sample) {
        const direct = extractFacts(fs.readFileSync(f), f);
        refs += direct.refs.length;
        expect(got.get(f), f).toStrictEqual(direct);
      }
      expect(refs).toBeGreaterThan(10_000);
    } finally {
      await pool.close();
    }
  }, 300_000);

  it('parses in process when the workers would extract different facts', async () => {
    registerExtractor('test-main-only', 1, () => 'here');
    const file = path.join(tmp, 'w.go');
    fs.writeFileSync(file, 'package p\n');
    const pool = new FactsPool({ workers: 1, cache: false });
    try {
      const got = await pool.facts([file]);
      expect((got.get(file) as FileFacts).extras['test-main-only']).toBe('here');
      expect(pool.stats().workers).toBe(0);
      expect(pool.stats().fallback).toMatch(/different facts/);
    } finally {
      unregisterExtractor('test-main-only');
      await pool.close();
    }
  });
});

/** The oracle's view of a file, and ours in the same shape. */
interface OracleFile {
  path: string;
  error?: string;
  package: string;
  imports: { path: string; name?: string; start: { line: number; col: number } }[];
  decls: Record<string, unknown>[];
}

function ourView(f: FileFacts, file: string): OracleFile {
  const ty = (t: TypeExpr): unknown =>
    t.kind === 'struct'
      ? { kind: 'struct', fields: t.fields.map((x) => ({ name: x.name, embedded: x.embedded, type: ty(x.type), start: x.span.start, ...(x.tag !== undefined ? { tag: x.tag } : {}) })) }
      : t.kind === 'pointer' || t.kind === 'slice' || t.kind === 'chan'
        ? { ...t, elem: ty(t.elem) }
        : t.kind === 'array'
          ? { ...t, elem: ty(t.elem) }
          : t.kind === 'map'
            ? { kind: 'map', key: ty(t.key), value: ty(t.value) }
            : t.kind === 'name' && t.args
              ? { ...t, args: t.args.map(ty) }
              : t.kind === 'interface'
                ? { ...t, embeds: t.embeds.map(ty) }
                : t;
  return {
    path: file,
    package: f.package ?? '',
    imports: f.imports.map((i) => ({ path: i.path, ...(i.name !== undefined ? { name: i.name } : {}), start: i.span.start })),
    decls: f.decls.map(({ span, type, ...d }) => ({ ...d, start: span.start, ...(type ? { type: ty(type) } : {}) })),
  };
}

describe.skipIf(!env)('facts agree with go/parser on GOROOT', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it('has the same package, imports and top-level declarations (names, receivers, iota, values, types as written)', async () => {
    // Type checker test inputs with deliberate errors (`/* ERROR "..." */` markers) hold
    // invalid code that go/parser leaves to the type checker, such as `[...]byte("foo")`;
    // they are left out here (the robustness run below covers them).
    const all = gorootGoFiles().filter((f) => fs.statSync(f).isFile() && !/\/[*/]\s*ERROR/.test(fs.readFileSync(f, 'latin1')));
    const stride = all.filter((_, i) => i % Math.floor(all.length / 480) === 0);
    // Plus files with non-ASCII text, where UTF-16 columns differ from byte columns.
    const nonAscii = all.filter((f) => /[^\x00-\x7f]/.test(fs.readFileSync(f, 'latin1')));
    const candidates = [...new Set([...stride, ...nonAscii.filter((_, i) => i % Math.max(1, Math.floor(nonAscii.length / 60)) === 0)])];
    const r = runGo(['run', '.'], { cwd: path.join(__dirname, 'go', 'declsoracle'), input: candidates.join('\n'), timeoutMs: 300_000 });
    if (r.status !== 0) throw new Error(`declsoracle failed: ${r.stderr}`);
    const oracle = (JSON.parse(r.stdout) as OracleFile[]).filter((o) => !o.error);
    expect(oracle.length).toBeGreaterThanOrEqual(500);

    const pool = new FactsPool({ workers: 2, cache: false });
    let got: Map<string, FileFacts | { error: string }>;
    try {
      got = await pool.facts(oracle.map((o) => o.path));
    } finally {
      await pool.close();
    }
    const disagreements: string[] = [];
    let decls = 0;
    let imports = 0;
    for (const want of oracle) {
      const f = got.get(want.path);
      if (!f || 'error' in f) {
        disagreements.push(`${want.path}: ${f ? f.error : 'no facts'}`);
        continue;
      }
      if (f.errors.length > 0) disagreements.push(`${want.path}: tree-sitter reports ${f.errors[0].message} at ${f.errors[0].span.start.line}:${f.errors[0].span.start.col}; go/parser none`);
      const have = ourView(f, want.path);
      try {
        expect(have).toEqual(want);
      } catch (e) {
        disagreements.push(`${want.path}: ${(e as Error).message.slice(0, 1500)}`);
      }
      // A name's span covers exactly its UTF-16 length.
      for (const d of f.decls) if (d.span.end.col - d.span.start.col !== d.name.length) disagreements.push(`${want.path}: span of ${d.name}`);
      decls += want.decls.length;
      imports += want.imports.length;
    }
    console.log(`declsoracle: ${oracle.length} files, ${decls} declarations, ${imports} imports, ${disagreements.length} disagreements`);
    expect(disagreements).toEqual([]);
    // The scanner-only reader of top-level names (src/symbols/toplevel.ts) sees the same
    // names, receivers and positions as go/parser, without parsing.
    const scanOnly: string[] = [];
    for (const want of oracle) {
      const w = want.decls.map((d) => `${d.kind === 'func' && d.recv ? 'method' : d.kind} ${d.recv ? `${d.recv}.` : ''}${d.name} ${d.start.line}:${d.start.col}`);
      const h = topLevelNames(fs.readFileSync(want.path)).map((d) => `${d.kind} ${d.recv ? `${d.recv}.` : ''}${d.name} ${d.span.start.line}:${d.span.start.col}`);
      if (JSON.stringify(h) !== JSON.stringify(w)) scanOnly.push(`${want.path}: ${JSON.stringify(h.filter((x) => !w.includes(x)).slice(0, 3))} vs ${JSON.stringify(w.filter((x) => !h.includes(x)).slice(0, 3))}`);
    }
    expect(scanOnly).toEqual([]);
  }, 600_000);
});

// Every .go file of GOROOT, cold then warm cache. About 7,700 files and 90 MB; takes
// minutes on two cores, so it runs only when asked for.
describe.skipIf(!env || process.env.CROSSVET_SLOW !== '1')('robustness on all of GOROOT', () => {
  beforeAll(() => ensureBuilt(), 300_000);

  it('produces facts or a clear error for every file, cold and warm', async () => {
    const files = gorootGoFiles();
    const dir = path.join(tmp, 'goroot-cache');
    const figures: string[] = [];
    let cold: Map<string, unknown> | undefined;
    for (const pass of ['cold', 'warm']) {
      const pool = new FactsPool({ cacheDir: dir });
      const t0 = Date.now();
      const results = new Map<string, string>();
      let withErrors = 0;
      let st = pool.stats();
      try {
        for (let i = 0; i < files.length; i += 500) {
          for (const [p, r] of await pool.facts(files.slice(i, i + 500))) {
            if ('error' in r) results.set(p, `error: ${r.error}`);
            else {
              if (r.errors.length > 0) withErrors++;
              results.set(p, `${r.decls.length}/${r.refs.length}/${r.errors.length}`);
            }
          }
        }
        st = pool.stats();
      } finally {
        await pool.close();
      }
      const s = (Date.now() - t0) / 1000;
      figures.push(`${pass}: ${st.files} files, ${(st.bytes / 1e6).toFixed(1)} MB, ${s.toFixed(1)} s, ${(st.files / s).toFixed(0)} files/s, parsed ${st.parsed}, cache hits ${st.cacheHits}, ${withErrors} with syntax errors, ${st.workers} workers`);
      expect(results.size).toBe(files.length);
      for (const [p, v] of results) if (v.startsWith('error')) expect(fs.statSync(p).isFile(), `${p}: ${v}`).toBe(false);
      expect(withErrors).toBeGreaterThan(0);
      expect(st.workers).toBe(os.availableParallelism());
      if (pass === 'warm') {
        expect(st.parsed).toBe(0);
        expect(results).toEqual(cold);
      }
      cold = results;
    }
    console.log(`GOROOT: ${figures.join('; ')}`);
  }, 1_800_000);
});
