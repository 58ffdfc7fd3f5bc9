// What the build configuration says about how each command is built: one BuildRecipe per
// `go build`/`go install` found in a Makefile, Dockerfile, shell script, GitHub workflow or
// goreleaser build, with the settings that decide static or dynamic linking and where each
// one was written.

/** A place in a build file: absolute path, 1-based line, and the text there (trimmed). */
export interface Evidence {
  file: string;
  line: number;
  text: string;
}

/** A setting whose value is known, and where it was made. */
export interface Setting {
  value: string;
  at: Evidence;
}

/**
 * Environment of a command: variable → setting; null means "set, but to something we cannot
 * know" (a variable of the CI, a command substitution).
 */
export type Env = Map<string, Setting | null>;

/** Which packages a build names. */
export type PkgRef =
  | { kind: 'dir'; dir: string; recursive: boolean }
  | { kind: 'import'; path: string; recursive: boolean };

export interface BuildRecipe {
  /** The go command (or goreleaser build entry) that builds. */
  at: Evidence;
  /** What runs it, outermost first (a workflow step, a Dockerfile RUN, a make target). */
  via: Evidence[];
  source: 'makefile' | 'dockerfile' | 'script' | 'workflow' | 'goreleaser';
  verb: 'build' | 'install';
  /** The go command's arguments as the shell passes them (after `go`), for shell and make builds. */
  argv?: string[];
  /** The host directory the go command runs in, when known. */
  cwd?: string;
  /** The packages built; candidates may name one package several ways. */
  packages: PkgRef[];
  /** Arguments that named packages we could not resolve (variables, command substitutions). */
  unknownPackages: string[];
  /** CGO_ENABLED: absent = not set (the go command's default), null = set to an unknown value. */
  cgo?: Setting | null;
  /** Platforms built ("linux/amd64", "linux/*" when only GOOS is known); absent = the build machine's; null = unknown. */
  platforms?: { list: string[]; at: Evidence } | null;
  /** Build tags with where each was given. */
  tags: Setting[];
  /** A -tags value we could not read. */
  tagsUnknown?: Evidence;
  /** -ldflags values as written. */
  ldflags: Setting[];
  /** -race: forces cgo on. */
  race?: Evidence;
  /** The build runs where no C compiler is installed (golang:*-alpine without gcc), so cgo is off by default. */
  noCompiler?: Evidence;
  /**
   * The build runs in a base image other than the official golang ones (its FROM line): that
   * image may set CGO_ENABLED or lack a C compiler, which its Dockerfile cannot show.
   */
  foreignBuilder?: Evidence;
  /** Several packages without -o: the go command builds and discards them, so no binary ships from this command. */
  discards: boolean;
  /** Where the binary is written, in the build's own file system (a container path for Dockerfiles). */
  output?: string;
  /** The directory each binary is written into, named after its package (`go build -o out/ ./cmd/...`). */
  outputDir?: string;
  /**
   * A minimal image without a C library that the binary is copied into; `binaries` limits it to
   * the binaries of those names when the build writes several and only some are copied.
   */
  image?: { name: string; at: Evidence; binaries?: string[] };
}

/** A build file the engine handed over. */
export interface RepoFile {
  path: string;
  text: string;
}

/** Something in a build file we could not read; shown as a note, never a crash. */
export interface BuildConfigProblem {
  file: string;
  line?: number;
  message: string;
}
