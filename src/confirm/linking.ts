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
import type { TargetOutcome } from './match';

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
      // The rule names the command it means (properties.command); else the finding's package.
      const command = typeof f.diag.properties?.command === 'string' ? f.diag.properties.command : relPkg(input.cwd, dir);
      for (const id of f.targets) {
        const t = input.targets.get(id);
        const ctx = input.contexts.get(id);
        if (!t || !ctx) continue;
        if (!ELF_OS.has(t.goos)) {
          m.set(id, { status: 'unknown', message: `${t.goos} binaries are not ELF files; only ELF binaries are inspected` });
          continue;
        }
        const key = `${command}\0${id}`;
        let v = built.get(key);
        if (!v) {
          v = await buildAndInspect(command, t, ctx, input, tmp, runs, built.size);
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

async function buildAndInspect(command: string, t: Target, ctx: BuildContext, input: LinkingInput, tmp: string, runs: GoRun[], n: number): Promise<TargetVerdict> {
  const out = path.join(tmp, `bin${n}`);
  const args = ['build', ...(input.tags.length ? [`-tags=${input.tags.join(',')}`] : []), '-o', out, command];
  const r = await runGoAsync(args, { purpose: 'link', target: t.id, cwd: input.cwd, env: targetEnv({ target: t, context: ctx }, input.goflags), timeoutMs: input.timeoutMs });
  runs.push(r.run);
  if (r.run.failure || r.run.exitCode !== 0) return { status: 'unknown', message: `go build failed for ${t.id}: ${runProblem(r.run, r.stderr)}` };
  if (!fs.existsSync(out)) return { status: 'unknown', message: `go build wrote no binary for ${command}: it is not a main package` };
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

/**
 * The other kind of cgo-net-linking finding (properties.kind "cgo-dropped"): files that
 * import "C" drop out of the build where cgo is off. Each target's compile run shows whether
 * the go command compiled them: left out confirms, compiled refutes.
 */
export function confirmDropped(findings: { index: number; diag: Diagnostic; targets: string[] }[], outcomes: Map<string, TargetOutcome>): Map<number, Map<string, TargetVerdict>> {
  const verdicts = new Map<number, Map<string, TargetVerdict>>();
  for (const f of findings) {
    const files = Array.isArray(f.diag.properties?.files) ? (f.diag.properties!.files as unknown[]).filter((x): x is string => typeof x === 'string') : [f.diag.file];
    const m = new Map<string, TargetVerdict>();
    verdicts.set(f.index, m);
    for (const t of f.targets) {
      const o = outcomes.get(t);
      if (!o) continue;
      if ('failure' in o) {
        m.set(t, { status: 'unknown', message: `the build for ${t} did not run to the end: ${o.failure}` });
        continue;
      }
      const states = files.map((file) => ({ file, st: o.view.fileState(file) }));
      const compiled = states.filter((x) => x.st.state === 'checked' || (x.st.state === 'blocked' && o.view.compiles(x.file)));
      if (compiled.length > 0) {
        m.set(t, { status: 'refuted', message: `the go command compiles ${compiled.map((x) => path.basename(x.file)).join(', ')} for ${t}` });
      } else if (states.every((x) => x.st.state === 'excluded')) {
        m.set(t, { status: 'confirmed', message: `the go command leaves ${files.map((x) => path.basename(x)).join(', ')} out of the build for ${t}` });
      } else {
        const why = states.find((x) => x.st.state !== 'excluded')!.st;
        m.set(t, { status: 'unknown', message: `cannot tell for ${t}: ${'reason' in why ? why.reason : 'the package was not listed'}` });
      }
    }
  }
  return verdicts;
}
