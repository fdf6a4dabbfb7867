// Builds the analysable Snapshot from parsed objects.
import type { Issue, ParsedObject } from '../manifest/types.js';
import { checkLabelGaps, hostNetworkWarnings } from './checks.js';
import { compilePolicy, DEFAULT_NAMESPACE, newCompileCache } from './policies.js';
import { stringRecord } from './raw.js';
import type { EngineOptions, NamespaceModel, PolicyModel, ResolvedEngineOptions, Snapshot } from './types.js';
import { buildWorkloads, compareStrings } from './workloads.js';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export function resolveOptions(options: EngineOptions = {}): ResolvedEngineOptions {
  return { ipBlockMatchesPods: options.ipBlockMatchesPods ?? false, hostNetwork: options.hostNetwork ?? 'as-pod' };
}

export function buildSnapshot(
  objects: readonly ParsedObject[],
  options: EngineOptions = {},
): { snapshot: Snapshot; issues: Issue[] } {
  const issues: Issue[] = [];
  const declared = new Map<string, NamespaceModel>();
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    if (o.object.kind !== 'Namespace') continue;
    const name = o.object.metadata.name;
    const labels = stringRecord(o.object.metadata.labels);
    labels[NAMESPACE_NAME_LABEL] ??= name;
    declared.set(name, { name, labels, declared: true });
  }

  const policies: PolicyModel[] = [];
  const seenPolicies = new Set<string>();
  const policyObjects: { o: ParsedObject; readIndex: number; fullName: string }[] = [];
  objects.forEach((o, readIndex) => {
    if (o.object.kind !== 'NetworkPolicy') return;
    policyObjects.push({ o, readIndex, fullName: `${o.object.metadata.namespace || DEFAULT_NAMESPACE}/${o.object.metadata.name}` });
  });
  policyObjects.sort((a, b) => compareStrings(a.fullName, b.fullName));
  const cache = newCompileCache();
  for (let i = 0; i < policyObjects.length; i++) {
    const { o, readIndex, fullName } = policyObjects[i];
    if (seenPolicies.has(fullName)) {
      issues.push({
        code: 'DUPLICATE_OBJECT',
        severity: 'error',
        message: `NetworkPolicy ${fullName} is defined more than once`,
        file: o.source.file,
        document: o.source.document,
        path: o.source.pathPrefix ? `${o.source.pathPrefix}.metadata.name` : 'metadata.name',
        ...(o.source.line !== undefined ? { line: o.source.line } : {}),
      });
      continue;
    }
    seenPolicies.add(fullName);
    policies.push(compilePolicy(o, policies.length, cache, readIndex));
  }

  const workloads = buildWorkloads(objects);
  const names = new Set(declared.keys());
  for (let i = 0; i < workloads.length; i++) names.add(workloads[i].namespace);
  for (let i = 0; i < policies.length; i++) names.add(policies[i].namespace);
  const namespaces = new Map<string, NamespaceModel>();
  for (const name of [...names].sort(compareStrings)) {
    const labels = Object.create(null) as Record<string, string>;
    labels[NAMESPACE_NAME_LABEL] = name;
    namespaces.set(name, declared.get(name) ?? { name, labels, declared: false });
  }

  issues.push(...checkLabelGaps(workloads, policies, namespaces));
  issues.push(...hostNetworkWarnings(workloads, policies));
  const snapshot: Snapshot = { options: resolveOptions(options), namespaces, workloads, policies };
  return { snapshot, issues };
}
