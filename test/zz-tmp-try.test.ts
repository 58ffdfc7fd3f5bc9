import { test } from 'vitest';
import fs from 'node:fs';
import { extractFacts } from '../src/syntax/facts';
const sp = (s: any) => `${s.start.line}:${s.start.col}-${s.end.line}:${s.end.col}`;
test('show', () => {
  for (const f of (process.env.FILES ?? 'b.go,c.go').split(',')) {
    const r = extractFacts(fs.readFileSync(f.includes('/') ? f : '/tmp/sx/'+f), f);
    console.log(f, JSON.stringify({...r, decls: r.decls.map(d => ({...d, span: sp(d.span)})), imports: r.imports.map(i => ({...i, span: sp(i.span)})), errors: r.errors.map(e => `${sp(e.span)} ${e.message}`), refs: r.refs.map(x => `${x.kind}:${'x' in x && x.x ? x.x+'.' : ''}${x.name}@${x.span.start.line}:${x.span.start.col}`).join(' '), locals: r.locals.map(l=>`${l.name}@${l.span.start.line}:${l.span.start.col} [${l.scopeStart.line}:${l.scopeStart.col}-${l.scopeEnd.line}:${l.scopeEnd.col}]`).join(' ')}));
  }
});
