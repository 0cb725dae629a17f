/** Raised when the tool cannot do its job. Findings are never thrown: they are returned. */
export class MlopsError extends Error {
  readonly exitCode: number = 2;
  /** One line telling the user what to do next. */
  readonly hint: string | undefined;
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** Bad flags or arguments. */
export class UsageError extends MlopsError {}

/** A file is missing or unreadable, or a manifest at a revision cannot be parsed. */
export class InputError extends MlopsError {}

/** What went wrong with git, so callers can add their own hint without reading the message. */
export type GitErrorKind =
  'not-a-repository' | 'dubious-ownership' | 'unknown-revision' | 'no-common-history' | 'failed';

/** Not a git repository, an unknown revision, or git failed. */
export class GitError extends MlopsError {
  readonly kind: GitErrorKind;
  /** Everything git wrote to stderr, when git ran and failed. */
  readonly gitMessage: string | undefined;
  constructor(
    message: string,
    options: { hint?: string; cause?: unknown; kind?: GitErrorKind; gitMessage?: string } = {},
  ) {
    super(message, options);
    this.kind = options.kind ?? 'failed';
    this.gitMessage = options.gitMessage;
  }
}

/** A bug in mlops. */
export class InternalError extends MlopsError {}
