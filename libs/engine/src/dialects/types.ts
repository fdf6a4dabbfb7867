// The dialect seam: every policy dialect (an API group's policy kinds) registers here what it owns —
// which kinds, how a snapshot keeps them (projection), and how they compile to the neutral rule model.
// Adding a dialect is adding a folder next to `networking-v1/` and one line in `registry.ts`.
import type { PlainObject } from '../manifest/plain-data.js';
import type { Issue, KubeObject, ParsedObject } from '../manifest/types.js';
import type { Checker } from '../manifest/validate/checker.js';
import type { FieldSchema } from '../manifest/schema/field-schema.js';
import type { Protocol } from '../algebra/connection-set.js';
import type { Labels } from '../algebra/selector.js';
import type { NodeModel, PolicyModel } from '../model/types.js';
import type { CompileCache } from './compile-cache.js';

/** What a snapshot keeps of an object of the kind (a one-way door: stored evidence is projected once). */
export type ProjectionRule =
  /** `spec` (and Cilium's `specs`) whole: policies and the auxiliary objects their rules reference. */
  | 'spec-whole'
  /** metadata only (plus `apiVersion`, `kind`). */
  | 'metadata';

export interface DialectKind {
  /** API group ('' for the core group). */
  readonly group: string;
  readonly kind: string;
  /** A policy the dialect compiles, or an object its policies reference (sets, tiers, host endpoints). */
  readonly role: 'policy' | 'auxiliary';
  readonly namespaced: boolean;
  readonly projection: ProjectionRule;
  /** Only these apiVersions are read (others are unknown kinds), e.g. `networking.k8s.io/v1`. */
  readonly versions?: readonly string[];
  /** The version a collector lists it at (`GET /apis/<group>/<version>/<plural>`). */
  readonly servedVersion: string;
  /** An auxiliary kind whose effect is not modelled (Calico HostEndpoint: host protection): its objects are
   *  named as caveats on verdicts like unmodelled policies. */
  readonly unmodelledEffect?: boolean;
}

export interface Dialect {
  /** Stable id, shown in verdicts and the API (`networking-v1`, `admin-network-policy`, `calico`, `cilium`). */
  readonly id: string;
  readonly title: string;
  readonly kinds: readonly DialectKind[];
  /** The API server's rules for the dialect's kinds (located issues through the checker); metadata is checked
   *  by the parser. */
  readonly validate?: (checker: Checker, kind: string, object: PlainObject) => void;
  /** Field schemas of the dialect's policy kinds, by kind (UNKNOWN_FIELD with "did you mean"). */
  readonly schemas?: Readonly<Record<string, FieldSchema>>;
  /** Absent while the dialect is not modelled: its objects are stored, and verdicts carry caveats. */
  readonly compile?: (object: ParsedObject, id: number, context: CompileContext) => PolicyModel;
  /** Checks across the dialect's compiled policies of one snapshot (e.g. equal priorities), as located issues. */
  readonly checkPolicies?: (policies: readonly PolicyModel[]) => Issue[];
  /** A staged (never enforced) kind's object as the live policy it previews (Calico's staged policies), or an
   *  issue when it cannot be promoted; the staged what-if reads it through the registry. */
  readonly promote?: (object: ParsedObject) => StagedPromotion | Issue;
}

/** What one staged policy would do once enforced. */
export interface StagedPromotion {
  readonly staged: ParsedObject;
  readonly action: 'Set' | 'Delete';
  /** The live policy it sets or deletes (apiVersion, kind, namespace as written, name). */
  readonly target: KubeObject;
}

export interface CompileContext {
  /** Shared by every policy of one snapshot: equal selectors, ipBlocks and specs compile once. */
  readonly cache: CompileCache;
  /** Position of the object among the parsed input (np-guard's exposure output depends on read order). */
  readonly readIndex: number;
  /** The snapshot's objects of auxiliary kinds (tiers, network sets, host endpoints), in input order. */
  readonly auxiliary: readonly ParsedObject[];
  /** The snapshot's Nodes by name (node peers compile to their addresses; empty: node peers are caveats). */
  readonly nodes: ReadonlyMap<string, NodeModel>;
  /** The labels of a ServiceAccount of the input (undefined when the input has none by that name). */
  readonly serviceAccountLabels?: (namespace: string, name: string) => Labels | undefined;
  /** A namespace's labels (`kubernetes.io/metadata.name` included; a namespace the input lacks: that label only). */
  readonly namespaceLabels?: (namespace: string) => Labels;
  /** A `v1 Service` of the input (Calico rules' `services` match its endpoints), undefined when the input has none
   *  by that name. */
  readonly service?: (namespace: string, name: string) => ServiceModel | undefined;
  /** An auxiliary object of the input ('' namespace for cluster-scoped kinds), e.g. a CiliumCIDRGroup. */
  readonly auxiliaryObject?: (group: string, kind: string, namespace: string, name: string) => ParsedObject | undefined;
}

/** What a policy rule reads of a `v1 Service`: the pods it selects (null: no selector, its endpoints are managed
 *  by hand) and where its ports lead (a number, or a container port's name resolved on each endpoint). */
export interface ServiceModel {
  readonly selector: Labels | null;
  readonly ports: readonly { readonly protocol: Protocol; readonly targetPort: number | string }[];
}
