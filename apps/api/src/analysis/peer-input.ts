// PeerInput → a question's peer: exactly one of a workload, a pod, an IP or a `ref` string, else BAD_USER_INPUT.
import { parsePeerRef } from '@netpol-atlas/engine';
import { badUserInput } from '../graphql/errors.js';
import type { PeerInput } from './analysis.models.js';
import type { QuestionPeer } from './bare-peer.js';

const present = (value: string | null | undefined): value is string => value !== undefined && value !== null;

/** The peer of a question; a `ref` without its namespace is looked up in the model thread (bare-peer.ts). */
export function peerSpec(input: PeerInput, argument: string): QuestionPeer {
  const fields = (['namespace', 'name', 'kind', 'pod', 'ip', 'ref'] as const).filter((field) => present(input[field]));
  const fail = (why: string) =>
    badUserInput(`${argument}: ${why}; give a workload (namespace + name [+ kind]), a pod (namespace + pod), an ip or a ref (ns/name[Kind])`, {
      argument,
      fields,
    });
  for (const field of fields) if (input[field]!.trim() === '') throw fail(`${field} is empty`);
  const has = (field: (typeof fields)[number]) => fields.includes(field);
  if (has('ref')) {
    if (fields.length > 1) throw fail('a ref cannot be combined with other fields');
    // The one parser the CLI uses for --src/--dst.
    const ref = parsePeerRef(input.ref!);
    if ('peer' in ref) return ref.peer;
    if ('bareName' in ref) return { bareName: ref.bareName, argument };
    throw fail(ref.invalid);
  }
  if (has('ip')) {
    if (fields.length > 1) throw fail('an ip cannot be combined with other fields');
    return { ip: input.ip!.trim() };
  }
  if (has('pod')) {
    if (has('name') || has('kind')) throw fail('pod cannot be combined with name or kind');
    if (!has('namespace')) throw fail('a pod needs its namespace');
    return { namespace: input.namespace!, pod: input.pod! };
  }
  if (has('name')) {
    if (!has('namespace')) throw fail('a workload needs its namespace');
    return has('kind') ? { namespace: input.namespace!, name: input.name!, kind: input.kind! } : { namespace: input.namespace!, name: input.name! };
  }
  throw fail(fields.length === 0 ? 'no field given' : `${fields.join(' + ')} does not name a peer`);
}
