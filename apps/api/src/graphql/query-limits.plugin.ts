// One Apollo plugin bounding what a single operation may ask for, checked after validation and before execution:
// - depth: nesting of fields (fragments add none; introspection fields are not counted);
// - cost: every field costs 1, and a field taking a page size (`first`) or a count (`last`) multiplies the cost of
//   its selections by that value (its default when omitted), so a list of lists is priced as what it may return.
// Too deep or too costly: a 400 with extensions.code QUERY_TOO_DEEP / QUERY_TOO_COMPLEX, nothing executed.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  getArgumentValues,
  getNamedType,
  isCompositeType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

export interface QueryLimits {
  readonly maxDepth: number;
  readonly maxCost: number;
}

// The dashboard's largest query (50 clusters × 20 snapshots) costs ~11.5k; 100 × 100 would be ~130k.
export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 12, maxCost: 50_000 };

/** Arguments that say how many items a field returns. */
const MULTIPLIERS = ['first', 'last'];

export interface QueryMeasure {
  readonly depth: number;
  readonly cost: number;
}

/** Depth and cost of one operation (after validation: fragments exist and do not cycle). */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Readonly<Record<string, unknown>> = {},
): QueryMeasure {
  const root = schema.getRootType(operation.operation);
  if (!root) return { depth: 0, cost: 0 };

  const measure = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, depth: number): QueryMeasure => {
    let maxDepth = depth;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        const field = 'getFields' in parent ? parent.getFields()[selection.name.value] : undefined;
        let inner: QueryMeasure = { depth: depth + 1, cost: 0 };
        const type = field ? getNamedType(field.type) : undefined;
        if (selection.selectionSet && type && isCompositeType(type)) inner = measure(selection.selectionSet, type, depth + 1);
        cost += 1 + multiplier(field, selection, variables) * inner.cost;
        maxDepth = Math.max(maxDepth, inner.depth);
      } else {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments[selection.name.value] : selection;
        if (!fragment) continue;
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
        const inner = measure(fragment.selectionSet, condition && isCompositeType(condition) ? condition : parent, depth);
        cost += inner.cost;
        maxDepth = Math.max(maxDepth, inner.depth);
      }
    }
    return { depth: maxDepth, cost };
  };
  return measure(operation.selectionSet, root, 0);
}

function multiplier(field: Parameters<typeof getArgumentValues>[0] | undefined, node: Parameters<typeof getArgumentValues>[1], variables: Readonly<Record<string, unknown>>): number {
  if (!field || !field.args.some((arg) => MULTIPLIERS.includes(arg.name))) return 1;
  let values: Record<string, unknown>;
  try {
    values = getArgumentValues(field, node, variables as Record<string, unknown>);
  } catch {
    // Invalid arguments fail at execution anyway; price the field as a single item meanwhile.
    return 1;
  }
  const counts = MULTIPLIERS.map((name) => values[name]).filter((value): value is number => typeof value === 'number');
  return Math.max(1, ...counts);
}

function limitError(code: 'QUERY_TOO_DEEP' | 'QUERY_TOO_COMPLEX', message: string, extensions: Record<string, number>): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions, http: { status: 400 } } });
}

export function queryLimitsPlugin(limits: QueryLimits = DEFAULT_QUERY_LIMITS): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          const { depth, cost } = measureOperation(schema, operation, fragments, request.variables ?? {});
          if (depth > limits.maxDepth) {
            throw limitError('QUERY_TOO_DEEP', `the query is ${depth} fields deep; the limit is ${limits.maxDepth}`, { depth, maxDepth: limits.maxDepth });
          }
          if (cost > limits.maxCost) {
            throw limitError('QUERY_TOO_COMPLEX', `the query may cost ${cost}; the limit is ${limits.maxCost} (each field 1, times the page size of the lists around it)`, {
              cost,
              maxCost: limits.maxCost,
            });
          }
        },
      };
    },
  };
}
