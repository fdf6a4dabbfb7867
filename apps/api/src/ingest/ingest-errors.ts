import type { Issue } from '@netpol-atlas/engine';

/** An issue as the API returns it: `{ code, severity, message, file?, document, path, line? }`. */
export type IssueBody = Pick<Issue, 'code' | 'severity' | 'message' | 'document' | 'path'> &
  Partial<Pick<Issue, 'file' | 'line'>>;

/** The upload is refused: 400 (cannot be parsed), 403 (another tenant's cluster) or 422 (parses but is invalid); nothing was written. */
export class IngestRejectedError extends Error {
  constructor(
    readonly status: 400 | 403 | 422,
    message: string,
    readonly issues: readonly IssueBody[],
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
  return body;
}
