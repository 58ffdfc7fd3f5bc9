// A worker thread of the FactsPool: receives batches of paths, answers with the facts of
// each (read, hashed, looked up in the cache, parsed on a miss). It runs as compiled
// JavaScript; pool.ts finds it and falls back to parsing in process when it cannot.
import { parentPort, workerData } from 'node:worker_threads';
import { FactsCache } from './cache';
import { factsForPath, factsSignature, type FileResult } from './read';

export interface WorkerInit {
  crossvetFactsWorker: true;
  cache: boolean;
  cacheDir?: string;
}

export type ToWorker = { type: 'batch'; id: number; paths: string[] };

export type FromWorker = { type: 'ready'; signature: string } | { type: 'result'; id: number; items: FileResult[] };

// Only act when started by FactsPool (test runners also run modules in worker threads).
const init = workerData as Partial<WorkerInit> | undefined;
if (parentPort && init && init.crossvetFactsWorker === true) {
  const port = parentPort;
  const cache = new FactsCache({ enabled: init.cache !== false, dir: init.cacheDir });
  port.on('message', (msg: ToWorker) => {
    if (msg.type !== 'batch') return;
    const items = msg.paths.map((p) => factsForPath(p, cache));
    // The batch's blobs travel in one buffer, handed over rather than copied.
    const all = new Uint8Array(items.reduce((n, r) => n + (r.blob?.length ?? 0), 0));
    let at = 0;
    for (const r of items) {
      if (!r.blob) continue;
      all.set(r.blob, at);
      r.blob = all.subarray(at, at + r.blob.length);
      at += r.blob.length;
    }
    const reply: FromWorker = { type: 'result', id: msg.id, items };
    port.postMessage(reply, [all.buffer]);
  });
  const ready: FromWorker = { type: 'ready', signature: factsSignature() };
  port.postMessage(ready);
}
