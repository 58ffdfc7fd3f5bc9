// Runs the compiled crossvet engine (dist/) on a module with platform-symbol and
// syscall-portability only, and prints the findings as JSON. Tests run it in a child
// process to change what the engine sees of the environment (CROSSVET_NO_GO=1).
'use strict';
const path = require('node:path');
const { check } = require(path.join(__dirname, '..', '..', 'dist', 'src', 'engine', 'check.js'));

const [dir, targets] = process.argv.slice(2);
check({ cwd: dir, paths: ['./...'], targets, tags: [], cgo: 'auto', tests: true, rules: ['platform-symbol', 'syscall-portability'], disable: [], cache: false, workers: 0 })
  .then((r) => {
    const failed = r.notifications.filter((n) => n.id === 'rule-failed');
    if (failed.length) throw new Error(failed.map((n) => n.message).join('\n'));
    process.stdout.write(JSON.stringify(r.findings.map((f) => ({ ruleId: f.ruleId, file: f.file, line: f.span.start.line, targets: f.targets, message: f.message }))));
  })
  .catch((e) => {
    process.stderr.write(String(e && e.stack ? e.stack : e));
    process.exit(1);
  });
