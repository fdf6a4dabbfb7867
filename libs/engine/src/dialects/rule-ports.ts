// The neutral model's port lists compiled to the algebra, shared by every dialect.
import { ConnectionSet } from '../algebra/connection-set.js';
import { PortSet } from '../algebra/port-set.js';
import { RulePorts, type NamedPortRef } from '../algebra/rule-ports.js';
import type { PortModel } from '../model/types.js';

/** The ports a rule allows: no `ports` = everything; an entry without `port` = every port of its protocol. */
export function rulePorts(ports: readonly PortModel[] | null): RulePorts {
  if (ports === null) return RulePorts.ALL;
  let numeric = ConnectionSet.NONE;
  const named: NamedPortRef[] = [];
  for (const p of ports) {
    if (p.port === undefined) numeric = numeric.union(ConnectionSet.single(p.protocol, PortSet.ALL));
    else if (typeof p.port === 'string') named.push({ protocol: p.protocol, name: p.port });
    else numeric = numeric.union(ConnectionSet.single(p.protocol, PortSet.range(p.port, p.endPort ?? p.port)));
  }
  return RulePorts.of(numeric, named);
}
