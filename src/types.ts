// The plain data that flows between the stages of crossvet (see DESIGN.md, "Data flow").
// Everything here is serialisable: facts cross worker threads and live in the disk cache.

/** 1-based line; 1-based column counted in UTF-16 code units (SARIF's utf16CodeUnits, LSP's default). */
export interface Pos {
  line: number;
  col: number;
}

/** A source range; `end` is exclusive. */
export interface Span {
  start: Pos;
  end: Pos;
}

export type Level = 'error' | 'warning' | 'note';

export interface Location {
  /** Absolute path of the file. */
  file: string;
  span: Span;
  message?: string;
}

/** A textual edit: replace `span` in `file` with `text`. */
export interface Edit {
  file: string;
  span: Span;
  text: string;
}

export interface Fix {
  description: string;
  edits: Edit[];
}

export interface Diagnostic {
  ruleId: string;
  /** Absolute path of the offending file. */
  file: string;
  span: Span;
  message: string;
  /** Overrides the rule's default level. */
  level?: Level;
  /** Target ids ("linux/386") the finding concerns; empty when it does not depend on the target. */
  targets: string[];
  related?: Location[];
  fixes?: Fix[];
  /** Extra machine-readable data, copied to SARIF result.properties. */
  properties?: Record<string, unknown>;
}

/** Something the user should know that is not a finding: unreadable files, syntax errors, unresolved imports. */
export interface Notification {
  level: Level;
  message: string;
  /** A short stable id ("syntax-error", "unresolved-import", "unreadable-file", ...). */
  id: string;
  file?: string;
  span?: Span;
}

export type Precision = 'very-high' | 'high' | 'medium' | 'low';

export interface RuleMeta {
  id: string;
  /** PascalCase name for SARIF's reportingDescriptor.name. */
  name: string;
  shortDescription: string;
  fullDescription: string;
  /** Help as Markdown; the plain-text help is derived from it. */
  helpMarkdown: string;
  defaultLevel: Level;
  tags: string[];
  precision: Precision;
}
