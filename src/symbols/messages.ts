// The words of platform-symbol and syscall-portability findings: what is undefined, on
// which targets, and where it is declared instead.
import type { Diagnostic } from '../types';
import type { SymbolSource } from './types';
import type { ImportFinding, MemberFinding, MismatchFinding, NameFinding } from './check';
import { listAll } from './describe';
import type { Chain, Operand, SymRefs } from '../syntax/symrefs-extractor';

/** The run's target ids in order, for listing. */
export type Order = string[];

function ordered(targets: Iterable<string>, order: Order): string[] {
  const set = new Set(targets);
  return order.filter((t) => set.has(t));
}

/** `syscall.Stat_t` for another package's type, `T` for the file's own. */
export function typeLabel(src: SymbolSource, typeName: string, ownPath: string): string {
  return src.importPath === ownPath ? typeName : `${src.name ?? src.importPath}.${typeName}`;
}

/** Beyond this many files, a message names the targets instead of every file. */
const MAX_SITES = 3;

/**
 * "declared only in a_linux.go (linux) and b_darwin.go (darwin)"; for a name declared in
 * many files (syscall's generated ones), the targets it is declared for and the count.
 */
function declaredWhere(sites: string[], declaredOn: string[]): string {
  const uniq = [...new Set(sites)];
  const shipped = uniq.length === 1 && uniq[0].includes('standard library');
  if (shipped) return declaredOn.length ? `declared only for ${declaredOn.join(', ')} (${uniq[0]})` : `not declared for any target checked (${uniq[0]})`;
  if (uniq.length > MAX_SITES) {
    return declaredOn.length
      ? `declared only for ${declaredOn.join(', ')} (in ${uniq.length} files)`
      : `declared in ${uniq.length} files, none of which builds for the targets checked`;
  }
  const where = `declared only in ${listAll(uniq)}`;
  return declaredOn.length ? where : `${where}, which build${uniq.length === 1 ? 's' : ''} for none of the targets checked`;
}

export function nameMessage(f: NameFinding, order: Order, advice?: string): string {
  const ref = f.qualifier ? `${f.qualifier}.${f.name}` : f.name;
  const on = new Set<string>();
  for (const d of f.decls) for (const t of d.targets) on.add(t);
  const where = declaredWhere(
    f.decls.map((d) => d.site),
    ordered(on, order),
  );
  const cure = advice ?? (f.qualifier ? `call it only from files constrained to the targets where ${f.qualifier} declares it` : `declare ${f.name} for every target this file builds on, or constrain this file to where it exists`);
  return `${ref} is ${where}; undefined on ${f.missing.join(', ')}. ${capital(cure)}`;
}

export function memberMessage(f: MemberFinding, ownPath: string, advice?: string): string {
  const type = typeLabel(f.src, f.typeName, ownPath);
  const what = f.key ? `has no field ${f.sel}` : `has no field or method ${f.sel}`;
  const sites = [...new Set(f.sites)];
  const where =
    sites.length && (sites.length <= MAX_SITES || f.found.length === 0)
      ? sites.length <= MAX_SITES
        ? `it is declared only in ${listAll(sites)}`
        : `it is declared in ${sites.length} files, none of which builds for these targets`
      : `it exists on ${f.found.join(', ')}`;
  const cure = advice ?? `use ${f.key ? 'the field' : `${f.sel}`} only in files constrained to the targets where ${type} has it`;
  return `${type} ${what} on ${f.missing.join(', ')} (${where}). ${capital(cure)}`;
}

export function importMessage(f: ImportFinding, order: Order, advice?: string): string {
  const present = ordered(f.src.present, order);
  const has = present.length ? `it builds only for ${present.join(', ')}` : 'it builds for none of the targets checked';
  const cure = advice ?? 'import it only from files constrained to the targets it builds for';
  return `package ${f.path} has no Go files for ${f.missing.join(', ')} (build constraints exclude all of them; ${has}). ${capital(cure)}`;
}

export function mismatchMessage(f: MismatchFinding, refs: SymRefs, text: string, ownPath: string): string {
  const fieldOperand = operandText(f.mix.left, refs).includes(`.${f.owner.sel}`) ? f.mix.left : f.mix.right;
  const field = operandText(fieldOperand, refs);
  // Group the targets by the pair of types they see.
  const groups = new Map<string, string[]>();
  for (const [t, [l, r]] of f.types) {
    const key = `${l} and ${r}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  const owner = f.owner.signature ? `the parameters of ${f.callee ?? f.owner.typeName}` : `the type of ${typeLabel(f.owner.src, f.owner.typeName, ownPath)}.${f.owner.sel}`;
  if (f.callee && f.owner.signature) {
    const value = text.length <= 80 ? text : 'the argument';
    const said = [...f.types].map(([t, [param, arg]]) => [`${arg} where ${f.callee} takes ${param}`, t] as const);
    const byText = new Map<string, string[]>();
    for (const [k, t] of said) byText.set(k, [...(byText.get(k) ?? []), t]);
    const parts = [...byText].map(([k, ts]) => `${k} on ${ts.join(', ')}`);
    return `\`${value}\` is ${parts.join('; ')}: ${owner} differ between targets${matches(f)}. Call it from files constrained to the targets whose declaration it matches, or convert to each target's parameter type there`;
  }
  if (f.callee) {
    const byType = new Map<string, string[]>();
    for (const [t, [param, arg]] of f.types) byType.set(`${arg}\0${param}`, [...(byType.get(`${arg}\0${param}`) ?? []), t]);
    const said = [...byType].map(([k, ts]) => {
      const [arg, param] = k.split('\0');
      return `${arg} on ${ts.join(', ')}, where ${f.callee} takes ${param}`;
    });
    const param = f.types.values().next().value![0];
    return `\`${field}\` is ${said.join('; ')}: cannot use it as the argument there, because ${owner} differs between targets${matches(f)}. Convert explicitly, e.g. ${param}(${field})`;
  }
  if (f.mix.kind === 'field') {
    // A composite-literal value: the field's type first, the value's second.
    const value = text.length <= 80 ? text : operandText(f.mix.right, refs);
    const said = [...groups].map(([pair, ts]) => {
      const [fieldType, valueType] = pair.split(' and ');
      return `${valueType} where the field is ${fieldType} on ${ts.join(', ')}`;
    });
    const fieldType = f.types.values().next().value![0];
    return `\`${value}\` is ${said.join('; ')}: mismatched types in the struct literal, because ${owner} differs between targets${matches(f)}. Convert explicitly, e.g. ${fieldType}(${value})`;
  }
  const parts = [...groups].map(([pair, ts]) => `mismatched types ${pair} on ${ts.join(', ')}`);
  const expr = text.length <= 80 ? `\`${text}\`` : 'this expression';
  const otherSide = fieldOperand === f.mix.left ? f.types.values().next().value![1] : f.types.values().next().value![0];
  return `${expr} has ${parts.join('; ')}: ${owner} differs between targets${matches(f)}. Convert explicitly, e.g. ${otherSide}(${field})`;
}

function matches(f: MismatchFinding): string {
  return f.agree.length ? ` (it matches on ${f.agree.join(', ')})` : '';
}

function operandText(o: Operand, refs: SymRefs): string {
  if (o.k === 'type') return o.t.name;
  return chainText(refs.chains[o.chain], refs);
}

export function chainText(c: Chain, refs: SymRefs, depth = 0): string {
  let base: string;
  if (c.base.k === 'name') base = c.base.name;
  else if (c.base.k === 'type') base = c.base.name ?? c.base.t.name;
  else base = depth < 4 ? chainText(refs.chains[c.base.chain], refs, depth + 1) : '…';
  return [base, ...c.sels.map((s) => s.name)].join('.');
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1) + (/[.!?]$/.test(s) ? '' : '.');
}

/** The source text of a one- or multi-line span (UTF-16 columns, as spans are). */
export function spanText(source: string, span: Diagnostic['span']): string {
  const lines = source.split('\n');
  if (span.start.line === span.end.line) return (lines[span.start.line - 1] ?? '').slice(span.start.col - 1, span.end.col - 1);
  const out = [(lines[span.start.line - 1] ?? '').slice(span.start.col - 1)];
  for (let l = span.start.line + 1; l < span.end.line; l++) out.push(lines[l - 1] ?? '');
  out.push((lines[span.end.line - 1] ?? '').slice(0, span.end.col - 1));
  return out.map((s) => s.trim()).join(' ');
}
