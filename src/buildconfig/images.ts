// Base images that hold no C library a cgo-linked (glibc) binary could load: a binary that
// needs /lib64/ld-linux-x86-64.so.2 fails to start in them ("no such file or directory").

export interface MinimalImage {
  /** What the image lacks, for the message. */
  lacks: string;
  /** An alpine image has musl: a binary built against musl (in a golang:*-alpine stage) runs there. */
  muslOk: boolean;
}

/** Image name without registry host, digest and tag, lower case ("gcr.io/distroless/static:nonroot" → "distroless/static"). */
export function imageRepo(ref: string): { repo: string; tag: string } {
  let s = ref.trim().toLowerCase();
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  let tag = '';
  const colon = s.lastIndexOf(':');
  if (colon > s.lastIndexOf('/')) {
    tag = s.slice(colon + 1);
    s = s.slice(0, colon);
  }
  const parts = s.split('/');
  // A first component with a dot or a port is a registry host.
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0])) parts.shift();
  if (parts[0] === 'library') parts.shift();
  return { repo: parts.join('/'), tag };
}

/** Whether a base image has no C library for a dynamically linked binary. */
export function minimalImage(ref: string): MinimalImage | undefined {
  const { repo, tag } = imageRepo(ref);
  if (repo === 'scratch') return { lacks: 'no files at all', muslOk: false };
  if (/(^|\/)distroless\/static(-debian[0-9]+)?$/.test(repo)) return { lacks: 'no C library', muslOk: false };
  if (/(^|\/)chainguard\/static$/.test(repo) || repo === 'chainguard/static') return { lacks: 'no C library', muslOk: false };
  // busybox:glibc and busybox:uclibc carry a libc of their own; only the glibc one runs a glibc binary.
  if (repo === 'busybox' && !tag.includes('glibc')) return { lacks: 'no glibc', muslOk: tag.includes('musl') };
  if (repo === 'alpine') return { lacks: 'musl instead of glibc', muslOk: true };
  return undefined;
}

/** Golang images built on alpine ship no C compiler: cgo is off there unless the Dockerfile installs one. */
export function isAlpineGolang(ref: string): boolean {
  const { repo, tag } = imageRepo(ref);
  return repo === 'golang' && tag.includes('alpine');
}

/** The official Go images (golang, and mirrors of it such as mcr.microsoft.com/.../golang): no CGO_ENABLED set, gcc in the Debian ones. */
export function isGolangImage(ref: string): boolean {
  return /(^|\/)golang$/.test(imageRepo(ref).repo);
}

/** The image a FROM line names, without its flags and stage name ("FROM --platform=x golang:1.22 AS build" → "golang:1.22"). */
export function fromImage(line: string): string {
  const words = line.trim().replace(/^FROM\s+/i, '').split(/\s+/).filter((w) => !w.startsWith('--'));
  return words[0] ?? '';
}
