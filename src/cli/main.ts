// The crossvet command. Exit codes (DESIGN.md): 0 nothing at or above the failing level,
// 1 findings, 2 usage, configuration or internal error — always with a message, never a
// stack trace (set CROSSVET_DEBUG=1 to see one).
import * as fs from 'node:fs';
import * as path from 'node:path';
import yargs from 'yargs';
import { VERSION } from '../version';
import { ConfigError, UsageError } from '../errors';
import { GoModError } from '../discover/gomod';
import { TargetError } from '../targets';
import { SarifInputError } from '../report/sarif';
import { runCheck } from './check';
import { settingsFromArgs } from '../config/merge';
import { writeInitFile } from '../config/init';
import { runAudit } from '../audit/command';
import { printRules } from './rules';
import { runLspServer } from '../lsp/server';
import { printTargets } from './targets';
import { CONFIRM_OPTION, CONFIRM_TIMEOUT_OPTION, confirmFromArgs } from '../confirm/cli';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

function fail(message: string): never {
  throw new UsageError(message);
}

export async function main(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; cwd: string } = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }): Promise<number> {
  let code = EXIT_CLEAN;
  const parser = yargs(argv)
    .scriptName('crossvet')
    .version(VERSION)
    .strict()
    .help()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      fail(msg);
    })
    .demandCommand(1, 'name a command: check, audit, init, lsp, targets or rules')
    .command(
      'check [paths..]',
      'find code that breaks on other platforms',
      (y) =>
        y
          .positional('paths', { describe: 'packages or files: ./..., ./cmd/..., a directory, a .go file', type: 'string', array: true })
          .option('targets', { alias: 't', type: 'string', describe: 'comma-separated GOOS/GOARCH[/variant] targets and presets (default, first-class, 32bit, all); default: default' })
          .option('tags', { type: 'string', describe: 'comma-separated build tags, as go build -tags' })
          .option('cgo', { choices: ['auto', 'on', 'off'] as const, describe: 'cgo for every target (auto, the default: as the go command decides per target)' })
          .option('config', { type: 'string', describe: 'configuration file (default: crossvet.yaml or .crossvet.yaml here or above)' })
          .option('baseline', { type: 'string', describe: 'baseline file: written when missing, else only findings not in it count' })
          .option('update-baseline', { type: 'boolean', default: false, describe: 'with --baseline: rewrite the file with the current findings' })
          .option('new-from-rev', { type: 'string', describe: 'report only findings on lines changed since this git revision' })
          .option('format', { alias: 'f', choices: ['text', 'json', 'sarif', 'github'] as const, default: 'text' as const })
          .option('output', { alias: 'o', type: 'string', describe: 'write the report to this file instead of standard output' })
          .option('rules', { type: 'string', describe: 'only these rule ids (comma-separated)' })
          .option('disable', { type: 'string', describe: 'rule ids to turn off (comma-separated)' })
          .option('tests', { type: 'boolean', default: true, describe: 'include _test.go files (--no-tests to leave them out)' })
          .option('fail-level', { choices: ['error', 'warning', 'note'] as const, default: 'warning' as const, describe: 'lowest level that makes the exit code 1' })
          .option('cache', { type: 'boolean', default: true, describe: 'reuse syntax facts cached on disk (--no-cache to parse everything)' })
          .option('color', { type: 'boolean', describe: 'colour text output (default: when writing to a terminal)' })
          .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'also show suppressed findings and timing' })
          .option('confirm', CONFIRM_OPTION)
          .option('confirm-timeout', CONFIRM_TIMEOUT_OPTION)
          .check((x) => {
            if (x['update-baseline'] && x.baseline === undefined) throw new UsageError('--update-baseline needs --baseline FILE');
            return true;
          }),
      async (a) => {
        const confirm = confirmFromArgs(a.confirm, a['confirm-timeout'], argv, io.stderr);
        code = await runCheck(
          {
            cwd: io.cwd,
            paths: [...confirm.paths, ...((a.paths as string[] | undefined) ?? [])],
            ...settingsFromArgs(a, io.cwd),
            tests: a.tests,
            cache: a.cache,
            confirm: confirm.confirm,
          },
          { format: a.format, output: a.output, failLevel: a['fail-level'], color: a.color, verbose: a.verbose, argv, baseline: a.baseline, updateBaseline: a['update-baseline'], newFromRev: a['new-from-rev'] },
          io,
        );
      },
    )
    .command(
      'init',
      'write a commented crossvet.yaml in the current directory (never overwrites)',
      (y) => y,
      () => {
        const w = writeInitFile(io.cwd);
        io.stdout.write(`wrote ${path.relative(io.cwd, w.file)}\n`);
        if (w.shadows) io.stdout.write(`note: it takes the place of ${w.shadows} for runs from this directory and below\n`);
      },
    )
    .command(
      'audit [dir]',
      'compare the vendored packages with a base revision: what an update brings in and fixes, per module',
      (y) =>
        y
          .positional('dir', { type: 'string', describe: 'a directory of the module to audit (default: the current directory)' })
          .option('base', { type: 'string', describe: 'git revision to compare with (e.g. the target branch)' })
          .option('base-dir', { type: 'string', describe: 'directory holding the base version of the module instead of a revision' })
          .conflicts('base', 'base-dir')
          .check((x) => {
            if (x.base === undefined && x['base-dir'] === undefined) throw new UsageError('audit needs --base REV or --base-dir DIR');
            return true;
          })
          .option('targets', { alias: 't', type: 'string', describe: 'targets and presets; default: default' })
          .option('tags', { type: 'string', describe: 'comma-separated build tags' })
          .option('cgo', { choices: ['auto', 'on', 'off'] as const, describe: 'cgo for every target (default: auto)' })
          .option('config', { type: 'string', describe: 'configuration file (default: crossvet.yaml or .crossvet.yaml here or above)' })
          .option('rules', { type: 'string', describe: 'only these rule ids (comma-separated)' })
          .option('disable', { type: 'string', describe: 'rule ids to turn off (comma-separated)' })
          .option('format', { alias: 'f', choices: ['text', 'markdown', 'sarif'] as const, default: 'text' as const })
          .option('output', { alias: 'o', type: 'string', describe: 'write the report to this file instead of standard output' })
          .option('fail-level', { choices: ['error', 'warning', 'note'] as const, default: 'warning' as const, describe: 'lowest level of a new finding that makes the exit code 1' })
          .option('cache', { type: 'boolean', default: true, describe: 'reuse syntax facts cached on disk' })
          .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'text format: also list unchanged findings and notes' }),
      async (a) => {
        code = await runAudit(
          {
            dir: path.resolve(io.cwd, a.dir ?? '.'),
            base: a.base !== undefined ? { rev: a.base } : { dir: path.resolve(io.cwd, a['base-dir']!) },
            settings: settingsFromArgs(a, io.cwd),
            cache: a.cache,
          },
          { format: a.format, output: a.output, failLevel: a['fail-level'], verbose: a.verbose, argv },
          io,
        );
      },
    )
    .command(
      'lsp',
      'serve editors over the Language Server Protocol on standard input and output (see docs/editors.md)',
      (y) => y.option('stdio', { type: 'boolean', describe: 'accepted for clients that pass it; standard input and output is the only transport' }),
      async () => {
        code = await runLspServer();
      },
    )
    .command(
      'targets [targets]',
      'list presets and per-target facts (pointer size, int64 alignment, cgo, unix)',
      (y) => y.positional('targets', { type: 'string', describe: 'targets or presets to show (default: all)' }).option('json', { type: 'boolean', default: false }),
      (a) => {
        io.stdout.write(printTargets(a.targets, a.json));
      },
    )
    .command(
      'rules',
      'list the rules with their ids, default levels and summaries',
      (y) => y.option('json', { type: 'boolean', default: false }),
      (a) => {
        io.stdout.write(printRules(a.json));
      },
    );

  try {
    await parser.parseAsync();
    return code;
  } catch (e) {
    const err = e as Error;
    const usage = err instanceof UsageError || err.name === 'YError';
    if (usage || err instanceof ConfigError || err instanceof GoModError || err instanceof TargetError || err instanceof SarifInputError) {
      io.stderr.write(`crossvet: ${err.message}\n`);
      if (usage) io.stderr.write(`Run 'crossvet --help' for usage.\n`);
    } else {
      io.stderr.write(`crossvet: internal error: ${err.message}\n`);
      if (process.env.CROSSVET_DEBUG) io.stderr.write(`${err.stack}\n`);
    }
    return EXIT_ERROR;
  }
}

export function writeOutput(file: string | undefined, text: string, stdout: NodeJS.WritableStream, cwd: string): void {
  if (!file) {
    stdout.write(text);
    return;
  }
  const abs = path.resolve(cwd, file);
  try {
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  } catch (e) {
    throw new UsageError(`cannot write ${file}: ${(e as Error).message}`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((c) => {
    process.exitCode = c;
  });
}
