// How a declaration's file is named in messages: its base name and what restricts it
// ("consts_amd64.go (amd64)", "term.go (linux && !arm)", "dns.go (cgo)").
import type { SourceFile } from '../model/types';
import { suffixConstraint } from '../constraints/suffix';

export function fileLabel(f: SourceFile): string {
  const conds: string[] = [];
  // The build line says it all when there is one (generated files repeat the suffix in it).
  if (f.header.goBuild) conds.push(f.header.goBuild.text.replace(/^\/\/go:build\s+/, ''));
  else if (f.header.plusBuild.length) conds.push(f.header.plusBuild.map((l) => `+build ${l.text.replace(/^\/\/\s*\+build\s+/, '')}`).join('; '));
  else {
    const { goos, goarch } = suffixConstraint(f.name);
    if (goos || goarch) conds.push([goos, goarch].filter(Boolean).join('/'));
  }
  if (f.header.importsC) conds.push('cgo');
  return conds.length ? `${f.name} (${conds.join('; ')})` : f.name;
}

/** "a, b and c" without dropping any. */
export function listAll(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
