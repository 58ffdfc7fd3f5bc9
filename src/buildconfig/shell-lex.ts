// Splitting POSIX shell text into words and operators, enough to read the commands build
// scripts run: quotes, backslashes, line continuations, comments, $VAR and ${VAR:-default},
// command substitutions (kept opaque), redirections and here-documents (skipped).

export type Part =
  | { lit: string }
  | { var: string; def?: Part[]; alt?: Part[]; quoted?: boolean }
  /** $(...) or `...`: its output cannot be known. */
  | { sub: string };

export type Token = { kind: 'word'; parts: Part[]; line: number; raw: string } | { kind: 'op'; op: string; line: number };

const OPS = ['&&', '||', ';;', ';', '|', '&', '(', ')', '\n'];

/** Tokens of a shell script; `firstLine` is the line of its first character in its file. */
export function lexShell(text: string, firstLine = 1): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = firstLine;
  const pendingHeredocs: { delim: string; strip: boolean }[] = [];

  const peek = (k = 0) => text[i + k] ?? '';

  /** Skip a balanced $( ... ) or ` ... ` starting at i (past the opener); returns its text. */
  const skipSubst = (close: string): string => {
    const start = i;
    let depth = 1;
    while (i < text.length) {
      const c = text[i];
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === '\n') line++;
      if (close === ')' && c === '(') depth++;
      else if (c === close) {
        depth--;
        if (depth === 0) {
          i++;
          return text.slice(start, i - 1);
        }
      } else if (c === "'" && close === ')') {
        const j = text.indexOf("'", i + 1);
        if (j < 0) break;
        line += countNewlines(text, i, j);
        i = j;
      }
      i++;
    }
    return text.slice(start);
  };

  /** Read a ${...} expansion (i past "${"). */
  const readBraced = (): Part => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(text.slice(i));
    if (!m) return { sub: '${' + skipSubst('}') + '}' };
    const name = m[1];
    i += name.length;
    if (peek() === '}') {
      i++;
      return { var: name };
    }
    const op = /^(:?[-=+?])/.exec(text.slice(i));
    if (op) {
      i += op[1].length;
      const word = readWordUntil('}');
      i++; // the closing brace
      return op[1].endsWith('+') ? { var: name, alt: word } : op[1].endsWith('?') ? { var: name } : { var: name, def: word };
    }
    // ${#x}, ${x%y}, ${x/y/z}: a transformation we do not follow.
    return { sub: name + skipSubst('}') };
  };

  /** Parts up to an unquoted `end` character (for ${x:-word}). */
  const readWordUntil = (end: string): Part[] => {
    const parts: Part[] = [];
    while (i < text.length && text[i] !== end) {
      const c = text[i];
      if (c === "'") {
        const j = text.indexOf("'", i + 1);
        const s = j < 0 ? text.slice(i + 1) : text.slice(i + 1, j);
        line += countNewlines(s, 0, s.length);
        parts.push({ lit: s });
        i = j < 0 ? text.length : j + 1;
      } else if (c === '"') {
        i++;
        parts.push(...readDouble());
      } else if (c === '$') {
        parts.push(readDollar());
      } else if (c === '\\') {
        parts.push({ lit: text[i + 1] ?? '' });
        i += 2;
      } else {
        if (c === '\n') line++;
        parts.push({ lit: c });
        i++;
      }
    }
    return parts;
  };

  const readDollar = (): Part => {
    // i at '$'
    const n = peek(1);
    if (n === '(') {
      i += 2;
      if (peek() === '(') {
        // $(( arithmetic ))
        i++;
        return { sub: '((' + skipSubst(')') };
      }
      return { sub: skipSubst(')') };
    }
    if (n === '{') {
      i += 2;
      return readBraced();
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(text.slice(i + 1));
    if (m) {
      i += 1 + m[1].length;
      return { var: m[1] };
    }
    if (n === "'") {
      // $'...' ANSI-C quoting: take it as literal text.
      const j = text.indexOf("'", i + 2);
      const s = j < 0 ? text.slice(i + 2) : text.slice(i + 2, j);
      i = j < 0 ? text.length : j + 1;
      return { lit: s };
    }
    i++;
    return { lit: '$' };
  };

  /** Inside double quotes (i past the opening quote). */
  const readDouble = (): Part[] => {
    const parts: Part[] = [];
    while (i < text.length && text[i] !== '"') {
      const c = text[i];
      if (c === '\\' && '$`"\\\n'.includes(peek(1))) {
        if (peek(1) === '\n') line++;
        else parts.push({ lit: peek(1) });
        i += 2;
      } else if (c === '$') {
        const p = readDollar();
        // Expansions inside double quotes are not split into fields.
        parts.push('var' in p ? { ...p, quoted: true } : p);
      } else if (c === '`') {
        i++;
        parts.push({ sub: skipSubst('`') });
      } else {
        if (c === '\n') line++;
        parts.push({ lit: c });
        i++;
      }
    }
    i++; // closing quote
    return parts;
  };

  const skipHeredocs = () => {
    // At the start of the line after the one that opened them.
    for (const h of pendingHeredocs) {
      while (i < text.length) {
        const nl = text.indexOf('\n', i);
        const end = nl < 0 ? text.length : nl;
        const body = text.slice(i, end);
        i = nl < 0 ? text.length : nl + 1;
        line++;
        if ((h.strip ? body.replace(/^\t+/, '') : body) === h.delim) break;
      }
    }
    pendingHeredocs.length = 0;
  };

  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && peek(1) === '\n') {
      i += 2;
      line++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '\n') {
      out.push({ kind: 'op', op: '\n', line });
      i++;
      line++;
      if (pendingHeredocs.length) skipHeredocs();
      continue;
    }
    // Redirections: skip the operator and its target word; here-documents also skip their body.
    const redir = /^([0-9]*)(<<-?|<<<|>>|>&|<&|&>>?|>\||<>|>|<)/.exec(text.slice(i));
    if (redir && (redir[1] === '' || /[<>]/.test(redir[2]))) {
      i += redir[0].length;
      while (peek() === ' ' || peek() === '\t') i++;
      const target = readWord();
      if (redir[2].startsWith('<<') && redir[2] !== '<<<') {
        const delim = target.map((p) => ('lit' in p ? p.lit : 'var' in p ? '$' + p.var : '')).join('');
        pendingHeredocs.push({ delim, strip: redir[2] === '<<-' });
      }
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (op) {
      out.push({ kind: 'op', op, line });
      i += op.length;
      continue;
    }
    const startLine = line;
    const start = i;
    const parts = readWord();
    out.push({ kind: 'word', parts, line: startLine, raw: text.slice(start, i) });
  }
  return out;

  function readWord(): Part[] {
    const parts: Part[] = [];
    while (i < text.length) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')' || c === '<' || c === '>') {
        if (c === '(' && parts.length > 0) {
          // Array assignment or function body: read to the matching ')' as one opaque part.
          i++;
          parts.push({ sub: skipSubst(')') });
          continue;
        }
        break;
      }
      if (c === "'") {
        const j = text.indexOf("'", i + 1);
        const s = j < 0 ? text.slice(i + 1) : text.slice(i + 1, j);
        line += countNewlines(s, 0, s.length);
        parts.push({ lit: s });
        i = j < 0 ? text.length : j + 1;
      } else if (c === '"') {
        i++;
        parts.push(...readDouble());
      } else if (c === '$') {
        parts.push(readDollar());
      } else if (c === '`') {
        i++;
        parts.push({ sub: skipSubst('`') });
      } else if (c === '\\') {
        if (peek(1) === '\n') {
          line++;
        } else {
          parts.push({ lit: peek(1) });
        }
        i += 2;
      } else {
        parts.push({ lit: c });
        i++;
      }
    }
    return mergeLits(parts);
  }
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) if (s[k] === '\n') n++;
  return n;
}

function mergeLits(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if ('lit' in p && last && 'lit' in last) out[out.length - 1] = { lit: last.lit + p.lit };
    else out.push(p);
  }
  return out;
}
