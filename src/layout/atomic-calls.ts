// Which recorded calls really are sync/atomic's: the qualifier must name an import of
// "sync/atomic" (under any alias), or the call must be unqualified in a file that
// dot-imports it.
import type { FileFacts } from '../syntax/facts';
import type { AtomicCallFact } from '../syntax/extract/atomic';

export const SYNC_ATOMIC = 'sync/atomic';

export function isAtomicCall(facts: FileFacts, call: AtomicCallFact): boolean {
  if (call.qual === '') return facts.imports.some((i) => i.path === SYNC_ATOMIC && i.name === '.');
  // A package-level declaration cannot share a name with an import of its file (the
  // compiler rejects it), so a matching import is enough.
  return facts.imports.some((i) => i.path === SYNC_ATOMIC && (i.name === undefined ? call.qual === 'atomic' : i.name === call.qual));
}
