// How the CLI writes a located issue for a reader: documents counted from 1, as the dashboard writes them.
import { describe, expect, it } from 'vitest';
import type { Issue } from '@netpol-atlas/engine';
import { documentOrdinal, formatIssue } from '../src/report-io.js';

const issue = (document: number): Issue => ({
  code: 'UNKNOWN_FIELD',
  severity: 'error',
  message: 'unknown field "podselector"',
  file: 'policies.yaml',
  line: 12,
  document,
  path: 'spec.podselector',
});

describe('located issues on stderr', () => {
  it('names a document by its ordinal counted from 1 (the engine counts from 0)', () => {
    expect([0, 1, 2, 3, 10, 11, 12, 20, 21, 111].map(documentOrdinal)).toEqual([
      '1st document',
      '2nd document',
      '3rd document',
      '4th document',
      '11th document',
      '12th document',
      '13th document',
      '21st document',
      '22nd document',
      '112th document',
    ]);
    expect(formatIssue(issue(1))).toBe('error: policies.yaml:12 (2nd document) spec.podselector: unknown field "podselector" [UNKNOWN_FIELD]\n');
  });

  it('leaves the first document unsaid: the file and line say where', () => {
    expect(formatIssue(issue(0))).toBe('error: policies.yaml:12 spec.podselector: unknown field "podselector" [UNKNOWN_FIELD]\n');
  });
});
