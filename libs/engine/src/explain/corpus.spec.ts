// The engine's explain report against np-guard's expected outputs (core cases of explain/), in-process;
// the CLI conformance test runs the same cases through the built bin.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseNames, CONFORMANCE_DIR, readExpected, readInputDir } from '../../../../tools/testing/np-guard-corpus.js';
import { loadSnapshot } from '../model/load.js';
import { formatExplain } from './report.js';

const coreCases = caseNames('explain').filter((name) => {
  const meta = JSON.parse(readFileSync(path.join(CONFORMANCE_DIR, 'explain', name, 'case.json'), 'utf8')) as { category?: string };
  return meta.category === 'core';
});

describe('explain report: np-guard core cases (engine)', () => {
  it('finds the core cases', () => {
    expect(coreCases.length).toBeGreaterThanOrEqual(7);
  });

  it.each(coreCases)('%s', (name) => {
    const { snapshot, issues } = loadSnapshot(readInputDir(path.join(CONFORMANCE_DIR, 'explain', name, 'input')));
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(formatExplain(snapshot)).toBe(readExpected('explain', name, 'expected.txt'));
  });
});
