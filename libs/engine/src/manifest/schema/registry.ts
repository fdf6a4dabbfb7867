// Field schemas by API group + kind. The core kinds are registered here; a dialect (a folder of its own) registers
// the schemas of its policy kinds with registerKindSchema. A kind without a schema is not checked for unknown fields.
import { apiGroup } from '../kinds.js';
import { CORE_KIND_SCHEMAS } from './core-kinds.js';
import type { FieldSchema } from './field-schema.js';

const schemas = new Map<string, FieldSchema>();

const keyOf = (group: string, kind: string): string => `${group}/${kind}`;

/** apiVersion → kind → schema (null: none): asked once per object (50k pods), so the strings as read are looked up
 *  instead of a group/kind key built each time. Bounded, as the server reads arbitrary inputs. */
const byVersionKind = new Map<string, Map<string, FieldSchema | null>>();
const MAX_CACHED = 256;

export function registerKindSchema(group: string, kind: string, schema: FieldSchema): void {
  schemas.set(keyOf(group, kind), schema);
  byVersionKind.clear();
}

export function kindSchema(apiVersion: string, kind: string): FieldSchema | undefined {
  const byKind = byVersionKind.get(apiVersion);
  const cached = byKind?.get(kind);
  if (cached !== undefined) return cached ?? undefined;
  const found = schemas.get(keyOf(apiGroup(apiVersion), kind)) ?? null;
  if (byKind) {
    if (byKind.size < MAX_CACHED) byKind.set(kind, found);
  } else if (byVersionKind.size < MAX_CACHED) byVersionKind.set(apiVersion, new Map([[kind, found]]));
  return found ?? undefined;
}

for (const entry of CORE_KIND_SCHEMAS) for (const kind of entry.kinds) registerKindSchema(entry.group, kind, entry.schema);
