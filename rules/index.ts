// Every rule crossvet knows, in the order they are listed and reported in SARIF.
import type { Rule } from '../src/rule';
import { rule as buildConstraintSyntax } from './build-constraint-syntax';
import { rule as atomicAlignment } from './atomic-alignment';
import { rule as crossBuildError } from './cross-build-error';
import { rule as intOverflow32bit } from './int-overflow-32bit';
import { rule as platformSymbol } from './platform-symbol';
import { rule as syscallPortability } from './syscall-portability';
import { rule as cgoNetLinking } from './cgo-net-linking';

export const ALL_RULES: Rule[] = [atomicAlignment, buildConstraintSyntax, cgoNetLinking, crossBuildError, intOverflow32bit, platformSymbol, syscallPortability];

export function ruleById(id: string): Rule | undefined {
  return ALL_RULES.find((r) => r.meta.id === id);
}
