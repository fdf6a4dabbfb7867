// Allowed connections: one port set per port protocol, plus ICMP and ICMPv6 as sets of (type, code) points.
// Immutable; `key` is canonical, so sets can be interned.
import { PortSet, type PortRange } from './port-set.js';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
/** The protocols Kubernetes NetworkPolicy knows, in the order np-guard's explain text lists them. */
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** ICMP for IPv4 and IPv6: no ports, a (type, code) space instead. */
export type IcmpFamily = 'ICMP' | 'ICMPv6';
export const ICMP_FAMILIES: readonly IcmpFamily[] = ['ICMP', 'ICMPv6'];
/** Every protocol a connection set distinguishes. */
export type AnyProtocol = Protocol | IcmpFamily;

/** Echo request ("ping") per family: what an ICMP question without a type asks. */
export const ICMP_ECHO_REQUEST: Readonly<Record<IcmpFamily, number>> = { ICMP: 8, ICMPv6: 128 };

export function isProtocol(value: unknown): value is Protocol {
  return value === 'TCP' || value === 'UDP' || value === 'SCTP';
}

export function isIcmpFamily(value: unknown): value is IcmpFamily {
  return value === 'ICMP' || value === 'ICMPv6';
}

// An ICMP (type, code) is the point type*256 + code + 1 of a PortSet (1-65535), so the port-set algebra serves
// ICMP too. Type 255 code 255 (type 255 is reserved in both families) falls outside and is never matched.
const icmpPoint = (type: number, code: number): number => type * 256 + code + 1;

/** The ICMP points of one type (every code when `code` is undefined), or every type and code. */
export function icmpPoints(type?: number, code?: number): PortSet {
  if (type === undefined) return PortSet.ALL;
  if (code === undefined) return PortSet.range(icmpPoint(type, 0), icmpPoint(type, 255));
  return PortSet.range(icmpPoint(type, code));
}

/** An ICMP point set as text: `ICMP` (every type), or `ICMP type 8`, `ICMP type 3 code 1-3`, … */
export function icmpText(family: IcmpFamily, points: PortSet): string {
  if (points.isAll) return family;
  const parts: string[] = [];
  for (const r of points.ranges()) {
    const fromType = Math.floor((r.from - 1) / 256);
    const fromCode = (r.from - 1) % 256;
    const toType = Math.floor((r.to - 1) / 256);
    const toCode = (r.to - 1) % 256;
    if (fromCode === 0 && (toCode === 255 || r.to === 65535)) parts.push(fromType === toType ? `type ${fromType}` : `type ${fromType}-${toType}`);
    else if (fromType === toType) parts.push(`type ${fromType} code ${fromCode === toCode ? fromCode : `${fromCode}-${toCode}`}`);
    else parts.push(`type ${fromType} code ${fromCode}-type ${toType} code ${toCode}`);
  }
  return `${family} ${parts.join(',')}`;
}

export class ConnectionSet {
  private constructor(
    readonly tcp: PortSet,
    readonly udp: PortSet,
    readonly sctp: PortSet,
    readonly icmp: PortSet,
    readonly icmpv6: PortSet,
  ) {}

  static readonly NONE = new ConnectionSet(PortSet.EMPTY, PortSet.EMPTY, PortSet.EMPTY, PortSet.EMPTY, PortSet.EMPTY);
  /** Every port of every protocol and every ICMP message (a port-less NetworkPolicy rule, default allow). */
  static readonly ALL = new ConnectionSet(PortSet.ALL, PortSet.ALL, PortSet.ALL, PortSet.ALL, PortSet.ALL);

  static of(parts: Partial<Record<AnyProtocol, PortSet>>): ConnectionSet {
    const tcp = parts.TCP ?? PortSet.EMPTY;
    const udp = parts.UDP ?? PortSet.EMPTY;
    const sctp = parts.SCTP ?? PortSet.EMPTY;
    const icmp = parts.ICMP ?? PortSet.EMPTY;
    const icmpv6 = parts.ICMPv6 ?? PortSet.EMPTY;
    if (tcp.isEmpty && udp.isEmpty && sctp.isEmpty && icmp.isEmpty && icmpv6.isEmpty) return ConnectionSet.NONE;
    if (tcp.isAll && udp.isAll && sctp.isAll && icmp.isAll && icmpv6.isAll) return ConnectionSet.ALL;
    return new ConnectionSet(tcp, udp, sctp, icmp, icmpv6);
  }

  static single(protocol: AnyProtocol, ports: PortSet): ConnectionSet {
    return ConnectionSet.of({ [protocol]: ports });
  }

  static ranges(protocol: AnyProtocol, ranges: Iterable<PortRange>): ConnectionSet {
    return ConnectionSet.single(protocol, PortSet.of(ranges));
  }

  /** ICMP messages of a family: every one, one type, or one type and code. */
  static icmp(family: IcmpFamily, type?: number, code?: number): ConnectionSet {
    return ConnectionSet.single(family, icmpPoints(type, code));
  }

  /** Every port of the port protocols and every ICMP message of both families, as separate halves. */
  static readonly ALL_PORTS = ConnectionSet.of({ TCP: PortSet.ALL, UDP: PortSet.ALL, SCTP: PortSet.ALL });
  static readonly ALL_ICMP = ConnectionSet.of({ ICMP: PortSet.ALL, ICMPv6: PortSet.ALL });

  ports(protocol: AnyProtocol): PortSet {
    switch (protocol) {
      case 'TCP':
        return this.tcp;
      case 'UDP':
        return this.udp;
      case 'SCTP':
        return this.sctp;
      case 'ICMP':
        return this.icmp;
      default:
        return this.icmpv6;
    }
  }

  get isEmpty(): boolean {
    return this === ConnectionSet.NONE || (this.tcp.isEmpty && this.udp.isEmpty && this.sctp.isEmpty && this.icmp.isEmpty && this.icmpv6.isEmpty);
  }

  get isAll(): boolean {
    return this === ConnectionSet.ALL || (this.tcp.isAll && this.udp.isAll && this.sctp.isAll && this.icmp.isAll && this.icmpv6.isAll);
  }

  /** Every port of TCP, UDP and SCTP (whatever ICMP): np-guard's `All Connections`. */
  get portsAll(): boolean {
    return this.tcp.isAll && this.udp.isAll && this.sctp.isAll;
  }

  contains(protocol: Protocol, port: number): boolean {
    return this.ports(protocol).contains(port);
  }

  containsIcmp(family: IcmpFamily, type: number, code: number): boolean {
    return this.ports(family).contains(icmpPoint(type, code));
  }

  union(other: ConnectionSet): ConnectionSet {
    if (this.isEmpty || other.isAll) return other;
    if (other.isEmpty || this.isAll) return this;
    return ConnectionSet.of({
      TCP: this.tcp.union(other.tcp),
      UDP: this.udp.union(other.udp),
      SCTP: this.sctp.union(other.sctp),
      ICMP: this.icmp.union(other.icmp),
      ICMPv6: this.icmpv6.union(other.icmpv6),
    });
  }

  /** The union of many sets at once, per protocol (see `PortSet.unionAll`). */
  static unionAll(sets: readonly ConnectionSet[]): ConnectionSet {
    let only: ConnectionSet | undefined;
    let count = 0;
    for (let s = 0; s < sets.length; s++) {
      if (sets[s].isAll) return sets[s];
      if (sets[s].isEmpty) continue;
      only = sets[s];
      count++;
    }
    if (count <= 1) return only ?? ConnectionSet.NONE;
    const parts = (pick: (set: ConnectionSet) => PortSet) => PortSet.unionAll(sets.map(pick));
    return ConnectionSet.of({
      TCP: parts((set) => set.tcp),
      UDP: parts((set) => set.udp),
      SCTP: parts((set) => set.sctp),
      ICMP: parts((set) => set.icmp),
      ICMPv6: parts((set) => set.icmpv6),
    });
  }

  intersect(other: ConnectionSet): ConnectionSet {
    if (this.isEmpty || other.isAll) return this;
    if (other.isEmpty || this.isAll) return other;
    return ConnectionSet.of({
      TCP: this.tcp.intersect(other.tcp),
      UDP: this.udp.intersect(other.udp),
      SCTP: this.sctp.intersect(other.sctp),
      ICMP: this.icmp.intersect(other.icmp),
      ICMPv6: this.icmpv6.intersect(other.icmpv6),
    });
  }

  subtract(other: ConnectionSet): ConnectionSet {
    if (this.isEmpty || other.isEmpty) return this;
    return ConnectionSet.of({
      TCP: this.tcp.subtract(other.tcp),
      UDP: this.udp.subtract(other.udp),
      SCTP: this.sctp.subtract(other.sctp),
      ICMP: this.icmp.subtract(other.icmp),
      ICMPv6: this.icmpv6.subtract(other.icmpv6),
    });
  }

  /** Whether every connection of this set is in `other` (`subtract(other).isEmpty`, without building it). */
  isSubsetOf(other: ConnectionSet): boolean {
    if (this === other || other.isAll || this.isEmpty) return true;
    return this.tcp.isSubsetOf(other.tcp) && this.udp.isSubsetOf(other.udp) && this.sctp.isSubsetOf(other.sctp) && this.icmp.isSubsetOf(other.icmp) && this.icmpv6.isSubsetOf(other.icmpv6);
  }

  /** Everything this set does not contain. */
  complement(): ConnectionSet {
    return ConnectionSet.ALL.subtract(this);
  }

  equals(other: ConnectionSet): boolean {
    return this === other || this.key === other.key;
  }

  /** Canonical text, e.g. `TCP:80,443|UDP:|SCTP:` (with `|ICMP:…|ICMPv6:…` when either is not empty). */
  get key(): string {
    if (this.cachedKey === undefined) {
      const icmp = this.icmp.isEmpty && this.icmpv6.isEmpty ? '' : `|ICMP:${this.icmp.key}|ICMPv6:${this.icmpv6.key}`;
      this.cachedKey = `TCP:${this.tcp.key}|UDP:${this.udp.key}|SCTP:${this.sctp.key}${icmp}`;
    }
    return this.cachedKey;
  }

  private cachedKey?: string;

  toString(): string {
    return this.key;
  }
}
