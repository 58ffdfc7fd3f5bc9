// Analysing one package for the editor: the engine run on the package's directory, with the
// editor's unsaved buffers standing in for the files on disk. The result keeps the texts it
// was computed from, so that quick fixes are computed against the same text.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Notification, Span } from '../types';
import type { Finding } from '../report/model';
import { check } from '../engine/check';
import { goFilesIn } from '../engine/files';
import { mergeSettings } from '../config/merge';
import { findConfig, loadConfig } from '../config/load';
import { findModule } from '../discover/module';
import type { EditorSettings } from './settings';
import type { AnalysisSession } from './session';

export interface OpenBuffer {
  text: string;
  version: number;
}

export interface PackageRun {
  dir: string;
  /** The package's .go files (absolute), on disk or only in the editor. */
  files: string[];
  /** Findings in those files that are not suppressed. */
  findings: Finding[];
  /** Notifications about a place in one of those files. */
  placed: (Notification & { file: string; span: Span })[];
  /** Notifications about the run as a whole. */
  general: Notification[];
  /** The editor buffers the run read, by path (all open ones: a fix may touch another package's file). */
  buffers: Map<string, OpenBuffer>;
  /** The module's `go` line (minor version); undefined outside a module. */
  goMinor?: number;
  ms: number;
}

/**
 * Run the engine on one package directory. Throws the engine's UsageError or a
 * ConfigError (crossvet.yaml) for the caller to show. With a session, what earlier runs
 * loaded and parsed is reused where it has not changed.
 */
export async function analyzePackage(dir: string, buffers: Map<string, OpenBuffer>, editor: EditorSettings, session?: AnalysisSession): Promise<PackageRun> {
  const t0 = Date.now();
  const overlay = new Map([...buffers].map(([p, b]) => [p, b.text]));
  // The configuration that applies to the package's directory. Its messages name it by its
  // full path (loadConfig shortens names relative to the second argument; the file itself
  // leaves nothing to shorten), since an editor has no working directory to be relative to.
  const found = findConfig(dir);
  const cfg = found ? loadConfig(found, found) : undefined;
  const run = mergeSettings({ targets: editor.targets, tags: editor.tags, cgo: editor.cgo, rules: editor.rules, disable: editor.disable }, cfg);
  const result = await check({
    ...run,
    cwd: dir,
    paths: ['.'],
    tests: editor.tests ?? true,
    cache: true,
    // One package at a time: starting worker threads for each run would cost more than it saves.
    workers: 0,
    overlay,
    memo: session,
  });
  const inDir = (file: string | undefined): file is string => file !== undefined && path.dirname(file) === dir;
  const files = goFilesIn(dir, []);
  for (const p of buffers.keys()) if (inDir(p) && p.endsWith('.go') && !files.includes(p)) files.push(p);
  const placed: PackageRun['placed'] = [];
  const general: Notification[] = [];
  for (const n of result.notifications) {
    // gopls and the compiler report syntax errors already; ours only says facts are partial.
    if (n.id === 'syntax-error') continue;
    if (inDir(n.file) && n.span) placed.push(n as Notification & { file: string; span: Span });
    else if (!n.file || inDir(n.file) || n.level !== 'note') general.push(n);
  }
  let goMinor: number | undefined;
  try {
    const m = /^1\.(\d+)/.exec(findModule(dir)?.goMod.go ?? '');
    if (m) goMinor = Number(m[1]);
  } catch {
    // A go.mod the engine accepted cannot fail here; if it does, the version is just unknown.
  }
  return {
    dir,
    files: files.sort(),
    findings: result.findings.filter((f) => inDir(f.file) && !f.suppressed),
    placed,
    general,
    buffers,
    goMinor,
    ms: Date.now() - t0,
  };
}

/** A file's text as a run saw it: the editor's buffer, else the file on disk. */
export function textOf(run: PackageRun | undefined, file: string): string | undefined {
  const b = run?.buffers.get(file);
  if (b) return b.text;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
