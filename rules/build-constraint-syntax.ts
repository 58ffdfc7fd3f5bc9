// build-constraint-syntax: build constraints and file names that do not say what their
// author meant. It reports everything `go vet`'s buildtag analyzer reports, with the same
// meaning, and also the near misses Go silently reads as ordinary comments, tags that look
// like a GOOS or GOARCH but are none, file names that look platform-specific but are not,
// and conditions that no port of the toolchain can satisfy.
import type { Rule, RuleContext } from '../src/rule';
import type { Diagnostic, Fix, Level, RuleMeta } from '../src/types';
import type { SourceFile } from '../src/model/types';
import {
  ConstraintSyntaxError, type Expr, exprString, goTrimSpace, goVersion, isGoBuild, isPlusBuild, isValidTag, parse,
  plusBuildLines, tagsOf,
} from '../src/constraints/expr';
import { suffixConstraint } from '../src/constraints/suffix';
import { ports } from '../src/targets';
import portsFile from '../src/targets/ports.json';
import { goEnv, goMinor } from '../src/goenv';
import { scanComments, Lines, type GoComment, type CommentScan } from './support/go-comments';
import { editDistance, guessPlatformTag, guessSuffixWords, isGoTag, isPlatformTag, type NameGuess } from './support/build-tag-names';
import { whereBuilds } from './support/constraint-sat';

const ID = 'build-constraint-syntax';

export const meta: RuleMeta = {
  id: ID,
  name: 'BuildConstraintSyntax',
  shortDescription: 'Build constraints and file names that do not constrain the build the way they appear to',
  fullDescription:
    'Finds //go:build and // +build lines that Go ignores, rejects or reads differently from their author: misplaced ' +
    'or malformed constraints, +build lines that disagree with //go:build, near misses such as `// go:build` or ' +
    '`//+ build` that Go treats as ordinary comments, tags that look like a GOOS or GOARCH but are none (`x86_64`, ' +
    '`macos`, `amd46`), file-name suffixes Go does not read (`_unix.go`, `_x86.go`, `_amd64_linux.go`), and ' +
    'conditions no port can satisfy. It covers everything go vet\'s buildtag analyzer reports.',
  helpMarkdown: [
    'A build constraint decides on which platforms a file is compiled. When it is misplaced or misspelled, Go does',
    'not complain: it compiles the file everywhere, or nowhere, and the mistake shows up as a build failure on a',
    'platform the author never tried.',
    '',
    'This rule reports:',
    '',
    '- **What `go vet` reports** (buildtag): misplaced `//go:build` and `+build` comments, `+build` lines not followed',
    '  by a blank line, extra `//go:build` lines, malformed expressions, invalid `+build` words (`!!x`, `a-b`),',
    '  `+build` lines that disagree with `//go:build`, and malformed Go version tags (`go1.21.3`).',
    '- **Near misses** Go reads as plain comments: `// go:build`, `//go: build`, `//+ build`, `//go:build!linux`,',
    '  `/*go:build ...*/`, misspelled or capitalised keywords.',
    '- **Look-alike tags** that Go never sets: `x86_64` (amd64), `aarch64` (arm64), `macos` (darwin), `win32`',
    '  (windows), `amd46`, `darwin_amd64` (two tags: `darwin && amd64`).',
    '- **File names** that look platform-specific but constrain nothing: `_unix.go`, `_x86.go`, `_macos.go`,',
    '  `_amd64_linux.go` (GOOS must come first), `linux_amd64.go` (text before the first `_` is ignored).',
    '- **Impossible conditions**: `linux && windows`, `//go:build windows` in `x_linux.go`, `!cgo` with `import "C"`.',
    '',
    'Write constraints as `//go:build <expr>` on a line of its own, before the package clause, followed by a blank',
    'line; name platform files `name_GOOS.go`, `name_GOARCH.go` or `name_GOOS_GOARCH.go`.',
  ].join('\n'),
  defaultLevel: 'warning',
  tags: ['portability', 'build-constraints', 'correctness', 'go-vet'],
  precision: 'very-high',
};

// ---------------------------------------------------------------------------
// The pieces of a file the checks look at.

/** One line of comment text where a constraint could be written. */
interface Unit {
  /** 'line': a // comment; 'block': a one-line /* *\/ comment; 'block-line': one line of a longer /* *\/ comment. */
  kind: 'line' | 'block' | 'block-line';
  /** For 'line', the comment; for the block kinds, the text of the line (first and last keep their delimiters). */
  text: string;
  start: number;
  end: number;
  startsLine: boolean;
  comment: GoComment;
}

interface View {
  ctx: RuleContext;
  file: SourceFile;
  text: string;
  lines: Lines;
  scan: CommentScan;
  /** Where the +build region ends (go/build: the last blank line before the first line that is not a // comment). */
  plusRegionEnd: number;
  /** The //go:build line Go uses, if any. */
  goBuild?: { unit: Unit; expr?: Expr };
  /** The +build lines Go reads. */
  plusBuild: { unit: Unit; expr: Expr }[];
  /** Whether everything go vet needs for its +build/go:build cross-check is well-formed. */
  crossCheck: boolean;
  /** A //go:build line anywhere (even misplaced or a near miss with a fix): do not offer to add another. */
  sawGoBuild: boolean;
  out: Diagnostic[];
}

export const rule: Rule = {
  meta,
  check(ctx: RuleContext): void {
    const userTags = new Set<string>();
    for (const c of ctx.contexts.values()) for (const t of c.tags) userTags.add(t);
    const minor = [...ctx.contexts.values()][0]?.goMinor ?? goMinor(goEnv()?.GOVERSION) ?? goMinor(portsFile.goVersion) ?? 26;
    for (const file of ctx.files) {
      for (const d of checkFile(ctx, file, { userTags, goMinor: minor })) ctx.report(d);
    }
  },
};

export default rule;

interface Options {
  /** Tags the user passes with --tags: never reported as look-alikes. */
  userTags: Set<string>;
  goMinor: number;
}

/** All findings for one file. Exported for tests that drive the rule without the engine. */
export function checkFile(ctx: RuleContext, file: SourceFile, opts: Options): Diagnostic[] {
  let text = ctx.source(file);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // positions count from after a byte order mark, as Go's do
  // Past the package clause only //go:build and +build comments matter (as misplaced ones):
  // a file that has neither needs its header scanned and nothing more.
  const scan = scanComments(text, !text.includes('go:build') && !text.includes('+build'));
  const v: View = {
    ctx,
    file,
    text,
    lines: new Lines(text),
    scan,
    plusRegionEnd: plusRegionEnd(text),
    plusBuild: [],
    crossCheck: true,
    sawGoBuild: false,
    out: [],
  };
  const honoredPlus = new Set(file.header.plusBuild.map((p) => p.line));
  const units = unitsOf(scan.comments);
  const nearMisses: Unit[] = [];

  for (const u of units) {
    const body = unitBody(u);
    if (u.kind === 'line' && isGoBuild(u.text)) goBuildLine(v, u, opts);
    else if (u.kind === 'line' && isPlusBuild(u.text)) plusBuildLine(v, u, honoredPlus.has(v.lines.lineOf(u.start)), opts);
    // Inside /* */, like go vet, only lines that start with // at their first column: an
    // indented line is an example in documentation, not a constraint gone astray.
    else if (u.kind === 'block-line' && u.text.startsWith('//') && isGoBuild(body)) misplacedGoBuild(v, u, body, 'it is inside a /* */ comment, so Go ignores it');
    else if (u.kind === 'block-line' && u.text.startsWith('//') && isPlusBuild(body)) {
      misplacedPlusBuild(v, u, body, 'it is inside a /* */ comment, so Go ignores it');
      plusBuildWords(v, u, body);
    } else if (u.kind !== 'block-line' && u.start < scan.firstToken) nearMisses.push(u);
  }
  // Near misses come after the real lines are known, since the fix depends on them.
  for (const u of nearMisses) nearMiss(v, u);
  crossCheck(v);
  missingGoBuild(v);
  impossible(v, opts);
  fileName(v, opts);
  return v.out;
}

/** go/build's +build region: up to the last blank line before the first line that is neither blank nor a // comment. */
function plusRegionEnd(text: string): number {
  let end = 0;
  let p = 0;
  while (p < text.length) {
    let nl = text.indexOf('\n', p);
    if (nl < 0) nl = text.length;
    const line = goTrimSpace(text.slice(p, nl));
    p = nl + 1;
    if (line === '') end = Math.min(p, text.length);
    else if (!line.startsWith('//')) break;
  }
  return end;
}

function unitsOf(comments: GoComment[]): Unit[] {
  const out: Unit[] = [];
  for (const c of comments) {
    if (c.kind === 'line') {
      out.push({ kind: 'line', text: c.text, start: c.start, end: c.end, startsLine: c.startsLine, comment: c });
      continue;
    }
    if (!c.text.includes('\n')) {
      out.push({ kind: 'block', text: c.text, start: c.start, end: c.end, startsLine: c.startsLine, comment: c });
      continue;
    }
    let at = c.start;
    for (const raw of c.text.split('\n')) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      out.push({ kind: 'block-line', text: line, start: at, end: at + line.length, startsLine: at === c.start ? c.startsLine : true, comment: c });
      at += raw.length + 1;
    }
  }
  return out;
}

/** The words of a unit with comment delimiters removed (for block kinds) and trimmed. */
function unitBody(u: Unit): string {
  let t = u.text;
  if (u.kind === 'line') t = t.slice(2);
  else {
    if (u.start === u.comment.start) t = t.slice(2);
    if (u.end === u.comment.end && t.endsWith('*/')) t = t.slice(0, -2);
  }
  return goTrimSpace(t);
}

// ---------------------------------------------------------------------------
// Reporting.

function spanOf(v: View, start: number, end: number): Diagnostic['span'] {
  return { start: v.lines.pos(start), end: v.lines.pos(end) };
}

function report(v: View, start: number, end: number, check: string, message: string, level?: Level, fixes?: Fix[], extra?: Record<string, unknown>): void {
  const d: Diagnostic = { ruleId: ID, file: v.file.path, span: spanOf(v, start, end), message, targets: [], properties: { check, ...extra } };
  if (level && level !== meta.defaultLevel) d.level = level;
  if (fixes && fixes.length > 0) d.fixes = fixes;
  v.out.push(d);
}

function replaceFix(v: View, description: string, start: number, end: number, text: string): Fix {
  return { description, edits: [{ file: v.file.path, span: spanOf(v, start, end), text }] };
}

function quote(s: string, max = 70): string {
  const t = s.length > max ? s.slice(0, max - 1) + '…' : s;
  return '`' + t + '`';
}

const NL = (v: View) => (v.text.includes('\r\n') ? '\r\n' : '\n');

/** Level for a line Go ignores: an error unless a //go:build line Go reads already decides the build. */
function ignoredLevel(v: View): Level {
  return v.file.header.goBuild && v.file.header.invalid === undefined ? 'warning' : 'error';
}

// ---------------------------------------------------------------------------
// //go:build lines.

function goBuildLine(v: View, u: Unit, opts: Options): void {
  v.sawGoBuild = true;
  if (u.start >= v.scan.firstToken) {
    v.crossCheck = false;
    report(
      v, u.start, u.end, 'misplaced-go-build',
      'misplaced //go:build comment: it comes after the package clause, where it constrains nothing and the compiler ' +
        'rejects it ("misplaced compiler directive"); move it above the package clause',
      'error', undefined, constraintOf(u.text),
    );
    return;
  }
  if (!u.startsLine) {
    misplacedGoBuild(v, u, u.text, 'it does not start its line, and Go reads a //go:build comment only on a line of its own');
    return;
  }
  if (v.goBuild) {
    v.crossCheck = false;
    report(
      v, u.start, u.end, 'extra-go-build',
      `unexpected extra //go:build line: a file may have only one, and the go command refuses the file ("multiple //go:build comments"); ` +
        `combine them with &&, as in \`//go:build (${exprOrText(v.goBuild)}) && (${goBuildText(u.text)})\``,
      'error',
    );
    return;
  }
  const entry: { unit: Unit; expr?: Expr } = { unit: u };
  v.goBuild = entry;
  try {
    entry.expr = parse(u.text);
  } catch (e) {
    if (!(e instanceof ConstraintSyntaxError)) throw e;
    v.crossCheck = false;
    const exprStart = u.text.indexOf('//go:build') + '//go:build'.length;
    const rest = u.text.slice(exprStart);
    const lead = rest.length - rest.trimStart().length;
    const col = exprStart + lead + utf16Offset(rest.trimStart(), e.offset);
    report(
      v, u.start, u.end, 'go-build-syntax',
      `malformed //go:build line: ${e.err} (at column ${v.lines.pos(u.start).col + col}); the go command refuses the file ("parsing //go:build line: ${e.err}")`,
      'error',
    );
    return;
  }
  checkTags(v, u, entry.expr, opts);
}

/** The UTF-16 offset in s of a UTF-8 byte offset. */
function utf16Offset(s: string, bytes: number): number {
  let b = 0;
  let i = 0;
  while (i < s.length && b < bytes) {
    const cp = s.codePointAt(i)!;
    b += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

function goBuildText(line: string): string {
  return goTrimSpace(goTrimSpace(line).slice('//go:build'.length));
}

function exprOrText(g: { unit: Unit; expr?: Expr }): string {
  return g.expr ? exprString(g.expr) : goBuildText(g.unit.text);
}

function misplacedGoBuild(v: View, u: Unit, line: string, why: string): void {
  v.sawGoBuild = true;
  v.crossCheck = false;
  report(v, u.start, u.end, 'misplaced-go-build', `misplaced //go:build comment: ${why}; write it on a line of its own before the package clause`,
    ignoredLevel(v), undefined, constraintOf(line));
}

/** The expression a constraint line would have meant, for the diagnostic's properties. */
function constraintOf(line: string): Record<string, unknown> | undefined {
  const x = tryParse(goTrimSpace(line));
  return x ? { constraint: exprString(x) } : undefined;
}

// ---------------------------------------------------------------------------
// +build lines.

function plusBuildLine(v: View, u: Unit, honored: boolean, opts: Options): void {
  const inRegion = u.startsLine && u.start < v.plusRegionEnd;
  if (!honored) {
    if (inRegion && tryParse(u.text) === undefined) {
      // In the region but not read: go/build could not parse it (only "too complex" is possible).
      v.crossCheck = false;
      report(v, u.start, u.end, 'plus-build-syntax', 'malformed +build line: expression too complex for // +build lines (over 100 operators), so Go ignores it; use a //go:build line', ignoredLevel(v));
      return;
    }
    misplacedPlusBuild(v, u, u.text, misplacedWhy(v, u));
  }
  const wordsOk = plusBuildWords(v, u, u.text);
  if (!honored || !wordsOk) return;
  const expr = parse(u.text);
  v.plusBuild.push({ unit: u, expr });
  checkTags(v, u, expr, opts);
}

function misplacedWhy(v: View, u: Unit): string {
  if (u.start >= v.scan.firstToken) return 'it comes after the package clause, so Go ignores it';
  if (!u.startsLine) return 'it does not start its line, so Go ignores it';
  if (v.scan.comments.some((c) => c.kind === 'block' && c.start < u.start)) {
    return 'it comes after a /* */ comment, and Go reads +build lines only in the leading run of // comments, so it ignores this one';
  }
  return 'it is not followed by a blank line: Go reads +build lines only before the blank line that ends the leading comments, so it ignores this one';
}

function misplacedPlusBuild(v: View, u: Unit, line: string, why: string): void {
  v.crossCheck = false;
  const fixes: Fix[] = [];
  // Only the missing blank line has a certain fix: add one after the run of constraint lines.
  if (u.kind === 'line' && u.startsLine && u.start < v.scan.firstToken && !v.scan.comments.some((c) => c.kind === 'block' && c.start < u.start)) {
    let last = v.lines.lineOf(u.start);
    for (const c of v.scan.comments) {
      const line = v.lines.lineOf(c.start);
      if (line === last + 1 && c.kind === 'line' && c.startsLine && (isPlusBuild(c.text) || isGoBuild(c.text))) last = line;
    }
    const at = v.lines.lineEnd(last);
    fixes.push(replaceFix(v, 'Add a blank line after the build constraint', at, at, NL(v)));
  }
  report(v, u.start, u.end, 'misplaced-plus-build', `misplaced +build comment: ${why}`, ignoredLevel(v), fixes, constraintOf(line));
}

/**
 * go vet's checks of the words of a +build line: `!!x` and words with characters other
 * than letters, digits, `_` and `.`. Go reads each such word as the tag "ignore", which
 * is never set. Returns whether all words are fine.
 */
function plusBuildWords(v: View, u: Unit, line: string): boolean {
  const body = goTrimSpace(goTrimSpace(line).slice(2)).slice('+build'.length);
  let ok = true;
  const level = ignoredLevel(v);
  for (const arg of body.split(/\s+/).filter(Boolean)) {
    for (const elem of arg.split(',')) {
      if (elem.startsWith('!!')) {
        ok = false;
        report(v, u.start, u.end, 'plus-build-double-negative',
          `invalid double negative in build constraint: ${arg}; Go reads ${quote(elem)} as the tag "ignore", which is never set, so ${quote(arg)} is always false`, level);
        continue;
      }
      const word = elem.startsWith('!') ? elem.slice(1) : elem;
      if (word === '') {
        ok = false;
        report(v, u.start, u.end, 'plus-build-invalid-word',
          `empty term in build constraint: ${arg}; Go reads it as the tag "ignore", which is never set, so ${quote(arg)} is always false`, level);
      } else if (!isValidTag(word)) {
        ok = false;
        report(v, u.start, u.end, 'plus-build-invalid-word',
          `invalid non-alphanumeric build constraint: ${arg}; ${quote(word)} is not a tag (tags are letters, digits, _ and .), Go reads it as "ignore", which is never set, so ${quote(arg)} is always false`, level);
      }
    }
  }
  if (!ok) v.crossCheck = false;
  return ok;
}

// ---------------------------------------------------------------------------
// Tags: malformed Go versions (as go vet) and look-alikes of GOOS/GOARCH names.

function checkTags(v: View, u: Unit, expr: Expr, opts: Options): void {
  for (const tag of tagsOf(expr)) {
    const where = (): [number, number] => {
      const at = tagOffset(u, tag);
      return at < 0 ? [u.start, u.end] : [u.start + at, u.start + at + tag.length];
    };
    if (malformedGoTag(tag)) {
      const [s, e] = where();
      const better = betterGoVersion(tag);
      const prefixTypo = better !== undefined && !tag.startsWith('go1');
      report(v, s, e, 'go-version',
        `invalid go version "${tag}" in build constraint: Go sets release tags only as go1.N, so this tag is never true` + (better ? `; did you mean ${better}?` : ''),
        'warning', prefixTypo ? [replaceFix(v, `Replace ${tag} with ${better}`, s, e, better!)] : undefined);
      continue;
    }
    if (opts.userTags.has(tag)) continue;
    const g = guessPlatformTag(tag);
    if (!g) continue;
    const [s, e] = where();
    report(v, s, e, 'lookalike-tag', lookalikeMessage(tag, g), 'warning',
      g.replacement ? [replaceFix(v, `Replace ${tag} with ${g.replacement}`, s, e, g.replacement)] : undefined, { suggestion: g.expr });
  }
}

function lookalikeMessage(tag: string, g: NameGuess): string {
  const kind = g.looksLike === 'GOOS and GOARCH' ? 'GOOS_GOARCH' : g.looksLike;
  const why = g.why === 'a misspelling' ? '' : ` (${g.why})`;
  return `unknown ${kind}-like tag ${tag}: it is not a GOOS or GOARCH, so Go never sets it and it is always false${why}; did you mean ${g.expr}?`;
}

/** The offset in the unit's text of the tag as a whole word after the keyword, or -1. */
function tagOffset(u: Unit, tag: string): number {
  const kw = Math.max(u.text.indexOf('go:build'), u.text.indexOf('+build'));
  const from = kw < 0 ? 0 : kw + 6;
  const re = new RegExp(`(?<![\\p{L}\\p{N}_.])${tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}_.])`, 'gu');
  re.lastIndex = from;
  const m = re.exec(u.text);
  return m ? m.index : -1;
}

/** go vet's malformedGoTag: a tag that is almost a go1.N release tag. */
function malformedGoTag(tag: string): boolean {
  if (!tag.startsWith('go1')) {
    for (const pre of ['go.', 'g1.', 'go']) {
      if (tag.startsWith(pre) && validGoVersion('go1.' + tag.slice(pre.length))) return true;
    }
    return false;
  }
  return !validGoVersion(tag);
}

function validGoVersion(tag: string): boolean {
  return goVersion({ kind: 'tag', tag }) !== '';
}

function betterGoVersion(tag: string): string | undefined {
  const patch = /^go1\.([0-9]+)\.[0-9]+$/.exec(tag);
  if (patch) return `go1.${Number(patch[1])}`;
  for (const pre of ['go.', 'g1.', 'go']) {
    if (!tag.startsWith('go1') && tag.startsWith(pre) && validGoVersion('go1.' + tag.slice(pre.length))) return 'go1.' + tag.slice(pre.length);
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Near misses: comments that look like a constraint but that Go reads as plain text.

interface NearMiss {
  family: 'go' | 'plus';
  reason: string;
  expr: Expr;
  /** The expression as written, in its family's syntax. */
  exprText: string;
}

const GO_FAMILY = /^([Gg][Oo])(\s*)([:;])(\s*)([A-Za-z]+)([\s\S]*)$/;
const PLUS_FAMILY = /^\+(\s*)([A-Za-z]+)([\s\S]*)$/;

function keywordLike(word: string): { exact: boolean; glued?: string } | undefined {
  const lower = word.toLowerCase();
  if (lower === 'build') return { exact: word === 'build' };
  if (lower.startsWith('build') && word.length > 5) return { exact: word.startsWith('build'), glued: word.slice(5) };
  if (word.length >= 4 && editDistance(lower, 'build', 1) === 1) return { exact: false };
  return undefined;
}

function recognise(u: Unit): NearMiss | undefined {
  const body = unitBody(u);
  const inBlock = u.kind !== 'line';
  const leading = u.kind === 'line' ? u.text.slice(2).length - u.text.slice(2).trimStart().length : 0;
  let m = GO_FAMILY.exec(body);
  if (m) {
    const kw = keywordLike(m[5]);
    if (!kw) return undefined;
    const exprText = (kw.glued ?? '') + m[6];
    if (kw.glued === undefined && m[6] !== '' && !/^\s/.test(m[6]) && !/^[!(]/.test(m[6])) return undefined;
    const reasons: string[] = [];
    if (inBlock) reasons.push('it is a /* */ comment, and constraints must be // comments');
    if (!inBlock && leading > 0) reasons.push('of the space between // and go:build');
    if (m[1] !== 'go') reasons.push(`directives are case-sensitive: ${quote(m[1] + ':')} is not ${quote('go:')}`);
    if (m[3] !== ':') reasons.push(`${quote(m[1] + m[3])} is not ${quote('go:')}`);
    if (m[2] !== '' || m[4] !== '') reasons.push(`of the space inside ${quote(m[1] + m[2] + m[3] + m[4] + m[5])}`);
    const word = kw.glued !== undefined ? m[5].slice(0, 5) : m[5];
    if (word !== 'build') reasons.push(`${quote(m[1] + m[3] + word)} is not ${quote('go:build')}`);
    if (kw.glued !== undefined || /^[!(]/.test(m[6])) reasons.push('//go:build must be followed by a space');
    if (reasons.length === 0) return undefined; // a well-formed //go:build line is handled elsewhere
    const expr = tryParse('//go:build ' + exprText);
    if (!expr || !looksLikeConstraint(expr)) return undefined;
    return { family: 'go', reason: reasons.join(', and '), expr, exprText: goTrimSpace(exprText) };
  }
  m = PLUS_FAMILY.exec(body);
  if (m) {
    const kw = keywordLike(m[2]);
    if (!kw) return undefined;
    const exprText = (kw.glued ?? '') + m[3];
    if (kw.glued === undefined && m[3] !== '' && !/^\s/.test(m[3])) return undefined;
    const reasons: string[] = [];
    if (inBlock) reasons.push('it is a /* */ comment, and constraints must be // comments');
    if (m[1] !== '') reasons.push(`of the space between + and build`);
    const word = kw.glued !== undefined ? m[2].slice(0, 5) : m[2];
    if (word !== 'build') reasons.push(`${quote('+' + word)} is not ${quote('+build')}`);
    if (kw.glued !== undefined) reasons.push('+build must be followed by a space');
    if (reasons.length === 0) return undefined;
    const expr = tryParse('// +build ' + exprText);
    if (!expr || !looksLikeConstraint(expr) || !plusWordsValid(exprText)) return undefined;
    return { family: 'plus', reason: reasons.join(', and '), expr, exprText: goTrimSpace(exprText) };
  }
  return undefined;
}

function tryParse(line: string): Expr | undefined {
  try {
    return parse(line);
  } catch {
    return undefined;
  }
}

/** Prose rarely parses as an expression whose tags include one Go knows or a platform look-alike. */
function looksLikeConstraint(x: Expr): boolean {
  return tagsOf(x).some((t) => (isGoTag(t) && t !== 'ignore') || guessPlatformTag(t) !== undefined);
}

function plusWordsValid(text: string): boolean {
  return text.split(/[\s,]+/).filter(Boolean).every((w) => isValidTag(w.replace(/^!/, '')));
}

function nearMiss(v: View, u: Unit): void {
  const nm = recognise(u);
  if (!nm) {
    // go vet: a // comment in the +build region that mentions +build but is not a +build line.
    if (u.kind === 'line' && u.startsLine && u.start < v.plusRegionEnd && u.text.includes('+build')) {
      const meant = tryParse('// ' + u.text.slice(u.text.indexOf('+build')));
      report(v, u.start, u.end, 'plus-build-malformed',
        'possible malformed +build comment: "+build" must start the comment (`// +build ...`) for Go to read it as a constraint; as written, Go treats this line as an ordinary comment',
        'warning', undefined, meant && looksLikeConstraint(meant) ? { constraint: exprString(meant) } : undefined);
    }
    return;
  }
  if (nm.family === 'go') v.sawGoBuild = true;
  const head = nm.family === 'go'
    ? `malformed //go:build line${nm.reason.startsWith('of the space between //') ? ' (space between // and go:build)' : ''}`
    : 'malformed +build comment';
  const suggestion = `//go:build ${exprString(nm.expr)}`;
  const message = `${head}: Go ignores this line: ${quote(goTrimSpace(u.text))} is not a build constraint because ${nm.reason}; write ${quote(suggestion, 200)}`;
  report(v, u.start, u.end, 'near-miss', message, ignoredLevel(v), nearMissFix(v, u, nm), { constraint: exprString(nm.expr) });
}

/** The fix for a near miss, when the corrected line would be read by Go and would not clash with the file's other lines. */
function nearMissFix(v: View, u: Unit, nm: NearMiss): Fix[] {
  if (!u.startsLine || u.kind === 'block-line' || u.start >= v.scan.firstToken) return [];
  const line = v.lines.lineOf(u.start);
  if (goTrimSpace(v.text.slice(u.end, v.lines.lineEnd(line))) !== '') return []; // something follows on the line
  if (v.goBuild) return [];
  let text: string;
  if (v.plusBuild.length === 0) text = `//go:build ${exprString(nm.expr)}`;
  else if (nm.family === 'plus' && u.start < v.plusRegionEnd) text = `// +build ${nm.exprText}`;
  else return [];
  return [replaceFix(v, `Replace with ${text}`, u.start, u.end, text)];
}

// ---------------------------------------------------------------------------
// //go:build and +build together (go vet's cross-check), and +build alone.

function andAll(xs: Expr[]): Expr {
  return xs.reduce((a, b) => ({ kind: 'and', x: a, y: b }));
}

function crossCheck(v: View): void {
  if (!v.crossCheck || !v.goBuild?.expr || v.plusBuild.length === 0) return;
  const g = v.goBuild;
  let lines: string[];
  try {
    lines = plusBuildLines(g.expr!);
  } catch (e) {
    if (!(e instanceof ConstraintSyntaxError)) throw e;
    report(v, g.unit.start, g.unit.end, 'plus-build-too-complex',
      `//go:build expression too complex for // +build lines: the +build lines cannot say the same; Go 1.17 and later read only //go:build, so delete them`,
      'warning', plusBlockFix(v, 'Delete the +build lines', ''));
    return;
  }
  const want = andAll(lines.map((l) => parse(l)));
  const have = andAll(v.plusBuild.map((p) => p.expr));
  if (exprString(want) === exprString(have)) return;
  const first = v.plusBuild[0].unit;
  report(v, first.start, first.end, 'plus-build-mismatch',
    `+build lines do not match //go:build condition: Go 1.17 and later build this file when ${quote(exprString(g.expr!), 200)}, older Go when ${quote(exprString(have), 200)}`,
    'warning', plusBlockFix(v, 'Rewrite the +build lines from the //go:build line', lines.join(NL(v))));
}

/** Replace the +build lines with `text`, when they are consecutive lines with nothing else between them. */
function plusBlockFix(v: View, description: string, text: string): Fix[] {
  const ls = v.plusBuild.map((p) => v.lines.lineOf(p.unit.start));
  if (ls.some((l, i) => i > 0 && l !== ls[i - 1] + 1)) return [];
  const start = v.lines.lineStart(ls[0]);
  const endLine = ls[ls.length - 1];
  // Deleting takes the line ends too; replacing keeps the last one.
  const end = text === '' ? Math.min(v.lines.lineEnd(endLine) + (v.text.startsWith('\r\n', v.lines.lineEnd(endLine)) ? 2 : 1), v.text.length) : v.lines.lineEnd(endLine);
  if (v.plusBuild[0].unit.start !== start) return [];
  return [replaceFix(v, description, start, end, text)];
}

function missingGoBuild(v: View): void {
  if (v.sawGoBuild || v.plusBuild.length === 0 || !v.crossCheck) return;
  const expr = andAll(v.plusBuild.map((p) => p.expr));
  const line = `//go:build ${exprString(expr)}`;
  const first = v.plusBuild[0].unit;
  report(v, first.start, first.end, 'missing-go-build',
    `+build lines but no //go:build line: since Go 1.17 constraints are written as //go:build (gofmt adds the line); add ${quote(line, 200)}`,
    'note', [replaceFix(v, `Add ${line}`, first.start, first.start, line + NL(v))]);
}

// ---------------------------------------------------------------------------
// Conditions no port satisfies.

/** The expression go/build evaluates for the file, or undefined when it has none (or the file is invalid). */
function effectiveExpr(v: View): Expr | undefined {
  if (v.goBuild) return v.goBuild.expr;
  if (v.plusBuild.length > 0) return andAll(v.plusBuild.map((p) => p.expr));
  return undefined;
}

function impossible(v: View, opts: Options): void {
  const h = v.file.header;
  if (h.invalid !== undefined) return; // the go command rejects the file; reported above
  if (v.goBuild && !v.goBuild.expr) return;
  const expr = effectiveExpr(v);
  const needsCgo = h.importsC && h.error === undefined && !v.file.isTest;
  if (!expr && !needsCgo) return; // a file name alone is the author's explicit choice of platform
  const list = ports();
  const r = whereBuilds({ name: v.file.name, expr, needsCgo }, list.ports, opts.goMinor);
  if (r.kind === 'sat') return;
  const at = v.goBuild?.unit ?? v.plusBuild[0]?.unit;
  const [s, e] = at ? [at.start, at.end] : packageClause(v);
  if (r.kind === 'too-complex') {
    v.ctx.notify({ level: 'note', id: 'constraint-too-complex', file: v.file.path, span: spanOf(v, s, e),
      message: `${v.file.rel}: the build constraint is too complex to decide whether any port satisfies it; skipped that check` });
    return;
  }
  const parts: string[] = [];
  if (expr) parts.push(quote(exprString(expr), 200));
  const suffix = suffixConstraint(v.file.name);
  if (suffix.goos || suffix.goarch) parts.push(`the file-name suffix ${quote('_' + [suffix.goos, suffix.goarch].filter(Boolean).join('_'))}`);
  if (needsCgo) parts.push('import "C" (which needs cgo)');
  const what = parts.join(' with ');
  if (r.kind === 'no-port') {
    const w = r.witness;
    report(v, s, e, 'no-port',
      `this file builds for no port of ${goRelease(list.source)}: ${what} holds only on GOOS/GOARCH pairs such as ${w.goos}/${w.goarch} that the go command knows but has no port for`,
      'note', undefined, { condition: expr ? exprString(expr) : undefined });
    return;
  }
  report(v, s, e, 'impossible',
    `this file builds for no port: ${what} is false on every port of ${goRelease(list.source)} (with cgo on or off and any setting of custom tags), so Go never compiles it`,
    'error', undefined, { condition: expr ? exprString(expr) : undefined });
}

/** "go1.26.8" from a port list's source ("go tool dist list (go1.26.8)"). */
function goRelease(source: string): string {
  return /\((go[^)]*)\)/.exec(source)?.[1] ?? source;
}

// ---------------------------------------------------------------------------
// File names that look platform-specific but are not (or not as much as they look).

function packageClause(v: View): [number, number] {
  const at = v.scan.firstToken;
  const m = /^package\s+[\p{L}\p{N}_]+/u.exec(v.text.slice(at, at + 200));
  if (m) return [at, at + m[0].length];
  return [0, 0];
}

function fileName(v: View, opts: Options): void {
  const name = v.file.name;
  if (name.startsWith('_') || name.startsWith('.') || !name.endsWith('.go')) return; // Go never reads these
  const stem = name.split('.', 1)[0];
  const words = stem.split('_');
  if (words.length > 1 && words[words.length - 1] === 'test') words.pop();
  if (words.length < 2) return;
  const found = guessSuffixWords(words);
  if (found.length === 0) return;
  const actual = suffixConstraint(name);
  const applied = (w: { word: string; exact: boolean }) => w.exact && (w.word === actual.goos || w.word === actual.goarch);
  const unapplied = found.filter((w) => !applied(w));
  if (unapplied.length === 0) return;

  // A constraint that names platforms is the author's explicit word; one that does not
  // (cgo, custom tags, versions) leaves the name to say where the file belongs.
  const expr = effectiveExpr(v);
  if (v.goBuild && !v.goBuild.expr) return;
  if (expr && tagsOf(expr).some((t) => isPlatformTag(t) || t === 'ignore')) return; // `ignore`: never built, by convention
  const intended = found.length === 1 ? found[0].guess.expr : found.map((w) => (w.guess.expr.includes('||') ? `(${w.guess.expr})` : w.guess.expr)).reverse().join(' && ');
  const intendedExpr = parse('//go:build ' + intended);
  // Report only if the file can build somewhere the name says it does not belong.
  const against: Expr = { kind: 'not', x: intendedExpr };
  const q = { name, expr: expr ? { kind: 'and' as const, x: expr, y: against } : against, needsCgo: v.file.header.importsC && !v.file.isTest };
  if (whereBuilds(q, ports().ports, opts.goMinor).kind !== 'sat') return;

  const where = expr
    ? `wherever ${quote(exprString(expr))} holds`
    : actual.goos && actual.goarch ? `only on ${actual.goos}/${actual.goarch}`
    : actual.goos ? `on ${actual.goos} for every GOARCH`
    : actual.goarch ? `on ${actual.goarch} for every GOOS`
    : 'on every platform';
  const [s, e] = packageClause(v);
  const first = unapplied[unapplied.length - 1];
  let message: string;
  if (first.exact && words.indexOf(first.word) === 0) {
    const pkg = v.file.header.packageName ?? 'x';
    message = `file name ${name}: Go ignores everything before the first _ in a file name, so ${quote(first.word)} does not constrain this file and it builds ${where}; ` +
      `rename it (for example to ${pkg}_${name}) or add ${quote('//go:build ' + intended)}`;
  } else if (first.exact && found.every((w) => w.exact)) {
    const os = found.find((w) => w.guess.looksLike === 'GOOS')!.word;
    const arch = found.find((w) => w.guess.looksLike === 'GOARCH')!.word;
    const renamed = name.replace(`_${arch}_${os}`, `_${os}_${arch}`);
    message = `file name ${name} has its GOARCH before its GOOS: Go reads only the last word, so this file builds ${where}; the suffix order is _GOOS_GOARCH (${renamed})`;
  } else {
    const bad = unapplied.map((w) => quote('_' + w.word)).join(' and ');
    const why = unapplied.map((w) => (w.word === 'unix' ? 'unix is a build tag, not a file-name constraint' : w.guess.why)).filter((x) => x !== '' && x !== 'a misspelling');
    const rename = unapplied.length === 1 && unapplied[0].word !== 'unix' && unapplied[0].guess.replacement && !unapplied[0].guess.replacement.includes(' ')
      ? ` or rename it to ${name.replace('_' + unapplied[0].word, '_' + unapplied[0].guess.replacement)}` : '';
    message = `file name ${name}: ${bad} is not a file-name constraint${why.length ? ` (${why.join('; ')})` : ''}, so this file builds ${where}; ` +
      `add ${quote('//go:build ' + intended)}${rename}`;
  }
  report(v, s, e, 'file-name', message, 'warning', undefined, { suggestion: intended });
}
