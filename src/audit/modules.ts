// Which vendored module a file belongs to, from vendor/modules.txt: the module that lists
// the file's package, else the module whose path is the longest prefix of it.
import * as path from 'node:path';
import { parseModulesTxt, type VendorList, type VendorModule } from '../discover/gomod';
import * as fs from 'node:fs';

export interface ModuleVersion {
  path: string;
  /** `v1.2.3`, `v1.2.3 => other v1.0.0`, `=> ../dir`; undefined when the module is not vendored. */
  version?: string;
}

export class VendorModules {
  readonly list: VendorList | undefined;

  constructor(readonly root: string) {
    const file = path.join(root, 'vendor', 'modules.txt');
    let text: string | undefined;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      text = undefined;
    }
    this.list = text === undefined ? undefined : parseModulesTxt(text, file);
  }

  /** The module path of a file under root/vendor, given relative to root ('/'-separated). */
  moduleOf(rel: string): string {
    const dir = path.posix.dirname(rel.replace(/^vendor\//, ''));
    const m = this.list?.packageModule.get(dir) ?? this.longestPrefix(dir);
    return m?.path ?? dir;
  }

  versionOf(modulePath: string): string | undefined {
    const m = this.list?.modules.find((x) => x.path === modulePath);
    return m ? describeVersion(m) : undefined;
  }

  modules(): string[] {
    return this.list?.modules.map((m) => m.path) ?? [];
  }

  private longestPrefix(dir: string): VendorModule | undefined {
    let best: VendorModule | undefined;
    for (const m of this.list?.modules ?? []) {
      if ((dir === m.path || dir.startsWith(`${m.path}/`)) && (!best || m.path.length > best.path.length)) best = m;
    }
    return best;
  }
}

function describeVersion(m: VendorModule): string {
  const r = m.replacement ? ` => ${m.replacement.path}${m.replacement.version ? ` ${m.replacement.version}` : ''}` : '';
  return `${m.version ?? ''}${r}`.trim();
}
