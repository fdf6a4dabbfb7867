// Connections towards a potential peer (the entire cluster or a representative peer): numeric ports per
// protocol plus named ports that no real container could resolve, so they stay names (FORMAT.md 10.5).
// Semantics follow np-guard's exposure printer and containment test, which ignore named ports when
// comparing port sets.
import { ConnectionSet, ICMP_FAMILIES, icmpText, PROTOCOLS, type Protocol } from '../algebra/connection-set.js';
import { PortSet } from '../algebra/port-set.js';
import type { ContainerPort } from '../algebra/rule-ports.js';
import type { PortModel } from '../model/types.js';
import type { ExposureNamedPort } from './types.js';
import { ALL_CONNECTIONS, NO_CONNECTIONS } from '../output/conn-string.js';

// '' holds AdminNetworkPolicy named ports, which name no protocol (np-guard prints them after an empty protocol).
type NameProtocol = Protocol | '';
type NamedSets = Readonly<Record<NameProtocol, ReadonlySet<string>>>;

const NAME_PROTOCOLS: readonly NameProtocol[] = ['', ...PROTOCOLS];
const NO_NAMES: NamedSets = { '': new Set(), TCP: new Set(), UDP: new Set(), SCTP: new Set() };

/** How a rule's named ports are treated: kept as names (no real destination), or resolved on a real
 *  destination's container ports (name and protocol must match; otherwise the name allows nothing). */
export type NamedPortMode = { readonly keep: true } | { readonly keep: false; readonly ports: ReadonlyMap<string, ContainerPort> };

export const KEEP_NAMES: NamedPortMode = { keep: true };

export class ExposureConn {
  private constructor(
    readonly numeric: ConnectionSet,
    private readonly names: NamedSets,
  ) {}

  static readonly NONE = new ExposureConn(ConnectionSet.NONE, NO_NAMES);
  static readonly ALL = new ExposureConn(ConnectionSet.ALL, NO_NAMES);

  static of(numeric: ConnectionSet, named: Iterable<ExposureNamedPort> = []): ExposureConn {
    // Every port of every protocol: np-guard prints `All Connections` and no names.
    // np-guard's exposure has no ICMP: every port of the three protocols is everything.
    if (numeric.portsAll) return ExposureConn.ALL;
    // The name sets are made only for a connection that has names (most have none).
    let names: Record<NameProtocol, Set<string>> | undefined;
    for (const ref of named) (names ??= { '': new Set<string>(), TCP: new Set<string>(), UDP: new Set<string>(), SCTP: new Set<string>() })[ref.protocol].add(ref.name);
    if (!names && numeric.isEmpty) return ExposureConn.NONE;
    return new ExposureConn(numeric, names ?? NO_NAMES);
  }

  /** The connections one rule's `ports` allow (null = no `ports`: everything). `anyProtocolNames`: the
   *  dialect writes a named port once per protocol because it names none (AdminNetworkPolicy `namedPort`):
   *  kept, it is one name without protocol; resolved, the container port's own protocol counts. */
  static fromRulePorts(ports: readonly PortModel[] | null, mode: NamedPortMode, anyProtocolNames = false): ExposureConn {
    if (ports === null) return ExposureConn.ALL;
    let numeric = ConnectionSet.NONE;
    const named: ExposureNamedPort[] = [];
    for (const p of ports) {
      if (p.port === undefined) numeric = numeric.union(ConnectionSet.single(p.protocol, PortSet.ALL));
      else if (typeof p.port === 'number') {
        numeric = numeric.union(ConnectionSet.single(p.protocol, PortSet.range(p.port, p.endPort ?? p.port)));
      } else if (mode.keep) named.push({ protocol: anyProtocolNames ? '' : p.protocol, name: p.port });
      else {
        const target = mode.ports.get(p.port);
        if (target && (anyProtocolNames || target.protocol === p.protocol)) {
          numeric = numeric.union(ConnectionSet.single(p.protocol, PortSet.range(target.port)));
        }
      }
    }
    return ExposureConn.of(numeric, named);
  }

  get isAll(): boolean {
    return this === ExposureConn.ALL || (this.numeric.portsAll && !this.hasNames);
  }

  get isEmpty(): boolean {
    return this.numeric.isEmpty && !this.hasNames;
  }

  private get hasNames(): boolean {
    return this.names !== NO_NAMES && NAME_PROTOCOLS.some((p) => this.names[p].size > 0);
  }

  /** Named ports, sorted by protocol ('', TCP, UDP, SCTP) then name. */
  namedPorts(): ExposureNamedPort[] {
    return NAME_PROTOCOLS.flatMap((protocol) => [...this.names[protocol]].sort(compare).map((name) => ({ protocol, name })));
  }

  union(other: ExposureConn): ExposureConn {
    if (this.isAll || other.isEmpty) return this;
    if (other.isAll || this.isEmpty) return other;
    if (this.names === NO_NAMES && other.names === NO_NAMES) return ExposureConn.of(this.numeric.union(other.numeric));
    return ExposureConn.of(this.numeric.union(other.numeric), [...this.namedPorts(), ...other.namedPorts()]);
  }

  /** np-guard's containment: every protocol this set uses must be used by `other` too, and the numeric
   *  ports must be contained; named ports are not compared. */
  containedIn(other: ExposureConn): boolean {
    if (other.isAll) return true;
    if (this.isAll) return false;
    for (const p of PROTOCOLS) {
      if (!this.uses(p)) continue;
      if (!other.uses(p)) return false;
      const mine = this.numeric.ports(p);
      if (!mine.subtract(other.numeric.ports(p)).isEmpty) return false;
    }
    return true;
  }

  private uses(protocol: NameProtocol): boolean {
    return (protocol !== '' && !this.numeric.ports(protocol).isEmpty) || this.names[protocol].size > 0;
  }

  /**
   * np-guard's quirk for a workload's ingress exposure to the entire cluster: each named port that the
   * workload declares becomes that container port's number in the rule's protocol (the container port's
   * own protocol is not compared); names it does not declare stay names.
   */
  replaceDeclaredNames(ports: ReadonlyMap<string, ContainerPort>): ExposureConn {
    if (!this.hasNames) return this;
    let numeric = this.numeric;
    const kept: ExposureNamedPort[] = [];
    for (const ref of this.namedPorts()) {
      const declared = ports.get(ref.name);
      // A name without protocol takes the container port's.
      if (declared) numeric = numeric.union(ConnectionSet.single(ref.protocol === '' ? declared.protocol : ref.protocol, PortSet.range(declared.port)));
      else kept.push(ref);
    }
    return ExposureConn.of(numeric, kept);
  }

  /** `All Connections`, `No Connections`, or `<PROTOCOL> <ports>[,<names>]` groups sorted as strings.
   *  `icmp` (the snapshot `showsIcmp`): ICMP groups are named too, and `All Connections` needs all of ICMP. */
  toString(icmp = false): string {
    if (icmp ? this === ExposureConn.ALL || (this.numeric.isAll && !this.hasNames) : this.isAll) return ALL_CONNECTIONS;
    if (this.isEmpty) return NO_CONNECTIONS;
    const groups: string[] = [];
    if (icmp) for (const f of ICMP_FAMILIES) if (!this.numeric.ports(f).isEmpty) groups.push(icmpText(f, this.numeric.ports(f)));
    for (const p of NAME_PROTOCOLS) {
      if (!this.uses(p)) continue;
      const items = [p === '' ? '' : this.numeric.ports(p).key, ...[...this.names[p]].sort(compare)].filter((s) => s !== '');
      groups.push(`${p} ${items.join(',')}`);
    }
    return groups.sort(compare).join(',');
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
