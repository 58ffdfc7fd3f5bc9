// Reading crossvet.yaml: find it, parse it keeping positions, validate it against
// docs/crossvet.schema.json, then check what a schema cannot (targets that exist, rules
// this version has, globs that compile). Every problem is reported as `file:line:col: what`
// (all of them at once, in file order) through a ConfigError, which ends the run with exit 2.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { ConfigError } from '../errors';
import type { Level } from '../types';
import { parseTargets, TargetError } from '../targets';
import { ALL_RULES } from '../../rules';
import { globToRegExp, GlobError } from './glob';
import schema from '../../docs/crossvet.schema.json';

/** The names looked for, in this order, in each directory from the working directory up. */
export const CONFIG_NAMES = ['crossvet.yaml', '.crossvet.yaml'] as const;

export type RuleLevel = Level | 'off';

export interface Config {
  /** Absolute path of the file. */
  file: string;
  /** Its directory: `exclude` globs are relative to it. */
  dir: string;
  /** Comma-separated, as --targets takes them. */
  targets?: string;
  tags?: string[];
  cgo?: 'auto' | 'on' | 'off';
  rules: { enable?: string[]; disable?: string[]; levels: Record<string, RuleLevel> };
  exclude: string[];
  vendor?: boolean;
}

interface Problem {
  offset: number;
  message: string;
}

/**
 * The configuration file that applies in `startDir`: the nearest crossvet.yaml or
 * .crossvet.yaml in it or a directory above. Both in one directory is an error: which one
 * wins would be a guess.
 */
export function findConfig(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    const found = CONFIG_NAMES.map((n) => path.join(dir, n)).filter((f) => isFile(f));
    if (found.length > 1) {
      throw new ConfigError(`${found.join(' and ')} both exist; keep one of them`);
    }
    if (found.length === 1) return found[0];
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function isFile(f: string): boolean {
  try {
    return fs.statSync(f).isFile();
  } catch {
    return false;
  }
}

/** Reads and checks a configuration file. `cwd` only shortens the file name in messages. */
export function loadConfig(file: string, cwd = process.cwd()): Config {
  const abs = path.resolve(cwd, file);
  const shown = displayName(abs, cwd);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(`${shown}: ${code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}`}`);
  }
  return parseConfig(text, abs, shown);
}

function displayName(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

let validator: ValidateFunction | undefined;

function validate(): ValidateFunction {
  // Union types (`targets` is a list or a string) are what the schema means; strict mode
  // otherwise catches mistakes in the schema itself.
  validator ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
  return validator;
}

const TOP_KEYS = Object.keys(schema.properties);
/** The stable rule ids the schema accepts (DESIGN.md); this version may implement fewer. */
export const RULE_IDS: readonly string[] = schema.definitions.ruleId.enum;

/** Parses configuration text; `file` is its absolute path, `shown` the name used in messages. */
export function parseConfig(text: string, file: string, shown = file): Config {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const fail = (problems: Problem[]): never => {
    const sorted = [...problems].sort((a, b) => a.offset - b.offset);
    throw new ConfigError(
      sorted
        .map((p) => {
          const { line, col } = lc.linePos(p.offset);
          return `${shown}:${line}:${col}: ${p.message}`;
        })
        // The command prints the first line after "crossvet: "; the others get the same prefix.
        .join('\ncrossvet: '),
    );
  };
  if (doc.errors.length) {
    fail(doc.errors.map((e) => ({ offset: e.pos[0], message: yamlMessage(e.message) })));
  }
  const data: unknown = doc.toJS() ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    fail([{ offset: rangeOf(doc.contents)[0], message: `the file must be a mapping of keys (${TOP_KEYS.join(', ')}), not ${describeValue(data)}` }]);
  }

  const problems: Problem[] = [];
  const v = validate();
  if (!v(data)) {
    const seen = new Set<string>();
    for (const err of v.errors ?? []) {
      const p = schemaProblem(doc, data, err);
      if (!p) continue;
      const key = `${p.offset}\0${p.message}`;
      if (!seen.has(key)) problems.push(p);
      seen.add(key);
    }
  }
  // The checks below look only at values of the right type, so that all problems are reported at once.
  const strings = (list: unknown): string[] => (Array.isArray(list) ? list.map((x) => (typeof x === 'string' ? x : '')) : []);

  const cfg = data as {
    targets?: string | string[];
    tags?: string[] | null;
    cgo?: Config['cgo'];
    rules?: { enable?: string[] | null; disable?: string[] | null; levels?: Record<string, RuleLevel> | null };
    exclude?: string[] | null;
    vendor?: boolean;
  };

  // Targets: each item must name presets or ports this Go knows.
  const targetItems = typeof cfg.targets === 'string' ? [cfg.targets] : strings(cfg.targets);
  targetItems.forEach((t, i) => {
    if (!t) return;
    try {
      parseTargets(t);
    } catch (e) {
      if (!(e instanceof TargetError)) throw e;
      const at = typeof cfg.targets === 'string' ? ['targets'] : ['targets', i];
      problems.push({ offset: rangeOf(nodeAt(doc, at))[0], message: e.message });
    }
  });

  // Rules to enable must exist in this version; disabling or levelling a stable id that
  // this version lacks is harmless and allowed.
  const registered = new Set(ALL_RULES.map((r) => r.meta.id));
  const rules: NonNullable<typeof cfg.rules> = typeof cfg.rules === 'object' && cfg.rules !== null ? cfg.rules : {};
  const ruleIds = new Set<string>(RULE_IDS);
  strings(rules.enable).forEach((id, i) => {
    // Ids outside the stable list already have a schema error.
    if (ruleIds.has(id) && !registered.has(id)) {
      problems.push({
        offset: rangeOf(nodeAt(doc, ['rules', 'enable', i]))[0],
        message: `rule "${id}" is not available in this version of crossvet (available: ${[...registered].join(', ')})`,
      });
    }
  });
  const enabled = new Set(strings(rules.enable));
  strings(rules.disable).forEach((id, i) => {
    if (id && enabled.has(id)) problems.push({ offset: rangeOf(nodeAt(doc, ['rules', 'disable', i]))[0], message: `rule "${id}" is both enabled and disabled` });
  });

  strings(cfg.exclude).forEach((g, i) => {
    if (!g) return;
    try {
      globToRegExp(g);
    } catch (e) {
      if (!(e instanceof GlobError)) throw e;
      const node = nodeAt(doc, ['exclude', i]);
      // Point at the character when the scalar is written plainly (no quotes shift it).
      const start = rangeOf(node)[0];
      const plain = isScalar(node) && node.type === 'PLAIN';
      problems.push({ offset: plain ? start + e.offset : start, message: `exclude pattern "${g}": ${e.message}` });
    }
  });
  if (problems.length) fail(problems);

  // A key left empty (`exclude:` with every item commented out) means its default.
  return {
    file,
    dir: path.dirname(file),
    targets: cfg.targets === undefined ? undefined : typeof cfg.targets === 'string' ? cfg.targets : cfg.targets.join(','),
    tags: cfg.tags ?? undefined,
    cgo: cfg.cgo,
    rules: { enable: rules.enable ?? undefined, disable: rules.disable ?? undefined, levels: rules.levels ?? {} },
    exclude: cfg.exclude ?? [],
    vendor: cfg.vendor,
  };
}

/** The yaml package's message without its own position suffix. */
function yamlMessage(m: string): string {
  return m.replace(/ at line \d+, column \d+[\s\S]*$/, '');
}

type Segment = string | number;

function decodePointer(p: string): Segment[] {
  if (p === '') return [];
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

/** The node at a path of keys and indexes; with `key`, the key node of the last step. */
function nodeAt(doc: Document, segs: Segment[], key = false): Node | null | undefined {
  let cur: unknown = doc.contents;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const last = i === segs.length - 1;
    if (isMap(cur)) {
      const pair = cur.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(s));
      if (!pair) return cur;
      if (last && key) return pair.key as Node;
      // A key without a value (`targets:`) has a null value node; point at the key then.
      cur = pair.value ?? pair.key;
    } else if (isSeq(cur) && typeof s === 'number') {
      cur = cur.items[s] ?? cur;
    } else return cur as Node;
  }
  return cur as Node;
}

function rangeOf(node: unknown): [number, number] {
  const r = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return r ? [r[0], r[1]] : [0, 0];
}

function where(segs: Segment[]): string {
  let s = '';
  for (const x of segs) s += typeof x === 'number' ? `[${x}]` : s ? `.${x}` : x;
  return s || 'the file';
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return `${typeof v === 'boolean' ? 'the boolean' : 'the number'} ${String(v)}`;
}

const TYPE_NAMES: Record<string, string> = { string: 'a string', array: 'a list', object: 'a mapping', boolean: 'true or false', number: 'a number', integer: 'an integer' };

function typeName(t: string | string[]): string {
  return ([] as string[]).concat(t).map((x) => TYPE_NAMES[x] ?? x).join(' or ');
}

function valueAt(data: unknown, segs: Segment[]): unknown {
  let cur = data;
  for (const s of segs) cur = (cur as Record<string | number, unknown> | undefined)?.[s];
  return cur;
}

/** One schema error as a positioned, plain-spoken problem; undefined for errors another one says better. */
function schemaProblem(doc: Document, data: unknown, err: ErrorObject): Problem | undefined {
  const segs = decodePointer(err.instancePath);
  const value = valueAt(data, segs);
  const at = (s: Segment[], key = false) => rangeOf(nodeAt(doc, s, key))[0];
  const isRuleId = err.schemaPath.startsWith('#/definitions/ruleId');
  const propertyName = (err as ErrorObject & { propertyName?: string }).propertyName;

  switch (err.keyword) {
    case 'additionalProperties': {
      const name = String((err.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys((schemaAt(segs) as { properties?: object }).properties ?? {});
      const hint = suggest(name, allowed);
      const inside = segs.length ? ` in ${where(segs)}` : '';
      return {
        offset: at([...segs, name], true),
        message: `unknown key "${name}"${inside}${hint ? ` (did you mean "${hint}"?)` : ''}; the keys are ${allowed.join(', ')}`,
      };
    }
    case 'propertyNames':
      return undefined; // the inner error (with propertyName) says which name and why
    case 'enum': {
      const allowed = (err.params as { allowedValues: unknown[] }).allowedValues.map(String);
      if (propertyName !== undefined) {
        const hint = suggest(propertyName, allowed);
        return { offset: at([...segs, propertyName], true), message: `unknown rule "${propertyName}" in ${where(segs)}${hint ? ` (did you mean "${hint}"?)` : ''}; the rules are ${allowed.join(', ')}` };
      }
      const hint = typeof value === 'string' ? suggest(value, allowed) : undefined;
      const what = isRuleId ? `unknown rule ${JSON.stringify(value)} in ${where(segs)}` : `${where(segs)} must be one of ${allowed.join(', ')}, not ${describeValue(value)}`;
      return { offset: at(segs), message: `${what}${hint ? ` (did you mean "${hint}"?)` : ''}${isRuleId ? `; the rules are ${allowed.join(', ')}` : ''}` };
    }
    case 'type':
      return { offset: at(segs), message: `${where(segs)} must be ${typeName((err.params as { type: string | string[] }).type)}, not ${describeValue(value)}` };
    case 'pattern':
      if (segs[0] === 'tags') {
        return { offset: at(segs), message: `${describeValue(value)} in ${where(segs)} is not a build tag (tags are letters, digits, '_' and '.')` };
      }
      return { offset: at(segs), message: `${where(segs)} ${err.message}` };
    case 'minItems':
    case 'minLength':
      return { offset: at(segs), message: `${where(segs)} must not be empty` };
    case 'uniqueItems': {
      const { i } = err.params as { i: number; j: number };
      const dup = (value as unknown[])[i];
      return { offset: at([...segs, i]), message: `${where(segs)} lists ${JSON.stringify(dup)} more than once` };
    }
    default:
      return { offset: at(segs), message: `${where(segs)} ${err.message ?? 'is not valid'}` };
  }
}

/** The schema object describing the value at a path (objects and arrays only). */
function schemaAt(segs: Segment[]): object {
  let s: Record<string, unknown> = schema as unknown as Record<string, unknown>;
  for (const x of segs) {
    const props = s.properties as Record<string, Record<string, unknown>> | undefined;
    if (typeof x === 'string' && props?.[x]) s = props[x];
    else if (typeof x === 'number' && s.items) s = s.items as Record<string, unknown>;
    else return {};
  }
  return s;
}

/** The closest allowed word when it is close enough to be a typo. */
export function suggest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = o;
    }
  }
  return best !== undefined && best !== word && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

