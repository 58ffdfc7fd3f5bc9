// Target facts checked against the Go toolchain: pointer size and int64 alignment from
// go/types' gc sizes, cgo defaults and ports from the go command itself.
import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { parseTarget, parseTargets, ports, presetTargets, TargetError } from '../src/targets';
import { goEnv, runGo } from '../src/goenv';

describe('targets', () => {
  const all = presetTargets('all');

  it('knows every port of go tool dist list', () => {
    const r = runGo(['tool', 'dist', 'list']);
    expect(r.status).toBe(0);
    const live = r.stdout.trim().split('\n').sort();
    expect(all.map((t) => t.id).sort()).toEqual(live);
  });

  it('has the gc pointer size and int64 alignment of every architecture', () => {
    const arches = [...new Set(all.map((t) => t.goarch))];
    const r = runGo(['run', '.', ...arches], { cwd: path.join(__dirname, 'go', 'sizesoracle'), env: { GOFLAGS: '-mod=mod' } });
    expect(r.stderr).toBe('');
    const oracle = JSON.parse(r.stdout) as Record<string, [number, number]>;
    for (const t of all) {
      expect([t.id, t.ptrSize, t.int64Align]).toEqual([t.id, ...oracle[t.goarch]]);
    }
  });

  it('enables cgo by default exactly where the go command does', () => {
    for (const t of all) {
      const r = runGo(['env', 'CGO_ENABLED'], { env: { GOOS: t.goos, GOARCH: t.goarch, CGO_ENABLED: undefined } });
      expect([t.id, t.cgoDefault]).toEqual([t.id, r.stdout.trim() === '1']);
    }
  });

  it('reads Docker/OCI variants as the go command variables', () => {
    expect(parseTarget('linux/arm/v6').env).toMatchObject({ GOOS: 'linux', GOARCH: 'arm', GOARM: '6' });
    expect(parseTarget('linux/arm64/v8').env.GOARM64).toBe('v8.0');
    expect(parseTarget('linux/amd64/v3').env.GOAMD64).toBe('v3');
    expect(parseTarget('linux/arm').env.GOARM).toBe(runGo(['env', 'GOARM'], { env: { GOOS: 'linux', GOARCH: 'arm' } }).stdout.trim());
  });

  it('rejects unknown targets, variants and presets with a message', () => {
    expect(() => parseTarget('linux/amd46')).toThrow(TargetError);
    expect(() => parseTarget('linux/amd46')).toThrow(/linux supports .*linux\/amd64/);
    expect(() => parseTarget('linux/arm/v9')).toThrow(/bad variant/);
    expect(() => parseTarget('linux')).toThrow(/GOOS\/GOARCH/);
    expect(() => parseTargets('nosuchpreset')).toThrow(/bad target/);
  });

  it('expands presets without duplicates', () => {
    const ts = parseTargets('default,linux/386,32bit');
    expect(new Set(ts.map((t) => t.id)).size).toBe(ts.length);
    expect(presetTargets('32bit').every((t) => t.ptrSize === 4)).toBe(true);
    expect(presetTargets('first-class').length).toBe(ports().ports.filter((p) => p.firstClass).length);
  });

  it('has a host preset: the go command\'s GOHOSTOS/GOHOSTARCH, with its cgo default', () => {
    const env = goEnv();
    if (!env) return;
    const [h] = presetTargets('host');
    expect(h.id.split('/').slice(0, 2).join('/')).toBe(`${env.GOHOSTOS}/${env.GOHOSTARCH}`);
    expect(h.cgoDefault).toBe(env.CGO_ENABLED === '1');
  });
});
