// platform-symbol: names that are declared for some targets only. A reference compiles on
// a target only if the name is declared there: in the file's own package by a file that
// builds for it, in the imported package for it, or in the method set or fields of the
// operand's type for it. References into syscall and golang.org/x/sys belong to
// syscall-portability, which knows their portable replacements.
import type { Rule } from '../src/rule';
import type { RuleMeta } from '../src/types';
import { analyse } from '../src/symbols/analysis';
import { findingPackage, isSyscallFamily, toDiagnostic } from '../src/symbols/diagnostics';
import { findRedeclarations } from '../src/symbols/redeclared';

export const meta: RuleMeta = {
  id: 'platform-symbol',
  name: 'PlatformSymbol',
  shortDescription: 'Identifiers, fields, methods and imports that exist for some target platforms only',
  fullDescription:
    'Finds references that compile on some GOOS/GOARCH targets and not on others: a name declared only in ' +
    'consts_amd64.go or under //go:build linux, a method or field declared for some targets only, a field whose ' +
    'type differs between targets where it meets another typed operand, and imports of packages that have no Go ' +
    'files for a target, and names declared twice for a target by files whose constraints overlap. It checks every target in one pass, from source, including vendored packages, the module ' +
    'cache and the standard library.',
  helpMarkdown: [
    'Go compiles a file only with the files that build for the same target. A function declared in `page_amd64.go`',
    'is undefined when the package is built for `arm64`; nothing tells the author until someone runs that build.',
    '',
    'For every reference and every target the file builds on, this rule asks whether the name is declared there:',
    '',
    '- package-level names of the file\'s own package (declared by a file that builds for that target);',
    '- qualified names `pkg.Name` of imported packages (own module, `vendor/`, module cache, GOROOT);',
    '- fields and methods selected on operands whose type is certain (declared variables, parameters, receivers,',
    '  composite literals, type assertions), and field names in composite literals;',
    '- imports of packages whose files all build for other targets ("build constraints exclude all Go files").',
    '- package-level names and methods declared twice for a target, by two files whose constraints overlap there.',
    '',
    'It reports once per reference, listing the targets where it is undefined and where it is declared. Fix it by',
    'declaring the name for the missing targets too (a file with the complementary constraint), or by constraining',
    'the referring file to the targets that have it.',
    '',
    'References into `syscall` and `golang.org/x/sys` are reported by `syscall-portability` instead.',
  ].join('\n'),
  defaultLevel: 'error',
  tags: ['portability', 'correctness', 'compile-error'],
  precision: 'very-high',
};

export const rule: Rule = {
  meta,
  // The shared analysis picks the files to parse itself (see src/symbols/analysis.ts).
  wantsSyntax: () => false,
  async check(ctx) {
    const { findings } = await analyse(ctx);
    for (const f of findings) {
      if (isSyscallFamily(findingPackage(f))) continue;
      ctx.report(toDiagnostic(ctx, f, meta.id, undefined));
    }
    for (const d of findRedeclarations(ctx)) ctx.report(d);
  },
};
