// What the server keeps from one analysis to the next, so that the analysis after an edit
// redoes only what the edit touched: the packages the edited one imports (GOROOT's syscall
// alone is some 300 files whose headers would be read again on every keystroke) and the
// syntax facts of every file, keyed by its text. The edited buffer's facts miss and are
// computed again; everything else is found here.
//
// An entry is used only while it is still true: a package's directory is listed and its
// files' sizes and modification times compared (a few milliseconds, even for syscall), and
// the open buffers of that directory must be the ones it was loaded with. The server also
// drops what a change makes useless (invalidate, clear).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MemoPackage, WorldMemo } from '../model/world';
import type { FileFacts } from '../syntax/facts';

/** Facts of this many files at most (a module with its dependencies rarely needs half). */
const MAX_FACTS = 20_000;

export interface SessionStats {
  packageHits: number;
  packageMisses: number;
  factsHits: number;
  factsMisses: number;
}

export class AnalysisSession implements WorldMemo {
  private readonly packages = new Map<string, { dir: string; stamp: string; entry: MemoPackage }>();
  private readonly facts_ = new Map<string, { text: string; facts: FileFacts }>();
  readonly stats: SessionStats = { packageHits: 0, packageMisses: 0, factsHits: 0, factsMisses: 0 };

  /**
   * What a directory's package is made of right now: its .go files with size, time and
   * inode, and the open buffers in it (by content); undefined when it cannot be listed.
   */
  private stampOf(dir: string, overlay: ReadonlyMap<string, string> | undefined): string | undefined {
    const parts: string[] = [];
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith('.go')).sort();
    } catch {
      return undefined;
    }
    for (const n of names) {
      try {
        const st = fs.statSync(path.join(dir, n));
        parts.push(`${n}\0${st.size}\0${st.mtimeMs}\0${st.ino}`);
      } catch {
        parts.push(`${n}\0gone`);
      }
    }
    for (const [p, text] of overlay ?? []) {
      if (path.dirname(p) === dir) parts.push(`${path.basename(p)}\0buffer\0${crypto.createHash('sha1').update(text).digest('hex')}`);
    }
    return parts.join('\n');
  }

  package(key: string, dir: string, overlay: ReadonlyMap<string, string> | undefined): { hit?: MemoPackage; stamp: unknown } {
    const stamp = this.stampOf(dir, overlay);
    const e = this.packages.get(key);
    if (e && stamp !== undefined && e.stamp === stamp) {
      this.stats.packageHits++;
      return { hit: e.entry, stamp };
    }
    this.stats.packageMisses++;
    return { stamp };
  }

  putPackage(key: string, dir: string, stamp: unknown, entry: MemoPackage): void {
    if (typeof stamp !== 'string') return;
    this.packages.set(key, { dir, stamp: stamp as string, entry });
  }

  facts(file: string, text: string): FileFacts | undefined {
    const e = this.facts_.get(file);
    if (e && e.text === text) {
      this.stats.factsHits++;
      // Most recently used last: the first entries are the ones to forget.
      this.facts_.delete(file);
      this.facts_.set(file, e);
      return e.facts;
    }
    this.stats.factsMisses++;
    return undefined;
  }

  putFacts(file: string, text: string, facts: FileFacts): void {
    this.facts_.delete(file);
    this.facts_.set(file, { text, facts });
    while (this.facts_.size > MAX_FACTS) this.facts_.delete(this.facts_.keys().next().value!);
  }

  /** A file changed (in the editor or on disk): forget its facts and the packages of its directory. */
  invalidate(file: string): void {
    this.facts_.delete(file);
    const dir = path.dirname(file);
    for (const [k, e] of this.packages) if (e.dir === dir) this.packages.delete(k);
  }

  /** Settings or the module changed: nothing kept is worth keeping. */
  clear(): void {
    this.packages.clear();
    this.facts_.clear();
  }

  get size(): { packages: number; files: number } {
    return { packages: this.packages.size, files: this.facts_.size };
  }
}
