// The diff bench's second snapshot (bench/diff-edits.ts) must differ from the first by exactly the 10 policy
// edits issue 5 asks for, the same ones every run, without touching the first snapshot.
import { describe, expect, it } from 'vitest';
import { editPolicies } from '../bench/diff-edits.js';
import { generateSyntheticCluster, SIZE_PRESETS } from '../bench/synthetic-cluster.js';
import { policyDiff } from '../src/index.js';
import type { KubeObject } from '../src/manifest/types.js';

describe('diff bench policy edits', () => {
  const cluster = generateSyntheticCluster(SIZE_PRESETS.S, 7);
  const before = JSON.stringify(cluster.list);
  const edits = editPolicies(cluster.list);
  const items = (list: Record<string, unknown>) => list.items as unknown as KubeObject[];

  it('changes ports on 4 policies, deletes 3 and adds 3, nothing else', () => {
    const changes = policyDiff(items(cluster.list), items(edits.list));
    const ids = (kind: string) => changes.filter((c) => c.change === kind).map((c) => `${c.ref.namespace}/${c.ref.name}`).sort();
    expect(changes).toHaveLength(10);
    expect(ids('modified')).toEqual(edits.portsChanged);
    expect(ids('removed')).toEqual(edits.deleted);
    expect(ids('added')).toEqual(edits.added);
    for (const c of changes.filter((x) => x.change === 'modified')) {
      expect(c.fields.map((f) => f.path)).toEqual(['spec.ingress[0].ports']);
    }
    expect(new Set([...edits.portsChanged, ...edits.deleted, ...edits.added]).size).toBe(10);
  });

  it('is deterministic and leaves the old list untouched', () => {
    expect(JSON.stringify(cluster.list)).toBe(before);
    expect(JSON.stringify(editPolicies(generateSyntheticCluster(SIZE_PRESETS.S, 7).list))).toBe(JSON.stringify(edits));
  });
});
