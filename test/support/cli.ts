// Runs the crossvet command in process and captures what it writes.
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main';

export function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, cb) {
      w.text += chunk.toString();
      cb();
    },
  }) as Writable & { text: string };
  w.text = '';
  return w;
}

export async function run(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = sink();
  const stderr = sink();
  const code = await main(args, { stdout, stderr, cwd });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
