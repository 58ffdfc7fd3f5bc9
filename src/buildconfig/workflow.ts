// Reading a GitHub Actions workflow: every `run:` step as a shell script, with the
// environment GitHub gives it (workflow, job and step `env:`) and its working directory;
// `goreleaser/goreleaser-action` steps as GoReleaser runs with that environment.
// `${{ ... }}` expressions are values we cannot know.
import * as path from 'node:path';
import type { BuildConfigProblem, Env, Evidence, RepoFile } from './types';
import { entries, get, items, parseYaml, scalarFirstLine, str, type YamlFile } from './yaml';
import { runShell, type ShellCommand } from './shell';

export interface WorkflowStep {
  /** The commands of a run step. */
  commands?: ShellCommand[];
  /** A GoReleaser action step: the environment and directory it runs GoReleaser with. */
  goreleaser?: { env: Env; dir: string; at: Evidence };
  /** The host directory the step starts in. */
  dir: string;
  at: Evidence;
}

export function readWorkflow(file: RepoFile, repoRoot: string, substitution: (dir: string) => (text: string) => string | undefined): { steps: WorkflowStep[]; problems: BuildConfigProblem[] } {
  const y = parseYaml(file.path, file.text);
  if ('error' in y) return { steps: [], problems: [{ file: file.path, message: `cannot read workflow ${path.basename(file.path)}: ${y.error}` }] };
  const root = y.doc.contents;
  const wfEnv = envMap(y, get(root, 'env'), new Map());
  const wfDir = str(get(get(get(root, 'defaults'), 'run'), 'working-directory'));
  const steps: WorkflowStep[] = [];
  for (const [, job] of entries(get(root, 'jobs'))) {
    const jobEnv = envMap(y, get(job, 'env'), wfEnv);
    const jobDir = str(get(get(get(job, 'defaults'), 'run'), 'working-directory')) ?? wfDir;
    for (const step of items(get(job, 'steps'))) {
      const env = envMap(y, get(step, 'env'), jobEnv);
      const wd = str(get(step, 'working-directory')) ?? jobDir;
      const dir = wd && !wd.includes('${{') ? path.resolve(repoRoot, wd) : repoRoot;
      const at = y.ev(step);
      const uses = str(get(step, 'uses'));
      if (uses && /^goreleaser\/goreleaser-action@/.test(uses)) {
        const workdir = str(get(get(step, 'with'), 'workdir'));
        steps.push({ goreleaser: { env, dir: workdir ? path.resolve(repoRoot, workdir) : dir, at }, dir, at });
        continue;
      }
      const runNode = get(step, 'run');
      const script = str(runNode);
      if (script === undefined) continue;
      const shell = str(get(step, 'shell')) ?? str(get(get(get(job, 'defaults'), 'run'), 'shell'));
      if (shell && /^(pwsh|powershell|cmd|python)/.test(shell)) continue;
      const text = script.replace(/\$\{\{[^}]*\}\}/g, '$(gha)');
      const commands = runShell({ file: file.path, text, firstLine: scalarFirstLine(y, runNode), fileLines: y.lines, env, substitution: substitution(dir) });
      steps.push({ commands, dir, at });
    }
  }
  return { steps, problems: [] };
}

/** An `env:` map on top of the outer environment; expressions make a value unknown. */
function envMap(y: YamlFile, node: unknown, outer: Env): Env {
  const env: Env = new Map(outer);
  for (const [k, v] of entries(node)) {
    const s = str(v);
    env.set(k, s === undefined || s.includes('${{') ? null : { value: s, at: y.ev(v) });
  }
  return env;
}
