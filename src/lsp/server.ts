// `crossvet lsp`: a Language Server Protocol server on standard input and output.
//
// The unit of work is a package (a directory): when a buffer is opened or changed, its
// package is analysed again after a quiet time (debounce), with every open buffer standing
// in for its file on disk, and the diagnostics of all the package's files are published.
// Other packages keep their last results. Runs happen one at a time; a run whose package
// changed while it ran is dropped, because a newer one is already on its way. What a run
// loaded and parsed outside the edited file (the packages it imports, the facts of unchanged
// files) is kept in a session for the next one (session.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  CodeActionKind,
  MessageType,
  ShowMessageNotification,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { VERSION } from '../version';
import { ConfigError, UsageError } from '../errors';
import { analyzePackage, type OpenBuffer, type PackageRun } from './analyzer';
import { codeActions } from './actions';
import { fileUri, findingToDiagnostic, notificationToDiagnostic } from './convert';
import { DEFAULT_DEBOUNCE_MS, mergeEditorSettings, readSettings, type EditorSettings } from './settings';
import { AnalysisSession } from './session';

export interface LspStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/** The path of a file: URI, or undefined for other schemes (untitled buffers, remote files). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export class CrossvetServer {
  private readonly documents = new TextDocuments(TextDocument);
  private initSettings: EditorSettings = {};
  private clientSettings: EditorSettings = {};
  private canPullConfiguration = false;
  private canRegisterConfiguration = false;
  private canWatchFiles = false;
  private documentChanges = false;
  private readonly runs = new Map<string, PackageRun>();
  /** Bumped on every change to a package's buffers: a run that sees another value is stale. */
  private readonly generation = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** URIs that got diagnostics, per package, so that emptied files get an empty list. */
  private readonly published = new Map<string, Set<string>>();
  private queue: Promise<void> = Promise.resolve();
  private lastShown = new Set<string>();
  private logged = new Set<string>();
  private shuttingDown = false;
  /** Packages and facts kept between runs; entries are checked against the disk before use. */
  private readonly session = new AnalysisSession();

  constructor(private readonly connection: Connection) {
    connection.onInitialize((params): InitializeResult => {
      const caps = params.capabilities;
      this.canPullConfiguration = caps.workspace?.configuration === true;
      this.canRegisterConfiguration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
      this.documentChanges = caps.workspace?.workspaceEdit?.documentChanges === true;
      this.canWatchFiles = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
      this.initSettings = this.accept(params.initializationOptions, 'initializationOptions');
      return {
        capabilities: {
          textDocumentSync: TextDocumentSyncKind.Incremental,
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        },
        serverInfo: { name: 'crossvet', version: VERSION },
      };
    });
    connection.onInitialized(async () => {
      try {
        if (this.canRegisterConfiguration) await connection.client.register(DidChangeConfigurationNotification.type, { section: 'crossvet' });
        if (this.canWatchFiles) {
          await connection.client.register(DidChangeWatchedFilesNotification.type, {
            watchers: [{ globPattern: '**/*.go' }, { globPattern: '**/{crossvet.yaml,.crossvet.yaml,go.mod,go.work}' }],
          });
        }
      } catch (e) {
        this.logOnce(`crossvet: the client refused a registration: ${(e as Error).message}`);
      }
      if (this.canPullConfiguration) {
        const before = JSON.stringify(this.settings());
        await this.pullConfiguration();
        // Buffers opened before the answer came were analysed with the initial settings.
        if (JSON.stringify(this.settings()) !== before) this.reanalyseOpen();
      }
    });
    connection.onDidChangeConfiguration(async (params) => {
      if (this.canPullConfiguration) await this.pullConfiguration();
      else this.clientSettings = this.accept(params.settings, 'workspace/didChangeConfiguration');
      this.reanalyseOpen();
    });
    this.documents.onDidChangeContent((e) => {
      const file = uriToPath(e.document.uri);
      if (file) this.session.invalidate(file);
      this.schedule(e.document.uri);
    });
    // Changes on disk (a save elsewhere, a git checkout): open buffers win over their files;
    // a configuration or module file affects every package.
    connection.onDidChangeWatchedFiles((params) => {
      let everything = false;
      for (const c of params.changes) {
        const file = uriToPath(c.uri);
        if (!file) continue;
        this.session.invalidate(file);
        if (!file.endsWith('.go')) everything = true;
        else if (this.runs.has(path.dirname(file)) && !this.documents.get(c.uri)) this.schedule(c.uri);
      }
      if (everything) this.reanalyseOpen();
    });
    this.documents.onDidClose((e) => {
      const file = uriToPath(e.document.uri);
      if (!file) return;
      this.session.invalidate(file);
      // Closing a buffer that differs from the disk changes what the package is.
      let disk: string | undefined;
      try {
        disk = fs.readFileSync(file, 'utf8');
      } catch {
        disk = undefined;
      }
      if (disk !== e.document.getText()) this.schedule(e.document.uri);
    });
    connection.onCodeAction((params) => {
      const file = uriToPath(params.textDocument.uri);
      const run = file ? this.runs.get(path.dirname(file)) : undefined;
      if (!file || !run) return [];
      return codeActions({
        run,
        file,
        diagnostics: params.context.diagnostics,
        only: params.context.only,
        target: {
          uriOf: (p) => this.uriOf(p),
          versionOf: (p) => run.buffers.get(p)?.version ?? null,
          documentChanges: this.documentChanges,
        },
        log: (m) => this.logOnce(m),
        // The package once more, with the fixed text in place of the file's.
        verify: (f, text) => analyzePackage(run.dir, new Map([...run.buffers, [f, { text, version: -1 }]]), this.settings(), this.session),
      });
    });
    connection.onShutdown(async () => {
      this.shuttingDown = true;
      for (const t of this.timers.values()) clearTimeout(t);
      this.timers.clear();
      await this.queue;
    });
    this.documents.listen(connection);
  }

  private settings(): EditorSettings {
    return mergeEditorSettings(this.initSettings, this.clientSettings);
  }

  /** Reads settings, telling the user about the ones that are wrong. */
  private accept(raw: unknown, from: string): EditorSettings {
    const { settings, problems } = readSettings(raw);
    for (const p of problems) this.show(MessageType.Warning, `crossvet (${from}): ${p}`);
    return settings;
  }

  private async pullConfiguration(): Promise<void> {
    try {
      const raw = await this.connection.workspace.getConfiguration('crossvet');
      this.clientSettings = this.accept(raw, 'workspace configuration');
    } catch (e) {
      this.logOnce(`crossvet: cannot read the workspace configuration: ${(e as Error).message}`);
    }
  }

  private uriOf(file: string): string {
    for (const d of this.documents.all()) if (uriToPath(d.uri) === file) return d.uri;
    return fileUri(file);
  }

  /** Analyse again every package that has an open buffer (after a settings change). */
  private reanalyseOpen(): void {
    this.runs.clear();
    this.session.clear();
    const dirs = new Set<string>();
    for (const d of this.documents.all()) {
      const file = uriToPath(d.uri);
      if (file?.endsWith('.go') && !dirs.has(path.dirname(file))) {
        dirs.add(path.dirname(file));
        this.schedule(d.uri);
      }
    }
  }

  private schedule(uri: string): void {
    const file = uriToPath(uri);
    if (!file || !file.endsWith('.go') || this.shuttingDown) return;
    const dir = path.dirname(file);
    this.generation.set(dir, (this.generation.get(dir) ?? 0) + 1);
    clearTimeout(this.timers.get(dir));
    const delay = this.settings().debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.timers.set(
      dir,
      setTimeout(() => {
        this.timers.delete(dir);
        this.queue = this.queue
          .then(() => this.analyse(dir))
          .catch((e) => this.connection.console.error(`crossvet: internal error analysing ${dir}: ${(e as Error).stack ?? e}`));
      }, delay),
    );
  }

  private async analyse(dir: string): Promise<void> {
    if (this.shuttingDown) return;
    const gen = this.generation.get(dir);
    const buffers = new Map<string, OpenBuffer>();
    for (const d of this.documents.all()) {
      const file = uriToPath(d.uri);
      if (file?.endsWith('.go')) buffers.set(file, { text: d.getText(), version: d.version });
    }
    let run: PackageRun;
    try {
      run = await analyzePackage(dir, buffers, this.settings(), this.session);
    } catch (e) {
      const err = e as Error;
      if (err instanceof UsageError || err instanceof ConfigError) this.showOnce(`crossvet: ${err.message}`);
      else this.connection.console.error(`crossvet: internal error analysing ${dir}: ${err.stack ?? err.message}`);
      return;
    }
    this.lastShown.clear();
    if (this.generation.get(dir) !== gen || this.shuttingDown) return;
    this.runs.set(dir, run);
    this.connection.console.log(`crossvet: analysed ${dir} in ${run.ms} ms: ${run.findings.length} findings in ${run.files.length} files`);
    for (const n of run.general) this.logOnce(`crossvet: ${n.level}: ${n.message}`);
    this.publish(run);
  }

  private publish(run: PackageRun): void {
    const byUri = new Map<string, LspDiagnostic[]>();
    const versions = new Map<string, number | undefined>();
    for (const file of run.files) {
      const uri = this.uriOf(file);
      byUri.set(uri, []);
      versions.set(uri, run.buffers.get(file)?.version);
    }
    for (const f of run.findings) byUri.get(this.uriOf(f.file))?.push(findingToDiagnostic(f, (p) => this.uriOf(p)));
    for (const n of run.placed) byUri.get(this.uriOf(n.file))?.push(notificationToDiagnostic(n));
    const before = this.published.get(run.dir) ?? new Set<string>();
    for (const uri of before) if (!byUri.has(uri)) byUri.set(uri, []);
    for (const [uri, diagnostics] of byUri) this.connection.sendDiagnostics({ uri, version: versions.get(uri), diagnostics });
    this.published.set(run.dir, new Set([...byUri].filter(([, d]) => d.length > 0).map(([u]) => u)));
  }

  private showOnce(message: string): void {
    if (this.lastShown.has(message)) return;
    this.lastShown.add(message);
    this.show(MessageType.Error, message);
  }

  /** window/showMessage as a notification: the request form would wait for a click nobody owes us. */
  private show(type: MessageType, message: string): void {
    void this.connection.sendNotification(ShowMessageNotification.type, { type, message });
  }

  private logOnce(message: string): void {
    if (this.logged.has(message)) return;
    this.logged.add(message);
    this.connection.console.info(message);
  }
}

/**
 * Serve one client until it exits. Anything written to standard output other than
 * protocol messages would corrupt the stream, so console output goes to standard error.
 */
export function runLspServer(streams: LspStreams = { input: process.stdin, output: process.stdout }): Promise<number> {
  const toStderr = (...args: unknown[]) => process.stderr.write(args.map(String).join(' ') + '\n');
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  const connection = createConnection(ProposedFeatures.all, streams.input, streams.output);
  // A failure in one handler must not end the session: log it and go on.
  process.on('unhandledRejection', (e) => connection.console.error(`crossvet: internal error: ${(e as Error)?.stack ?? String(e)}`));
  new CrossvetServer(connection);
  return new Promise((resolve) => {
    connection.onExit(() => resolve(0));
    connection.listen();
  });
}
