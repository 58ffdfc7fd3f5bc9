// Path globs for the configuration's `exclude` list. The syntax follows .gitignore, which
// most users already know, plus `{a,b}` alternatives:
//   *      any run of characters within one path element
//   ?      one character, not '/'
//   [abc]  one of the characters; [!abc] or [^abc] any other; ranges as [a-z]
//   **     as a whole element: any number of elements (`**/x`, `x/**`, `a/**/b`)
//   {a,b}  either alternative (may nest)
//   \x     the character x itself
// A pattern with a '/' before its last character is anchored at the configuration file's
// directory; one without (`*_gen.go`, `testdata`) matches an element at any depth. A
// pattern that matches a directory excludes everything below it; a trailing '/' is allowed.

export class GlobError extends Error {
  constructor(
    message: string,
    /** 0-based offset of the problem in the pattern. */
    readonly offset: number,
  ) {
    super(message);
  }
}

const SPECIAL = /[.*+?^${}()|[\]\\/]/g;

/** The regular expression for one pattern, matched against a '/'-separated relative path. */
export function globToRegExp(pattern: string): RegExp {
  if (pattern.trim() === '') throw new GlobError('empty pattern', 0);
  let p = pattern;
  if (p.startsWith('./')) p = p.slice(2);
  const anchored = p.startsWith('/') || p.replace(/\/+$/, '').includes('/');
  p = p.replace(/^\/+/, '').replace(/\/+$/, '');
  if (p === '') throw new GlobError('the pattern names no path', 0);
  const body = translate(p, pattern.length - p.length > 0 ? pattern.indexOf(p) : 0);
  return new RegExp(`^${anchored ? '' : '(?:.*/)?'}${body}(?:/.*)?$`, 's');
}

/** A matcher for a list of patterns; `rel` is '/'-separated and relative to the patterns' base. */
export function globMatcher(patterns: readonly string[]): (rel: string) => boolean {
  const res = patterns.map(globToRegExp);
  return (rel) => res.some((re) => re.test(rel));
}

function translate(p: string, base: number): string {
  let out = '';
  let braces = 0;
  const braceStarts: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    const atElementStart = i === 0 || p[i - 1] === '/';
    if (c === '*' && p[i + 1] === '*' && atElementStart && (i + 2 === p.length || p[i + 2] === '/')) {
      // `**` as a whole element.
      if (i + 2 === p.length) {
        out += '.*';
        i += 1;
      } else {
        out += '(?:.*/)?';
        i += 2;
      }
      continue;
    }
    switch (c) {
      case '*':
        out += '[^/]*';
        while (p[i + 1] === '*') i++; // `a**b` is `a*b`
        break;
      case '?':
        out += '[^/]';
        break;
      case '[': {
        const end = classEnd(p, i);
        if (end < 0) throw new GlobError('unclosed "[" (write "\\[" for the character itself)', base + i);
        let inner = p.slice(i + 1, end);
        let negate = false;
        if (inner.startsWith('!') || inner.startsWith('^')) {
          negate = true;
          inner = inner.slice(1);
        }
        const cls = inner.replace(/\\(.)/g, '$1').replace(/[\\\]^]/g, '\\$&');
        out += negate ? `(?!/)[^${cls}]` : `(?!/)[${cls}]`;
        i = end;
        break;
      }
      case '{':
        braces++;
        braceStarts.push(base + i);
        out += '(?:';
        break;
      case '}':
        if (braces === 0) throw new GlobError('"}" without a matching "{"', base + i);
        braces--;
        braceStarts.pop();
        out += ')';
        break;
      case ',':
        out += braces > 0 ? '|' : ',';
        break;
      case '\\':
        if (i + 1 === p.length) throw new GlobError('the pattern ends with a lone "\\"', base + i);
        i++;
        out += p[i].replace(SPECIAL, '\\$&');
        break;
      default:
        out += c.replace(SPECIAL, '\\$&');
    }
  }
  if (braces > 0) throw new GlobError('unclosed "{"', braceStarts[braceStarts.length - 1]);
  return out;
}

/** Index of the ']' that closes the class opened at `start`, or -1. A ']' first in the class is literal. */
function classEnd(p: string, start: number): number {
  let i = start + 1;
  if (p[i] === '!' || p[i] === '^') i++;
  if (p[i] === ']') i++;
  for (; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === '/') return -1;
    else if (p[i] === ']') return i;
  }
  return -1;
}
