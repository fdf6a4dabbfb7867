import { buildSchema, Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { measureOperation } from './query-limits.plugin.js';

const schema = buildSchema(`
  type Query { items(first: Int = 20): [Item!]! one: Item }
  type Item { name: String! children(first: Int = 10): [Item!]! recent(last: Int = 5): [Item!]! }
`);

function measure(text: string, variables: Record<string, unknown> = {}) {
  const document = parse(text);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return measureOperation(schema, operation, fragments, variables);
}

describe('measureOperation', () => {
  it('costs 1 per field, times the page size (`first`, `last`, or their defaults) of the lists around it', () => {
    expect(measure('{ one { name } }')).toEqual({ depth: 2, cost: 2 });
    expect(measure('{ items(first: 3) { name } }')).toEqual({ depth: 2, cost: 1 + 3 * 1 });
    expect(measure('{ items { name children { name } } }')).toEqual({ depth: 3, cost: 1 + 20 * (1 + 1 + 10 * 1) });
    expect(measure('query($n: Int) { items(first: $n) { recent { name } } }', { n: 7 })).toEqual({ depth: 3, cost: 1 + 7 * (1 + 5) });
    expect(measure('query($n: Int) { items(first: $n) { name } }')).toEqual({ depth: 2, cost: 1 + 20 });
  });

  it('counts fragments where they are spread, __typename and aliases as fields, introspection as one unit', () => {
    expect(measure('{ items(first: 2) { ...F } } fragment F on Item { name children(first: 2) { name } }')).toEqual({ depth: 3, cost: 1 + 2 * (1 + 1 + 2) });
    expect(measure('{ items(first: 2) { ... on Item { name } } }')).toEqual({ depth: 2, cost: 3 });
    expect(measure('{ __schema { types { name fields { name type { ofType { ofType { name } } } } } } one { __typename name } }')).toEqual({ depth: 2, cost: 1 + 3 });
    expect(measure('{ a: one { name } b: one { name } c: one { __typename } }')).toEqual({ depth: 2, cost: 6 });
  });
});
