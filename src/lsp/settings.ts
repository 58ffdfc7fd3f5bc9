// The editor's settings for crossvet, from initializationOptions or the workspace
// configuration section `crossvet`. They play the part of command-line flags: what is set
// here wins over crossvet.yaml, what is not set is taken from it (src/config/merge.ts).
import { parseTargets, TargetError } from '../targets';
import { ALL_RULES } from '../../rules';

export interface EditorSettings {
  /** Comma-separated targets and presets, as --targets. */
  targets?: string;
  tags?: string[];
  cgo?: 'auto' | 'on' | 'off';
  /** Include _test.go files (default true). */
  tests?: boolean;
  rules?: string[];
  disable?: string[];
  /** Quiet time after the last keystroke before a package is analysed again. */
  debounceMs?: number;
}

export const DEFAULT_DEBOUNCE_MS = 300;

/** A string list given as an array or as one comma-separated string. */
function stringList(v: unknown): string[] | undefined {
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v.flatMap((s: string) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  return undefined;
}

/**
 * Reads settings from what a client sent: `{ crossvet: {...} }` or the section itself.
 * Values that are wrong are left out, each with a problem that says why.
 */
export function readSettings(raw: unknown): { settings: EditorSettings; problems: string[] } {
  const settings: EditorSettings = {};
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { settings, problems };
  let section = raw as Record<string, unknown>;
  if (typeof section === 'object' && section.crossvet !== undefined) section = section.crossvet as Record<string, unknown>;
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    return { settings, problems: ['crossvet settings must be an object'] };
  }
  const known = new Set(ALL_RULES.map((r) => r.meta.id));
  for (const [key, v] of Object.entries(section)) {
    if (v === undefined || v === null) continue;
    switch (key) {
      case 'targets': {
        const list = stringList(v);
        if (!list?.length) {
          problems.push('crossvet.targets must be a string or a list of strings');
          break;
        }
        try {
          parseTargets(list.join(','));
          settings.targets = list.join(',');
        } catch (e) {
          if (!(e instanceof TargetError)) throw e;
          problems.push(`crossvet.targets: ${e.message}`);
        }
        break;
      }
      case 'tags': {
        const list = stringList(v);
        if (list) settings.tags = list;
        else problems.push('crossvet.tags must be a string or a list of strings');
        break;
      }
      case 'cgo':
        if (v === true || v === 'on') settings.cgo = 'on';
        else if (v === false || v === 'off') settings.cgo = 'off';
        else if (v === 'auto') settings.cgo = 'auto';
        else problems.push(`crossvet.cgo must be "auto", "on" or "off", not ${JSON.stringify(v)}`);
        break;
      case 'tests':
        if (typeof v === 'boolean') settings.tests = v;
        else problems.push('crossvet.tests must be true or false');
        break;
      case 'rules':
      case 'disable': {
        const list = stringList(v);
        if (!list) {
          problems.push(`crossvet.${key} must be a list of rule ids`);
          break;
        }
        const unknown = list.filter((id) => !known.has(id));
        if (unknown.length) problems.push(`crossvet.${key}: unknown rule ${unknown.map((u) => `"${u}"`).join(', ')} (rules: ${[...known].join(', ')})`);
        settings[key] = list.filter((id) => known.has(id));
        break;
      }
      case 'debounceMs':
        if (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 10_000) settings.debounceMs = v;
        else problems.push('crossvet.debounceMs must be a number of milliseconds from 0 to 10000');
        break;
      default:
        problems.push(`crossvet.${key} is not a setting (settings: targets, tags, cgo, tests, rules, disable, debounceMs)`);
    }
  }
  return { settings, problems };
}

/** Later sources win, key by key. */
export function mergeEditorSettings(...layers: EditorSettings[]): EditorSettings {
  const out: EditorSettings = {};
  for (const l of layers) {
    for (const [k, v] of Object.entries(l)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
