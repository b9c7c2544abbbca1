/**
 * Two kinds of error only: a `UserError` is safe to show to whoever triggered it and says what to do;
 * anything else is a bug or an outage and is logged, not shown verbatim.
 */
import { stripUrlCredentials } from './text/url-credentials.ts';

export type ErrorCode =
  | 'bad-input'
  /** The command line was used wrongly (unknown option, missing argument): exit code 2. */
  | 'usage'
  | 'too-large'
  | 'store'
  | 'empty-question'
  | 'unsupported-file'
  | 'not-found'
  | 'fetch-refused'
  | 'fetch-failed'
  | 'fetch-too-large'
  | 'fetch-timeout'
  | 'bad-content-type'
  | 'malformed-feed'
  | 'not-an-article'
  | 'robots-disallowed'
  | 'embedder-mismatch'
  | 'config'
  | 'permission'
  | 'rate-limited'
  | 'limit-reached'
  | 'disk-full'
  | 'upstream';

export class UserError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    // Shown to people: a URL's `user:password@` never is (a source URL may carry credentials).
    super(stripUrlCredentials(message), options);
    this.name = 'UserError';
    this.code = code;
  }
}

export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError;
}

/** The message to show a person: the UserError text, or a generic line for anything else. */
export function describeError(err: unknown): string {
  if (isUserError(err)) return err.message;
  return 'Something went wrong on our side; the operator can find details in the logs.';
}
