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
    // The unclosed `[` itself (line 5, column 7 of its own line), not the end of the file (line 6).
    expect(issues[0]).toMatchObject({ code: 'SYNTAX', document: 1, line: 5, column: 7 });
  });
});

// The library places an unclosed flow collection's error where the document ends (end of file, or the next `---`),
// which says nothing about where the mistake is; the opening bracket does.
describe('an unclosed flow sequence or mapping', () => {
  const policy = (ports: string) =>
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\n  namespace: a\n' +
    `spec:\n  podSelector: {}\n  ingress:\n  - ports: ${ports}\n      from: x\n      to: y\n`;

  it('is located where its [ opens (file line, document index) when the library says end of file', () => {
    const { issues } = parseManifests([{ path: 'np.yaml', text: policy('[80, 443') }]);
    const unclosed = issues.filter((i) => i.message.startsWith('Flow sequence'));
    expect(unclosed).toEqual([
      {
        code: 'SYNTAX',
        severity: 'error',
        message: 'Flow sequence in block collection must be sufficiently indented and end with a ]: this [ is never closed (the document ends first)',
        file: 'np.yaml',
        document: 1,
        path: '',
        line: 14,
        column: 12,
      },
    ]);
  });

  it('is located at its [ when the next document starts before it closes, and the next document is still read', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: a\nspec:\n  ports: [80, 443\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n';
    const { issues, objects } = parseManifests([{ path: 'svc.yaml', text }]);
    expect(issues).toMatchObject([{ code: 'SYNTAX', document: 0, line: 7, column: 10 }]);
    expect(objects.map((o) => o.object.metadata.name)).toEqual(['b']);
  });

  it('locates nested unclosed { and [ each at its own bracket', () => {
    const { issues } = parseManifests([{ path: 'pod.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: [\n' }]);
    expect(issues.map((i) => [i.message.slice(0, 13), i.line, i.column])).toEqual([
      ['Flow sequence', 3, 18],
      ['Flow map in b', 3, 11],
    ]);
  });

  it('keeps the library position when it is not the end of the document (the line that breaks the collection)', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  namespace: a\nspec:\n  ports: [80, 443\n  selector:\n    app: x\n';
    const { issues } = parseManifests([{ path: 'svc.yaml', text }]);
    expect(issues).toMatchObject([{ code: 'SYNTAX', line: 8, column: 3, message: 'Flow sequence in block collection must be sufficiently indented and end with a ]' }]);
  });
});
