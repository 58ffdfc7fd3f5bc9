// The invocation record every report carries (SARIF invocations[0]), built one way for
// `check` and `audit`.
import type { Notification } from '../types';
import type { ReportInput } from '../report/model';

/** The command line as a user would retype it: arguments with spaces or quotes are quoted. */
export function commandLineOf(argv: string[]): string {
  return ['crossvet', ...argv].map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

export function invocationOf(argv: string[], cwd: string, start: Date, exitCode: number, notifications: Notification[]): ReportInput['invocation'] {
  return {
    commandLine: commandLineOf(argv),
    arguments: argv,
    workingDirectory: cwd,
    startTime: start,
    endTime: new Date(),
    exitCode,
    executionSuccessful: !notifications.some((n) => n.level === 'error'),
  };
}
