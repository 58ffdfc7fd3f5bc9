// The settings of a run: command-line options where given, else the configuration file,
// else the defaults. A flag replaces the file's value for that key; it does not add to it.
import * as path from 'node:path';
import type { CheckOptions } from '../engine/check';
import { ALL_RULES } from '../../rules';
import { findConfig, loadConfig, type Config } from './load';
import { globMatcher } from './glob';

export const DEFAULT_TARGETS = 'default';

/** What the command line said; undefined means "not given". */
export interface CliSettings {
  targets?: string;
  tags?: string[];
  cgo?: 'auto' | 'on' | 'off';
  rules?: string[];
  disable?: string[];
}

export type RunSettings = Pick<CheckOptions, 'targets' | 'tags' | 'cgo' | 'rules' | 'disable' | 'levels' | 'exclude' | 'vendor'>;

/**
 * The configuration for a run started in `cwd`: the file named by --config, else the one
 * found upward from cwd, else none.
 */
export function configFor(cwd: string, explicit?: string): Config | undefined {
  if (explicit !== undefined) return loadConfig(explicit, cwd);
  const found = findConfig(cwd);
  return found ? loadConfig(found, cwd) : undefined;
}

export function mergeSettings(cli: CliSettings, cfg: Config | undefined): RunSettings {
  const registered = new Set(ALL_RULES.map((r) => r.meta.id));
  const out: RunSettings = {
    targets: cli.targets ?? cfg?.targets ?? DEFAULT_TARGETS,
    tags: cli.tags ?? cfg?.tags ?? [],
    cgo: cli.cgo ?? cfg?.cgo ?? 'auto',
    rules: cli.rules ?? cfg?.rules.enable ?? [],
    // A stable rule id this version does not have yet is allowed in the file; it has nothing to turn off.
    disable: cli.disable ?? (cfg?.rules.disable ?? []).filter((id) => registered.has(id)),
    levels: cfg ? { ...cfg.rules.levels } : undefined,
    vendor: cfg?.vendor ? 'include' : 'exclude',
  };
  if (cfg && cfg.exclude.length > 0) out.exclude = excludeMatcher(cfg.dir, cfg.exclude);
  return out;
}

/** Whether an absolute path falls under one of the globs, taken relative to `base`. */
export function excludeMatcher(base: string, globs: readonly string[]): (file: string) => boolean {
  const match = globMatcher(globs);
  return (file) => {
    const rel = path.relative(base, file);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return false;
    return match(rel.split(path.sep).join('/'));
  };
}

/** Splits comma-separated and repeated option values; undefined when the option was not given. */
function optionList(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  return ([] as unknown[])
    .concat(v)
    .flatMap((s) => String(s).split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The run settings from parsed command-line arguments and the configuration that applies in `cwd`. */
export function settingsFromArgs(
  a: { targets?: string; tags?: unknown; cgo?: 'auto' | 'on' | 'off'; rules?: unknown; disable?: unknown; config?: string },
  cwd: string,
): RunSettings {
  const cli: CliSettings = { targets: a.targets, tags: optionList(a.tags), cgo: a.cgo, rules: optionList(a.rules), disable: optionList(a.disable) };
  return mergeSettings(cli, configFor(cwd, a.config));
}
