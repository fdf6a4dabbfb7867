import { describe, expect, it } from 'vitest';
import { bundleFiles } from './bundle.js';

describe('bundleFiles', () => {
  it('sends one file as it is, format AUTO (JSON dumps stay JSON)', () => {
    const bundle = bundleFiles([{ name: 'dump.json', text: '{"kind":"List","items":[]}' }]);
    expect(bundle).toMatchObject({ manifests: '{"kind":"List","items":[]}', format: 'AUTO' });
    expect(bundle.locate(0)).toEqual({ file: 'dump.json', document: 0 });
  });

  it('joins several files as YAML documents and maps document indexes back to each file', () => {
    const bundle = bundleFiles([
      { name: 'a.yaml', text: 'kind: Namespace\nmetadata: {name: a}\n---\nkind: Namespace\nmetadata: {name: b}\n' },
      { name: 'b.json', text: '{"kind": "Namespace", "metadata": {"name": "c"}}\n' },
    ]);
    expect(bundle.format).toBe('YAML');
    expect(bundle.manifests.split('\n---\n')).toHaveLength(3);
    expect(bundle.locate(1)).toEqual({ file: 'a.yaml', document: 1 });
    expect(bundle.locate(2)).toEqual({ file: 'b.json', document: 0 });
    expect(bundle.locate(3)).toBeUndefined();
  });

  it('maps a line of the combined text back to the line inside its own file', () => {
    const a = 'kind: Namespace\nmetadata:\n  name: a\n\n\n';
    const b = 'kind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n  ingres: []\n';
    const bundle = bundleFiles([
      { name: 'a.yaml', text: a },
      { name: 'b.yaml', text: b },
    ]);
    const combinedLines = bundle.manifests.split('\n');
    const combinedLine = combinedLines.indexOf('  ingres: []') + 1;
    expect(combinedLine).toBe(9);
    expect(bundle.locate(1, combinedLine)).toEqual({ file: 'b.yaml', document: 0, line: 5 });
    expect(bundle.locate(0, 3)).toEqual({ file: 'a.yaml', document: 0, line: 3 });
    expect(bundle.locate(1)).toEqual({ file: 'b.yaml', document: 0 });
    expect(bundleFiles([{ name: 'one.yaml', text: b }]).locate(0, 5)).toEqual({ file: 'one.yaml', document: 0, line: 5 });
  });
});
