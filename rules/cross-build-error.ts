// cross-build-error: code that does not compile for a target of the run, as the Go compiler
// itself says when crossvet cross-builds it (`crossvet check --confirm`). Static analysis
// predicts no such result: they come from the confirm stage (src/confirm/), which reports
// every compile error no other rule's finding explains. The rule exists here so that its id,
// description and help are part of every report that may carry its results.
import type { Rule } from '../src/rule';
import type { RuleMeta } from '../src/types';

export const meta: RuleMeta = {
  id: 'cross-build-error',
  name: 'CrossBuildError',
  shortDescription: 'Code that does not compile for a target, as the Go compiler reports it when cross-building',
  fullDescription:
    'With --confirm, crossvet cross-builds the scanned packages (and their tests) with the Go toolchain for every ' +
    'target of the run. Compile errors that no other rule predicted are reported here, at the compiler\'s position, ' +
    'with the compiler\'s message and the targets on which it occurs. An import of a package that does not build for a ' +
    'target (its files are all excluded by build constraints, or it fails to compile there) is reported at the import.',
  helpMarkdown: [
    'Reported only with `crossvet check --confirm`: crossvet runs the Go toolchain for each target of the run',
    '(`GOOS`, `GOARCH`, the variant, cgo as the run decides) with `-gcflags=all=-e`, so that every error is printed,',
    'and reports each compile error that none of the static findings explains.',
    '',
    'The message is the compiler\'s own; the targets say where it happens. Typical causes: an identifier declared only',
    'in files for some platforms, a constant that overflows `int` on 32-bit targets, a struct field of `syscall` that',
    'exists only on some systems, an import of a package that has no files for the target.',
    '',
    'Fix it as the message says, for the listed targets: declare the identifier for every platform the file builds',
    'on, or constrain the file (`//go:build`, a `_GOOS.go` name) to the platforms where the code is valid.',
  ].join('\n'),
  defaultLevel: 'error',
  tags: ['portability', 'correctness', 'compile-error'],
  precision: 'very-high',
};

export const rule: Rule = {
  meta,
  // Nothing to find without building: the confirm stage reports these results.
  check() {},
};
