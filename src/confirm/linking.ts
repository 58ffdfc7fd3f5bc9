// Confirming cgo-net-linking findings: build the main package the way its user builds it
// for the target (natively for the host: the user's environment, cgo as the run decides),
// then read the binary's ELF program headers. A binary that names a program interpreter
// (PT_INTERP) or needs shared libraries (DT_NEEDED) is dynamically linked: the finding is
// confirmed; a static binary refutes it. The finding's location is the import in the main
// package (issue 5), so its directory is the package to build.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from '../types';
import type { Target } from '../targets';
import type { BuildContext } from '../constraints/match';
import { readElf, ElfError } from '../elf';
import { runGoAsync } from './run';
import { runProblem, targetEnv } from './driver';
import type { GoRun, TargetVerdict } from './types';

/** Systems whose binaries are ELF files. */
const ELF_OS = new Set(['linux', 'android', 'freebsd', 'netbsd', 'openbsd', 'dragonfly', 'illumos', 'solaris']);

export interface LinkingInput {
  findings: { index: number; diag: Diagnostic; targets: string[] }[];
  targets: Map<string, Target>;
  contexts: Map<string, BuildContext>;
  cwd: string;
  goflags: string;
  tags: string[];
  timeoutMs: number;
}

export interface LinkingOutput {
  verdicts: Map<number, Map<string, TargetVerdict>>;
  runs: GoRun[];
}

function relPkg(cwd: string, dir: string): string {
  const rel = path.relative(cwd, dir).split(path.sep).join('/');
  return rel === '' ? '.' : `./${rel}`;
}

/** Builds each (package, target) once, one at a time: linking is the heaviest step of the stage. */
export async function confirmLinking(input: LinkingInput): Promise<LinkingOutput> {
  const verdicts = new Map<number, Map<string, TargetVerdict>>();
  const runs: GoRun[] = [];
  const built = new Map<string, TargetVerdict>();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crossvet-link-'));
  try {
    for (const f of input.findings) {
      const m = new Map<string, TargetVerdict>();
      verdicts.set(f.index, m);
      const dir = path.dirname(f.diag.file);
      for (const id of f.targets) {
        const t = input.targets.get(id);
        const ctx = input.contexts.get(id);
        if (!t || !ctx) continue;
        if (!ELF_OS.has(t.goos)) {
          m.set(id, { status: 'unknown', message: `${t.goos} binaries are not ELF files; only ELF binaries are inspected` });
          continue;
        }
        const key = `${dir}\0${id}`;
        let v = built.get(key);
        if (!v) {
          v = await buildAndInspect(dir, t, ctx, input, tmp, runs, built.size);
          built.set(key, v);
        }
        m.set(id, v);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { verdicts, runs };
}

async function buildAndInspect(dir: string, t: Target, ctx: BuildContext, input: LinkingInput, tmp: string, runs: GoRun[], n: number): Promise<TargetVerdict> {
  const out = path.join(tmp, `bin${n}`);
  const args = ['build', ...(input.tags.length ? [`-tags=${input.tags.join(',')}`] : []), '-o', out, relPkg(input.cwd, dir)];
  const r = await runGoAsync(args, { purpose: 'link', target: t.id, cwd: input.cwd, env: targetEnv({ target: t, context: ctx }, input.goflags), timeoutMs: input.timeoutMs });
  runs.push(r.run);
  if (r.run.failure || r.run.exitCode !== 0) return { status: 'unknown', message: `go build failed for ${t.id}: ${runProblem(r.run, r.stderr)}` };
  if (!fs.existsSync(out)) return { status: 'unknown', message: `go build wrote no binary for ${relPkg(input.cwd, dir)}: it is not a main package` };
  let info;
  try {
    info = readElf(fs.readFileSync(out));
  } catch (e) {
    const why = e instanceof ElfError ? e.message : (e as Error).message;
    return { status: 'unknown', message: `cannot read the binary built for ${t.id}: ${why}` };
  }
  const cgo = ctx.cgo ? 'cgo on' : 'cgo off';
  if (info.dynamic) {
    const parts = [info.interp ? `interpreter ${info.interp}` : '', info.needed.length ? `needs ${info.needed.join(', ')}` : ''].filter(Boolean);
    return { status: 'confirmed', message: `the binary built for ${t.id} (${cgo}) is dynamically linked: ${parts.join('; ')}` };
  }
  return { status: 'refuted', message: `the binary built for ${t.id} (${cgo}) is statically linked (no PT_INTERP, no DT_NEEDED)` };
}
