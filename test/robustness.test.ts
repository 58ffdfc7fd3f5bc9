// Bad input gets a message and the rest of the work still done: Go's own testdata with
// deliberate syntax errors, and a module of hostile files. No rule may throw.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { check, type CheckOptions } from '../src/engine/check';
import { goEnv } from '../src/goenv';

const base: Omit<CheckOptions, 'cwd' | 'paths'> = { targets: 'linux/amd64,linux/386,windows/amd64', tags: [], cgo: 'auto', tests: true, rules: [], disable: [], cache: false };

describe('robustness', () => {
  const goroot = goEnv()?.GOROOT;

  it.runIf(goroot)("survives Go's type-checker testdata (deliberate syntax and type errors)", async () => {
    const src = path.join(goroot!, 'src');
    const dirs = ['internal/types/testdata/fixedbugs', 'internal/types/testdata/check', 'internal/types/testdata/spec', 'internal/types/testdata/examples'];
    const r = await check({ ...base, cwd: src, paths: dirs });
    expect(r.stats.files).toBeGreaterThan(300);
    const failed = r.notifications.filter((n) => n.id === 'rule-failed' || n.level === 'error');
    expect(failed.map((n) => `${n.file}: ${n.message.split('\n')[0]}`)).toEqual([]);
    // go/parser rejects many of these files; tree-sitter must say so rather than go quiet.
    expect(r.notifications.filter((n) => n.id === 'syntax-error').length).toBeGreaterThan(10);
  });

  it('survives hostile files and trees', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-hostile-'));
    const w = (name: string, data: string | Buffer) => {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), data);
    };
    w('go.mod', 'module example.com/hostile\n\ngo 1.22\n');
    w('ok.go', 'package hostile\n\nconst Big = 1 << 40\n\nvar x int = Big\n');
    w('latin1.go', Buffer.concat([Buffer.from('package hostile\n\n// caf'), Buffer.from([0xe9]), Buffer.from('\nvar s = "\xff"\n')]));
    w('nul.go', Buffer.from('package hostile\n\x00\x00var y = 1\n'));
    w('empty.go', '');
    w('bom.go', '\ufeffpackage hostile\n');
    w('deep.go', `package hostile\n\nvar d = ${'('.repeat(5000)}1${')'.repeat(5000)}\n`);
    w('long.go', `package hostile\n\nvar l = ${Array.from({ length: 20000 }, (_, i) => `${i}`).join(' + ')}\n`);
    w('garbage.go', '}}}} package ((( func [[[ \n\n'.repeat(200));
    w('sub/loop/.keep', '');
    fs.symlinkSync('..', path.join(dir, 'sub', 'loop', 'up'));
    fs.symlinkSync('nowhere.go', path.join(dir, 'dangling.go'));
    w('sub/p.go', 'package sub\n\nimport "example.com/hostile/missing"\n\nvar _ = missing.X\n');
    const r = await check({ ...base, cwd: dir, paths: ['./...'] });
    const ids = new Set(r.notifications.map((n) => n.id));
    expect(r.notifications.filter((n) => n.id === 'rule-failed' || n.level === 'error').map((n) => n.message.split('\n')[0])).toEqual([]);
    expect(ids).toContain('invalid-utf8');
    expect(ids).toContain('unresolved-import');
    expect(r.stats.files).toBeGreaterThanOrEqual(8);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
