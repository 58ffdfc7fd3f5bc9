// Readers for the files that tell the go command where code comes from: go.mod, go.work
// and vendor/modules.txt. The grammar and the checks follow golang.org/x/mod/modfile as
// the go command applies it, so that a file the go command rejects is rejected here too,
// with the file and line of the problem.
import * as fs from 'node:fs';
import { ConfigError } from '../errors';

/** A problem with the configuration the go command reads (go.mod, go.work, GOWORK, ...): exit code 2. */
export class DiscoverConfigError extends ConfigError {
  constructor(message: string) {
    super(message);
    this.name = 'DiscoverConfigError';
  }
}

/** A go.mod, go.work or modules.txt the go command would refuse; `line` is 1-based (0: the whole file). */
export class GoModError extends DiscoverConfigError {
  readonly file: string;
  readonly line: number;
  /** What is wrong, without the file:line prefix. */
  readonly reason: string;
  /** Every problem found in the file (the first one is this error's). */
  readonly all: { line: number; reason: string }[];
  constructor(file: string, line: number, reason: string, all?: { line: number; reason: string }[]) {
    super(line > 0 ? `${file}:${line}: ${reason}` : `${file}: ${reason}`);
    this.name = 'GoModError';
    this.file = file;
    this.line = line;
    this.reason = reason;
    this.all = all ?? [{ line, reason }];
  }
}

export interface ModVersion {
  path: string;
  version: string;
}

export interface Require extends ModVersion {
  indirect: boolean;
  line: number;
}

/** `replace old [v] => new [v]`; `new.version` is absent when `new.path` is a directory. */
export interface Replace {
  old: { path: string; version?: string };
  new: { path: string; version?: string };
  line: number;
}

export interface Retract {
  low: string;
  high: string;
  rationale: string;
  line: number;
}

export interface GoMod {
  file: string;
  /** The module path ('' only for a dependency's go.mod read leniently without one). */
  module: string;
  /** The module's deprecation message, from a "Deprecated:" paragraph in its comments. */
  deprecated?: string;
  go?: string;
  toolchain?: string;
  godebug: { key: string; value: string; line: number }[];
  require: Require[];
  exclude: (ModVersion & { line: number })[];
  replace: Replace[];
  retract: Retract[];
  tool: { path: string; line: number }[];
  ignore: { path: string; line: number }[];
}

export interface GoWork {
  file: string;
  go?: string;
  toolchain?: string;
  godebug: { key: string; value: string; line: number }[];
  use: { path: string; line: number }[];
  replace: Replace[];
}

// ---------------------------------------------------------------------------
// Lexer: the modfile token stream. Newlines end statements; `//` comments run to the end of
// the line (and end it); ( ) [ ] { } , are punctuation; everything else printable is an
// identifier; "..." and `...` are strings.

type TokKind = 'ident' | 'string' | 'punct' | 'eol' | 'comment' | 'eolcomment' | 'eof';

interface Tok {
  kind: TokKind;
  text: string;
  line: number;
  col: number;
}

class Lexer {
  private pos = 0;
  private line = 1;
  private col = 1;
  readonly errors: { line: number; reason: string }[] = [];
  constructor(private readonly src: string) {}

  private advance(): string {
    const c = this.src[this.pos++];
    if (c === '\n') {
      this.line++;
      this.col = 1;
    } else this.col++;
    return c;
  }

  /** Everything, or undefined after a lexical error (which the go command treats as fatal). */
  tokens(): Tok[] | undefined {
    const out: Tok[] = [];
    const src = this.src;
    while (this.pos < src.length) {
      const c = src[this.pos];
      if (c === ' ' || c === '\t' || c === '\r') {
        this.advance();
        continue;
      }
      const line = this.line;
      const col = this.col;
      if (src.startsWith('//', this.pos)) {
        // A comment alone on its line is a statement of its own; one after code ends that code's line.
        const lineStart = src.lastIndexOf('\n', this.pos - 1) + 1;
        const alone = src.slice(lineStart, this.pos).trim() === '';
        const end = src.indexOf('\n', this.pos);
        const stop = end < 0 ? src.length : end;
        const text = src.slice(this.pos, stop).replace(/\r$/, '');
        while (this.pos < stop) this.advance();
        if (end >= 0) this.advance();
        out.push({ kind: alone ? 'comment' : 'eolcomment', text, line, col });
        continue;
      }
      if (src.startsWith('/*', this.pos)) return this.fail(line, 'mod files must use // comments (not /* */ comments)');
      if (c === '\n') {
        this.advance();
        out.push({ kind: 'eol', text: '\n', line, col });
        continue;
      }
      if ('()[]{},'.includes(c)) {
        this.advance();
        out.push({ kind: 'punct', text: c, line, col });
        continue;
      }
      if (c === '"' || c === '`') {
        const start = this.pos;
        this.advance();
        for (;;) {
          if (this.pos >= src.length) return this.fail(line, 'unexpected EOF in string');
          if (src[this.pos] === '\n') return this.fail(this.line, 'unexpected newline in string');
          const d = this.advance();
          if (d === c) break;
          if (d === '\\' && c !== '`') {
            if (this.pos >= src.length) return this.fail(line, 'unexpected EOF in string');
            this.advance();
          }
        }
        out.push({ kind: 'string', text: src.slice(start, this.pos), line, col });
        continue;
      }
      if (!isIdentChar(src.codePointAt(this.pos)!)) {
        return this.fail(line, `unexpected input character ${JSON.stringify(String.fromCodePoint(src.codePointAt(this.pos)!))}`);
      }
      const start = this.pos;
      while (this.pos < src.length && isIdentChar(src.codePointAt(this.pos)!)) {
        if (src.startsWith('//', this.pos)) break;
        if (src.startsWith('/*', this.pos)) return this.fail(this.line, 'mod files must use // comments (not /* */ comments)');
        const cp = src.codePointAt(this.pos)!;
        this.advance();
        if (cp > 0xffff) this.pos++; // the second UTF-16 unit of the code point
      }
      out.push({ kind: 'ident', text: src.slice(start, this.pos), line, col });
    }
    out.push({ kind: 'eof', text: '', line: this.line, col: this.col });
    return out;
  }

  private fail(line: number, reason: string): undefined {
    this.errors.push({ line, reason });
    return undefined;
  }
}

function isIdentChar(cp: number): boolean {
  if (' ()[]{},'.includes(String.fromCodePoint(cp))) return false;
  if (/\s/u.test(String.fromCodePoint(cp))) return false;
  // Printable: not a control, format, surrogate or unassigned code point.
  return !/[\p{Cc}\p{Cf}\p{Cs}\p{Cn}\p{Zl}\p{Zp}]/u.test(String.fromCodePoint(cp));
}

// ---------------------------------------------------------------------------
// Statements: a line of tokens, or a block `verb ( ... )` of lines.

interface Line {
  tokens: Tok[];
  /** The `//` comment at the end of the line, if any. */
  suffix?: string;
  /** Full-line comments just above the line (inside a block, or above a statement). */
  before: string[];
  line: number;
}

interface Stmt {
  verb: Tok[];
  /** Full-line comments just above a block statement. */
  before?: string[];
  /** Set for blocks: the lines between the parentheses. */
  block?: Line[];
  single?: Line;
  line: number;
}

function isEOL(t: Tok): boolean {
  return t.kind === 'eol' || t.kind === 'eof' || t.kind === 'eolcomment';
}

function parseStatements(toks: Tok[], errors: { line: number; reason: string }[], file: string): Stmt[] {
  const stmts: Stmt[] = [];
  let i = 0;
  let comments: string[] = [];
  const readLine = (): Line => {
    const start = toks[i];
    const line: Line = { tokens: [], before: comments, line: start.line };
    comments = [];
    while (!isEOL(toks[i])) line.tokens.push(toks[i++]);
    if (toks[i].kind === 'eolcomment') line.suffix = toks[i].text;
    if (toks[i].kind !== 'eof') i++;
    return line;
  };
  while (toks[i].kind !== 'eof') {
    const t = toks[i];
    if (t.kind === 'eol') {
      comments = [];
      i++;
      continue;
    }
    if (t.kind === 'comment') {
      comments.push(t.text);
      i++;
      continue;
    }
    // A statement: tokens up to the end of the line; '(' followed by a newline opens a block.
    const startLine = t.line;
    const verb: Tok[] = [];
    const before = comments;
    comments = [];
    let opened = false;
    let empty = false;
    while (!isEOL(toks[i])) {
      const tk = toks[i];
      if (tk.kind === 'punct' && tk.text === '(') {
        if (isEOL(toks[i + 1])) {
          opened = true;
          i++;
          break;
        }
        if (toks[i + 1].kind === 'punct' && toks[i + 1].text === ')' && isEOL(toks[i + 2])) {
          // `require ()`: an empty block.
          empty = true;
          i += 2;
          break;
        }
      }
      verb.push(toks[i++]);
    }
    if (!opened) {
      const suffix = toks[i].kind === 'eolcomment' ? toks[i].text : undefined;
      if (toks[i].kind !== 'eof') i++;
      if (empty) stmts.push({ verb, block: [], line: startLine, before });
      else stmts.push({ verb: [], single: { tokens: verb, suffix, before, line: startLine }, line: startLine });
      continue;
    }
    // Inside a block: the rest of the '(' line is a comment or nothing.
    if (toks[i].kind !== 'eof') i++;
    const block: Line[] = [];
    let closed = false;
    while (toks[i].kind !== 'eof') {
      const b = toks[i];
      if (b.kind === 'eol') {
        comments = [];
        i++;
      } else if (b.kind === 'comment') {
        comments.push(b.text);
        i++;
      } else if (b.kind === 'eolcomment') {
        i++;
      } else if (b.kind === 'punct' && b.text === ')') {
        i++;
        if (!isEOL(toks[i])) {
          errors.push({ line: toks[i].line, reason: 'syntax error (expected newline after closing paren)' });
          return stmts;
        }
        if (toks[i].kind !== 'eof') i++;
        closed = true;
        break;
      } else {
        block.push(readLine());
      }
    }
    if (!closed) {
      errors.push({ line: toks[i].line, reason: `syntax error (unterminated block started at ${file}:${startLine})` });
      return stmts;
    }
    comments = [];
    stmts.push({ verb, block, line: startLine, before });
  }
  return stmts;
}

// ---------------------------------------------------------------------------
// Values.

/** A Go interpreted string literal ("..."), as strconv.Unquote reads it. */
function unquoteGo(s: string): string | undefined {
  if (s.length < 2 || s[0] !== '"' || s[s.length - 1] !== '"') return undefined;
  let out = '';
  for (let i = 1; i < s.length - 1; i++) {
    const c = s[i];
    if (c === '"') return undefined;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = s[++i];
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"' };
    if (e in simple) out += simple[e];
    else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = s.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(hex)) return undefined;
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) return undefined;
      out += e === 'x' ? Buffer.from([cp]).toString('latin1') : String.fromCodePoint(cp);
      i += n;
    } else if (e >= '0' && e <= '7') {
      const oct = s.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) return undefined;
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else return undefined;
  }
  return out;
}

/** modfile's parseString: a quoted string is unquoted; other quotes in a bare word are an error. */
function parseString(tok: Tok): { value: string } | { error: string } {
  const t = tok.text;
  if (t.startsWith('"')) {
    const v = unquoteGo(t);
    return v === undefined ? { error: `invalid quoted string: invalid syntax` } : { value: v };
  }
  if (/["'`]/.test(t)) return { error: 'invalid quoted string: unquoted string cannot contain quote' };
  return { value: t };
}

const SEMVER = /^v(0|[1-9]\d*)(?:\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?)?(-(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*)?(\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** Whether `v` is valid semantic version syntax as golang.org/x/mod/semver reads it (v1, v1.2 allowed). */
export function isValidSemver(v: string): boolean {
  const m = SEMVER.exec(v);
  if (!m) return false;
  // Shorthands (v1, v1.2) may not carry a prerelease or build suffix.
  if ((m[2] === undefined || m[3] === undefined) && (m[4] || m[5])) return false;
  return true;
}

/** The form module versions are written in: vX.Y.Z[-pre], keeping only a +incompatible build suffix. */
export function canonicalVersion(v: string): string | undefined {
  const m = SEMVER.exec(v);
  if (!m || !isValidSemver(v)) return undefined;
  const base = `v${m[1]}.${m[2] ?? '0'}.${m[3] ?? '0'}${m[4] ?? ''}`;
  return m[5] === '+incompatible' ? base + m[5] : base;
}

function semverParts(v: string): { nums: number[]; pre: string[] } | undefined {
  const m = SEMVER.exec(v);
  if (!m) return undefined;
  return { nums: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)], pre: m[4] ? m[4].slice(1).split('.') : [] };
}

/** semver.Compare: -1, 0 or 1; build suffixes (+incompatible) do not count; invalid versions sort first. */
export function compareSemver(a: string, b: string): number {
  const x = semverParts(a);
  const y = semverParts(b);
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return x.nums[i] < y.nums[i] ? -1 : 1;
  if (!x.pre.length || !y.pre.length) return x.pre.length === y.pre.length ? 0 : x.pre.length ? -1 : 1;
  for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return p.length !== q.length ? (p.length < q.length ? -1 : 1) : p < q ? -1 : 1;
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return x.pre.length === y.pre.length ? 0 : x.pre.length < y.pre.length ? -1 : 1;
}

/** The go directive's syntax (modfile.GoVersionRE). */
export const GO_VERSION_RE = /^([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?$/;
const TOOLCHAIN_RE = /^default$|^go1($|\.)/;

/** gover.Compare for Go versions such as 1.21, 1.21rc1, 1.21.0: -1, 0 or 1. */
export function compareGoVersion(a: string, b: string): number {
  const parse = (v: string): number[] => {
    const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?([a-z]+)?(\d+)?/.exec(v);
    if (!m) return [0, 0, -3, 0, 0];
    // "1.21" is the language version, before 1.21rc1, before 1.21.0.
    const kind = m[4] ? { alpha: 0, beta: 1, rc: 2 }[m[4]] ?? 0 : 3;
    const patch = m[3] !== undefined ? Number(m[3]) : m[4] ? -1 : -2;
    return [Number(m[1]), Number(m[2] ?? 0), patch, kind, Number(m[5] ?? 0)];
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

/** A replacement target that is a directory rather than a module (modfile.IsDirectoryPath). */
export function isDirectoryPath(p: string): boolean {
  return (
    p === '.' || p.startsWith('./') || p.startsWith('.\\') || p === '..' || p.startsWith('../') || p.startsWith('..\\') ||
    p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:/.test(p)
  );
}

/** The major-version suffix of a module path: "/v2", ".v1" (gopkg.in) or "". */
function pathMajor(p: string): string | undefined {
  if (p.startsWith('gopkg.in/')) {
    const m = /\.(v(?:0|[1-9]\d*))(-unstable)?$/.exec(p);
    return m ? `.${m[1]}${m[2] ?? ''}` : undefined;
  }
  const m = /\/v(\d+)$/.exec(p);
  if (!m) return '';
  if (m[1] === '0' || m[1] === '1' || m[1].startsWith('0')) return undefined;
  return `/v${m[1]}`;
}

function checkPathMajor(v: string, major: string): string | undefined {
  const vm = /^v(\d+)/.exec(v)?.[1];
  if (v.endsWith('+incompatible')) return major === '' ? undefined : `invalid version: +incompatible suffix not allowed: module path includes a major version suffix, so major version must match`;
  if (major === '') {
    if (vm === '0' || vm === '1') return undefined;
    return `invalid version: should be v0 or v1, not v${vm}`;
  }
  const want = major.replace(/^[./]v/, '').replace(/-unstable$/, '');
  if (major.startsWith('.') && want === '1' && (vm === '0' || v.startsWith('v0.0.0-'))) return undefined;
  if (vm !== want) return `invalid version: should be v${want}, not v${vm}`;
  return undefined;
}

// ---------------------------------------------------------------------------
// go.mod

/**
 * Parse a go.mod. `strict` (the default) reads it as the go command reads the main
 * module's: unknown directives and malformed lines are errors. A dependency's go.mod is
 * read leniently: only module, go, require, retract and ignore count.
 */
export function parseGoMod(text: string, file: string, opts: { strict?: boolean } = {}): GoMod {
  const strict = opts.strict ?? true;
  const mod: GoMod = { file, module: '', godebug: [], require: [], exclude: [], replace: [], retract: [], tool: [], ignore: [] };
  const errors: { line: number; reason: string }[] = [];
  const stmts = lexAndParse(text, file, errors);
  let sawModule = false;
  for (const { verb, line, args, suffix, comment } of flatten(stmts, errors, ['module', 'godebug', 'require', 'exclude', 'replace', 'retract', 'tool', 'ignore'])) {
    const err = (reason: string): void => {
      errors.push({ line, reason });
    };
    if (!strict && !['go', 'module', 'retract', 'require', 'ignore'].includes(verb)) continue;
    switch (verb) {
      case 'module': {
        if (sawModule) {
          err('repeated module statement');
          break;
        }
        sawModule = true;
        // "Deprecated: ..." as its own paragraph of the module line's comments.
        const dep = /(?:^|\n\n)Deprecated: *([\s\S]*?)(?:$|\n\n)/.exec(comment);
        if (dep) mod.deprecated = dep[1];
        if (args.length !== 1) {
          err('usage: module module/path');
          break;
        }
        const s = parseString(args[0]);
        if ('error' in s) err(s.error);
        else mod.module = s.value;
        break;
      }
      case 'go': {
        if (mod.go !== undefined) err('repeated go statement');
        else if (args.length !== 1) err('go directive expects exactly one argument');
        else if (!GO_VERSION_RE.test(args[0].text)) {
          // A dependency's go.mod may say "go 1.21.x-foo"; the go command keeps the 1.21.
          const lax = !strict ? /^v?(([1-9][0-9]*)\.(0|[1-9][0-9]*))([^0-9].*)$/.exec(args[0].text) : null;
          if (lax) mod.go = lax[1];
          else err(`invalid go version '${args[0].text}': must match format 1.23.0`);
        } else mod.go = args[0].text;
        break;
      }
      case 'toolchain':
        if (mod.toolchain !== undefined) err('repeated toolchain statement');
        else if (args.length !== 1) err('toolchain directive expects exactly one argument');
        else if (!TOOLCHAIN_RE.test(args[0].text)) err(`invalid toolchain version '${args[0].text}': must match format go1.23.0 or default`);
        else mod.toolchain = args[0].text;
        break;
      case 'godebug': {
        const kv = args.length === 1 && !/["`',]/.test(args[0].text) ? /^([^=]*)=(.*)$/.exec(args[0].text) : null;
        if (!kv) err('usage: godebug key=value');
        else mod.godebug.push({ key: kv[1], value: kv[2], line });
        break;
      }
      case 'require':
      case 'exclude': {
        if (args.length !== 2) {
          err(`usage: ${verb} module/path v1.2.3`);
          break;
        }
        const s = parseString(args[0]);
        if ('error' in s) {
          err(s.error);
          break;
        }
        const v = checkVersion(verb, s.value, args[1].text);
        if ('error' in v) {
          err(v.error);
          break;
        }
        if (verb === 'require') mod.require.push({ path: s.value, version: v.version, indirect: isIndirect(suffix), line });
        else mod.exclude.push({ path: s.value, version: v.version, line });
        break;
      }
      case 'replace': {
        const r = parseReplace(args, line);
        if ('error' in r) err(r.error);
        else mod.replace.push(r.replace);
        break;
      }
      case 'retract': {
        const r = parseRetract(args);
        if ('error' in r) {
          if (strict) err(r.error);
          break;
        }
        mod.retract.push({ low: r.low, high: r.high, rationale: comment, line });
        break;
      }
      case 'tool':
      case 'ignore': {
        if (args.length !== 1) {
          err(`${verb} directive expects exactly one argument`);
          break;
        }
        const s = parseString(args[0]);
        if ('error' in s) err(s.error);
        else mod[verb].push({ path: s.value, line });
        break;
      }
      default:
        if (strict) err(`unknown directive: ${verb}`);
    }
  }
  if (!errors.length && strict && !sawModule) {
    errors.push({ line: 0, reason: 'missing module declaration. To specify the module path: go mod edit -module=example.com/mod' });
  }
  throwIfAny(file, errors);
  return mod;
}

/** Read and parse a go.mod; an unreadable file is a GoModError too. */
export function readGoMod(file: string, opts: { strict?: boolean } = {}): GoMod {
  return parseGoMod(readText(file), file, opts);
}

// ---------------------------------------------------------------------------
// go.work

export function parseGoWork(text: string, file: string): GoWork {
  const work: GoWork = { file, godebug: [], use: [], replace: [] };
  const errors: { line: number; reason: string }[] = [];
  const stmts = lexAndParse(text, file, errors);
  for (const { verb, line, args } of flatten(stmts, errors, ['godebug', 'use', 'replace'])) {
    const err = (reason: string): void => {
      errors.push({ line, reason });
    };
    switch (verb) {
      case 'go':
        if (work.go !== undefined) err('repeated go statement');
        else if (args.length !== 1) err('go directive expects exactly one argument');
        else if (!GO_VERSION_RE.test(args[0].text)) err(`invalid go version '${args[0].text}': must match format 1.23.0`);
        else work.go = args[0].text;
        break;
      case 'toolchain':
        if (work.toolchain !== undefined) err('repeated toolchain statement');
        else if (args.length !== 1) err('toolchain directive expects exactly one argument');
        else if (!TOOLCHAIN_RE.test(args[0].text)) err(`invalid toolchain version '${args[0].text}': must match format go1.23.0 or default`);
        else work.toolchain = args[0].text;
        break;
      case 'godebug': {
        const kv = args.length === 1 && !/["`',]/.test(args[0].text) ? /^([^=]*)=(.*)$/.exec(args[0].text) : null;
        if (!kv) err('usage: godebug key=value');
        else work.godebug.push({ key: kv[1], value: kv[2], line });
        break;
      }
      case 'use': {
        if (args.length !== 1) {
          err('usage: use local/dir');
          break;
        }
        const s = parseString(args[0]);
        if ('error' in s) err(s.error);
        else work.use.push({ path: s.value, line });
        break;
      }
      case 'replace': {
        const r = parseReplace(args, line);
        if ('error' in r) err(r.error);
        else work.replace.push(r.replace);
        break;
      }
      default:
        err(`unknown directive: ${verb}`);
    }
  }
  throwIfAny(file, errors);
  return work;
}

export function readGoWork(file: string): GoWork {
  return parseGoWork(readText(file), file);
}

// ---------------------------------------------------------------------------
// vendor/modules.txt, read the way the go command's readVendorList reads it: lines it
// does not understand are skipped, never fatal.

export interface VendorModule {
  path: string;
  /** Absent for a `# path => replacement` line (a wildcard replacement). */
  version?: string;
  replacement?: { path: string; version?: string };
  /** `## explicit`: the main module's go.mod requires it directly. */
  explicit: boolean;
  /** `## go 1.21`: the go version its go.mod declares. */
  goVersion?: string;
  packages: string[];
  line: number;
}

export interface VendorList {
  file: string;
  /** Whether the first line is `## workspace` (written by `go work vendor`). */
  workspace: boolean;
  modules: VendorModule[];
  /** Vendored package import path → the module providing it. */
  packageModule: Map<string, VendorModule>;
}

export function parseModulesTxt(text: string, file: string): VendorList {
  const list: VendorList = { file, workspace: false, modules: [], packageModule: new Map() };
  const lines = text.split('\n');
  const first = lines[0] ?? '';
  if (first.startsWith('## ')) list.workspace = first.slice(3).split(';').some((e) => e.trim() === 'workspace');
  let cur: VendorModule | undefined;
  lines.forEach((raw, idx) => {
    const line = raw.replace(/\r$/, '');
    if (line.startsWith('# ')) {
      const f = line.split(/\s+/).filter(Boolean);
      cur = undefined;
      if (f.length < 3) return;
      let rest: string[];
      if (isValidSemver(f[2])) {
        cur = { path: f[1], version: f[2], explicit: false, packages: [], line: idx + 1 };
        rest = f.slice(3);
      } else if (f[2] === '=>') {
        cur = { path: f[1], explicit: false, packages: [], line: idx + 1 };
        rest = f.slice(2);
      } else return;
      if (rest.length >= 2 && rest[0] === '=>') {
        if (rest.length === 2) cur.replacement = { path: rest[1] };
        else if (rest.length === 3 && isValidSemver(rest[2])) cur.replacement = { path: rest[1], version: rest[2] };
      }
      list.modules.push(cur);
      return;
    }
    if (!cur) return;
    if (line.startsWith('## ')) {
      for (const entry of line.slice(3).split(';').map((e) => e.trim())) {
        if (entry === 'explicit') cur.explicit = true;
        else if (entry.startsWith('go ')) cur.goVersion = entry.slice(3).trim();
      }
      return;
    }
    const f = line.split(/\s+/).filter(Boolean);
    if (f.length === 1 && !f[0].startsWith('#')) {
      cur.packages.push(f[0]);
      list.packageModule.set(f[0], cur);
    }
  });
  return list;
}

export function readModulesTxt(file: string): VendorList {
  return parseModulesTxt(readText(file), file);
}

// ---------------------------------------------------------------------------
// Shared helpers.

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new GoModError(file, 0, code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}`);
  }
}

function lexAndParse(text: string, file: string, errors: { line: number; reason: string }[]): Stmt[] {
  const lexer = new Lexer(text);
  const toks = lexer.tokens();
  if (!toks) {
    errors.push(...lexer.errors);
    throwIfAny(file, errors);
    return [];
  }
  return parseStatements(toks, errors, file);
}

interface Directive {
  verb: string;
  line: number;
  args: Tok[];
  suffix?: string;
  before: string[];
  /** The comments that document the directive (modfile's parseDirectiveComment). */
  comment: string;
}

/** The text of comments above and at the end of a line, one line each, without the slashes. */
function commentText(before: string[], suffix: string | undefined): string {
  return [...before, ...(suffix ? [suffix] : [])].map((c) => c.replace(/^\/\//, '').trim()).join('\n');
}

/** Statements and block lines as one list of directives; unknown block kinds are errors. */
function flatten(stmts: Stmt[], errors: { line: number; reason: string }[], blockVerbs: string[]): Directive[] {
  const out: Directive[] = [];
  for (const s of stmts) {
    if (s.single) {
      const [verb, ...args] = s.single.tokens;
      out.push({ verb: verb.text, line: s.line, args, suffix: s.single.suffix, before: s.single.before, comment: commentText(s.single.before, s.single.suffix) });
      continue;
    }
    const verbText = s.verb.map((t) => t.text).join(' ');
    if (s.verb.length !== 1 || !blockVerbs.includes(s.verb[0].text)) {
      errors.push({ line: s.line, reason: `unknown block type: ${verbText}` });
      continue;
    }
    for (const l of s.block ?? []) {
      // A line without comments of its own takes the block's.
      const own = l.before.length || l.suffix ? commentText(l.before, l.suffix) : undefined;
      out.push({ verb: verbText, line: l.line, args: l.tokens, suffix: l.suffix, before: l.before, comment: own ?? commentText(s.before ?? [], undefined) });
    }
  }
  return out;
}

function throwIfAny(file: string, errors: { line: number; reason: string }[]): void {
  if (!errors.length) return;
  errors.sort((a, b) => a.line - b.line);
  throw new GoModError(file, errors[0].line, errors[0].reason, errors);
}

function isIndirect(suffix: string | undefined): boolean {
  if (!suffix) return false;
  const f = suffix.replace(/^\/\//, '').trim().split(/\s+/);
  return (f.length === 1 && f[0] === 'indirect') || (f.length > 1 && f[0] === 'indirect;');
}

/** A version as the main module may write it: canonical semver whose major matches the path. */
function checkVersion(verb: string, modPath: string, v: string): { version: string } | { error: string } {
  const major = pathMajor(modPath);
  if (major === undefined) return { error: `${modPath}: invalid module path: malformed major version suffix` };
  const cv = canonicalVersion(v);
  if (cv !== v) {
    if (cv === undefined) return { error: `${verb} ${modPath}: version "${v}" invalid: must be of the form v1.2.3` };
    // The go command would look the version up to canonicalise it, which needs the network.
    return { error: `${verb} ${modPath}: version "${v}" is not canonical (the go command would rewrite it as ${cv})` };
  }
  const bad = checkPathMajor(v, major);
  return bad ? { error: `${modPath}@${v}: ${bad}` } : { version: v };
}

function parseReplace(args: Tok[], line: number): { replace: Replace } | { error: string } {
  const arrow = args.length >= 2 && args[1].text === '=>' ? 1 : 2;
  if (args.length < arrow + 2 || args.length > arrow + 3 || args[arrow].text !== '=>') {
    return { error: 'usage: replace module/path [v1.2.3] => other/module v1.4\n\t or replace module/path [v1.2.3] => ../local/directory' };
  }
  const s = parseString(args[0]);
  if ('error' in s) return s;
  let oldVersion: string | undefined;
  if (arrow === 2) {
    const v = checkVersion('replace', s.value, args[1].text);
    if ('error' in v) return v;
    oldVersion = v.version;
  }
  const ns = parseString(args[arrow + 1]);
  if ('error' in ns) return ns;
  let newVersion: string | undefined;
  if (args.length === arrow + 2) {
    if (!isDirectoryPath(ns.value)) {
      if (ns.value.includes('@')) return { error: "replacement module must match format 'path version', not 'path@version'" };
      return { error: 'replacement module without version must be directory path (rooted or starting with . or ..)' };
    }
    if (process.platform !== 'win32' && ns.value.includes('\\')) return { error: 'replacement directory appears to be Windows path (on a non-windows system)' };
  } else {
    const v = checkVersion('replace', ns.value, args[arrow + 2].text);
    if ('error' in v) return v;
    if (isDirectoryPath(ns.value)) return { error: `replacement module directory path "${ns.value}" cannot have version` };
    newVersion = v.version;
  }
  return { replace: { old: { path: s.value, version: oldVersion }, new: { path: ns.value, version: newVersion }, line } };
}

function parseRetract(args: Tok[]): { low: string; high: string } | { error: string } {
  const t = args.map((a) => a.text);
  const version = (v: string | undefined): string | { error: string } => {
    if (v === undefined) return { error: 'expected version' };
    const cv = canonicalVersion(v);
    return cv === v ? v : { error: `retract: version "${v}" invalid: must be of the form v1.2.3` };
  };
  if (t.length === 0 || t[0] === '(') return { error: "expected '[' or version" };
  if (t[0] !== '[') {
    const v = version(t[0]);
    if (typeof v !== 'string') return v;
    if (t.length > 1) return { error: `unexpected token after version: ${JSON.stringify(t[1])}` };
    return { low: v, high: v };
  }
  if (t.length < 2) return { error: "expected version after '['" };
  const low = version(t[1]);
  if (typeof low !== 'string') return low;
  if (t[2] !== ',') return { error: "expected ',' after version" };
  if (t.length < 4) return { error: "expected version after ','" };
  const high = version(t[3]);
  if (typeof high !== 'string') return high;
  if (t[4] !== ']') return { error: "expected ']' after version" };
  if (t.length > 5) return { error: `unexpected token after version: ${JSON.stringify(t[5])}` };
  return { low, high };
}
