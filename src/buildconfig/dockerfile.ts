// Reading a Dockerfile: its stages (FROM ... AS name), the environment each RUN sees (ENV,
// ARG), its working directory, which container paths hold which repository directories
// (COPY from the build context), the go builds its RUN lines perform (through the shared
// command follower) and which built binaries a later stage copies into a minimal image.
import * as path from 'node:path';
import type { BuildRecipe, BuildConfigProblem, Env, Evidence, RepoFile } from './types';
import { joinPath, normalise, runShell, type ShellCommand } from './shell';
import { lexShell, type Part } from './shell-lex';
import type { Frame } from './gocmd';
import { isAlpineGolang, isGolangImage, minimalImage } from './images';

interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuations joined with newlines. */
  rest: string;
  line: number;
  /** Body of a here-document (RUN <<EOF), with the line of its first line. */
  heredoc?: { text: string; line: number };
}

interface Stage {
  index: number;
  name?: string;
  base: string;
  from: Evidence;
  parent?: Stage;
  env: Env;
  args: Env;
  workdir: string;
  /** Container directory → host directories it holds. */
  mounts: { container: string; host: string[] }[];
  /** cgo is off by default: a golang alpine image without an installed C compiler. */
  noCompiler?: Evidence;
  recipes: BuildRecipe[];
}

/** A file copied from the build context into a stage whose base lacks a C library. */
export interface ContextCopy {
  /** Host paths the source may be. */
  hosts: string[];
  base: string;
  at: Evidence;
  muslOk: boolean;
}

export type Follow = (cmd: ShellCommand, frame: Frame) => BuildRecipe[];

export function splitInstructions(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  const out: Instruction[] = [];
  let escape = '\\';
  let directives = true;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const t = raw.trim();
    if (directives) {
      const d = /^#\s*escape\s*=\s*(\S)/i.exec(t);
      if (d) {
        escape = d[1];
        continue;
      }
      if (!/^#\s*[a-z]+\s*=/i.test(t)) directives = false;
    }
    if (t === '' || t.startsWith('#')) continue;
    const start = i + 1;
    let body = raw;
    while (body.trimEnd().endsWith(escape) && i + 1 < lines.length) {
      body = body.trimEnd().slice(0, -1) + '\n';
      i++;
      // Comment lines inside a continued instruction are dropped, as BuildKit does.
      while (i < lines.length && /^\s*#/.test(lines[i])) {
        body += '\n';
        i++;
      }
      if (i < lines.length) body += lines[i];
    }
    const m = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(body);
    if (!m) continue;
    const ins: Instruction = { keyword: m[1].toUpperCase(), rest: m[2], line: start };
    const hd = /<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?/.exec(m[2]);
    if (hd && (ins.keyword === 'RUN' || ins.keyword === 'COPY')) {
      const bodyLines: string[] = [];
      const first = i + 2;
      while (i + 1 < lines.length && lines[i + 1].replace(/^\t+/, '') !== hd[1]) bodyLines.push(lines[++i]);
      i++;
      ins.heredoc = { text: bodyLines.join('\n'), line: first };
    }
    out.push(ins);
  }
  return out;
}

export interface DockerResult {
  recipes: BuildRecipe[];
  contextCopies: ContextCopy[];
  problems: BuildConfigProblem[];
}

/**
 * Read a Dockerfile. `contexts` are the host directories the build context may be (the
 * Dockerfile's own directory, the repository root); paths are tried against each.
 */
export function readDockerfile(file: RepoFile, contexts: string[], follow: Follow): DockerResult {
  const lines = file.text.split(/\r?\n/);
  const ev = (line: number): Evidence => ({ file: file.path, line, text: (lines[line - 1] ?? '').trim() });
  const globalArgs: Env = new Map();
  const stages: Stage[] = [];
  const contextCopies: ContextCopy[] = [];
  const problems: BuildConfigProblem[] = [];
  const copiesFrom: { stage: Stage; from: string; srcs: string[]; at: Evidence }[] = [];
  let cur: Stage | undefined;

  for (const ins of splitInstructions(file.text)) {
    const at = ev(ins.line);
    switch (ins.keyword) {
      case 'ARG': {
        for (const w of words(ins.rest, cur ? vars(cur) : globalArgs)) {
          const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/s.exec(w.text);
          if (!m) continue;
          const val = m[2] !== undefined ? (w.known ? { value: m[2], at } : null) : globalArgs.get(m[1]) ?? null;
          if (cur) cur.args.set(m[1], val);
          else globalArgs.set(m[1], val);
        }
        break;
      }
      case 'FROM': {
        const ws = words(ins.rest, globalArgs).filter((w) => !w.text.startsWith('--'));
        const image = ws[0]?.text ?? '';
        const name = ws[1]?.text.toLowerCase() === 'as' ? ws[2]?.text.toLowerCase() : undefined;
        const parent = stages.find((s) => s.name === image.toLowerCase());
        cur = {
          index: stages.length,
          name,
          base: parent ? parent.base : image,
          from: at,
          parent,
          env: new Map(parent?.env ?? []),
          args: new Map(),
          workdir: parent?.workdir ?? '/',
          mounts: parent ? [...parent.mounts] : [],
          noCompiler: parent ? parent.noCompiler : isAlpineGolang(image) ? at : undefined,
          recipes: [],
        };
        stages.push(cur);
        break;
      }
      case 'ENV': {
        if (!cur) break;
        const ws = words(ins.rest, vars(cur));
        if (ws.length >= 2 && !ws[0].text.includes('=')) {
          // ENV KEY value (the legacy form: the rest of the line is the value).
          const value = ins.rest.trim().slice(ins.rest.trim().indexOf(' ') + 1).trim();
          cur.env.set(ws[0].text, ws.slice(1).every((w) => w.known) ? { value, at } : null);
        } else {
          for (const w of ws) {
            const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w.text);
            if (m) cur.env.set(m[1], w.known ? { value: m[2], at } : null);
          }
        }
        if (cur.env.has('CC') || cur.env.has('CXX')) cur.noCompiler = undefined;
        break;
      }
      case 'WORKDIR': {
        if (!cur) break;
        const w = words(ins.rest, vars(cur))[0];
        if (w) cur.workdir = w.known ? joinPath(cur.workdir, w.text) : cur.workdir;
        break;
      }
      case 'COPY':
      case 'ADD': {
        if (!cur) break;
        const ws = parseCopyArgs(ins.rest, vars(cur));
        if (!ws) break;
        const { from, srcs, dest } = ws;
        const destPath = joinPath(cur.workdir, dest);
        if (from !== undefined) {
          copiesFrom.push({ stage: cur, from, srcs, at });
          break;
        }
        const img = minimalImage(cur.base);
        for (const src of srcs) {
          const hosts = contexts.map((c) => path.join(c, src));
          if (img) contextCopies.push({ hosts, base: cur.base, at, muslOk: img.muslOk });
          if (/[*?[]/.test(src)) continue;
          const base = path.posix.basename(normalise(src));
          // Files (go.mod, main.go) are not directories anyone builds in.
          if (base.includes('.') && src !== '.' && src !== './') continue;
          cur.mounts.push({ container: destPath, host: hosts });
        }
        break;
      }
      case 'RUN': {
        if (!cur) break;
        const stage = cur;
        const env: Env = new Map([...stage.args, ...stage.env]);
        if (/\bapk\b[^\n]*\badd\b[^\n]*\b(gcc|build-base|clang|g\+\+)\b/.test(ins.rest + (ins.heredoc?.text ?? '')) || /\bapt(-get)?\b[^\n]*\binstall\b[^\n]*\b(gcc|build-essential|clang)\b/.test(ins.rest)) {
          stage.noCompiler = undefined;
        }
        const frame: Frame = {
          source: 'dockerfile',
          base: stage.workdir,
          toHost: (p) => toHost(stage, p),
          gobin: stage.env.get('GOBIN')?.value ?? `${stage.env.get('GOPATH')?.value ?? '/go'}/bin`,
          via: [],
        };
        const script = runScript(ins, lines, file.path, env);
        for (const cmd of script) {
          for (const r of follow(cmd, frame)) {
            if (stage.noCompiler && r.cgo === undefined) r.noCompiler = stage.noCompiler;
            else if (r.cgo === undefined && !isGolangImage(stage.base)) r.foreignBuilder = rootFrom(stage);
            stage.recipes.push(r);
          }
        }
        break;
      }
      default:
        break;
    }
  }

  // Link binaries to the minimal images they are copied into.
  for (const c of copiesFrom) {
    const src = stages.find((s) => s.name === c.from.toLowerCase()) ?? (/^[0-9]+$/.test(c.from) ? stages[Number(c.from)] : undefined);
    if (!src) continue; // an external image
    const img = minimalImage(c.stage.base);
    if (!img) continue;
    for (const r of src.recipes) {
      // A binary built against musl (golang alpine) runs on alpine.
      if (img.muslOk && isAlpineGolang(src.base)) continue;
      const srcs = c.srcs.map((s) => joinPath('/', s));
      if (r.output && srcs.some((s) => pathCovers(s, r.output!))) {
        r.image = { name: c.stage.base, at: c.at };
      } else if (r.outputDir) {
        const dir = r.outputDir;
        if (srcs.some((s) => pathCovers(s, dir))) r.image = { name: c.stage.base, at: c.at };
        else {
          // Single binaries out of the directory: only those commands go into the image.
          const names = srcs.filter((s) => path.posix.dirname(s) === dir).map((s) => path.posix.basename(s));
          if (names.length) r.image = { name: c.stage.base, at: c.at, binaries: [...(r.image?.binaries ?? []), ...names] };
        }
      }
    }
  }
  return { recipes: stages.flatMap((s) => s.recipes), contextCopies, problems };

  function vars(stage: Stage): Env {
    return new Map([...globalArgs, ...stage.args, ...stage.env]);
  }
}

/** The FROM line of the image a stage is ultimately built on. */
function rootFrom(stage: Stage): Evidence {
  let s = stage;
  while (s.parent) s = s.parent;
  return s.from;
}

/** Host directories a container path stands for, by the longest COPY destination that holds it. */
function toHost(stage: Stage, p: string): string[] {
  let best: { container: string; host: string[] } | undefined;
  for (const m of stage.mounts) {
    if ((p === m.container || p.startsWith(m.container === '/' ? '/' : m.container + '/')) && (!best || m.container.length > best.container.length)) best = m;
  }
  if (!best) return [];
  const rest = p.slice(best.container.length).replace(/^\//, '');
  return best.host.map((h) => (rest ? path.join(h, rest) : h));
}

/** Whether a COPY source path (possibly a directory or a glob) includes the file at `out`. */
export function pathCovers(src: string, out: string): boolean {
  const s = normalise(src);
  const o = normalise(out);
  if (s === o || o.startsWith(s === '/' ? '/' : s + '/')) return true;
  if (!/[*?[]/.test(s)) return false;
  const re = new RegExp('^' + s.split('*').map((x) => x.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\?/g, '[^/]')).join('[^/]*') + '(/|$)');
  return re.test(o);
}

function runScript(ins: Instruction, lines: string[], file: string, env: Env): ShellCommand[] {
  let rest = ins.rest;
  // RUN flags: --mount=..., --network=..., --security=...
  for (;;) {
    const m = /^\s*--[a-z-]+=(?:"[^"]*"|\S)*\s*/.exec(rest);
    if (!m) break;
    rest = rest.slice(m[0].length);
  }
  const firstLine = ins.line + (ins.rest.split('\n').length - rest.split('\n').length);
  if (ins.heredoc) return runShell({ file, text: ins.heredoc.text, firstLine: ins.heredoc.line, fileLines: lines, env });
  if (rest.trimStart().startsWith('[')) {
    // Exec form: a JSON array, run without a shell.
    try {
      const argv = JSON.parse(rest) as unknown;
      if (Array.isArray(argv) && argv.every((a) => typeof a === 'string')) {
        const at = { file, line: ins.line, text: (lines[ins.line - 1] ?? '').trim() };
        return [{ words: (argv as string[]).map((text) => ({ text, known: true })), env, cwd: '', at }];
      }
    } catch {
      /* not JSON: Docker runs it with a shell */
    }
  }
  return runShell({ file, text: rest, firstLine, fileLines: lines, env });
}

/** Words of an instruction's arguments with Dockerfile variable substitution ($X, ${X}, ${X:-d}). */
function words(rest: string, env: Env): { text: string; known: boolean }[] {
  const out: { text: string; known: boolean }[] = [];
  for (const t of lexShell(rest)) {
    if (t.kind !== 'word') continue;
    let text = '';
    let known = true;
    const add = (parts: Part[]) => {
      for (const p of parts) {
        if ('lit' in p) text += p.lit;
        else if ('var' in p) {
          const v = env.get(p.var);
          if (v) text += v.value;
          else if (v === undefined && p.def) add(p.def);
          else {
            text += '$' + p.var;
            known = false;
          }
        } else {
          text += '$(' + p.sub + ')';
          known = false;
        }
      }
    };
    add(t.parts);
    out.push({ text, known });
  }
  return out;
}

function parseCopyArgs(rest: string, env: Env): { from?: string; srcs: string[]; dest: string } | undefined {
  let from: string | undefined;
  let items: string[];
  const flagsEnd = /^(\s*--[a-z-]+(=(?:"[^"]*"|\S)*)?\s*)*/.exec(rest)![0];
  for (const m of flagsEnd.matchAll(/--from=("([^"]*)"|\S+)/g)) from = m[2] ?? m[1];
  const body = rest.slice(flagsEnd.length);
  if (body.trimStart().startsWith('[')) {
    try {
      items = JSON.parse(body) as string[];
    } catch {
      return undefined;
    }
  } else {
    const ws = words(body, env);
    if (ws.some((w) => !w.known)) return undefined;
    items = ws.map((w) => w.text);
  }
  if (items.length < 2) return undefined;
  return { from, srcs: items.slice(0, -1), dest: items[items.length - 1] };
}
