// The factorised analysis as plain JSON data, so that a server can store it next to its snapshot and, after a
// restart, load it instead of running `analyze` again. The snapshot model is still built from the content
// (the analysis refers to its policies and workloads by id); what is skipped is the class assignment, IP
// cutting, peer matching and profile building. A stamp (format version + the snapshot's shape) makes a load
// against another engine format or another snapshot return undefined, so the caller analyses instead.
import { RulePorts, type ContainerPort } from '../algebra/rule-ports.js';
import type { Labels } from '../algebra/selector.js';
import type { Direction, Snapshot } from '../model/types.js';
import { assembleAnalysis, globalRules, rulePortsOf } from './analyze.js';
import { EntitySet } from './entity-set.js';
import type { Analysis, GlobalRule, IdentityClass, IpAtom, SideTable } from './types.js';

/** Bump whenever the serialised shape or the meaning of any of its fields changes. */
export const ANALYSIS_FORMAT_VERSION = 1;

export interface SerializedAnalysis {
  readonly format: 'netpol-atlas-analysis';
  readonly version: number;
  /** What the analysis was computed from, checked on load. */
  readonly shape: SnapshotShape;
  readonly classes: readonly SerializedClass[];
  readonly workloadClass: readonly number[];
  readonly podClasses: readonly (readonly number[])[];
  readonly srcAtoms: readonly SerializedAtom[];
  readonly dstAtoms: readonly SerializedAtom[];
  /** Members of each peer set, ascending. */
  readonly peerSets: readonly (readonly number[])[];
  readonly ingressProfiles: readonly SerializedSideTable[];
  readonly egressProfiles: readonly SerializedSideTable[];
}

interface SnapshotShape {
  readonly namespaces: number;
  readonly nodes: number;
  readonly policies: number;
  readonly rules: number;
  readonly workloads: number;
  /** Pods per workload, in workload order. */
  readonly pods: readonly number[];
  readonly ipBlockMatchesPods: boolean;
}

interface SerializedClass {
  readonly namespace: string;
  readonly labels: Labels;
  readonly namedPorts: readonly (readonly [string, ContainerPort])[];
  readonly namedPortSignature: number;
  readonly ingressPolicies: readonly number[];
  readonly egressPolicies: readonly number[];
  readonly ingressProfile: number;
  readonly egressProfile: number;
}

interface SerializedAtom {
  readonly family: 4 | 6;
  readonly first: string;
  readonly last: string;
  readonly text: string;
}

interface SerializedSideTable {
  readonly unionOnly: boolean;
  readonly policies: readonly number[];
  readonly classBaseRules: readonly number[];
  readonly atomBaseRules: readonly number[];
  readonly sets: readonly { readonly set: number; readonly rules: readonly number[] }[];
}

export function serializeAnalysis(analysis: Analysis): SerializedAnalysis {
  const atom = (a: IpAtom): SerializedAtom => ({ family: a.family, first: a.first.toString(), last: a.last.toString(), text: a.text });
  const table = (t: SideTable): SerializedSideTable => ({
    unionOnly: t.unionOnly,
    policies: t.policies,
    classBaseRules: t.classBaseRules,
    atomBaseRules: t.atomBaseRules,
    sets: t.sets.map((s) => ({ set: s.set, rules: s.rules })),
  });
  return {
    format: 'netpol-atlas-analysis',
    version: ANALYSIS_FORMAT_VERSION,
    shape: shapeOf(analysis.snapshot, analysis.rules.length),
    classes: analysis.classes.map((c) => ({
      namespace: c.namespace,
      labels: c.labels,
      namedPorts: [...c.namedPorts].map(([name, port]) => [name, { ...port }] as const),
      namedPortSignature: c.namedPortSignature,
      ingressPolicies: c.ingressPolicies,
      egressPolicies: c.egressPolicies,
      ingressProfile: c.ingressProfile,
      egressProfile: c.egressProfile,
    })),
    workloadClass: [...analysis.workloadClass],
    podClasses: analysis.podClasses.map((p) => [...p]),
    srcAtoms: analysis.srcAtoms.map(atom),
    dstAtoms: analysis.dstAtoms.map(atom),
    peerSets: analysis.peerSets.map((s) => [...s.members()]),
    ingressProfiles: analysis.ingressProfiles.map(table),
    egressProfiles: analysis.egressProfiles.map(table),
  };
}

/**
 * The analysis of `snapshot` from its serialised form, or undefined when the data is of another format version
 * or was computed from a snapshot of another shape (then run `analyze`). The snapshot must be built from the
 * same content as the one analysed: the shape check catches a mix-up, not a forged input.
 */
export function loadAnalysis(snapshot: Snapshot, data: unknown): Analysis | undefined {
  if (!isSerialized(data)) return undefined;
  const { rules, ruleIds } = globalRules(snapshot);
  if (JSON.stringify(data.shape) !== JSON.stringify(shapeOf(snapshot, rules.length))) return undefined;
  const srcAtoms = data.srcAtoms.map(atomOf);
  const dstAtoms = data.dstAtoms.map(atomOf);
  const classes: IdentityClass[] = data.classes.map((c, id) => ({
    id,
    namespace: c.namespace,
    labels: c.labels,
    namedPorts: new Map(c.namedPorts.map(([name, port]) => [name, { ...port }])),
    namedPortSignature: c.namedPortSignature,
    ingressPolicies: c.ingressPolicies,
    egressPolicies: c.egressPolicies,
    ingressProfile: c.ingressProfile,
    egressProfile: c.egressProfile,
  }));
  const universe = classes.length + Math.max(srcAtoms.length, dstAtoms.length);
  return assembleAnalysis(snapshot, {
    rules,
    ruleIds,
    classes,
    workloadClass: Int32Array.from(data.workloadClass),
    podClasses: data.podClasses.map((p) => Int32Array.from(p)),
    srcAtoms,
    dstAtoms,
    peerSets: data.peerSets.map((members) => EntitySet.fromSorted(members, universe)),
    ingressProfiles: data.ingressProfiles.map((t) => sideTable('ingress', t, rules)),
    egressProfiles: data.egressProfiles.map((t) => sideTable('egress', t, rules)),
  });
}

function shapeOf(snapshot: Snapshot, rules: number): SnapshotShape {
  return {
    namespaces: snapshot.namespaces.size,
    nodes: snapshot.nodes.size,
    policies: snapshot.policies.length,
    rules,
    workloads: snapshot.workloads.length,
    pods: snapshot.workloads.map((w) => w.pods.length),
    ipBlockMatchesPods: snapshot.options.ipBlockMatchesPods === true,
  };
}

function isSerialized(data: unknown): data is SerializedAnalysis {
  const d = data as Partial<SerializedAnalysis> | null;
  return typeof d === 'object' && d !== null && d.format === 'netpol-atlas-analysis' && d.version === ANALYSIS_FORMAT_VERSION;
}

function atomOf(a: SerializedAtom): IpAtom {
  return { family: a.family, first: BigInt(a.first), last: BigInt(a.last), text: a.text };
}

function sideTable(direction: Direction, t: SerializedSideTable, rules: readonly GlobalRule[]): SideTable {
  return {
    direction,
    unionOnly: t.unionOnly,
    policies: t.policies,
    classBaseRules: t.classBaseRules,
    classBase: t.classBaseRules.length === 0 ? RulePorts.NONE : rulePortsOf(rules, t.classBaseRules),
    atomBaseRules: t.atomBaseRules,
    atomBase: t.atomBaseRules.length === 0 ? RulePorts.NONE : rulePortsOf(rules, t.atomBaseRules),
    sets: t.sets.map((s) => ({ set: s.set, rules: s.rules, ports: rulePortsOf(rules, s.rules) })),
  };
}
