// The standard-library facts crossvet ships (src/stdlib/stdlib.json, written by
// `npm run gen:stdlib` from a real GOROOT with go/types): for every port, which standard
// packages have Go files, their imports, and the exported API of the public ones. Rules
// use them when no GOROOT can be found; a live GOROOT is always preferred.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../syntax/cache';

/** One exported fact: [name, kind, detail, set]. Set -1: wherever the package exists. */
export type ApiEntry = [string, 'const' | 'var' | 'type' | 'func' | 'field' | 'method', string, number];

export interface StdPackageFacts {
  /** Index of the port set where the package has Go files. */
  on: number;
  /** Import path → port set where it is imported (-1: wherever the package exists). */
  imports?: Record<string, number>;
  /** Public packages only. */
  api?: ApiEntry[];
}

export interface StdFactsFile {
  goVersion: string;
  generatedBy: string;
  /** Whether the facts were computed with cgo enabled (they are not: cross-builds default to CGO_ENABLED=0). */
  cgo: boolean;
  /** "GOOS/GOARCH" of each port, in `go tool dist list` order. */
  ports: string[];
  /** Port sets as ranges of port indexes ("0-3,7"). */
  sets: string[];
  packages: Record<string, StdPackageFacts>;
}

export const STDLIB_FILE = path.join('src', 'stdlib', 'stdlib.json');

export class StdFacts {
  private readonly decoded = new Map<number, Set<number>>();
  private readonly portIndex = new Map<string, number>();

  constructor(readonly file: StdFactsFile) {
    file.ports.forEach((p, i) => this.portIndex.set(p, i));
  }

  get goVersion(): string {
    return this.file.goVersion;
  }

  /** Index of a port ("linux/arm64"); variants share their port's facts. */
  port(goos: string, goarch: string): number | undefined {
    return this.portIndex.get(`${goos}/${goarch}`);
  }

  package(importPath: string): StdPackageFacts | undefined {
    return Object.prototype.hasOwnProperty.call(this.file.packages, importPath) ? this.file.packages[importPath] : undefined;
  }

  /** The ports of set `id`; -1 stands for "wherever the package exists" and needs `pkg`. */
  set(id: number, pkg?: StdPackageFacts): Set<number> {
    if (id === -1) {
      if (!pkg) throw new Error('set -1 needs its package');
      return this.set(pkg.on);
    }
    let s = this.decoded.get(id);
    if (!s) {
      s = new Set();
      const text = this.file.sets[id];
      if (text === undefined) throw new Error(`stdlib facts: no port set ${id}`);
      for (const part of text.split(',')) {
        if (part === '') continue;
        const [a, b] = part.split('-').map(Number);
        for (let i = a; i <= (b ?? a); i++) s.add(i);
      }
      this.decoded.set(id, s);
    }
    return s;
  }

  /** Whether the package has Go files on the port. */
  exists(importPath: string, port: number): boolean {
    const p = this.package(importPath);
    return p !== undefined && this.set(p.on).has(port);
  }

  /** The package's imports on the port. */
  imports(importPath: string, port: number): string[] {
    const p = this.package(importPath);
    if (!p || !this.set(p.on).has(port)) return [];
    return Object.entries(p.imports ?? {})
      .filter(([, set]) => this.set(set, p).has(port))
      .map(([imp]) => imp);
  }
}

let loaded: StdFacts | null | undefined;
let loadError: string | undefined;

/** The shipped facts, or undefined (with `stdFactsError()` saying why) when the file is missing or unreadable. */
export function stdFacts(): StdFacts | undefined {
  if (loaded !== undefined) return loaded ?? undefined;
  const file = path.join(packageRoot(), STDLIB_FILE);
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as StdFactsFile;
    if (!Array.isArray(data.ports) || !Array.isArray(data.sets) || typeof data.packages !== 'object') throw new Error('not a stdlib facts file');
    loaded = new StdFacts(data);
  } catch (e) {
    loadError = `cannot read the shipped standard-library facts ${file}: ${(e as Error).message}`;
    loaded = null;
  }
  return loaded ?? undefined;
}

export function stdFactsError(): string | undefined {
  return loadError;
}

/** Whether an import path names a standard package: its first element has no dot (the go command's rule). */
export function isStdPath(importPath: string): boolean {
  const first = importPath.split('/')[0];
  return !first.includes('.') && importPath !== 'C';
}
