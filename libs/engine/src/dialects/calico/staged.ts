// Calico's staged policies (StagedNetworkPolicy, StagedGlobalNetworkPolicy, StagedKubernetesNetworkPolicy) are
// never enforced: each previews a change to the live policy of the same kind, namespace and name. `stagedAction:
// Set` (the default) would create or replace it with the staged spec; `Delete` would remove it. Promoting them
// gives the snapshot "as if the staged policies were enforced", which the staged what-if diffs against the live one.
import type { Issue, KubeObject, ParsedObject } from '../../manifest/types.js';
import { asObject, asString } from '../../model/raw.js';
import type { StagedPromotion } from '../types.js';

/** The live kind each staged kind stages: Calico's own policies keep their API group; a staged Kubernetes
 *  NetworkPolicy becomes a `networking.k8s.io/v1` one. */
const LIVE_KIND: Readonly<Record<string, { kind: string; apiVersion?: string }>> = {
  StagedNetworkPolicy: { kind: 'NetworkPolicy' },
  StagedGlobalNetworkPolicy: { kind: 'GlobalNetworkPolicy' },
  StagedKubernetesNetworkPolicy: { kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1' },
};

/** The staged policy as the live one it stages (`stagedAction` dropped, metadata reduced to identity and labels),
 *  or an issue when its `stagedAction` is neither Set nor Delete. */
export function promoteStaged(staged: ParsedObject): StagedPromotion | Issue {
  const { object } = staged;
  const live = LIVE_KIND[object.kind];
  const spec = asObject(object.spec) ?? {};
  const stagedAction = asString(spec.stagedAction) ?? 'Set';
  if (!live || (stagedAction !== 'Set' && stagedAction !== 'Delete')) {
    return {
      code: 'INVALID_VALUE',
      severity: 'error',
      message: `${object.kind} ${object.metadata.name}: unsupported stagedAction ${JSON.stringify(spec.stagedAction)}: supported values: "Set", "Delete"`,
      file: staged.source.file,
      document: staged.source.document,
      path: staged.source.pathPrefix ? `${staged.source.pathPrefix}.spec.stagedAction` : 'spec.stagedAction',
      ...(staged.source.line !== undefined ? { line: staged.source.line } : {}),
    };
  }
  const { stagedAction: _dropped, ...liveSpec } = spec;
  const metadata: Record<string, unknown> = { name: object.metadata.name };
  if (object.metadata.namespace !== undefined) metadata.namespace = object.metadata.namespace;
  if (object.metadata.labels !== undefined) metadata.labels = object.metadata.labels;
  const target = { apiVersion: live.apiVersion ?? object.apiVersion, kind: live.kind, metadata, spec: liveSpec } as unknown as KubeObject;
  return { staged, action: stagedAction, target };
}
