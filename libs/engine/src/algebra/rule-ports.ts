// The ports a rule (or a union of rules) allows before named ports are resolved on a destination:
// numeric port sets per protocol plus (protocol, name) references.
import { ConnectionSet, type Protocol } from './connection-set.js';
import { PortSet } from './port-set.js';

export interface NamedPortRef {
  readonly protocol: Protocol;
  readonly name: string;
}

export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
}

export class RulePorts {
  private constructor(
    readonly numeric: ConnectionSet,
    /** Sorted by protocol then name, de-duplicated. */
    readonly named: readonly NamedPortRef[],
  ) {}

  static readonly NONE = new RulePorts(ConnectionSet.NONE, []);
  static readonly ALL = new RulePorts(ConnectionSet.ALL, []);

  static of(numeric: ConnectionSet, named: readonly NamedPortRef[] = []): RulePorts {
    const unique = new Map<string, NamedPortRef>();
    for (const ref of named) unique.set(`${ref.protocol}/${ref.name}`, ref);
    const sorted = [...unique.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, ref]) => ref);
    if (sorted.length === 0 && numeric.isEmpty) return RulePorts.NONE;
    if (sorted.length === 0 && numeric.isAll) return RulePorts.ALL;
    // Every port of every protocol already contains any named port.
    if (numeric.isAll) return RulePorts.ALL;
    return new RulePorts(numeric, sorted);
  }

  get isEmpty(): boolean {
    return this.numeric.isEmpty && this.named.length === 0;
  }

  union(other: RulePorts): RulePorts {
    if (this.isEmpty) return other;
    if (other.isEmpty) return this;
    return RulePorts.of(this.numeric.union(other.numeric), [...this.named, ...other.named]);
  }

  /** The union of many at once: numeric ports per protocol merged in one walk, named references once. */
  static unionAll(list: readonly RulePorts[]): RulePorts {
    let only: RulePorts | undefined;
    let count = 0;
    let named = 0;
    for (let i = 0; i < list.length; i++) {
      if (list[i].numeric.isAll) return RulePorts.ALL;
      if (list[i].isEmpty) continue;
      only = list[i];
      count++;
      named += list[i].named.length;
    }
    if (count <= 1) return only ?? RulePorts.NONE;
    const refs: NamedPortRef[] = [];
    if (named > 0) for (let i = 0; i < list.length; i++) for (const ref of list[i].named) refs.push(ref);
    return RulePorts.of(ConnectionSet.unionAll(list.map((ports) => ports.numeric)), refs);
  }

  /** Concrete ports on a destination: each named port becomes the number of the first container port with
   *  that name, if that port's protocol equals the reference's; otherwise the name allows nothing. */
  resolve(ports: ReadonlyMap<string, ContainerPort> | undefined): ConnectionSet {
    if (this.named.length === 0) return this.numeric;
    let out = this.numeric;
    for (const ref of this.named) {
      const target = ports?.get(ref.name);
      if (target && target.protocol === ref.protocol) {
        out = out.union(ConnectionSet.single(ref.protocol, PortSet.range(target.port)));
      }
    }
    return out;
  }

  get key(): string {
    return `${this.numeric.key}#${this.named.map((n) => `${n.protocol}/${n.name}`).join(',')}`;
  }
}

/** The first container port of each name (Kubernetes requires names to be unique within a pod). */
export function namedPortMap(ports: readonly ContainerPort[]): Map<string, ContainerPort> {
  const out = new Map<string, ContainerPort>();
  for (const p of ports) if (p.name && !out.has(p.name)) out.set(p.name, p);
  return out;
}
