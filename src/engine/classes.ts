// Target classes: targets on which exactly the same files build are analysed once.
import { createHash } from 'node:crypto';
import type { Target } from '../targets';
import type { SourceFile, TargetClass } from '../model/types';

export function targetClasses(targets: Target[], files: SourceFile[]): TargetClass[] {
  const byKey = new Map<string, TargetClass>();
  for (const t of targets) {
    const building = files.filter((f) => f.builds.has(t.id));
    const hash = createHash('sha256');
    for (const f of building) hash.update(f.path).update('\0');
    const key = hash.digest('hex').slice(0, 16);
    let cls = byKey.get(key);
    if (!cls) {
      const byDir = new Map<string, SourceFile[]>();
      for (const f of building) {
        const list = byDir.get(f.dir) ?? [];
        list.push(f);
        byDir.set(f.dir, list);
      }
      cls = { key, targets: [], files: byDir };
      byKey.set(key, cls);
    }
    cls.targets.push(t);
  }
  return [...byKey.values()];
}
