// Findings of the shared analysis as diagnostics, and which rule owns which finding.
import type { RuleContext } from '../rule';
import type { Diagnostic } from '../types';
import type { SymFinding } from './check';
import { importMessage, memberMessage, mismatchMessage, nameMessage, spanText } from './messages';
import { symRefsOf } from '../syntax/symrefs-extractor';

/** The packages syscall-portability speaks for; platform-symbol leaves their findings to it. */
export const SYSCALL_FAMILY = new Set(['syscall', 'golang.org/x/sys/unix', 'golang.org/x/sys/windows', 'golang.org/x/sys/plan9']);

export function isSyscallFamily(importPath: string): boolean {
  return SYSCALL_FAMILY.has(importPath);
}

/** The package a finding is about: the one declaring the name, member or field, or the one imported. */
export function findingPackage(f: SymFinding): string {
  switch (f.kind) {
    case 'name':
    case 'member':
      return f.src.importPath;
    case 'import':
      return f.path;
    case 'mismatch':
      return f.owner.src.importPath;
  }
}

/** The diagnostic for a finding, with the rule's advice when it has some (else the generic cure). */
export function toDiagnostic(ctx: RuleContext, f: SymFinding, ruleId: string, advice: string | undefined): Diagnostic {
  const order = ctx.targets.map((t) => t.id);
  const ownPath = ctx.packages.find((p) => p.dir === f.file.dir)?.importPath ?? '';
  let message: string;
  switch (f.kind) {
    case 'name':
      message = nameMessage(f, order, advice);
      break;
    case 'member':
      message = memberMessage(f, ownPath, advice);
      break;
    case 'import':
      message = importMessage(f, order, advice);
      break;
    case 'mismatch': {
      const refs = symRefsOf(ctx.facts(f.file)?.extras)!;
      message = mismatchMessage(f, refs, spanText(ctx.source(f.file), f.span), ownPath);
      break;
    }
  }
  return { ruleId, file: f.file.path, span: f.span, message, targets: f.missing };
}
