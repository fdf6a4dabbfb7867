// Which zone each workload and IP range belongs to (the first declared zone that matches), and the CDE
// convention without an intents file: namespaces labelled pci=cde (or a given selector).
import { ConnectionSet } from '../algebra/connection-set.js';
import { ipBlockSet, IpSet } from '../algebra/ip-set.js';
import { PortSet } from '../algebra/port-set.js';
import { Selector, type LabelSelectorSpec } from '../algebra/selector.js';
import type { Peer } from '../compliance/engine-api.js';
import type { Snapshot, Workload } from '../compliance/engine-api.js';
import { EXTERNAL_ZONE, UNZONED, type FlowEnd, type FlowPort, type SegmentationIntents, type ZoneSpec } from './types.js';

export const DEFAULT_CDE_SELECTOR = 'pci=cde';

export class ZoneMap {
  private readonly workloadZones = new Map<number, string>();
  private readonly ipZones: { name: string; v4: IpSet; v6: IpSet }[] = [];

  constructor(
    readonly snapshot: Snapshot,
    readonly intents: SegmentationIntents,
  ) {
    for (const zone of intents.zones) {
      if (zone.ipBlocks) {
        let v4 = IpSet.empty(4);
        let v6 = IpSet.empty(6);
        for (const cidr of zone.ipBlocks) {
          const set = ipBlockSet(cidr);
          if (set?.family === 4) v4 = v4.union(set);
          else if (set) v6 = v6.union(set);
        }
        this.ipZones.push({ name: zone.name, v4, v6 });
      }
    }
    for (const w of snapshot.workloads) {
      const zone = intents.zones.find((z) => !z.ipBlocks && zoneMatches(snapshot, z, w));
      if (zone) this.workloadZones.set(w.id, zone.name);
    }
  }

  zoneOf(peer: Peer): string {
    if (peer.type === 'ip') {
      const found = this.ipZones.find((z) => (peer.family === 4 ? z.v4 : z.v6).containsInterval(peer.family, peer.first, peer.last));
      return found?.name ?? EXTERNAL_ZONE;
    }
    return this.workloadZones.get(peer.workload.id) ?? UNZONED;
  }

  workloadsIn(zone: string): Workload[] {
    return this.snapshot.workloads.filter((w) => this.workloadZones.get(w.id) === zone);
  }

  /** Declared zones that hold workloads (IP zones excluded). */
  get workloadZoneNames(): string[] {
    return this.intents.zones.filter((z) => !z.ipBlocks).map((z) => z.name);
  }

  endMatches(end: FlowEnd, peer: Peer): boolean {
    if (end.zone !== this.zoneOf(peer)) return false;
    if (!end.workloads) return true;
    if (peer.type === 'ip') return false;
    const w = peer.workload;
    return end.workloads.includes(`${w.namespace}/${w.topLevel.name || w.name}`) || end.workloads.includes(`${w.namespace}/${w.name}`);
  }
}

function zoneMatches(snapshot: Snapshot, zone: ZoneSpec, w: Workload): boolean {
  const ns = snapshot.namespaces.get(w.namespace);
  if (zone.namespaces && !zone.namespaces.includes(w.namespace)) return false;
  if (zone.namespaceSelector && !(ns && Selector.compile(zone.namespaceSelector).matches(ns.labels))) return false;
  if (zone.podSelector && !Selector.compile(zone.podSelector).matches(w.labels)) return false;
  return true;
}

export function flowPorts(ports: readonly FlowPort[] | undefined): ConnectionSet {
  if (!ports) return ConnectionSet.ALL;
  let out = ConnectionSet.NONE;
  for (const p of ports) {
    const set = p.port === undefined ? PortSet.ALL : PortSet.range(p.port, p.endPort ?? p.port);
    out = out.union(ConnectionSet.single(p.protocol, set));
  }
  return out;
}

/** `pci=cde,env=prod` (namespace labels), `ns:pci=cde` or `pod:tier=payments`. */
export function parseCdeSelector(text: string): { namespaceSelector?: LabelSelectorSpec; podSelector?: LabelSelectorSpec } | undefined {
  const m = /^(?:(ns|pod):)?(.+)$/.exec(text.trim());
  if (!m) return undefined;
  const labels: Record<string, string> = {};
  for (const part of m[2].split(',')) {
    const kv = /^\s*([A-Za-z0-9./_-]+)\s*=\s*([A-Za-z0-9._-]*)\s*$/.exec(part);
    if (!kv) return undefined;
    labels[kv[1]] = kv[2];
  }
  return m[1] === 'pod' ? { podSelector: { matchLabels: labels } } : { namespaceSelector: { matchLabels: labels } };
}

/** Intents with one `cde` zone and no declared flows (reports then judge by exposure, not by intent). */
export function cdeIntents(selector: string = DEFAULT_CDE_SELECTOR): SegmentationIntents | undefined {
  const parsed = parseCdeSelector(selector);
  if (!parsed) return undefined;
  return {
    name: `cde ${selector}`,
    zones: [{ name: 'cde', description: `workloads matching ${selector}`, ...parsed }],
    allowedFlows: [],
    exceptions: [],
    intraZone: 'allow',
  };
}
