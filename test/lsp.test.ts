// `crossvet lsp` end to end: the server runs as a child process (`node bin/crossvet.js lsp
// --stdio`, as an editor starts it) and is driven over stdio by vscode-jsonrpc's message
// connection, the transport VS Code's client is built on; edits are applied with
// vscode-languageserver-textdocument. Expected positions come from the text the test wrote
// and from the Go toolchain's own error positions; whether a quick fix really fixes the code
// is decided by the Go toolchain (go list for constraints, a GOARCH=386 run for atomics).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { CodeAction, Diagnostic, InitializeResult, PublishDiagnosticsParams, ShowMessageParams, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { runGo } from '../src/goenv';

const repo = path.resolve(__dirname, '..');
const BIN = path.join(repo, 'bin', 'crossvet.js');
const BUILT = path.join(repo, 'dist', 'src', 'lsp', 'server.js');

/** A file's URI; a string that already is a URI (`untitled:...`) stays as it is. */
const uri = (file: string) => (/^[a-z][a-z0-9+.-]*:/i.test(file) ? file : pathToFileURL(file).href);

function tempDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `crossvet-lsp-${name}-`));
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/** A language client: the server as a child process, spoken to over its stdin and stdout. */
class Client {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  readonly shown: ShowMessageParams[] = [];
  stderr = '';
  private readonly versions = new Map<string, TextDocument>();
  private wake: (() => void)[] = [];

  private constructor(
    private readonly proc: ChildProcess,
    private readonly conn: MessageConnection,
  ) {}

  /**
   * Starts the server. `configuration` is what the client answers to workspace/configuration
   * (announced in the capabilities when given).
   */
  static async start(
    initializationOptions: unknown,
    capabilities: { workspace?: object } = { workspace: { workspaceEdit: { documentChanges: true } } },
    configuration?: unknown,
  ): Promise<{ client: Client; init: InitializeResult }> {
    const proc = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: os.tmpdir(), stdio: ['pipe', 'pipe', 'pipe'] });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const client = new Client(proc, conn);
    proc.stderr!.on('data', (b: Buffer) => (client.stderr += b.toString()));
    const notify = () => client.wake.splice(0).forEach((w) => w());
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      client.published.push(p);
      notify();
    });
    conn.onNotification('window/logMessage', (p: { message: string }) => {
      client.logs.push(p.message);
      notify();
    });
    conn.onNotification('window/showMessage', (p: ShowMessageParams) => {
      client.shown.push(p);
      notify();
    });
    conn.onRequest('client/registerCapability', () => null);
    if (configuration !== undefined) {
      capabilities = { ...capabilities, workspace: { ...capabilities.workspace, configuration: true } };
      conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => (i.section === 'crossvet' ? configuration : null)));
    }
    conn.listen();
    const init = await conn.sendRequest<InitializeResult>('initialize', { processId: process.pid, rootUri: null, capabilities, initializationOptions });
    await conn.sendNotification('initialized', {});
    return { client, init };
  }

  open(file: string, text: string): TextDocument {
    const doc = TextDocument.create(uri(file), 'go', 1, text);
    this.versions.set(doc.uri, doc);
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: doc.uri, languageId: 'go', version: 1, text } });
    return doc;
  }

  /** Replace the whole buffer (as a ranged change, the way editors send incremental edits). */
  change(file: string, text: string): TextDocument {
    const old = this.versions.get(uri(file))!;
    const range = { start: { line: 0, character: 0 }, end: old.positionAt(old.getText().length) };
    const doc = TextDocument.update(old, [{ range, text }], old.version + 1);
    this.versions.set(doc.uri, doc);
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri: doc.uri, version: doc.version }, contentChanges: [{ range, text }] });
    return doc;
  }

  doc(file: string): TextDocument {
    return this.versions.get(uri(file))!;
  }

  filesChanged(files: string[]): void {
    void this.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: files.map((f) => ({ uri: uri(f), type: 2 })) });
  }

  configure(settings: unknown): void {
    void this.conn.sendNotification('workspace/didChangeConfiguration', { settings });
  }

  codeActions(file: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.conn.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri(file) }, range, context: { diagnostics } });
  }

  /** Waits for something to arrive, looking at everything received so far first. */
  async until<T>(what: string, look: () => T | undefined, timeoutMs = 90_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = look();
      if (got !== undefined) return got;
      if (this.proc.exitCode !== null) throw new Error(`server exited (${this.proc.exitCode}) while waiting for ${what}; stderr:\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; logs:\n${this.logs.join('\n')}\nstderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 1000));
        this.wake.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** The diagnostics published for a file for its current buffer version. */
  diagnostics(file: string): Promise<Diagnostic[]> {
    const u = uri(file);
    const version = this.versions.get(u)?.version;
    return this.until(`diagnostics of ${path.basename(file)} v${version}`, () => [...this.published].reverse().find((p) => p.uri === u && p.version === version)?.diagnostics);
  }

  /** Shut down as a client does; resolves with the server's exit code. */
  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.proc.on('exit', (code) => resolve(code)));
    await this.conn.sendRequest('shutdown');
    await this.conn.sendNotification('exit');
    const code = await exited;
    this.conn.dispose();
    return code;
  }
}

/** Apply a workspace edit to one document, as a client would: refusing edits for another version. */
function applyTo(doc: TextDocument, edit: WorkspaceEdit): string {
  let edits: TextEdit[] = [];
  for (const dc of (edit.documentChanges ?? []) as TextDocumentEdit[]) {
    if (dc.textDocument.uri !== doc.uri) continue;
    expect(dc.textDocument.version).toBe(doc.version);
    edits = edits.concat(dc.edits as TextEdit[]);
  }
  edits = edits.concat(edit.changes?.[doc.uri] ?? []);
  return TextDocument.applyEdits(doc, edits);
}

function goOk(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = runGo(args, { cwd, env });
  return { ok: r.status === 0, out: r.stdout + r.stderr };
}

beforeAll(() => {
  if (!fs.existsSync(BUILT)) throw new Error(`${BUILT} is missing: run 'npm run build' before this test (npm test does)`);
});

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

describe('crossvet lsp over stdio', () => {
  it('reports a near-miss constraint on open, fixes it with the quick fix, and clears it on change', async () => {
    const dir = tempDir('nearmiss');
    made.push(dir);
    const text = '// Package probe only makes sense on linux.\n//+ build linux\n\npackage probe\n\nfunc Name() string { return "linux" }\n';
    writeFiles(dir, { 'go.mod': 'module example.com/probe\n\ngo 1.22\n', 'probe.go': text });
    const file = path.join(dir, 'probe.go');
    // The oracle: Go ignores the line, so the file builds on windows too.
    expect(goOk(['list', '-f', '{{join .GoFiles " "}}', '.'], dir, { GOOS: 'windows' }).out).toContain('probe.go');

    const { client, init } = await Client.start({ crossvet: { targets: 'linux/amd64,windows/amd64', debounceMs: 50 } });
    expect(init.serverInfo?.name).toBe('crossvet');
    expect(init.capabilities.codeActionProvider).toBeTruthy();
    const doc = client.open(file, text);
    const diags = await client.diagnostics(file);
    const d = diags.find((x) => x.code === 'build-constraint-syntax');
    expect(d, JSON.stringify(diags)).toBeDefined();
    const line = text.split('\n').indexOf('//+ build linux');
    expect(d!.range).toEqual({ start: { line, character: 0 }, end: { line, character: '//+ build linux'.length } });
    expect(d!.source).toBe('crossvet');
    expect(d!.codeDescription?.href).toMatch(/docs\/rules\/build-constraint-syntax\.md$/);

    // The same file through the command: the editor shows what `crossvet check` reports.
    const cli = JSON.parse(
      (await new Promise<string>((resolve) => {
        const p = spawn(process.execPath, [BIN, 'check', '--format', 'json', '--targets', 'linux/amd64,windows/amd64', dir]);
        let out = '';
        p.stdout.on('data', (b: Buffer) => (out += b.toString()));
        p.on('exit', () => resolve(out));
      })) as string,
    ) as { findings: { ruleId: string; level: string; span: { start: { line: number; col: number } } }[] };
    const f = cli.findings.find((x) => x.ruleId === 'build-constraint-syntax')!;
    expect(d!.severity).toBe({ error: 1, warning: 2, note: 3 }[f.level]);
    expect(d!.range.start).toEqual({ line: f.span.start.line - 1, character: f.span.start.col - 1 });

    const actions = await client.codeActions(file, [d!]);
    const quick = actions.find((a) => a.title === 'Replace with //go:build linux');
    expect(quick, actions.map((a) => a.title).join(' | ')).toBeDefined();
    expect(quick!.kind).toBe('quickfix');
    expect(quick!.isPreferred).toBe(true);
    expect(actions.some((a) => a.title.startsWith('Suppress build-constraint-syntax'))).toBe(true);
    const fixed = applyTo(doc, quick!.edit!);
    expect(fixed).toContain('\n//go:build linux\n');

    // The unsaved buffer is what is analysed: the file on disk still has the near miss.
    client.change(file, fixed);
    const after = await client.diagnostics(file);
    expect(after.filter((x) => x.source === 'crossvet')).toEqual([]);

    // The oracle again: with the fixed text, Go keeps the file off windows and on linux.
    fs.writeFileSync(file, fixed);
    expect(goOk(['list', '-f', '{{join .GoFiles " "}}', '.'], dir, { GOOS: 'windows' }).out).not.toContain('probe.go');
    expect(goOk(['list', '-f', '{{join .GoFiles " "}}', '.'], dir, { GOOS: 'linux' }).out).toContain('probe.go');
    expect(client.logs.join('\n')).not.toMatch(/internal error/);
    expect(await client.stop()).toBe(0);
  });

  it('offers the typed-atomic switch, the field move and a suppression for a misaligned 64-bit atomic', async () => {
    const dir = tempDir('atomic');
    made.push(dir);
    const text = [
      'package main',
      '',
      'import (',
      '\t"fmt"',
      '\t"sync/atomic"',
      ')',
      '',
      '// Counter puts a 64-bit counter after a bool: offset 4 on 32-bit targets.',
      'type Counter struct {',
      '\tflag  bool',
      '\ttotal uint64',
      '}',
      '',
      'func (c *Counter) Add(n uint64) uint64 {',
      '\treturn atomic.AddUint64(&c.total, n)',
      '}',
      '',
      'func main() {',
      '\tc := &Counter{}',
      '\tc.Add(1)',
      '\tfmt.Println(atomic.LoadUint64(&c.total), c.flag)',
      '}',
      '',
    ].join('\n');
    writeFiles(dir, { 'go.mod': 'module example.com/atomicfix\n\ngo 1.22\n', 'counter.go': text });
    const file = path.join(dir, 'counter.go');
    // The oracle: on 386 the program panics, at the line of the atomic call.
    const before = goOk(['run', '.'], dir, { GOARCH: '386' });
    expect(before.ok).toBe(false);
    expect(before.out).toContain('unaligned 64-bit atomic operation');
    const panicLine = Number(/counter\.go:(\d+)\n/.exec(before.out)![1]);

    const { client } = await Client.start({ crossvet: { targets: 'linux/amd64,linux/386', debounceMs: 50 } });
    const doc = client.open(file, text);
    const diags = (await client.diagnostics(file)).filter((x) => x.code === 'atomic-alignment');
    expect(diags.length).toBe(2);
    const add = diags.find((x) => x.range.start.line === panicLine - 1);
    expect(add, JSON.stringify(diags)).toBeDefined();
    const addLine = text.split('\n')[panicLine - 1];
    expect(add!.range).toEqual({ start: { line: panicLine - 1, character: addLine.indexOf('&c.total') }, end: { line: panicLine - 1, character: addLine.indexOf('&c.total') + '&c.total'.length } });
    expect(add!.severity).toBe(1);
    expect(add!.relatedInformation?.some((r) => r.location.range.start.line === 10 && r.message.includes('total'))).toBe(true);

    const actions = await client.codeActions(file, [add!]);
    const titles = actions.map((a) => a.title);
    const move = actions.find((a) => a.title === 'Move total to the top of Counter');
    const sw = actions.find((a) => a.title.startsWith('Change total to atomic.Uint64'));
    const sup = actions.find((a) => a.title === 'Suppress atomic-alignment here (//crossvet:ignore)');
    expect(move, titles.join(' | ')).toBeDefined();
    expect(sw, titles.join(' | ')).toBeDefined();
    expect(sup, titles.join(' | ')).toBeDefined();
    expect(sw!.title).toBe('Change total to atomic.Uint64 and rewrite 2 atomic calls');

    // Each fix, applied as the client applies it, makes the 386 program run; go vet agrees.
    for (const a of [move!, sw!]) {
      const fixedDir = tempDir('atomic-fixed');
      made.push(fixedDir);
      writeFiles(fixedDir, { 'go.mod': 'module example.com/atomicfix\n\ngo 1.22\n', 'counter.go': applyTo(doc, a.edit!) });
      const run = goOk(['run', '.'], fixedDir, { GOARCH: '386' });
      expect(run.out, a.title).toBe('1 false\n');
      expect(goOk(['vet', '.'], fixedDir, { GOARCH: '386' }).ok, a.title).toBe(true);
    }
    expect(applyTo(doc, sw!.edit!)).toContain('\ttotal atomic.Uint64\n');

    // The suppression: a directive above the line, indented like it; the finding goes, nothing complains.
    const suppressed = applyTo(doc, sup!.edit!);
    expect(suppressed.split('\n')[panicLine - 1]).toBe('\t//crossvet:ignore atomic-alignment TODO: say why this is safe');
    client.change(file, suppressed);
    const left = await client.diagnostics(file);
    expect(left.map((x) => x.code)).toEqual(['atomic-alignment']);
    expect(left[0].range.start.line).toBe(21); // the Load call, one line lower now

    // Settings pushed by the client: on 64-bit targets only the field is aligned, so the
    // finding goes and the suppression is reported as matching nothing.
    const mark = client.published.length;
    client.configure({ crossvet: { targets: 'linux/amd64', debounceMs: 50 } });
    const re = await client.until('diagnostics after the settings change', () => client.published.slice(mark).find((p) => p.uri === uri(file)));
    expect(re.diagnostics.map((x) => [x.code, x.range.start.line])).toEqual([['unused-suppression', panicLine - 1]]);
    expect(await client.stop()).toBe(0);
  });

  it('puts diagnostics at UTF-16 positions, where the Go compiler puts its errors', async () => {
    const dir = tempDir('utf16');
    made.push(dir);
    const text = 'package u16\n\nimport "syscall"\n\nvar s, f = "héllo 😀", syscall.Dup2\n\nvar m = map[string]any{"😀😀": syscall.Dup2}\n';
    writeFiles(dir, { 'go.mod': 'module example.com/u16\n\ngo 1.22\n', 'a.go': text });
    const file = path.join(dir, 'a.go');
    // go build reports line:column with columns in bytes; the LSP counts UTF-16 code units.
    const build = goOk(['build', '.'], dir, { GOOS: 'linux', GOARCH: 'arm64' });
    expect(build.out).toMatch(/undefined: syscall\.Dup2/);
    const lines = text.split('\n');
    const positions = [...build.out.matchAll(/a\.go:(\d+):(\d+): undefined: syscall\.Dup2/g)];
    const expected = positions.map((m) => {
      const line = Number(m[1]) - 1;
      const character = Buffer.from(lines[line], 'utf8').subarray(0, Number(m[2]) - 1).toString('utf8').length;
      return { line, character };
    });
    expect(expected.length).toBe(2);
    // The byte and UTF-16 columns differ on both lines, so a byte column would fail here.
    expect(expected.map((p) => p.character)).not.toEqual(positions.map((m) => Number(m[2]) - 1));

    // The workspace configuration (pulled) wins over the initialization options: with
    // linux/amd64 alone there would be nothing to report.
    const { client } = await Client.start({ crossvet: { targets: 'linux/amd64' } }, { workspace: { workspaceEdit: { documentChanges: true } } }, { targets: ['linux/arm64', 'linux/amd64'] });
    client.open(file, text);
    const diags = await client.until('syscall-portability diagnostics', () => {
      const p = client.published.filter((x) => x.uri === uri(file) && x.diagnostics.some((d) => d.code === 'syscall-portability'));
      return p.length ? p[p.length - 1].diagnostics : undefined;
    });
    expect(diags.map((x) => x.range.start)).toEqual(expected);
    expect(diags.map((x) => x.range.end.character - x.range.start.character)).toEqual([4, 4]);
    expect(await client.stop()).toBe(0);
  });

  it('survives syntax errors, works outside any module, debounces, and re-analyses only the edited package', async () => {
    const root = tempDir('nomod');
    made.push(root);
    // The oracle for "outside any module": the go command finds no go.mod here.
    expect(runGo(['env', 'GOMOD'], { cwd: root }).stdout.trim()).toMatch(/^(|\/dev\/null|NUL)$/);
    const broken = '//+ build linux\n\npackage a\n\nfunc broken( {\n\tx :=\n';
    const good = '//+ build linux\n\npackage b\n';
    writeFiles(root, { 'a/a.go': broken, 'b/b.go': 'package b\n' });
    const fa = path.join(root, 'a', 'a.go');
    const fb = path.join(root, 'b', 'b.go');

    const { client } = await Client.start(
      { crossvet: { targets: 'plan10/amd64', cgo: 'maybe', debounceMs: 200 } },
      { workspace: { workspaceEdit: { documentChanges: true }, didChangeWatchedFiles: { dynamicRegistration: true } } },
    );
    // Wrong settings are reported and left out; the defaults apply.
    await client.until('warnings about the settings', () => (client.shown.length >= 2 ? true : undefined));
    expect(client.shown.map((s) => s.message).join('\n')).toMatch(/crossvet\.targets: .*plan10/);
    expect(client.shown.map((s) => s.message).join('\n')).toMatch(/crossvet\.cgo must be/);

    client.open(fa, broken);
    const da = await client.diagnostics(fa);
    expect(da.some((x) => x.code === 'build-constraint-syntax' && x.range.start.line === 0)).toBe(true);
    client.open(fb, 'package b\n');
    expect(await client.diagnostics(fb)).toEqual([]);

    // Five quick edits to package a: one analysis of a, none of b.
    const analysed = (dir: string) => client.logs.filter((l) => l.startsWith(`crossvet: analysed ${dir} `)).length;
    const [a0, b0] = [analysed(path.dirname(fa)), analysed(path.dirname(fb))];
    let t = broken;
    for (let i = 0; i < 5; i++) {
      t = t.replace(/\n$/, ` 1\n`);
      client.change(fa, t);
    }
    const fixedA = 'package a\n\n//go:build linux\n\nfunc broken() {}\n';
    client.change(fa, fixedA);
    await client.diagnostics(fa);
    expect(analysed(path.dirname(fa)) - a0).toBe(1);
    expect(analysed(path.dirname(fb)) - b0).toBe(0);

    // A file that exists only in the editor belongs to its directory's package.
    const fresh = path.join(root, 'a', 'fresh.go');
    client.open(fresh, '//+ build linux\n\npackage a\n');
    expect((await client.diagnostics(fresh)).map((x) => [x.code, x.range.start.line])).toEqual([['build-constraint-syntax', 0]]);
    // A buffer with no file behind it is left alone.
    client.open('untitled:Untitled-1', '//+ build linux\n\npackage x\n');

    // A broken crossvet.yaml above a package is shown, with its full path, line and column.
    const fc = path.join(root, 'c', 'c.go');
    writeFiles(root, { 'c/crossvet.yaml': 'targets: [linux/amd64]\nbogus: 1\n', 'c/c.go': 'package c\n' });
    client.open(fc, '//+ build linux\n\npackage c\n');
    const err = await client.until('the configuration error', () => client.shown.find((s) => s.type === 1));
    expect(err.message).toContain(`${path.join(root, 'c', 'crossvet.yaml')}:2:1:`);
    expect(err.message).toContain('bogus');
    // Fixed on disk, the watched-file notification brings the package back.
    fs.writeFileSync(path.join(root, 'c', 'crossvet.yaml'), 'targets: [linux/amd64]\n');
    await new Promise((r) => setTimeout(r, 500));
    expect(client.published.some((p) => p.uri === uri(fc))).toBe(false);
    client.filesChanged([path.join(root, 'c', 'crossvet.yaml')]);
    expect((await client.diagnostics(fc)).map((x) => x.code)).toEqual(['build-constraint-syntax']);

    // The server still answers and still analyses.
    client.change(fb, good);
    const db = await client.diagnostics(fb);
    expect(db.some((x) => x.code === 'build-constraint-syntax')).toBe(true);
    expect(client.logs.join('\n')).not.toMatch(/internal error/);
    expect(await client.stop()).toBe(0);
  });
});

// The rewrites behind the generated quick fixes, run in process on real engine results;
// the Go toolchain decides whether the rewritten code builds and runs.
describe('generated quick fixes', () => {
  /** Apply crossvet edits (1-based UTF-16 spans) to a text, as a client applies a workspace edit. */
  function applyEdits(file: string, text: string, actions: CodeAction[], title: string): string {
    const a = actions.find((x) => x.title === title);
    if (!a) throw new Error(`no action "${title}" among: ${actions.map((x) => x.title).join(' | ')}`);
    const doc = TextDocument.create(uri(file), 'go', 0, text);
    const changes = (a.edit!.documentChanges as TextDocumentEdit[] | undefined)?.find((d) => d.textDocument.uri === doc.uri)?.edits ?? a.edit!.changes?.[doc.uri] ?? [];
    return TextDocument.applyEdits(doc, changes as TextEdit[]);
  }

  async function actionsFor(dir: string, file: string, settings: { targets: string }, pick: (d: Diagnostic) => boolean) {
    const { analyzePackage } = await import('../src/lsp/analyzer');
    const { codeActions } = await import('../src/lsp/actions');
    const { findingToDiagnostic, fileUri } = await import('../src/lsp/convert');
    const run = await analyzePackage(dir, new Map(), settings);
    const diags = run.findings.filter((f) => f.file === file).map((f) => findingToDiagnostic(f, fileUri));
    const d = diags.find(pick);
    if (!d) throw new Error(`no diagnostic to act on among ${JSON.stringify(diags)}`);
    return codeActions({ run, file, diagnostics: [d], target: { uriOf: fileUri, versionOf: () => null, documentChanges: false } });
  }

  it('switches a field declared in another file, importing sync/atomic there', async () => {
    const dir = tempDir('atomic-split');
    made.push(dir);
    const types = 'package main\n\n// Stats is shared by the workers.\ntype Stats struct {\n\tname string\n\tok   bool\n\tn    int64 // requests\n}\n';
    const use =
      'package main\n\nimport (\n\t"fmt"\n\t"sync/atomic"\n)\n\nfunc main() {\n\ts := &Stats{name: "x"}\n\tatomic.AddInt64(&s.n,\n\t\t2,\n\t)\n\tif atomic.CompareAndSwapInt64(&s.n, 2, 5) {\n\t\tfmt.Println(atomic.LoadInt64(&s.n), s.ok)\n\t}\n}\n';
    writeFiles(dir, { 'go.mod': 'module example.com/split\n\ngo 1.22\n', 'types.go': types, 'use.go': use });
    expect(goOk(['run', '.'], dir, { GOARCH: '386' }).out).toContain('unaligned 64-bit atomic operation');
    const file = path.join(dir, 'use.go');
    const actions = await actionsFor(dir, file, { targets: 'linux/386' }, (d) => d.code === 'atomic-alignment');
    const title = 'Change n to atomic.Int64 and rewrite 3 atomic calls';
    writeFiles(dir, { 'types.go': applyEdits(path.join(dir, 'types.go'), types, actions, title), 'use.go': applyEdits(file, use, actions, title) });
    expect(fs.readFileSync(path.join(dir, 'types.go'), 'utf8')).toContain('\tn    atomic.Int64 // requests\n');
    expect(goOk(['run', '.'], dir, { GOARCH: '386' }).out).toBe('5 false\n');
    expect(goOk(['vet', '.'], dir, { GOARCH: '386' }).ok).toBe(true);
  });

  it('counts the uses of the field that the switch leaves to the user', async () => {
    const dir = tempDir('atomic-uses');
    made.push(dir);
    const text = 'package p\n\nimport "sync/atomic"\n\ntype T struct {\n\tb bool\n\tv uint64\n}\n\nfunc (t *T) Inc() { atomic.AddUint64(&t.v, 1) }\n\nfunc (t *T) Reset() { t.v = 0 }\n\nvar zero = T{v: 0}\n';
    writeFiles(dir, { 'go.mod': 'module example.com/uses\n\ngo 1.22\n', 'p.go': text });
    const actions = await actionsFor(dir, path.join(dir, 'p.go'), { targets: 'linux/386' }, (d) => d.code === 'atomic-alignment');
    expect(actions.map((a) => a.title)).toContain('Change v to atomic.Uint64 and rewrite 1 atomic call (2 other uses of .v to update by hand)');
  });

  // golang.org/x/sys/unix as the Go distribution vendors it for cmd/, made into a module the test can require.
  function xsys(): string {
    const goroot = runGo(['env', 'GOROOT']).stdout.trim();
    const dir = tempDir('xsys');
    made.push(dir);
    fs.cpSync(path.join(goroot, 'src', 'cmd', 'vendor', 'golang.org', 'x', 'sys', 'unix'), path.join(dir, 'unix'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module golang.org/x/sys\n\ngo 1.24\n');
    return dir;
  }

  it('maps properties.replacement to a "use unix.X" fix that builds where syscall.X does not', async () => {
    const { codeActions } = await import('../src/lsp/actions');
    const { findingToDiagnostic, fileUri } = await import('../src/lsp/convert');
    const sys = xsys();
    const cases: Record<string, { before: string; after: string }> = {
      // syscall is used only here: its import becomes the unix one.
      only: {
        before: 'package p\n\nimport (\n\t"os/exec"\n\t"syscall"\n)\n\nvar _ = exec.Command\n\nfunc Redirect(o, n int) error { return syscall.Dup2(o, n) }\n',
        after: 'package p\n\nimport (\n\t"os/exec"\n\t"golang.org/x/sys/unix"\n)\n\nvar _ = exec.Command\n\nfunc Redirect(o, n int) error { return unix.Dup2(o, n) }\n',
      },
      // syscall stays for Getpid: unix is imported beside it.
      both: {
        before: 'package p\n\nimport "syscall"\n\nfunc Redirect(o, n int) error { return syscall.Dup2(o, n) }\n\nvar pid = syscall.Getpid()\n',
        after: 'package p\n\nimport "syscall"\nimport "golang.org/x/sys/unix"\n\nfunc Redirect(o, n int) error { return unix.Dup2(o, n) }\n\nvar pid = syscall.Getpid()\n',
      },
      // unix is there already, under another name; syscall goes.
      named: {
        before: 'package p\n\nimport (\n\t"syscall"\n\tux "golang.org/x/sys/unix"\n)\n\nvar _ = ux.Getpid\n\nfunc Redirect(o, n int) error { return syscall.Dup2(o, n) }\n',
        after: 'package p\n\nimport (\n\tux "golang.org/x/sys/unix"\n)\n\nvar _ = ux.Getpid\n\nfunc Redirect(o, n int) error { return ux.Dup2(o, n) }\n',
      },
    };
    for (const [name, c] of Object.entries(cases)) {
      const dir = tempDir(`rep-${name}`);
      made.push(dir);
      writeFiles(dir, { 'go.mod': `module example.com/rep\n\ngo 1.24\n\nrequire golang.org/x/sys v0.39.0\n\nreplace golang.org/x/sys => ${sys}\n`, 'p.go': c.before });
      // The oracle for the problem: linux/arm64 has no syscall.Dup2.
      const broken = goOk(['build', '.'], dir, { GOOS: 'linux', GOARCH: 'arm64' });
      expect(broken.out, name).toMatch(/undefined: syscall\.Dup2/);
      const file = path.join(dir, 'p.go');
      const line = c.before.split('\n').findIndex((l) => l.includes('syscall.Dup2'));
      const col = c.before.split('\n')[line].indexOf('Dup2') + 1;
      const finding = {
        ruleId: 'syscall-portability',
        file,
        span: { start: { line: line + 1, col }, end: { line: line + 1, col: col + 4 } },
        message: 'syscall.Dup2 is undefined on linux/arm64',
        targets: ['linux/arm64'],
        level: 'error' as const,
        properties: { replacement: { importPath: 'golang.org/x/sys/unix', name: 'Dup2' } },
      };
      const run = { dir, files: [file], findings: [finding], placed: [], general: [], buffers: new Map([[file, { text: c.before, version: 3 }]]), ms: 0 };
      const actions = codeActions({ run, file, diagnostics: [findingToDiagnostic(finding, fileUri)], target: { uriOf: fileUri, versionOf: () => 3, documentChanges: true } });
      const after = applyEdits(file, c.before, actions.map((a) => ({ ...a, edit: { documentChanges: (a.edit!.documentChanges as TextDocumentEdit[]).map((d) => ({ ...d, textDocument: { ...d.textDocument, version: 0 } })) } })), 'Use unix.Dup2 from golang.org/x/sys/unix');
      expect(after, name).toBe(c.after);
      fs.writeFileSync(file, after);
      for (const arch of ['arm64', '386']) expect(goOk(['build', '.'], dir, { GOOS: 'linux', GOARCH: arch }), `${name} linux/${arch}`).toMatchObject({ ok: true });
    }
  });

  it('extends a directive that already covers the line instead of adding a second one', async () => {
    const { suppressionEdit } = await import('../src/lsp/goedit');
    const { SourceText } = await import('../src/lsp/text');
    const { parseDirectives } = await import('../src/suppress');
    const text = 'package p\n\nfunc f() {\n\t//crossvet:ignore int-overflow-32bit only on 64-bit servers\n\tx := g()\n\t_ = x\n}\n';
    const edit = suppressionEdit('p.go', new SourceText(text), 5, 'atomic-alignment', 'why');
    const doc = TextDocument.create('file:///p.go', 'go', 0, text);
    const { toRange } = await import('../src/lsp/convert');
    const out = TextDocument.applyEdits(doc, [{ range: toRange(edit!.span), newText: edit!.text }]);
    expect(out.split('\n')[3]).toBe('\t//crossvet:ignore int-overflow-32bit,atomic-alignment only on 64-bit servers');
    const d = parseDirectives('p.go', out, new Set(['int-overflow-32bit', 'atomic-alignment']), []);
    expect(d.map((x) => [x.line, x.rules])).toEqual([[4, ['int-overflow-32bit', 'atomic-alignment']]]);
    // Already suppressed: nothing to offer.
    expect(suppressionEdit('p.go', new SourceText(out), 5, 'atomic-alignment', 'why')).toBeUndefined();
  });
});

// The same session driven by Neovim's built-in LSP client, when nvim is installed (it is not
// a dependency of the project): diagnostics, a quick fix applied by Neovim, the unsaved
// buffer re-analysed, a clean stop.
function onPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, cmd);
    if (dir && fs.existsSync(p)) return p;
  }
  return undefined;
}

const nvim = onPath('nvim');

describe('crossvet lsp with Neovim as the client', () => {
  it.skipIf(!nvim)('shows the diagnostic, applies the quick fix and clears it', async () => {
    const dir = tempDir('nvim');
    made.push(dir);
    const text = '//+ build linux\n\npackage nv\n';
    writeFiles(dir, { 'go.mod': 'module example.com/nv\n\ngo 1.22\n', 'nv.go': text });
    const result = path.join(dir, 'result.txt');
    const lua = `
local out = {}
local function log(s) table.insert(out, s); vim.fn.writefile(out, ${JSON.stringify(result)}) end
vim.cmd('edit ' .. ${JSON.stringify(path.join(dir, 'nv.go'))})
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({
  name = 'crossvet',
  cmd = { ${JSON.stringify(process.execPath)}, ${JSON.stringify(BIN)}, 'lsp' },
  root_dir = ${JSON.stringify(dir)},
  settings = { crossvet = { targets = 'linux/amd64,windows/amd64' } },
})
vim.lsp.buf_attach_client(buf, id)
log('arrived ' .. tostring(vim.wait(60000, function() return #vim.diagnostic.get(buf) > 0 end, 50)))
for _, d in ipairs(vim.diagnostic.get(buf)) do
  log(string.format('diag %d:%d-%d:%d %d %s', d.lnum, d.col, d.end_lnum, d.end_col, d.severity, tostring(d.source)))
end
local lspdiags
if vim.lsp.diagnostic.get_line_diagnostics then lspdiags = vim.lsp.diagnostic.get_line_diagnostics(buf, 0)
else lspdiags = vim.lsp.diagnostic.from(vim.diagnostic.get(buf, { lnum = 0 })) end
local res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', { textDocument = { uri = vim.uri_from_bufnr(buf) }, range = lspdiags[1].range, context = { diagnostics = lspdiags } }, 30000)
local actions = res[id].result
for _, a in ipairs(actions) do log('action ' .. a.title) end
vim.lsp.util.apply_workspace_edit(actions[1].edit, 'utf-16')
log('buffer ' .. table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '|'))
log('cleared ' .. tostring(vim.wait(60000, function() return #vim.diagnostic.get(buf) == 0 end, 50)))
vim.lsp.stop_client(id)
log('stopped ' .. tostring(vim.wait(10000, function() return vim.lsp.get_client_by_id(id) == nil end, 50)))
vim.cmd('qall!')
`;
    fs.writeFileSync(path.join(dir, 'test.lua'), lua);
    await new Promise<void>((resolve) => {
      const p = spawn(nvim!, ['--headless', '-u', 'NONE', '-c', `luafile ${path.join(dir, 'test.lua')}`], { stdio: 'ignore' });
      const t = setTimeout(() => p.kill(), 150_000);
      p.on('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    const lines = fs.readFileSync(result, 'utf8').split('\n');
    expect(lines).toEqual([
      'arrived true',
      `diag 0:0-0:${'//+ build linux'.length} 1 crossvet`,
      'action Replace with //go:build linux',
      'action Suppress build-constraint-syntax here (//crossvet:ignore)',
      'buffer //go:build linux||package nv',
      'cleared true',
      'stopped true',
      '',
    ]);
    // Neovim never saved the buffer: the diagnostic went away because the server read it.
    expect(fs.readFileSync(path.join(dir, 'nv.go'), 'utf8')).toBe(text);
  });
});
