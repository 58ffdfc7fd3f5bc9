// On-disk cache of FileFacts (as the blob encodeFacts makes, pack.ts). Facts depend only on a file's bytes, the crossvet version,
// the facts schema and the registered extractors, so an entry is named by the hash of
// exactly those; nothing ever needs invalidating, only a new key stops matching.
//
// Layout: <dir>/facts/<2 hex>/<62 hex>.cvf, each holding the key as a JSON string on the
// first line, then the blob. A hit is checked (key, length, checksum) but not parsed:
// the blob goes as it is to the thread that asked. Writes go to a temporary file that is
// then renamed, so a reader (another worker, another crossvet process) sees a whole entry
// or none. Unreadable or corrupt entries count as misses.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { extractorSignature } from './extractors';
import { FACTS_SCHEMA_VERSION } from './facts';
import { isWholeBlob } from './pack';

/** The directory holding crossvet's package.json (works from src/ under vitest and from dist/src/ when compiled). */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if (JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'crossvet') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find crossvet's package.json above ${__dirname}`);
    dir = up;
  }
}

let version: string | undefined;

export function toolVersion(): string {
  if (version === undefined) {
    version = String(JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version ?? '0');
  }
  return version;
}

/**
 * Where the cache lives: $CROSSVET_CACHE_DIR, else $XDG_CACHE_HOME/crossvet, else the
 * platform's user cache directory.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  if (env.CROSSVET_CACHE_DIR) return env.CROSSVET_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'crossvet');
  if (platform === 'win32') return path.win32.join(env.LOCALAPPDATA || path.win32.join(home, 'AppData', 'Local'), 'crossvet');
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'crossvet');
  return path.join(home, '.cache', 'crossvet');
}

export function sha256(data: Buffer | string): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

export interface CacheOptions {
  /** false: never read or write (the CLI's --no-cache). */
  enabled?: boolean;
  /** Defaults to defaultCacheDir(). */
  dir?: string;
}

export interface CacheStats {
  hits: number;
  misses: number;
  writes: number;
  /** Writes that failed (read-only or full disk); the run goes on without caching them. */
  writeErrors: number;
  /** Entries that existed but could not be used (truncated, not JSON, another key). */
  corrupt: number;
}

export class FactsCache {
  readonly enabled: boolean;
  readonly dir: string;
  readonly stats: CacheStats = { hits: 0, misses: 0, writes: 0, writeErrors: 0, corrupt: 0 };
  private readonly prefix: string;
  /** Directories this instance has made (or found) already. */
  private readonly made = new Set<string>();

  constructor(opts: CacheOptions = {}) {
    this.enabled = opts.enabled ?? true;
    this.dir = opts.dir ?? defaultCacheDir();
    // Everything besides the content that the facts depend on (and the entry's format).
    this.prefix = `crossvet-facts\nformat=2\ntool=${toolVersion()}\nschema=${FACTS_SCHEMA_VERSION}\nextractors=${extractorSignature()}\ncontent=`;
  }

  /** The full key of a file's entry, from the sha256 of its content. */
  key(contentHash: string): string {
    return this.prefix + contentHash;
  }

  entryPath(contentHash: string): string {
    const name = sha256(this.key(contentHash));
    return path.join(this.dir, 'facts', name.slice(0, 2), name.slice(2) + '.cvf');
  }

  /** The entry's first line. */
  private keyLine(contentHash: string): Buffer {
    return Buffer.from(JSON.stringify(this.key(contentHash)) + '\n', 'utf8');
  }

  /** The facts blob of a file's entry (a view into the bytes read), checked whole. */
  get(contentHash: string): Uint8Array | undefined {
    if (!this.enabled) return undefined;
    const file = this.entryPath(contentHash);
    let raw: Buffer;
    try {
      raw = fs.readFileSync(file);
    } catch {
      this.stats.misses++;
      return undefined;
    }
    const key = this.keyLine(contentHash);
    if (raw.length > key.length && raw.subarray(0, key.length).equals(key)) {
      const blob = raw.subarray(key.length);
      if (isWholeBlob(blob)) {
        this.stats.hits++;
        return blob;
      }
    }
    // A corrupt entry is a miss, and the next set() replaces it.
    this.stats.corrupt++;
    this.stats.misses++;
    return undefined;
  }

  set(contentHash: string, blob: Uint8Array): void {
    if (!this.enabled) return;
    const file = this.entryPath(contentHash);
    const tmp = `${file}.${process.pid}.${threadId}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    try {
      const data = Buffer.concat([this.keyLine(contentHash), blob]);
      const dir = path.dirname(file);
      if (!this.made.has(dir)) {
        fs.mkdirSync(dir, { recursive: true });
        this.made.add(dir);
      }
      try {
        fs.writeFileSync(tmp, data);
      } catch (err) {
        // The directory went away since (someone cleared the cache): make it again.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(tmp, data);
      }
      fs.renameSync(tmp, file);
      this.stats.writes++;
    } catch {
      this.stats.writeErrors++;
      try {
        fs.unlinkSync(tmp);
      } catch {
        // nothing was written
      }
    }
  }
}
