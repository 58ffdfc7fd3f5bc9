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
import { printRules } from './rules';
import { printTargets } from './targets';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

function fail(message: string): never {
  throw new UsageError(message);
}

const list = (v: unknown): string[] =>
  ([] as unknown[])
    .concat(v ?? [])
    .flatMap((s) => String(s).split(','))
    .map((s) => s.trim())
    .filter(Boolean);

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
    .demandCommand(1, 'name a command: check, targets or rules')
    .command(
      'check [paths..]',
      'find code that breaks on other platforms',
      (y) =>
        y
          .positional('paths', { describe: 'packages or files: ./..., ./cmd/..., a directory, a .go file', type: 'string', array: true })
          .option('targets', { alias: 't', type: 'string', default: 'default', describe: 'comma-separated GOOS/GOARCH[/variant] targets and presets (default, first-class, 32bit, all)' })
          .option('tags', { type: 'string', describe: 'comma-separated build tags, as go build -tags' })
          .option('cgo', { choices: ['auto', 'on', 'off'] as const, default: 'auto' as const, describe: 'cgo for every target (auto: as the go command decides per target)' })
          .option('format', { alias: 'f', choices: ['text', 'json', 'sarif', 'github'] as const, default: 'text' as const })
          .option('output', { alias: 'o', type: 'string', describe: 'write the report to this file instead of standard output' })
          .option('rules', { type: 'string', describe: 'only these rule ids (comma-separated)' })
          .option('disable', { type: 'string', describe: 'rule ids to turn off (comma-separated)' })
          .option('tests', { type: 'boolean', default: true, describe: 'include _test.go files (--no-tests to leave them out)' })
          .option('fail-level', { choices: ['error', 'warning', 'note'] as const, default: 'warning' as const, describe: 'lowest level that makes the exit code 1' })
          .option('cache', { type: 'boolean', default: true, describe: 'reuse syntax facts cached on disk (--no-cache to parse everything)' })
          .option('color', { type: 'boolean', describe: 'colour text output (default: when writing to a terminal)' })
          .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'also show suppressed findings and timing' }),
      async (a) => {
        code = await runCheck(
          {
            cwd: io.cwd,
            paths: (a.paths as string[] | undefined) ?? [],
            targets: a.targets,
            tags: list(a.tags),
            cgo: a.cgo,
            tests: a.tests,
            rules: list(a.rules),
            disable: list(a.disable),
            cache: a.cache,
          },
          { format: a.format, output: a.output, failLevel: a['fail-level'], color: a.color, verbose: a.verbose, argv },
          io,
        );
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
