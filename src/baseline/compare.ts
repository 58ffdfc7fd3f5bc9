// Matching the findings of now against a baseline. Keys go from strict to loose, and each
// round only pairs what earlier rounds left over, in line order:
//   1. rule, file, line hash (with its occurrence counter), message      → unchanged
//   2. rule, file, line hash without the counter, message                → unchanged
//      (an identical line was added or removed above)
//   3. rule, file, message                                                → unchanged
//      (the code right after the line changed, which changes the hash)
//   4. rule, file, line hash without the counter                          → updated
//      (same place, the message changed: e.g. it now concerns more targets)
// What is left is new (now only) or absent (baseline only: fixed).
import * as path from 'node:path';
import type { Finding } from '../report/model';
import type { BaselineEntry } from './file';
import { hashOnly, keyOf, LineHasher, type FindingKey } from './fingerprint';

type State = NonNullable<Finding['baselineState']>;

const ROUNDS: { key: (k: FindingKey) => string; state: State }[] = [
  { key: (k) => [k.ruleId, k.path, k.lineHash, k.message].join('\0'), state: 'unchanged' },
  { key: (k) => [k.ruleId, k.path, hashOnly(k.lineHash), k.message].join('\0'), state: 'unchanged' },
  { key: (k) => [k.ruleId, k.path, k.message].join('\0'), state: 'unchanged' },
  { key: (k) => [k.ruleId, k.path, hashOnly(k.lineHash)].join('\0'), state: 'updated' },
];

export interface Comparison {
  /** The current findings with baselineState set, then the baseline's fixed ones as 'absent'. */
  findings: Finding[];
  counts: Record<State, number>;
}

/**
 * `findings` are the current run's (relative to `root`); `entries` the baseline's. Every
 * current finding gets a state; every unmatched entry becomes an 'absent' finding at its old
 * place.
 */
export function compareWithBaseline(entries: readonly BaselineEntry[], findings: readonly Finding[], root: string, hasher = new LineHasher()): Comparison {
  const cur = findings.filter((f) => f.baselineState !== 'absent').map((f) => ({ f, k: keyOf(f, root, hasher), state: undefined as State | undefined }));
  const old = entries.map((e) => ({ e, matched: false }));
  for (const round of ROUNDS) {
    const pool = new Map<string, typeof old>();
    for (const o of old) {
      if (o.matched) continue;
      const k = round.key(o.e);
      pool.set(k, [...(pool.get(k) ?? []), o]);
    }
    for (const c of cur) {
      if (c.state) continue;
      const list = pool.get(round.key(c.k));
      const o = list?.shift();
      if (!o) continue;
      o.matched = true;
      c.state = round.state;
    }
  }
  const counts: Record<State, number> = { new: 0, unchanged: 0, updated: 0, absent: 0 };
  const out: Finding[] = cur.map((c) => {
    const state = c.state ?? 'new';
    counts[state]++;
    return { ...c.f, baselineState: state };
  });
  for (const o of old) {
    if (o.matched) continue;
    counts.absent++;
    out.push(absentFinding(o.e, root));
  }
  return { findings: out, counts };
}

/** A baseline entry no current finding matched, reported where it was. */
export function absentFinding(e: BaselineEntry, root: string): Finding {
  return {
    ruleId: e.ruleId,
    file: path.join(root, ...e.path.split('/')),
    span: e.span,
    message: e.text,
    level: e.level,
    targets: [...e.targets],
    baselineState: 'absent',
    ...(e.lineHash ? { lineHash: e.lineHash } : {}),
  };
}
