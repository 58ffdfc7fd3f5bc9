// Running a shell script in the abstract: each simple command with its words expanded as far
// as the script itself tells (variables it sets, `${X:-default}`), the environment it runs
// with (exported variables and prefix assignments, each with where it was set) and its
// working directory (after `cd`). Control flow is not followed: every command counts.
import type { Env, Evidence, Setting } from './types';
import { lexShell, type Part, type Token } from './shell-lex';

export interface Word {
  text: string;
  /** False when the word holds something the script does not define (a CI variable, a command substitution). */
  known: boolean;
}

export interface ShellCommand {
  words: Word[];
  /** The environment the command runs with: exported variables, then its own prefix assignments. */
  env: Env;
  /** Working directory relative to the script's starting directory ("" = unchanged), null when unknown. */
  cwd: string | null;
  at: Evidence;
}

export interface ShellInput {
  file: string;
  text: string;
  /** Line in `file` of the first character of `text`. */
  firstLine?: number;
  /** The text of each line of the whole file, for evidence (defaults to `text`'s lines). */
  fileLines?: string[];
  /** Inherited environment (all exported). */
  env?: Env;
  /** Values of command substitutions we can know: `$(dirname "$0")`, `$(git rev-parse --show-toplevel)`. */
  substitution?: (text: string) => string | undefined;
}

const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'case', 'esac', '{', '}', '!', 'time']);
/** Commands that run the rest of their arguments as a command. */
const WRAPPERS = new Set(['sudo', 'exec', 'nohup', 'command', 'builtin', 'xargs']);

export function runShell(input: ShellInput): ShellCommand[] {
  const first = input.firstLine ?? 1;
  const lines = input.fileLines ?? input.text.split('\n');
  const evidence = (line: number): Evidence => ({ file: input.file, line, text: (lines[line - (input.fileLines ? 1 : first)] ?? '').trim() });
  const tokens = lexShell(input.text, first);
  const vars: Env = new Map(input.env ?? []);
  const exported = new Set<string>(input.env?.keys() ?? []);
  let allExport = false;
  let cwd: string | null = '';
  const out: ShellCommand[] = [];

  let cmd: Token[] = [];
  const flush = () => {
    if (cmd.length) runCommand(cmd);
    cmd = [];
  };
  // A subshell's cd, assignments and exports end with it.
  const saved: { cwd: string | null; vars: Env; exported: Set<string>; allExport: boolean }[] = [];
  for (const t of tokens) {
    if (t.kind === 'word') {
      cmd.push(t);
      continue;
    }
    flush();
    if (t.op === '(') saved.push({ cwd, vars: new Map(vars), exported: new Set(exported), allExport });
    else if (t.op === ')' && saved.length) {
      const s = saved.pop()!;
      cwd = s.cwd;
      vars.clear();
      for (const [k, v] of s.vars) vars.set(k, v);
      exported.clear();
      for (const k of s.exported) exported.add(k);
      allExport = s.allExport;
    }
  }
  flush();
  return out;

  function runCommand(toks: Token[]): void {
    const words = toks.filter((t): t is Extract<Token, { kind: 'word' }> => t.kind === 'word');
    let k = 0;
    // Keywords that open or close compound commands: what follows is still a command.
    while (k < words.length && KEYWORDS.has(words[k].raw)) k++;
    if (k >= words.length) return;
    if (words[k].raw === 'for' || words[k].raw === 'select') {
      // `for x in ...`: the loop variable takes values we do not enumerate.
      if (words[k + 1]) vars.set(words[k + 1].raw, null);
      return;
    }
    const line = words[k].line;
    const at = evidence(line);
    // Prefix assignments.
    const local: Env = new Map();
    while (k < words.length && assignment(words[k])) {
      const a = assignment(words[k])!;
      local.set(a.name, settingOf(a.value, at));
      k++;
    }
    if (k >= words.length) {
      // A plain assignment: a shell variable, exported only if it already was (or under set -a).
      for (const [n, v] of local) {
        vars.set(n, v);
        if (allExport) exported.add(n);
      }
      return;
    }
    let argv = words.slice(k).flatMap((w) => expand(w.parts));
    // Wrappers and `env`: peel them off, keeping env's assignments.
    for (;;) {
      const head = argv[0]?.text;
      if (head === undefined) return;
      if (WRAPPERS.has(head)) {
        argv = argv.slice(1).filter((w, i) => !(i === 0 && w.text.startsWith('-')));
        continue;
      }
      if (head === 'env') {
        let j = 1;
        while (j < argv.length && (argv[j].text.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[j].text))) {
          const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(argv[j].text);
          if (m) local.set(m[1], argv[j].known ? { value: m[2], at } : null);
          j++;
        }
        argv = argv.slice(j);
        continue;
      }
      break;
    }
    const name = argv[0].text;
    if (name === 'export' || name === 'declare' || name === 'typeset' || name === 'readonly' || name === 'local') {
      const isExport = name === 'export' || argv.some((w) => w.text === '-x');
      for (const w of argv.slice(1)) {
        if (w.text.startsWith('-')) continue;
        const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/s.exec(w.text);
        if (!m) continue;
        if (m[2] !== undefined) vars.set(m[1], w.known ? { value: m[2], at } : null);
        if (isExport || allExport) exported.add(m[1]);
      }
      return;
    }
    if (name === 'unset') {
      for (const w of argv.slice(1)) {
        vars.delete(w.text);
        exported.delete(w.text);
      }
      return;
    }
    if (name === 'set') {
      for (const w of argv.slice(1)) {
        if (/^-[a-z]*a/.test(w.text)) allExport = true;
        if (/^\+[a-z]*a/.test(w.text)) allExport = false;
      }
      return;
    }
    if (name === 'cd' || name === 'pushd') {
      const dir = argv.slice(1).find((w) => !w.text.startsWith('-'));
      if (!dir) cwd = null; // cd alone goes home
      else if (!dir.known) cwd = null;
      else if (dir.text.startsWith('/')) cwd = dir.text; // absolute: the caller maps it, if it can
      else if (cwd !== null) cwd = joinPath(cwd, dir.text);
      return;
    }
    if (name === 'popd') {
      cwd = null;
      return;
    }
    const env: Env = new Map();
    for (const n of exported) if (vars.has(n)) env.set(n, vars.get(n)!);
    for (const [n, v] of local) env.set(n, v);
    out.push({ words: argv, env, cwd, at });
  }

  function assignment(w: Extract<Token, { kind: 'word' }>): { name: string; value: Word } | undefined {
    const first = w.parts[0];
    if (!first || !('lit' in first)) return undefined;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\+?=/.exec(first.lit);
    if (!m) return undefined;
    const rest: Part[] = [{ lit: first.lit.slice(m[0].length) }, ...w.parts.slice(1)];
    // The value of an assignment is not split into fields.
    const v = expandJoined(rest);
    return { name: m[1], value: v };
  }

  function settingOf(w: Word, at: Evidence): Setting | null {
    return w.known ? { value: w.text, at } : null;
  }

  /** A variable's value: set (known or not), else its default, else unknown (it may come from the caller). */
  function lookup(p: Extract<Part, { var: string }>): Word {
    const v = vars.get(p.var);
    if (p.alt) {
      if (v === undefined) return { text: '', known: true };
      return expandJoined(p.alt);
    }
    if (v === undefined || (v !== null && v.value === '' && p.def)) {
      if (p.def) return expandJoined(p.def);
      return { text: '$' + p.var, known: false };
    }
    if (v === null) return { text: '$' + p.var, known: false };
    return { text: v.value, known: true };
  }

  function expandJoined(parts: Part[]): Word {
    let text = '';
    let known = true;
    for (const p of parts) {
      if ('lit' in p) text += p.lit;
      else if ('var' in p) {
        const v = lookup(p);
        text += v.text;
        known &&= v.known;
      } else {
        const v = input.substitution?.(p.sub.trim());
        text += v ?? '$(' + p.sub + ')';
        known &&= v !== undefined;
      }
    }
    return { text, known };
  }

  /** Expand a word into fields: unquoted expansions split on whitespace, as the shell does. */
  function expand(parts: Part[]): Word[] {
    const fields: Word[] = [];
    let cur: Word | undefined;
    const add = (text: string, known: boolean) => {
      if (!cur) cur = { text: '', known: true };
      cur.text += text;
      cur.known &&= known;
    };
    for (const p of parts) {
      if ('lit' in p) add(p.lit, true);
      else if ('var' in p) {
        const v = lookup(p);
        if (p.quoted || !/\s/.test(v.text)) {
          add(v.text, v.known);
          continue;
        }
        const pieces = v.text.split(/\s+/);
        pieces.forEach((piece, idx) => {
          if (idx > 0) {
            if (cur && cur.text !== '') fields.push(cur);
            cur = undefined;
          }
          if (piece !== '') add(piece, v.known);
        });
      } else {
        const v = input.substitution?.(p.sub.trim());
        add(v ?? '$(' + p.sub + ')', v !== undefined);
      }
    }
    if (cur) fields.push(cur);
    return fields;
  }
}

/** Join a relative path onto a directory, both with forward slashes; ".." above the start stays as "..". */
export function joinPath(dir: string, rel: string): string {
  if (rel.startsWith('/')) return normalise(rel);
  return normalise(dir === '' ? rel : `${dir}/${rel}`);
}

export function normalise(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (seg === '..' && abs) continue;
    else out.push(seg);
  }
  return (abs ? '/' : '') + out.join('/');
}
