#!/usr/bin/env node
// npm run gen:stdlib
// Regenerates src/stdlib/stdlib.json, the standard-library facts crossvet uses when no Go
// toolchain (or no GOROOT) is available: for every port of `go tool dist list`, which
// standard packages have Go files, their imports, and the exported API of the public
// ones (names, struct fields and their types, method sets, constant values), computed by
// go/types from the GOROOT of the go command on PATH (see scripts/gen-stdlib/main.go).
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'src', 'stdlib', 'stdlib.json');
const go = process.env.CROSSVET_GO || 'go';
const r = spawnSync(go, ['run', '.', '-o', out], {
  cwd: path.join(__dirname, 'gen-stdlib'),
  stdio: 'inherit',
  // Never download a toolchain or a module: the facts describe the Go that is installed.
  env: { ...process.env, GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: '-mod=mod' },
});
if (r.error) {
  console.error(`gen:stdlib: cannot run ${go}: ${r.error.message}`);
  process.exit(2);
}
process.exit(r.status ?? 1);
