// Parses files on every core: a pool of worker threads fed small batches of paths, each
// worker reading, hashing and parsing the files itself so that only paths and facts
// cross threads. When workers cannot run (no compiled worker script, a worker that fails
// to start or disagrees about the facts schema) the pool parses in process instead, with
// the same results.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { FactsCache, packageRoot } from './cache';
import type { FileFacts } from './facts';
import { decodeFacts } from './pack';
import { factsForPath, factsSignature, type FileResult } from './read';
import type { FromWorker, ToWorker, WorkerInit } from './worker';

export interface PoolOptions {
  /** Number of worker threads; 0 parses in process. Defaults to os.availableParallelism(). */
  workers?: number;
  /** false disables the disk cache (the CLI's --no-cache). Defaults to true. */
  cache?: boolean;
  /** Cache directory; defaults to defaultCacheDir(). */
  cacheDir?: string;
}

export interface PoolStats {
  /** Files answered (facts or error). */
  files: number;
  /** Bytes read. */
  bytes: number;
  /** Files tree-sitter parsed (cache misses that parsed). */
  parsed: number;
  cacheHits: number;
  cacheMisses: number;
  /** Parse and extraction time summed over all threads, in milliseconds. */
  parseMs: number;
  /** Worker threads in use (0 when parsing in process). */
  workers: number;
  /** Why the pool parses in process although workers were asked for. */
  fallback?: string;
}

export type FactsResult = FileFacts | { error: string };

/** Where the compiled worker script is: beside this file when compiled, else in the package's dist/. */
export function workerScript(): string | undefined {
  const beside = path.join(__dirname, 'worker.js');
  if (fs.existsSync(beside)) return beside;
  try {
    const built = path.join(packageRoot(), 'dist', 'src', 'syntax', 'worker.js');
    return fs.existsSync(built) ? built : undefined;
  } catch {
    return undefined;
  }
}

interface Slot {
  worker: Worker;
  busy?: { id: number; paths: string[] };
}

const READY_TIMEOUT_MS = 60_000;

export class FactsPool {
  private readonly wanted: number;
  private readonly cacheEnabled: boolean;
  private readonly cacheDir?: string;
  private slots: Slot[] = [];
  private starting?: Promise<void>;
  private local?: FactsCache;
  private fallback?: string;
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private readonly totals = { files: 0, bytes: 0, parsed: 0, cacheHits: 0, cacheMisses: 0, parseMs: 0 };

  constructor(opts: PoolOptions = {}) {
    const n = opts.workers ?? os.availableParallelism();
    this.wanted = Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
    this.cacheEnabled = opts.cache !== false;
    this.cacheDir = opts.cacheDir;
  }

  /** Facts of each path (by the path as given). Calls are served one after another. */
  facts(paths: string[]): Promise<Map<string, FactsResult>> {
    if (this.closed) return Promise.reject(new Error('FactsPool is closed'));
    const run = this.queue.then(() => this.run([...new Set(paths)]));
    this.queue = run.catch(() => undefined);
    return run;
  }

  stats(): PoolStats {
    const s: PoolStats = { ...this.totals, workers: this.slots.length };
    if (this.fallback) s.fallback = this.fallback;
    return s;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.starting?.catch(() => undefined);
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => undefined)));
  }

  private async run(paths: string[]): Promise<Map<string, FactsResult>> {
    const out = new Map<string, FactsResult>();
    if (paths.length === 0) return out;
    if (this.wanted > 0) {
      this.starting ??= this.start();
      await this.starting;
    }
    if (this.slots.length === 0) {
      for (const p of paths) this.take(this.inProcess(p), out);
      return out;
    }
    return this.dispatch(paths, out);
  }

  private inProcess(p: string): FileResult {
    this.local ??= new FactsCache({ enabled: this.cacheEnabled, dir: this.cacheDir });
    return factsForPath(p, this.local);
  }

  private take(r: FileResult, out: Map<string, FactsResult>): void {
    this.totals.files++;
    this.totals.bytes += r.bytes;
    this.totals.parseMs += r.parseMs;
    if (r.parsed) this.totals.parsed++;
    if (r.cacheHit) this.totals.cacheHits++;
    if (r.cacheMiss) this.totals.cacheMisses++;
    out.set(r.path, r.blob ? decodeFacts(r.blob) : { error: r.error ?? 'no facts' });
  }

  /** Starts the workers and waits until each says it is ready (or has failed). */
  private async start(): Promise<void> {
    const script = workerScript();
    if (!script) {
      this.fallback = 'the compiled worker script (dist/src/syntax/worker.js) is missing; run the build. Parsing in process';
      return;
    }
    const expected = factsSignature();
    const init: WorkerInit = { crossvetFactsWorker: true, cache: this.cacheEnabled, cacheDir: this.cacheDir };
    const problems: string[] = [];
    const started = await Promise.all(
      Array.from({ length: this.wanted }, () => this.startOne(script, init, expected).catch((err: Error) => (problems.push(err.message), undefined))),
    );
    this.slots = started.filter((s): s is Slot => s !== undefined);
    if (this.closed) {
      await Promise.all(this.slots.map((s) => s.worker.terminate().catch(() => undefined)));
      this.slots = [];
      return;
    }
    if (this.slots.length === 0) this.fallback = `worker threads could not start (${[...new Set(problems)].join('; ')}); parsing in process`;
  }

  private startOne(script: string, init: WorkerInit, expected: string): Promise<Slot> {
    return new Promise((resolve, reject) => {
      let worker: Worker;
      try {
        worker = new Worker(script, { workerData: init });
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      // Remove only our own listeners: Worker uses events internally too.
      const detach = () => {
        clearTimeout(timer);
        worker.off('error', onError);
        worker.off('exit', onExit);
        worker.off('message', onMessage);
      };
      const fail = (message: string) => {
        detach();
        worker.terminate().catch(() => undefined);
        reject(new Error(message));
      };
      const onError = (err: Error) => fail(`a worker failed to start: ${err.message}`);
      const onExit = (code: number) => fail(`a worker exited with code ${code} while starting`);
      const onMessage = (msg: FromWorker) => {
        if (msg.type !== 'ready') return fail('a worker sent an unexpected first message');
        if (msg.signature !== expected) return fail(`the worker script (${script}) extracts different facts (${msg.signature}) than this thread (${expected}); rebuild`);
        detach();
        worker.unref();
        resolve({ worker });
      };
      const timer = setTimeout(() => fail(`a worker did not start within ${READY_TIMEOUT_MS / 1000} s`), READY_TIMEOUT_MS);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.on('message', onMessage);
    });
  }

  /** Hands out batches to idle workers until every path is answered. */
  private dispatch(paths: string[], out: Map<string, FactsResult>): Promise<Map<string, FactsResult>> {
    const size = Math.max(1, Math.min(32, Math.ceil(paths.length / (this.slots.length * 4))));
    const batches: string[][] = [];
    for (let i = 0; i < paths.length; i += size) batches.push(paths.slice(i, i + size));
    return new Promise((resolve) => {
      let pending = batches.length;
      const listeners = new Map<Slot, { message: (m: FromWorker) => void; error: (e: Error) => void; exit: (c: number) => void }>();
      const detach = (slot: Slot) => {
        const l = listeners.get(slot);
        if (!l) return;
        listeners.delete(slot);
        slot.worker.off('message', l.message);
        slot.worker.off('error', l.error);
        slot.worker.off('exit', l.exit);
      };
      const finish = (items: FileResult[]) => {
        for (const r of items) this.take(r, out);
        if (--pending === 0) {
          for (const s of this.slots) {
            detach(s);
            s.worker.unref();
          }
          resolve(out);
        }
      };
      // A worker that dies takes no more batches; its batch, and the rest when none is left, are done here.
      const lose = (slot: Slot, why: string) => {
        detach(slot);
        slot.worker.terminate().catch(() => undefined);
        this.slots = this.slots.filter((s) => s !== slot);
        const lost = slot.busy;
        slot.busy = undefined;
        if (this.slots.length === 0) this.fallback = `worker threads stopped (${why}); parsing in process`;
        if (lost) finish(lost.paths.map((p) => this.inProcess(p)));
        if (this.slots.length === 0) while (batches.length > 0) finish(batches.shift()!.map((p) => this.inProcess(p)));
      };
      const feed = (slot: Slot) => {
        const next = batches.shift();
        if (!next) {
          slot.busy = undefined;
          return;
        }
        slot.busy = { id: this.nextId++, paths: next };
        const msg: ToWorker = { type: 'batch', id: slot.busy.id, paths: next };
        slot.worker.postMessage(msg);
      };
      for (const slot of this.slots) {
        const l = {
          message: (msg: FromWorker) => {
            if (msg.type !== 'result' || !slot.busy || msg.id !== slot.busy.id) return;
            slot.busy = undefined;
            feed(slot);
            finish(msg.items);
          },
          error: (err: Error) => lose(slot, err.message),
          exit: (code: number) => lose(slot, `exit code ${code}`),
        };
        listeners.set(slot, l);
        slot.worker.on('message', l.message);
        slot.worker.on('error', l.error);
        slot.worker.on('exit', l.exit);
        slot.worker.ref();
      }
      for (const slot of [...this.slots]) feed(slot);
    });
  }
}
