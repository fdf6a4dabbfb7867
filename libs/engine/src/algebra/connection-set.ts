// Allowed connections: one port set per protocol. Immutable; `key` is canonical, so sets can be interned.
import { PortSet, type PortRange } from './port-set.js';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
/** The protocols Kubernetes NetworkPolicy knows, in the order np-guard's explain text lists them. */
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export function isProtocol(value: unknown): value is Protocol {
  return value === 'TCP' || value === 'UDP' || value === 'SCTP';
}

export class ConnectionSet {
  private constructor(
    readonly tcp: PortSet,
    readonly udp: PortSet,
    readonly sctp: PortSet,
  ) {}

  static readonly NONE = new ConnectionSet(PortSet.EMPTY, PortSet.EMPTY, PortSet.EMPTY);
  static readonly ALL = new ConnectionSet(PortSet.ALL, PortSet.ALL, PortSet.ALL);

  static of(parts: Partial<Record<Protocol, PortSet>>): ConnectionSet {
    const tcp = parts.TCP ?? PortSet.EMPTY;
    const udp = parts.UDP ?? PortSet.EMPTY;
    const sctp = parts.SCTP ?? PortSet.EMPTY;
    if (tcp.isEmpty && udp.isEmpty && sctp.isEmpty) return ConnectionSet.NONE;
    if (tcp.isAll && udp.isAll && sctp.isAll) return ConnectionSet.ALL;
    return new ConnectionSet(tcp, udp, sctp);
  }

  static single(protocol: Protocol, ports: PortSet): ConnectionSet {
    return ConnectionSet.of({ [protocol]: ports });
  }

  static ranges(protocol: Protocol, ranges: Iterable<PortRange>): ConnectionSet {
    return ConnectionSet.single(protocol, PortSet.of(ranges));
  }

  ports(protocol: Protocol): PortSet {
    return protocol === 'TCP' ? this.tcp : protocol === 'UDP' ? this.udp : this.sctp;
  }

  get isEmpty(): boolean {
    return this === ConnectionSet.NONE || (this.tcp.isEmpty && this.udp.isEmpty && this.sctp.isEmpty);
  }

  get isAll(): boolean {
    return this === ConnectionSet.ALL || (this.tcp.isAll && this.udp.isAll && this.sctp.isAll);
  }

  contains(protocol: Protocol, port: number): boolean {
    return this.ports(protocol).contains(port);
  }

  union(other: ConnectionSet): ConnectionSet {
    if (this.isEmpty || other.isAll) return other;
    if (other.isEmpty || this.isAll) return this;
    return ConnectionSet.of({
      TCP: this.tcp.union(other.tcp),
      UDP: this.udp.union(other.udp),
      SCTP: this.sctp.union(other.sctp),
    });
  }

  intersect(other: ConnectionSet): ConnectionSet {
    if (this.isEmpty || other.isAll) return this;
    if (other.isEmpty || this.isAll) return other;
    return ConnectionSet.of({
      TCP: this.tcp.intersect(other.tcp),
      UDP: this.udp.intersect(other.udp),
      SCTP: this.sctp.intersect(other.sctp),
    });
  }

  subtract(other: ConnectionSet): ConnectionSet {
    if (this.isEmpty || other.isEmpty) return this;
    return ConnectionSet.of({
      TCP: this.tcp.subtract(other.tcp),
      UDP: this.udp.subtract(other.udp),
      SCTP: this.sctp.subtract(other.sctp),
    });
  }

  equals(other: ConnectionSet): boolean {
    return this === other || this.key === other.key;
  }

  /** Canonical text, e.g. `TCP:80,443|UDP:|SCTP:`. */
  get key(): string {
    this.cachedKey ??= `TCP:${this.tcp.key}|UDP:${this.udp.key}|SCTP:${this.sctp.key}`;
    return this.cachedKey;
  }

  private cachedKey?: string;

  toString(): string {
    return this.key;
  }
}
