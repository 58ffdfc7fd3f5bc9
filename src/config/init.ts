// `crossvet init`: a commented crossvet.yaml to start from. Every key is present with the
// value that is the default anyway, so the file changes nothing until it is edited.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../errors';
import { ALL_RULES } from '../../rules';
import { CONFIG_NAMES, findConfig } from './load';

export function initTemplate(): string {
  const rules = [...ALL_RULES].map((r) => r.meta).sort((a, b) => (a.id < b.id ? -1 : 1));
  const width = Math.max(...rules.map((r) => r.id.length));
  return `# crossvet configuration. Command-line options override what is set here.
# Reference: docs/configuration.md. Schema (editor completion and checks):
# yaml-language-server: $schema=https://github.com/crossvet/crossvet/raw/main/docs/crossvet.schema.json

# The platforms to check: GOOS/GOARCH[/variant] (linux/arm/v6 is GOARM=6) and presets:
# default (linux/amd64, linux/386, linux/arm/v6, linux/arm64, linux/ppc64le, linux/s390x,
# windows/amd64, darwin/arm64), first-class, 32bit, all. 'crossvet targets' lists them.
targets:
  - default

# Build tags, as 'go build -tags'.
tags:
#  - integration

# cgo for every target: auto (as the go command decides per target), on or off.
cgo: auto

rules:
  # Run only these rules (leave empty for all of them).
  enable:
  # Turn these rules off.
  disable:
  # The level of a rule's findings: error, warning, note, or off.
  # Findings at or above --fail-level (default: warning) make the exit code 1.
  levels:
${rules.map((r) => `    # ${`${r.id}:`.padEnd(width + 1)} ${r.defaultLevel.padEnd(7)} # ${r.shortDescription}`).join('\n')}

# Paths whose findings are not reported, relative to this file (.gitignore-style globs,
# plus {a,b}). Excluded code is still read, so that other packages can use it.
exclude:
#  - internal/generated/**
#  - "*_gen.go"

# Whether ./... also scans the vendored packages under vendor/ and reports their findings.
vendor: false
`;
}

/** Writes crossvet.yaml in `dir`; refuses when a configuration file is already there. */
export function writeInitFile(dir: string): { file: string; shadows?: string } {
  for (const n of CONFIG_NAMES) {
    const existing = path.join(dir, n);
    if (fs.existsSync(existing)) throw new ConfigError(`${existing} already exists; crossvet init does not overwrite it`);
  }
  const above = findConfig(path.dirname(path.resolve(dir)));
  const file = path.join(dir, CONFIG_NAMES[0]);
  try {
    // 'wx': fail rather than overwrite if the file appeared meanwhile.
    fs.writeFileSync(file, initTemplate(), { flag: 'wx' });
  } catch (e) {
    throw new ConfigError(`cannot write ${file}: ${(e as Error).message}`);
  }
  return { file, shadows: above };
}
