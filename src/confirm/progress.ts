// Progress of the confirm stage on standard error. A terminal gets a live table (one row per
// target: what it is doing, elapsed time) redrawn in place; anything else (CI logs, files)
// gets one plain line per finished target, so logs stay readable and diffable.
import type { Phase } from './driver';

export interface Progress {
  phase(target: string, phase: Phase): void;
  /** A target finished; `summary` says what its builds found. */
  done(target: string, summary: string): void;
  /** A step after the per-target builds (linking checks). */
  step(text: string): void;
  finish(summary: string): void;
}

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const PHASE_TEXT: Record<Phase, string> = {
  queued: 'waiting',
  'warm-std': 'building the standard library',
  compile: 'compiling',
  align: 'compiling alignment assertions',
  done: 'done',
};

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

export function createProgress(stream: ProgressStream, targets: string[], packages: number, now: () => number = Date.now): Progress {
  const start = now();
  const title = `crossvet --confirm: ${targets.length} target${targets.length === 1 ? '' : 's'} × ${packages === 0 ? 'every' : packages} package${packages === 1 ? '' : 's'}`;
  if (!stream.isTTY) {
    return {
      phase() {},
      done(target, summary) {
        stream.write(`crossvet: confirm ${target}: ${summary} (${secs(now() - start)})\n`);
      },
      step(text) {
        stream.write(`crossvet: confirm: ${text}\n`);
      },
      finish(summary) {
        stream.write(`crossvet: confirm: ${summary} in ${secs(now() - start)}\n`);
      },
    };
  }

  const rows = new Map<string, { phase: Phase; since: number; summary?: string }>();
  for (const t of targets) rows.set(t, { phase: 'queued', since: start });
  const width = Math.max(...targets.map((t) => t.length), 6);
  let drawn = 0;
  let stepText = '';
  const draw = () => {
    const t = now();
    // Lines longer than the terminal would wrap and break the redraw; an unknown width (0) is taken as 100.
    const cols = Math.max(20, (stream.columns || 100) - 1);
    const lines = [`${title}  ${secs(t - start)}`];
    for (const [id, r] of rows) {
      const what = r.phase === 'done' ? `done: ${r.summary ?? ''}` : r.phase === 'queued' ? PHASE_TEXT.queued : `${PHASE_TEXT[r.phase]} ${secs(t - r.since)}`;
      lines.push(`  ${id.padEnd(width)}  ${what}`);
    }
    if (stepText) lines.push(`  ${stepText}`);
    // Up to the first row drawn last time, then each line cleared and rewritten.
    let out = drawn > 0 ? `\x1b[${drawn}A` : '';
    for (const l of lines) out += `\r\x1b[2K${l.length > cols ? l.slice(0, cols - 1) + '…' : l}\n`;
    stream.write(out);
    drawn = lines.length;
  };
  const timer = setInterval(draw, 250);
  timer.unref?.();
  draw();
  return {
    phase(target, phase) {
      const r = rows.get(target);
      if (r) {
        r.phase = phase;
        r.since = now();
      }
      draw();
    },
    done(target, summary) {
      const r = rows.get(target);
      if (r) {
        r.phase = 'done';
        r.summary = `${summary} (${secs(now() - start)})`;
      }
      draw();
    },
    step(text) {
      stepText = text;
      draw();
    },
    finish(summary) {
      stepText = '';
      clearInterval(timer);
      draw();
      stream.write(`crossvet: confirm: ${summary} in ${secs(now() - start)}\n`);
    },
  };
}
