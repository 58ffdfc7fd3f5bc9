// `crossvet lsp` end to end: the server runs as a child process (`node bin/crossvet.js lsp
// --stdio`, as an editor starts it) and is driven over stdio by vscode-jsonrpc's message
// connection, the transport VS Code's client is built on; edits are applied with
// vscode-languageserver-textdocument. Expected positions come from the text the test wrote
// and from the Go toolchain's own error positions; whether a quick fix really fixes the code
// is decided by the Go toolchain (go list for constraints, a GOARCH=386 run for atomics).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
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

  it('offers "use unix.X" where the module has golang.org/x/sys/unix and the fixed code builds, says so where it lacks it, and not where it would still fail', async () => {
    const dir = tempDir('unixfix');
    made.push(dir);
    fs.cpSync(path.join(repo, 'fixtures', 'syscall-replacement'), dir, { recursive: true });
    const targets = ['linux/amd64', 'linux/arm64', 'linux/386', 'darwin/arm64', 'windows/amd64'];
    const vendorEnv = (t: string) => ({ GOOS: t.split('/')[0], GOARCH: t.split('/')[1], GOFLAGS: '-mod=vendor', CGO_ENABLED: '0' });
    /** The compile errors of the package for a target, as "file:line: message". */
    const errors = (t: string) =>
      [...goOk(['build', '-gcflags=all=-e', '-o', os.devNull, '.'], dir, vendorEnv(t)).out.matchAll(/^\.\/(\S+\.go):(\d+):\d+: (.*)$/gm)].map((m) => `${m[1]}:${m[2]}: ${m[3]}`);
    // The oracle before: what the compiler rejects, per target.
    expect(errors('linux/amd64')).toEqual(['redirect_linux.go:17: undefined: syscall.Getsid', 'redirect_linux.go:22: undefined: syscall.O_PATH']);
    expect(errors('linux/arm64')).toContain('stdio_unix.go:9: undefined: syscall.Dup2');

    const { client } = await Client.start({ crossvet: { targets: targets.join(','), debounceMs: 50 } });
    const file = path.join(dir, 'redirect_linux.go');
    let doc = client.open(file, fs.readFileSync(file, 'utf8'));
    let diags = (await client.diagnostics(file)).filter((x) => x.code === 'syscall-portability');
    expect(diags.map((x) => x.message.split(' ')[0])).toEqual(['syscall.Dup2', 'syscall.Getsid', 'syscall.O_PATH']);
    // One fix after the other, as a user applies them: the action, its edit, the buffer analysed again.
    for (const name of ['Dup2', 'Getsid', 'O_PATH']) {
      const d = diags.find((x) => x.message.startsWith(`syscall.${name} `))!;
      const actions = await client.codeActions(file, [d]);
      const titles = actions.map((a) => a.title).join(' | ');
      const fix = actions.find((a) => a.title === `Use unix.${name} from golang.org/x/sys/unix`);
      expect(fix, titles).toBeDefined();
      expect(fix!.kind).toBe('quickfix');
      expect(fix!.isPreferred).toBe(true);
      expect(actions.some((a) => a.title === 'Suppress syscall-portability here (//crossvet:ignore)'), titles).toBe(true);
      doc = client.change(file, applyTo(doc, fix!.edit!));
      diags = (await client.diagnostics(file)).filter((x) => x.code === 'syscall-portability');
    }
    expect(diags).toEqual([]);
    const fixed = doc.getText();
    expect(fixed).toContain('import (\n\t"os"\n\t"syscall"\n\n\t"golang.org/x/sys/unix"\n)\n');
    expect(fixed).toContain('return unix.Dup2(oldfd, newfd)');
    expect(fixed).toContain('return unix.Getsid(os.Getpid())');
    expect(fixed).toContain('syscall.Open(name, unix.O_PATH|syscall.O_CLOEXEC, 0)');

    // The //go:build unix file: darwin/arm64 is among its targets, and unix.Dup2 is declared there too.
    const unixFile = path.join(dir, 'stdio_unix.go');
    const unixDoc = client.open(unixFile, fs.readFileSync(unixFile, 'utf8'));
    const ud = (await client.diagnostics(unixFile)).find((x) => x.code === 'syscall-portability')!;
    const uActions = await client.codeActions(unixFile, [ud]);
    const uFix = uActions.find((a) => a.title === 'Use unix.Dup2 from golang.org/x/sys/unix');
    expect(uFix, uActions.map((a) => a.title).join(' | ')).toBeDefined();
    const unixFixed = applyTo(unixDoc, uFix!.edit!);
    expect(unixFixed).toBe('//go:build unix\n\npackage replacement\n\nimport "golang.org/x/sys/unix"\n\n// ToStderr sends standard output to standard error, on every unix target.\nfunc ToStderr() error {\n\treturn unix.Dup2(2, 1) // want syscall-portability `syscall.Dup2 .*undefined on linux/arm64\\. Use unix.Dup2`\n}\n');

    // proc.go builds for windows, where golang.org/x/sys/unix has no files: no such fix there.
    const procFile = path.join(dir, 'proc.go');
    client.open(procFile, fs.readFileSync(procFile, 'utf8'));
    const pd = (await client.diagnostics(procFile)).find((x) => x.code === 'syscall-portability')!;
    expect((await client.codeActions(procFile, [pd])).map((a) => a.title)).toEqual(['Suppress syscall-portability here (//crossvet:ignore)']);

    // The oracle after: the fixed files compile for every target; only proc.go's own problem is left.
    fs.writeFileSync(file, fixed);
    fs.writeFileSync(unixFile, unixFixed);
    const gofmt = path.join(runGo(['env', 'GOROOT']).stdout.trim(), 'bin', 'gofmt');
    expect(spawnSync(gofmt, ['-l', 'redirect_linux.go', 'stdio_unix.go'], { cwd: dir, encoding: 'utf8' }).stdout).toBe('');
    for (const t of targets) {
      const left = errors(t);
      expect(left.filter((e) => !e.startsWith('proc.go:')), t).toEqual([]);
      expect(left, t).toEqual(t === 'linux/arm64' || t === 'windows/amd64' ? ['proc.go:7: undefined: syscall.Dup2'] : []);
    }

    // A module that does not require golang.org/x/sys: the fix is offered, and its title says what to do first.
    const bare = tempDir('unixfix-bare');
    made.push(bare);
    const bareText = '//go:build linux\n\npackage bare\n\nimport "syscall"\n\nfunc Redirect(o, n int) error { return syscall.Dup2(o, n) }\n';
    writeFiles(bare, { 'go.mod': 'module example.com/bare\n\ngo 1.22\n', 'bare_linux.go': bareText });
    const bareFile = path.join(bare, 'bare_linux.go');
    const bareDoc = client.open(bareFile, bareText);
    const bd = (await client.diagnostics(bareFile)).find((x) => x.code === 'syscall-portability')!;
    const bActions = await client.codeActions(bareFile, [bd]);
    const bFix = bActions.find((a) => a.title.startsWith('Use unix.Dup2 from golang.org/x/sys/unix'));
    expect(bFix?.title, bActions.map((a) => a.title).join(' | ')).toBe('Use unix.Dup2 from golang.org/x/sys/unix (add it to go.mod first: go get golang.org/x/sys/unix)');
    expect(bFix!.isPreferred).toBeUndefined();
    // The oracle agrees: as it stands, the fixed file does not build for want of the module.
    fs.writeFileSync(bareFile, applyTo(bareDoc, bFix!.edit!));
    expect(goOk(['build', '.'], bare, { GOOS: 'linux', GOARCH: 'arm64', GOFLAGS: '' }).out).toMatch(/no required module provides package golang\.org\/x\/sys\/unix; to add it:\n\s*go get golang\.org\/x\/sys\/unix/);

    // A vendored golang.org/x/sys/unix too old to declare Dup2 for linux: the fix would not build, so it is not offered.
    const old = tempDir('unixfix-old');
    made.push(old);
    fs.cpSync(path.join(repo, 'fixtures', 'syscall-replacement'), old, { recursive: true });
    const vendored = path.join(old, 'vendor', 'golang.org', 'x', 'sys', 'unix', 'syscall_linux.go');
    fs.writeFileSync(vendored, fs.readFileSync(vendored, 'utf8').replace(/\/\/ Dup2 as[^]*?\n}\n/, ''));
    const oldFile = path.join(old, 'redirect_linux.go');
    const oldText = fs.readFileSync(oldFile, 'utf8');
    client.open(oldFile, oldText);
    const od = (await client.diagnostics(oldFile)).filter((x) => x.code === 'syscall-portability');
    const oActions = await client.codeActions(oldFile, [od.find((x) => x.message.startsWith('syscall.Dup2 '))!]);
    expect(oActions.map((a) => a.title)).toEqual(['Suppress syscall-portability here (//crossvet:ignore)']);
    expect(client.logs.join('\n')).toMatch(/no replacement fix at .*redirect_linux\.go:12: with the fix applied: unix\.Dup2 /);
    // The oracle: that fix, applied by hand, does not compile on linux.
    const { useReplacement } = await import('../src/lsp/goedit');
    const { applyEdits } = await import('../src/lsp/actions');
    const line = oldText.split('\n').findIndex((l) => l.includes('syscall.Dup2(')) + 1;
    const col = oldText.split('\n')[line - 1].indexOf('Dup2(') + 1;
    const manual = useReplacement(oldFile, oldText, { start: { line, col }, end: { line, col: col + 4 } }, { importPath: 'golang.org/x/sys/unix', name: 'Dup2' });
    fs.writeFileSync(oldFile, applyEdits(oldText, 'fix' in manual ? manual.fix.edits : []));
    expect(goOk(['build', '-o', os.devNull, '.'], old, vendorEnv('linux/amd64')).out).toMatch(/undefined: unix\.Dup2/);

    expect(client.logs.join('\n')).not.toMatch(/internal error/);
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
    return await codeActions({ run, file, diagnostics: [d], target: { uriOf: fileUri, versionOf: () => null, documentChanges: false } });
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

  it('maps properties.replacement to a "use unix.X" fix that builds where syscall.X does not, imports as gofmt and goimports leave them', async () => {
    const { codeActions } = await import('../src/lsp/actions');
    const { findingToDiagnostic, fileUri } = await import('../src/lsp/convert');
    const sys = xsys();
    const cases: Record<string, { before: string; after: string }> = {
      // syscall is used only here: it goes, and unix gets a group of its own after the standard library's.
      only: {
        before: 'package p\n\nimport (\n\t"os/exec"\n\t"syscall"\n)\n\nvar _ = exec.Command\n\nfunc Redirect(o, n int) error { return syscall.Dup2(o, n) }\n',
        after: 'package p\n\nimport (\n\t"os/exec"\n\n\t"golang.org/x/sys/unix"\n)\n\nvar _ = exec.Command\n\nfunc Redirect(o, n int) error { return unix.Dup2(o, n) }\n',
      },
      // syscall stays for Getpid: its declaration becomes a block with unix in a group of its own.
      both: {
        before: 'package p\n\nimport "syscall"\n\nfunc Redirect(o, n int) error { return syscall.Dup2(o, n) }\n\nvar pid = syscall.Getpid()\n',
        after: 'package p\n\nimport (\n\t"syscall"\n\n\t"golang.org/x/sys/unix"\n)\n\nfunc Redirect(o, n int) error { return unix.Dup2(o, n) }\n\nvar pid = syscall.Getpid()\n',
      },
      // unix is there already, under another name; syscall goes.
      named: {
        before: 'package p\n\nimport (\n\tux "golang.org/x/sys/unix"\n\t"syscall"\n)\n\nvar _ = ux.Getpid\n\nfunc Redirect(o, n int) error { return syscall.Dup2(o, n) }\n',
        after: 'package p\n\nimport (\n\tux "golang.org/x/sys/unix"\n)\n\nvar _ = ux.Getpid\n\nfunc Redirect(o, n int) error { return ux.Dup2(o, n) }\n',
      },
      // A lone single import under a name, with a comment: replaced in place, the comment kept.
      single: {
        before: 'package p\n\nimport sc "syscall" // for dup2\n\nfunc Redirect(o, n int) error { return sc.Dup2(o, n) }\n',
        after: 'package p\n\nimport "golang.org/x/sys/unix" // for dup2\n\nfunc Redirect(o, n int) error { return unix.Dup2(o, n) }\n',
      },
      // Another golang.org/x package has a group: unix joins it, sorted; the group of the standard library loses syscall.
      group: {
        before: 'package p\n\nimport (\n\t"fmt"\n\t"syscall"\n\n\t"golang.org/x/sys/cpu"\n\n\t"example.com/rep/internal/x"\n)\n\nvar _ = fmt.Sprint\nvar _ = cpu.X86\nvar _ = x.Y\n\nfunc Redirect(o, n int) error { return syscall.Dup2(o, n) }\n',
        after: 'package p\n\nimport (\n\t"fmt"\n\n\t"golang.org/x/sys/cpu"\n\t"golang.org/x/sys/unix"\n\n\t"example.com/rep/internal/x"\n)\n\nvar _ = fmt.Sprint\nvar _ = cpu.X86\nvar _ = x.Y\n\nfunc Redirect(o, n int) error { return unix.Dup2(o, n) }\n',
      },
      // A new group goes between the standard library and the module's own packages; a commented syscall goes with its comment.
      local: {
        before: 'package p\n\nimport (\n\t"fmt"\n\n\t// for Dup2\n\t"syscall"\n\n\t"example.com/rep/internal/x"\n)\n\nvar _ = fmt.Sprint\nvar _ = x.Y\n\nfunc Redirect(o, n int) error { return syscall.Dup2(o, n) }\n',
        after: 'package p\n\nimport (\n\t"fmt"\n\n\t"golang.org/x/sys/unix"\n\n\t"example.com/rep/internal/x"\n)\n\nvar _ = fmt.Sprint\nvar _ = x.Y\n\nfunc Redirect(o, n int) error { return unix.Dup2(o, n) }\n',
      },
    };
    const gofmt = path.join(runGo(['env', 'GOROOT']).stdout.trim(), 'bin', 'gofmt');
    // A second package of the module for the grouping case (x/sys/cpu as a stand-in: only its import path matters).
    fs.mkdirSync(path.join(sys, 'cpu'), { recursive: true });
    fs.writeFileSync(path.join(sys, 'cpu', 'cpu.go'), 'package cpu\n\nvar X86 struct{ HasAVX bool }\n');
    for (const [name, c] of Object.entries(cases)) {
      const dir = tempDir(`rep-${name}`);
      made.push(dir);
      writeFiles(dir, {
        'go.mod': `module example.com/rep\n\ngo 1.24\n\nrequire golang.org/x/sys v0.39.0\n\nreplace golang.org/x/sys => ${sys}\n`,
        'p.go': c.before,
        'internal/x/x.go': 'package x\n\nconst Y = 1\n',
      });
      // The oracle for the problem: linux/arm64 has no syscall.Dup2; and the input is gofmt's.
      const broken = goOk(['build', '.'], dir, { GOOS: 'linux', GOARCH: 'arm64' });
      expect(broken.out, name).toMatch(/undefined: (syscall|sc)\.Dup2/);
      expect(spawnSync(gofmt, ['-l', 'p.go'], { cwd: dir, encoding: 'utf8' }).stdout, name).toBe('');
      const file = path.join(dir, 'p.go');
      const line = c.before.split('\n').findIndex((l) => l.includes('.Dup2('));
      const col = c.before.split('\n')[line].indexOf('Dup2(') + 1;
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
      const actions = await codeActions({ run, file, diagnostics: [findingToDiagnostic(finding, fileUri)], target: { uriOf: fileUri, versionOf: () => 3, documentChanges: true } });
      const after = applyEdits(file, c.before, actions.map((a) => ({ ...a, edit: { documentChanges: (a.edit!.documentChanges as TextDocumentEdit[]).map((d) => ({ ...d, textDocument: { ...d.textDocument, version: 0 } })) } })), 'Use unix.Dup2 from golang.org/x/sys/unix');
      expect(after, name).toBe(c.after);
      fs.writeFileSync(file, after);
      expect(spawnSync(gofmt, ['-l', 'p.go'], { cwd: dir, encoding: 'utf8' }).stdout, `${name}: gofmt -l`).toBe('');
      for (const arch of ['arm64', '386']) expect(goOk(['build', '.'], dir, { GOOS: 'linux', GOARCH: arch }), `${name} linux/${arch}`).toMatchObject({ ok: true });
    }
  });

  it('adds and removes imports as gofmt and goimports leave them', async () => {
    const { importEdits } = await import('../src/lsp/imports');
    const { applyEdits } = await import('../src/lsp/actions');
    const { SourceText } = await import('../src/lsp/text');
    const { readHeader } = await import('../src/constraints/header');
    const gofmt = path.join(runGo(['env', 'GOROOT']).stdout.trim(), 'bin', 'gofmt');
    const body = '\nvar _ = x\n';
    const cases: { name: string; before: string; change: { add?: string; remove?: string }; after: string }[] = [
      // A standard package goes into the standard library's group, sorted.
      { name: 'std into its group', before: 'package p\n\nimport (\n\t"fmt"\n\t"os"\n\n\t"golang.org/x/sys/unix"\n)\n', change: { add: 'sync/atomic' }, after: 'package p\n\nimport (\n\t"fmt"\n\t"os"\n\t"sync/atomic"\n\n\t"golang.org/x/sys/unix"\n)\n' },
      { name: 'std first', before: 'package p\n\nimport "golang.org/x/sys/unix"\n', change: { add: 'sync/atomic' }, after: 'package p\n\nimport (\n\t"sync/atomic"\n\n\t"golang.org/x/sys/unix"\n)\n' },
      { name: 'sorted before a commented spec', before: 'package p\n\nimport (\n\t"fmt"\n\t// the clock\n\t"time"\n)\n', change: { add: 'sync/atomic' }, after: 'package p\n\nimport (\n\t"fmt"\n\t"sync/atomic"\n\t// the clock\n\t"time"\n)\n' },
      { name: 'no imports yet', before: 'package p // the package\n', change: { add: 'sync/atomic' }, after: 'package p // the package\n\nimport "sync/atomic"\n' },
      // The last spec of a block: the declaration goes, and no two blank lines are left.
      { name: 'emptied block', before: 'package p\n\nimport (\n\t"sync/atomic"\n)\n\nimport "fmt"\n', change: { remove: 'sync/atomic' }, after: 'package p\n\nimport "fmt"\n' },
      { name: 'single between others', before: 'package p\n\nimport "fmt"\n\nimport "sync/atomic"\n\nimport "os"\n', change: { remove: 'sync/atomic' }, after: 'package p\n\nimport "fmt"\n\nimport "os"\n' },
      { name: 'emptied group', before: 'package p\n\nimport (\n\t"fmt"\n\n\t"golang.org/x/sys/unix"\n\n\t"example.com/p/x"\n)\n', change: { remove: 'golang.org/x/sys/unix' }, after: 'package p\n\nimport (\n\t"fmt"\n\n\t"example.com/p/x"\n)\n' },
    ];
    for (const c of cases) {
      expect(spawnSync(gofmt, [], { input: c.before + body, encoding: 'utf8' }).stdout, `${c.name}: input`).toBe(c.before + body);
      const remove = c.change.remove ? readHeader(c.before).imports.find((i) => i.path === c.change.remove) : undefined;
      const edits = importEdits('p.go', new SourceText(c.before + body), { add: c.change.add, remove });
      if ('reason' in edits) throw new Error(`${c.name}: ${edits.reason}`);
      const out = applyEdits(c.before + body, edits);
      expect(out, c.name).toBe(c.after + body);
      expect(spawnSync(gofmt, [], { input: out, encoding: 'utf8' }).stdout, `${c.name}: gofmt`).toBe(out);
    }
    // Two specs on one line cannot be edited line by line: no edit rather than a wrong one.
    expect(importEdits('p.go', new SourceText('package p\n\nimport (\n\t"fmt"; "os"\n)\n'), { add: 'sync/atomic' })).toHaveProperty('reason');
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

// What the server keeps between analyses (src/lsp/session.ts) must never change what an
// analysis finds: each result with the session is compared with one without it.
describe('the analysis session', () => {
  it('reuses the packages an edit did not touch and sees every change to them, on disk or in a buffer', async () => {
    const { analyzePackage } = await import('../src/lsp/analyzer');
    const { AnalysisSession } = await import('../src/lsp/session');
    const root = tempDir('session');
    made.push(root);
    writeFiles(root, {
      'go.mod': 'module example.com/sess\n\ngo 1.22\n',
      'b/b.go': 'package b\n',
      'b/b_linux.go': 'package b\n\nfunc Only() {}\n',
      'a/a.go': 'package a\n\nimport (\n\t"syscall"\n\n\t"example.com/sess/b"\n)\n\nvar _ = b.Only\n\nvar _ = syscall.Getpid\n',
    });
    const dir = path.join(root, 'a');
    const settings = { targets: 'linux/amd64,windows/amd64' };
    const session = new AnalysisSession();
    const said = (r: { findings: { ruleId: string; message: string; targets: string[] }[] }) => r.findings.map((f) => `${f.ruleId} ${f.targets.join(',')} ${f.message.split(';')[0]}`);
    /** The findings with the session, after checking them against a run without it. */
    const findings = async (buffers = new Map<string, { text: string; version: number }>()) => {
      const kept = said(await analyzePackage(dir, buffers, settings, session));
      expect(kept).toEqual(said(await analyzePackage(dir, buffers, settings)));
      return kept;
    };
    const onlyLinux = ['platform-symbol windows/amd64 b.Only is declared only in b_linux.go (linux)'];
    expect(await findings()).toEqual(onlyLinux);
    const { packageHits } = session.stats;
    expect(await findings()).toEqual(onlyLinux);
    // b and syscall (and what syscall imports) came from the session the second time.
    expect(session.stats.packageHits - packageHits).toBeGreaterThanOrEqual(2);
    expect(session.size.files).toBeGreaterThan(10);

    // A file added on disk, with no word to the session.
    fs.writeFileSync(path.join(root, 'b', 'b_windows.go'), 'package b\n\nfunc Only() {}\n');
    expect(await findings()).toEqual([]);
    // The same file changed on disk, same size.
    fs.writeFileSync(path.join(root, 'b', 'b_windows.go'), 'package b\n\nfunc Onlx() {}\n');
    expect(await findings()).toEqual(onlyLinux);
    // An open buffer of it says otherwise than the disk.
    const buffers = new Map([[path.join(root, 'b', 'b_windows.go'), { text: 'package b\n\nfunc Only() {}\n', version: 2 }]]);
    expect(await findings(buffers)).toEqual([]);
    // Closed again: the disk counts.
    expect(await findings()).toEqual(onlyLinux);
    // Told of a change, the session forgets the package and its facts; cleared, everything.
    session.invalidate(path.join(root, 'b', 'b_windows.go'));
    expect(await findings()).toEqual(onlyLinux);
    session.clear();
    expect(session.size).toEqual({ packages: 0, files: 0 });
    expect(await findings()).toEqual(onlyLinux);
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
