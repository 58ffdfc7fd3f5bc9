// Reads `// want` expectations from fixture files and matches diagnostics against them,
// as fixtures/README.md specifies.
import type { Diagnostic } from '../../src/types';

export interface Want {
  file: string;
  /** Line the diagnostic must start on; undefined for want-file. */
  line?: number;
  /** Line of the comment, for messages. */
  at: number;
  rule: string;
  pattern: RegExp;
  met: boolean;
}

const WANT = /\/\/\s*want(-file|[+-]\d+)?\s+(.*)$/;
const PAIR = /\s*([a-z0-9-]+)\s+("(?:[^"\\]|\\.)*"|`[^`]*`)/y;

function goString(lit: string): string {
  if (lit.startsWith('`')) return lit.slice(1, -1);
  return lit.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

export function parseWants(file: string, text: string): Want[] {
  const out: Want[] = [];
  const lines = text.split(/\r?\n/);
  let inBlock = false;
  lines.forEach((line, i) => {
    // Lines inside /* */ comments are not read (crudely: a line that opens without closing).
    if (inBlock) {
      if (line.includes('*/')) inBlock = false;
      return;
    }
    if (/^\s*\/\*/.test(line) && !line.includes('*/')) {
      inBlock = true;
      return;
    }
    const m = WANT.exec(line);
    if (!m) return;
    const mod = m[1];
    const at = i + 1;
    const target = mod === '-file' ? undefined : mod ? at + Number(mod) : at;
    PAIR.lastIndex = 0;
    const rest = m[2];
    let pos = 0;
    for (;;) {
      PAIR.lastIndex = pos;
      const p = PAIR.exec(rest);
      if (!p) break;
      out.push({ file, line: target, at, rule: p[1], pattern: new RegExp(goString(p[2])), met: false });
      pos = PAIR.lastIndex;
    }
    if (rest.slice(pos).trim() !== '') throw new Error(`${file}:${at}: malformed want comment near "${rest.slice(pos).trim()}"`);
  });
  return out;
}

/** Match diagnostics of one file against its wants; returns human-readable problems. */
export function matchWants(rel: string, wants: Want[], diags: Diagnostic[]): string[] {
  const problems: string[] = [];
  const left: Diagnostic[] = [];
  for (const d of diags) {
    const w = wants.find((x) => !x.met && x.line === d.span.start.line && x.rule === d.ruleId && x.pattern.test(d.message));
    if (w) w.met = true;
    else left.push(d);
  }
  for (const d of left) {
    const w = wants.find((x) => !x.met && x.line === undefined && x.rule === d.ruleId && x.pattern.test(d.message));
    if (w) w.met = true;
    else problems.push(`${rel}:${d.span.start.line}:${d.span.start.col}: unexpected ${d.ruleId}: ${d.message}`);
  }
  for (const w of wants.filter((x) => !x.met)) {
    problems.push(`${rel}:${w.line ?? `(file, want at ${w.at})`}: expected ${w.rule} matching /${w.pattern.source}/, found none`);
  }
  return problems;
}
