// What a rule is: its metadata and a check over the model. A rule never reads files or
// spawns processes; the engine hands it everything (file text, syntax facts, the model).
import type { Diagnostic, Notification, RuleMeta } from './types';
import type { Target } from './targets';
import type { Package, SourceFile, TargetClass } from './model/types';
import type { FileFacts } from './syntax/facts';
import type { BuildContext } from './constraints/match';

export interface RuleContext {
  /** Absolute scanned root. */
  root: string;
  /** The run's targets, in the order the user gave them. */
  targets: Target[];
  /** Build context (target, cgo, tags, release) of each run target, by target id. */
  contexts: Map<string, BuildContext>;
  /** Scanned packages (not dependencies). */
  packages: Package[];
  /** Every scanned .go file, including those that build for none of the run's targets. */
  files: SourceFile[];
  classes: TargetClass[];
  /** File content as the engine read it (UTF-8 decoded). */
  source(file: SourceFile): string;
  /** Syntax facts, present when the rule's wantsSyntax said yes for the file or after ensureFacts. */
  facts(file: SourceFile): FileFacts | undefined;
  /** Parse (or take from the cache) the facts of more files, e.g. of an imported package. */
  ensureFacts(files: SourceFile[]): Promise<void>;
  /**
   * The package an import of `from` names (module, vendor/, module cache or GOROOT), with its
   * files' headers and build sets for the run's targets; undefined when it cannot be resolved
   * (the engine has already told the user once).
   */
  importPackage(importPath: string, from: SourceFile): Package | undefined;
  report(d: Diagnostic): void;
  notify(n: Notification): void;
  /**
   * The repository's files (build files: Makefiles, Dockerfiles, CI configuration) matching
   * globs relative to root, read by the engine; vendor/, node_modules/, testdata/ and .git/
   * are skipped. Absent where the host has no repository to read (then rules do without).
   */
  repoFiles?(globs: string[]): { path: string; text: string }[];
  /**
   * Report a finding the project already handles outside the source (its build configuration
   * says so): it is kept as suppressed ('external') with the justification, shown by --verbose.
   */
  reportSuppressed?(d: Diagnostic, justification: string): void;
}

export interface Rule {
  meta: RuleMeta;
  /** Cheap text prefilter: does this file need syntax facts for this rule? Omitted: never. */
  wantsSyntax?(text: string, file: SourceFile): boolean;
  check(ctx: RuleContext): void | Promise<void>;
}
