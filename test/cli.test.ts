// The command's contract (DESIGN.md): exit 0 clean, 1 findings, 2 usage/config/internal
// error with a message and no stack trace; --output writes the report to a file.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../src/cli/main';
import { sink } from './support/cli';

const repo = path.resolve(__dirname, '..');

async function run(args: string[], cwd = repo) {
  const stdout = sink();
  const stderr = sink();
  const code = await main(args, { stdout, stderr, cwd });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function tempModule(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('crossvet command', () => {
  it('exits 2 with a message on an unknown target', async () => {
    const r = await run(['check', '--targets', 'linux/amd46', '.'], tempModule({ 'go.mod': 'module m\n\ngo 1.22\n', 'a.go': 'package a\n' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown target "linux\/amd46"/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on an unknown option and on an unknown rule', async () => {
    expect((await run(['check', '--bogus'])).code).toBe(2);
    const r = await run(['check', '--rules', 'no-such-rule', '.'], tempModule({ 'go.mod': 'module m\n\ngo 1.22\n', 'a.go': 'package a\n' }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown rule "no-such-rule"/);
  });

  it('exits 2 on a path that does not exist', async () => {
    const r = await run(['check', './no/such/dir/...']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such file or directory/);
  });

  it('exits 0 on clean code and 1 on a finding, from a subdirectory of the module', async () => {
    const dir = tempModule({
      'go.mod': 'module example.com/m\n\ngo 1.22\n',
      'ok/ok.go': '//go:build linux\n\npackage ok\n',
      // Go ignores "//+ build": a near miss the rule must report.
      'bad/bad.go': '//+ build linux\n\npackage bad\n',
    });
    expect((await run(['check', '.'], path.join(dir, 'ok'))).code).toBe(0);
    const bad = await run(['check', './...'], path.join(dir, 'bad'));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^bad\/bad\.go:1:1: .*\[build-constraint-syntax\]/m);
  });

  it('writes the report to --output and nothing to stdout', async () => {
    const dir = tempModule({ 'go.mod': 'module m\n\ngo 1.22\n', 'a.go': '//+ build linux\n\npackage a\n' });
    const out = path.join(dir, 'out', 'r.sarif');
    const r = await run(['check', '--format', 'sarif', '--output', out, './...'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const log = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results[0].ruleId).toBe('build-constraint-syntax');
  });

  it('lists targets with facts from the Go port list', async () => {
    const r = await run(['targets', '--json']);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout);
    const i386 = t.targets.find((x: { target: string }) => x.target === 'linux/386');
    // Go spec / gc: 4-byte pointers and 4-byte int64 alignment on 386.
    expect(i386).toMatchObject({ ptrSize: 4, int64Align: 4, unix: true });
    expect(t.presets.default).toContain('linux/arm/v6');
    expect(t.targets.find((x: { target: string }) => x.target === 'windows/amd64').unix).toBe(false);
  });

  it('lists rules', async () => {
    const r = await run(['rules']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^build-constraint-syntax\s+(warning|error)\s+\S/m);
  });
});
