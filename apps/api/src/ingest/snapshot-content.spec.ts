import { createHash } from 'node:crypto';
import { canonicalSnapshotText, parseManifests } from '@netpol-atlas/engine';
import { describe, expect, it } from 'vitest';
import { contentBytes, snapshotContent } from './snapshot-content.js';

// The parser refuses duplicates (DUPLICATE_OBJECT) and names the API server refuses, so the tie (two Pods z/b) is
// made of two uploads, and the non-ASCII text sits in a Calico policy's spec (kept whole).
const otherPod = `apiVersion: v1
kind: Pod
metadata: {name: b, namespace: z, labels: {app: x}, annotations: {dropped: "yes"}}
spec: {containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
`;

const yaml = `apiVersion: v1
kind: Pod
metadata: {name: b, namespace: z, labels: {app: a}}
spec: {containers: [{name: c, image: i}]}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: c, namespace: z}
spec: {selector: "app == 'é-not-ascii'"}
---
apiVersion: v1
kind: Namespace
metadata: {name: z}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {replicas: 2, template: {metadata: {labels: {app: web}}, spec: {containers: [{name: w, image: w, env: [{name: A, value: B}]}]}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: z}
spec: {podSelector: {}, ingress: [{}]}
`;

describe('snapshotContent', () => {
  it('is byte for byte the engine canonical snapshot text (projection, order with ties, JCS), whatever the input order', () => {
    const first = parseManifests([{ path: 'a.yaml', text: yaml }]);
    const second = parseManifests([{ path: 'b.yaml', text: otherPod }]);
    const parsed = { objects: [...second.objects, ...first.objects], issues: [...first.issues, ...second.issues] };
    expect(parsed.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    const content = snapshotContent(parsed.objects);
    const expected = canonicalSnapshotText(parsed.objects.map((item) => item.object));
    expect(content.bytes.toString('utf8')).toBe(expected);
    expect(content.sha256).toBe(createHash('sha256').update(expected, 'utf8').digest('hex'));
    expect(JSON.parse(expected)).toEqual(JSON.parse(JSON.stringify(content.objects)));
    const reversed = snapshotContent([...parsed.objects].reverse());
    expect(reversed.sha256).toBe(content.sha256);
    // Same (apiVersion, kind, namespace, name): the tie is broken by the JCS text ({"app":"a"} before {"app":"x"}).
    expect(content.objects.filter((o) => o.kind === 'Pod').map((o) => o.metadata.labels?.app)).toEqual(['a', 'x']);
  });

  it('writes the parts as one UTF-8 array text, into a buffer of its own (transferable whole)', () => {
    for (const texts of [[], ['{}'], ['"é"', '"😀\\u0000"', '[1,2]']]) {
      const bytes = contentBytes(texts);
      expect(bytes.toString('utf8')).toBe(`[${texts.join(',')}]`);
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.buffer.byteLength).toBe(bytes.length);
    }
  });
});
