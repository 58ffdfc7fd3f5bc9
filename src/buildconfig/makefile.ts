// Reading a Makefile as GNU make would for our purpose: variables (=, :=, ?=, +=, export,
// target-specific), rules with their prerequisites and recipe lines, and the expansion of
// $(VAR) references in recipes. Functions ($(shell ...), $(foreach ...)) are left unexpanded,
// so the shell reader sees them as command substitutions: values we cannot know.
import type { Env, Evidence, Setting } from './types';

interface TargetVar {
  name: string;
  op: string;
  value: string;
  exported: boolean;
  at: Evidence;
}

export interface MakeRule {
  targets: string[];
  prereqs: string[];
  /** Recipe lines (continuations kept, leading tab and @-+ prefixes removed) with their first line. */
  recipe: { text: string; line: number }[];
  vars: TargetVar[];
  line: number;
}

export interface Makefile {
  file: string;
  lines: string[];
  /** Assignments in file order (replayed for each run, since `?=` depends on the environment). */
  assignments: { name: string; op: string; value: string; override: boolean; exported: boolean; at: Evidence }[];
  exports: Set<string>;
  exportAll: boolean;
  rules: MakeRule[];
  defaultGoal?: string;
}

const ASSIGN = /^(?:(override|export)\s+)?(?:(override|export)\s+)?([^\s:#=$()]+|\$\([^)]*\))\s*(:::=|::=|:=|\?=|\+=|!=|=)\s*(.*)$/s;
const TARGET_VAR = /^([^:=]+?)\s*:\s*(?:(override|export)\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*(:::=|::=|:=|\?=|\+=|=)\s*(.*)$/s;

export function parseMakefile(file: string, text: string): Makefile {
  const lines = text.split(/\r?\n/);
  const mf: Makefile = { file, lines, assignments: [], exports: new Set(), exportAll: false, rules: [] };
  const ev = (line: number): Evidence => ({ file, line, text: (lines[line - 1] ?? '').trim() });
  let rule: MakeRule | undefined;
  let inDefine: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i];
    if (inDefine !== undefined) {
      if (/^\s*endef\b/.test(line)) inDefine = undefined;
      continue;
    }
    if (rule && line.startsWith('\t')) {
      // A recipe line; its continuations go to the shell as they are.
      let body = line.slice(1);
      while (body.endsWith('\\') && i + 1 < lines.length) {
        i++;
        body += '\n' + lines[i].replace(/^\t/, '');
      }
      body = body.replace(/^[@+-]+\s*/, '');
      if (body.trim() !== '' && !body.trimStart().startsWith('#')) rule.recipe.push({ text: body, line: lineNo });
      continue;
    }
    // A logical line: continuations join with a space.
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i++;
      line = line.slice(0, -1).trimEnd() + ' ' + lines[i].trimStart();
    }
    const code = stripComment(line);
    if (code.trim() === '') continue;
    const trimmed = code.trim();
    const def = /^(?:(?:override|export)\s+)*define\s+([^\s=]+)/.exec(trimmed);
    if (def) {
      inDefine = def[1];
      mf.assignments.push({ name: def[1], op: 'define', value: '', override: false, exported: /\bexport\b/.test(trimmed.split('define')[0]), at: ev(lineNo) });
      rule = undefined;
      continue;
    }
    if (/^(ifeq|ifneq|ifdef|ifndef|else|endif|include|-include|sinclude|vpath|unexport)\b/.test(trimmed)) {
      // Conditionals are not evaluated: every branch's assignments count, in order.
      continue;
    }
    const tv = TARGET_VAR.exec(trimmed);
    if (tv) {
      // A target-specific variable: kept on a rule of its own, without recipe.
      const v = { name: tv[3], op: tv[4], value: tv[5].trim(), exported: tv[2] === 'export', at: ev(lineNo) };
      for (const t of tv[1].trim().split(/\s+/)) mf.rules.push({ targets: [t], prereqs: [], recipe: [], vars: [v], line: lineNo });
      rule = undefined;
      continue;
    }
    const a = ASSIGN.exec(trimmed);
    if (a) {
      const mods = [a[1], a[2]];
      mf.assignments.push({ name: a[3], op: a[4], value: a[5].trim(), override: mods.includes('override'), exported: mods.includes('export'), at: ev(lineNo) });
      if (a[3] === '.DEFAULT_GOAL') mf.defaultGoal = a[5].trim();
      rule = undefined;
      continue;
    }
    const exp = /^export\s+(.*)$/.exec(trimmed);
    if (exp) {
      if (exp[1].trim() === '') mf.exportAll = true;
      for (const n of exp[1].trim().split(/\s+/)) if (n) mf.exports.add(n);
      rule = undefined;
      continue;
    }
    const r = /^([^:=]+?)\s*(::?|&:)(?!=)\s*(.*)$/.exec(trimmed);
    if (r) {
      const [deps, inline] = splitInlineRecipe(r[3]);
      const targets = r[1].trim().split(/\s+/);
      if (targets.includes('.EXPORT_ALL_VARIABLES')) mf.exportAll = true;
      rule = { targets, prereqs: deps.trim().split(/\s+/).filter((p) => p && p !== '|'), recipe: [], vars: [], line: lineNo };
      if (inline !== undefined && inline.trim()) rule.recipe.push({ text: inline.trim(), line: lineNo });
      mf.rules.push(rule);
      if (mf.defaultGoal === undefined && !targets[0].startsWith('.') && !targets[0].includes('%')) mf.defaultGoal = targets[0];
      continue;
    }
    rule = undefined;
  }
  return mf;
}

/** `target: prereqs ; recipe` */
function splitInlineRecipe(s: string): [string, string | undefined] {
  const i = s.indexOf(';');
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

/** Remove a `#` comment (not one escaped as `\#`). */
function stripComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '#') return line.slice(0, i);
  }
  return line;
}

export interface MakeRun {
  /** Goals to run (with their prerequisites); undefined: every rule on its own, as a developer might run any of them. */
  goals?: string[];
  /** The environment make starts with. */
  env: Env;
  /** Variables set on make's command line (`make build CGO_ENABLED=0`). */
  cmdVars: Env;
}

export interface RecipeScript {
  /** The recipe line with make's variables expanded. */
  text: string;
  line: number;
  /** The environment make gives the shell for this line. */
  env: Env;
  target: string;
  /** Line of the rule the recipe belongs to. */
  ruleLine: number;
}

type VarValue = { value: string; recursive: boolean; at: Evidence; exported: boolean } | null;

/** The shell command lines make would run, expanded, with their environments. */
export function makeScripts(mf: Makefile, run: MakeRun): RecipeScript[] {
  // Global variables: the environment first (make imports it), then the file, then the command line.
  const vars = new Map<string, VarValue>();
  const exported = new Set<string>();
  for (const [k, v] of run.env) {
    vars.set(k, v ? { value: v.value, recursive: false, at: v.at, exported: true } : null);
    exported.add(k);
  }
  const fromCmd = new Set<string>();
  for (const [k, v] of run.cmdVars) {
    vars.set(k, v ? { value: v.value, recursive: false, at: v.at, exported: true } : null);
    exported.add(k);
    fromCmd.add(k);
  }
  for (const a of mf.assignments) applyAssign(vars, exported, fromCmd, a.name, a.op, a.value, a.override, a.exported, a.at);
  for (const n of mf.exports) exported.add(n);

  const out: RecipeScript[] = [];
  const runRule = (target: string, inherited: TargetVarSet, seen: Set<string>) => {
    if (seen.has(target)) return;
    seen.add(target);
    let rules = mf.rules.filter((r) => r.targets.includes(target) || r.targets.some((t) => expand(t, vars, {}) === target));
    // Without an explicit rule that has a recipe, the first pattern rule (`bin/%: ...`) whose
    // target matches builds it, with `%` as the stem ($*), as make's implicit rule search does.
    let stem: string | undefined;
    if (!rules.some((r) => r.recipe.length > 0)) {
      for (const r of mf.rules) {
        if (r.recipe.length === 0) continue;
        for (const t of r.targets) {
          const m = patternStem(expand(t, vars, {}), target);
          if (m !== undefined) {
            stem = m;
            break;
          }
        }
        if (stem !== undefined) {
          rules = [...rules, { ...r, prereqs: r.prereqs.map((p) => p.replace('%', stem!)) }];
          break;
        }
      }
    }
    // Target-specific variables apply to the target and, as make does, to its prerequisites.
    const tvars: TargetVarSet = [...inherited, ...rules.flatMap((r) => r.vars)];
    for (const r of rules) for (const p of r.prereqs) runRule(expand(p, vars, {}), tvars, seen);
    for (const r of rules) emit(r, target, tvars, stem);
  };
  const emit = (r: MakeRule, target: string, tvars: TargetVarSet, stem?: string) => {
    const local = new Map(vars);
    const localExported = new Set(exported);
    for (const v of tvars) applyAssign(local, localExported, fromCmd, v.name, v.op, v.value, false, v.exported, v.at);
    const slash = target.lastIndexOf('/');
    const autos: Record<string, string> = {
      '@': target,
      '<': r.prereqs[0] ?? '',
      '^': r.prereqs.join(' '),
      '@F': target.slice(slash + 1),
      '@D': slash < 0 ? '.' : target.slice(0, slash) || '/',
      ...(stem !== undefined ? { '*': stem } : {}),
    };
    for (const line of r.recipe) {
      const env: Env = new Map();
      for (const n of mf.exportAll ? local.keys() : localExported) {
        const v = local.get(n);
        if (v === undefined) continue;
        env.set(n, v === null ? null : { value: v.recursive ? expand(v.value, local, autos) : v.value, at: v.at });
      }
      out.push({ text: expand(line.text, local, autos), line: line.line, env, target, ruleLine: r.line });
    }
  };
  if (run.goals) {
    const seen = new Set<string>();
    for (const g of run.goals) runRule(g, [], seen);
  } else {
    for (const r of mf.rules) {
      // A pattern rule read on its own has no stem: what it builds is unknown.
      if (r.recipe.length === 0 || r.targets.every((t) => t.includes('%'))) continue;
      const target = expand(r.targets[0], vars, {});
      emit(r, target, mf.rules.filter((x) => x.targets.includes(r.targets[0])).flatMap((x) => x.vars));
    }
  }
  return out;
}

type TargetVarSet = TargetVar[];

function applyAssign(
  vars: Map<string, VarValue>,
  exported: Set<string>,
  fromCmd: Set<string>,
  rawName: string,
  op: string,
  value: string,
  override: boolean,
  isExport: boolean,
  at: Evidence,
): void {
  const name = expand(rawName, vars, {});
  if (fromCmd.has(name) && !override) return; // the command line wins
  if (isExport) exported.add(name);
  const cur = vars.get(name);
  switch (op) {
    case '?=':
      if (cur === undefined) vars.set(name, { value, recursive: true, at, exported: isExport });
      return;
    case '+=':
      if (cur === null) return;
      if (cur === undefined) vars.set(name, { value, recursive: true, at, exported: isExport });
      else vars.set(name, { value: `${cur.value} ${cur.recursive ? value : expand(value, vars, {})}`, recursive: cur.recursive, at, exported: cur.exported || isExport });
      return;
    case ':=':
    case '::=':
    case ':::=':
      vars.set(name, { value: expand(value, vars, {}), recursive: false, at, exported: isExport });
      return;
    case '!=':
    case 'define':
      vars.set(name, null);
      return;
    default:
      vars.set(name, { value, recursive: true, at, exported: isExport });
  }
}

/** Expand make references; unknown values and functions stay as written ($(X)), which the shell reader treats as unknown. */
export function expand(s: string, vars: Map<string, VarValue>, autos: Record<string, string>, depth = 0): string {
  if (depth > 20 || !s.includes('$')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const n = s[i + 1];
    if (n === '$') {
      out += '$';
      i++;
      continue;
    }
    if (n === '(' || n === '{') {
      const close = n === '(' ? ')' : '}';
      let d = 1;
      let j = i + 2;
      for (; j < s.length && d > 0; j++) {
        if (s[j] === n) d++;
        else if (s[j] === close) d--;
      }
      const inner = s.slice(i + 2, j - 1);
      const ref = /^[A-Za-z_.][A-Za-z0-9_.-]*$/.test(inner) || /^[@<^*?%][DF]?$/.test(inner) ? expand(inner, vars, autos, depth + 1) : undefined;
      const v = ref !== undefined ? lookup(ref) : undefined;
      out += v ?? `$(${inner})`;
      i = j - 1;
      continue;
    }
    if (n !== undefined) {
      out += lookup(n) ?? `$(${n})`;
      i++;
      continue;
    }
    out += c;
  }
  return out;

  function lookup(name: string): string | undefined {
    if (name in autos) return autos[name];
    if (name === 'MAKE') return 'make';
    if (name === 'CURDIR') return undefined;
    const v = vars.get(name);
    // An undefined variable is empty, as in make (the environment's are already in `vars`); one set to an unknown value stays unknown.
    if (v === undefined) return '';
    if (v === null) return undefined;
    return v.recursive ? expand(v.value, vars, autos, depth + 1) : v.value;
  }
}

/** The stem when `target` matches the pattern (one `%`), else undefined. */
function patternStem(pattern: string, target: string): string | undefined {
  const i = pattern.indexOf('%');
  if (i < 0 || pattern.indexOf('%', i + 1) >= 0) return undefined;
  const pre = pattern.slice(0, i);
  const post = pattern.slice(i + 1);
  if (target.length <= pre.length + post.length || !target.startsWith(pre) || !target.endsWith(post)) return undefined;
  return target.slice(pre.length, target.length - post.length);
}

export type { Setting };
