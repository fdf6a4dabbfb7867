// Kubernetes NetworkPolicy (networking.k8s.io/v1): the namespaced layer every CNI enforces.
import type { Dialect } from '../types.js';
import { compilePolicy } from './compile.js';

export const networkingV1: Dialect = {
  id: 'networking-v1',
  title: 'Kubernetes NetworkPolicy (networking.k8s.io/v1)',
  kinds: [
    { group: 'networking.k8s.io', kind: 'NetworkPolicy', role: 'policy', namespaced: true, projection: 'spec-whole', versions: ['networking.k8s.io/v1'], servedVersion: 'v1' },
  ],
  compile: (object, id, context) => compilePolicy(object, id, context.cache, context.readIndex),
};
