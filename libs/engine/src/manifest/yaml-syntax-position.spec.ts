// YAML syntax errors are located by line and column (1-based), as the parser reports them.
import { describe, expect, it } from 'vitest';
import { parseManifests } from './parse-manifests.js';

describe('YAML syntax error position', () => {
  it('carries line and column', () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels: {x: [1, 2}\n';
    const { issues } = parseManifests([{ path: 'ns.yaml', text }]);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]).toMatchObject({ code: 'SYNTAX', file: 'ns.yaml', document: 0, line: 5, column: 20 });
  });

  it('counts the column of a later document from its own line start', () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\nkind: [\n';
    const { issues } = parseManifests([{ path: 'two.yaml', text }]);
    expect(issues[0]).toMatchObject({ code: 'SYNTAX', document: 1, line: 6, column: 1 });
  });
});
