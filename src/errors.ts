// Errors that end a run with exit code 2 and a plain message (never a stack trace).
export class UsageError extends Error {}
export class ConfigError extends Error {}
