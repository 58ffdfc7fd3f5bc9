// Deterministic order for findings and notifications, and the merge of diagnostics that
// differ only by target. Nothing here drops or truncates anything.
import type { Diagnostic, Notification, Span } from '../types';
import { relPath } from './paths';

/** Plain code-unit comparison: the same on every machine, unlike localeCompare. */
function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Paths compare segment by segment, so a directory's files stay together ("b/a.go" < "b.go"). */
function cmpPath(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const c = cmpStr(as[i], bs[i]);
    if (c) return c;
  }
  return as.length - bs.length;
}

function cmpSpan(a: Span, b: Span): number {
  return (
    a.start.line - b.start.line ||
    a.start.col - b.start.col ||
    a.end.line - b.end.line ||
    a.end.col - b.end.col
  );
}

/**
 * JSON with object keys sorted at every depth, so two values that are equal as data give
 * the same string whatever order their keys were built in. Used as a tiebreak and merge key.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as object).sort(cmpStr)) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** Everything but the targets: two diagnostics with the same key are the same finding. */
function identityKey(d: Diagnostic): string {
  const { targets: _targets, ...rest } = d;
  return canonicalJson(rest);
}

/**
 * Order: file (relative to root, segment by segment), start line, start column, end, rule id, message, targets,
 * then the remaining data as canonical JSON so that even near-duplicates have a fixed order.
 * Returns a new array.
 */
export function sortFindings<T extends Diagnostic>(items: readonly T[], root: string): T[] {
  const keyed = items.map((d) => ({ d, rel: relPath(root, d.file), rest: identityKey(d) }));
  keyed.sort(
    (a, b) =>
      cmpPath(a.rel, b.rel) ||
      cmpSpan(a.d.span, b.d.span) ||
      cmpStr(a.d.ruleId, b.d.ruleId) ||
      cmpStr(a.d.message, b.d.message) ||
      cmpStr(a.d.targets.join(','), b.d.targets.join(',')) ||
      cmpStr(a.rest, b.rest),
  );
  return keyed.map((k) => k.d);
}

/**
 * Order: notifications without a file first (they concern the whole run), then by file,
 * position, id, message and level. Returns a new array.
 */
export function sortNotifications(items: readonly Notification[], root: string): Notification[] {
  const keyed = items.map((n) => ({ n, rel: n.file === undefined ? undefined : relPath(root, n.file) }));
  keyed.sort((a, b) => {
    if (a.rel === undefined || b.rel === undefined) {
      if (a.rel !== b.rel) return a.rel === undefined ? -1 : 1;
    } else {
      const c = cmpPath(a.rel, b.rel);
      if (c) return c;
    }
    if (a.n.span && b.n.span) {
      const c = cmpSpan(a.n.span, b.n.span);
      if (c) return c;
    } else if (a.n.span || b.n.span) {
      return a.n.span ? 1 : -1;
    }
    return cmpStr(a.n.id, b.n.id) || cmpStr(a.n.message, b.n.message) || cmpStr(a.n.level, b.n.level);
  });
  return keyed.map((k) => k.n);
}

/**
 * Orders target ids by their position in the run's target list; ids not in it come after,
 * in plain string order. Duplicates are removed.
 */
export function orderTargets(targets: Iterable<string>, runOrder?: readonly string[]): string[] {
  const rank = new Map<string, number>();
  runOrder?.forEach((t, i) => {
    if (!rank.has(t)) rank.set(t, i);
  });
  return [...new Set(targets)].sort((a, b) => {
    const ra = rank.get(a);
    const rb = rank.get(b);
    if (ra !== undefined && rb !== undefined) return ra - rb;
    if (ra !== undefined) return -1;
    if (rb !== undefined) return 1;
    return cmpStr(a, b);
  });
}

/**
 * Merges diagnostics that are identical in everything but `targets` (same rule, file, span,
 * message, level, related locations, fixes and properties) into one that lists every
 * target. An empty target list means "every target", so if any copy has one the merged
 * diagnostic has one too. Diagnostics keep the order of their first occurrence; targets
 * follow `targetOrder` (the run's order) when given. Inputs are not modified.
 */
export function mergeAcrossTargets<T extends Diagnostic>(diags: readonly T[], targetOrder?: readonly string[]): T[] {
  const groups = new Map<string, { first: T; targets: Set<string>; anyTarget: boolean }>();
  for (const d of diags) {
    const key = identityKey(d);
    let g = groups.get(key);
    if (!g) {
      g = { first: d, targets: new Set(), anyTarget: false };
      groups.set(key, g);
    }
    if (d.targets.length === 0) g.anyTarget = true;
    for (const t of d.targets) g.targets.add(t);
  }
  return [...groups.values()].map((g) => ({
    ...g.first,
    targets: g.anyTarget ? [] : orderTargets(g.targets, targetOrder),
  }));
}
