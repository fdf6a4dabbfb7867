import type { Issue } from '@netpol-atlas/engine';

/** An issue as the API returns it: `{ code, severity, message, file?, document, path, line? }`. */
export type IssueBody = Pick<Issue, 'code' | 'severity' | 'message' | 'document' | 'path'> &
  Partial<Pick<Issue, 'file' | 'line' | 'column'>>;

/**
 * The upload is refused: 400 (cannot be parsed, or a bad argument), 403 (another tenant's cluster), 413 (more objects than the engine's
 * MAX_OBJECTS) or 422 (parses but is invalid); nothing was written. `issues` holds the first MAX_REPORTED_ISSUES,
 * `issuesOmitted` counts the rest.
 */
export class IngestRejectedError extends Error {
  constructor(
    readonly status: 400 | 403 | 413 | 422,
    message: string,
    readonly issues: readonly IssueBody[],
    readonly issuesOmitted = 0,
    /** The request argument at fault when it is not the body (`cluster`, `capturedAt`). */
    readonly argument?: string,
    /** For a 413: the limit in bytes. */
    readonly limit?: number,
  ) {
    super(message);
  }
}

export function issueBody(issue: Issue): IssueBody {
  const body: { -readonly [K in keyof IssueBody]: IssueBody[K] } = {
    code: issue.code,
    severity: issue.severity,
    message: issue.message,
    document: issue.document,
    path: issue.path,
  };
  if (issue.file !== undefined) body.file = issue.file;
  if (issue.line !== undefined) body.line = issue.line;
  if (issue.column !== undefined) body.column = issue.column;
  return body;
}
