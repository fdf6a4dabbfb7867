// Field schemas by API group + kind. The core kinds are registered here; a dialect (a folder of its own) registers
// the schemas of its policy kinds with registerKindSchema. A kind without a schema is not checked for unknown fields.
import { apiGroup } from '../kinds.js';
import { CORE_KIND_SCHEMAS } from './core-kinds.js';
import type { FieldSchema } from './field-schema.js';

const schemas = new Map<string, FieldSchema>();

const keyOf = (group: string, kind: string): string => `${group}/${kind}`;

export function registerKindSchema(group: string, kind: string, schema: FieldSchema): void {
  schemas.set(keyOf(group, kind), schema);
}

export function kindSchema(apiVersion: string, kind: string): FieldSchema | undefined {
  return schemas.get(keyOf(apiGroup(apiVersion), kind));
}

for (const entry of CORE_KIND_SCHEMAS) for (const kind of entry.kinds) registerKindSchema(entry.group, kind, entry.schema);
