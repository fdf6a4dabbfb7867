// One Apollo plugin bounding what a single operation may ask for, checked after validation and before execution:
// - depth: nesting of fields (fragments add none; introspection fields are not counted);
// - cost: every field costs 1 (aliases and `__typename` included: each selection is work), the fields that run an
//   analysis cost more (FIELD_COSTS), and a field taking a page size (`first`) or a count (`last`) multiplies the
//   cost of its selections by that value (its default when omitted), so a list of lists is priced as what it may
//   return. Each named fragment is measured ONCE and its result reused at every spread, so the check takes time
//   linear in the document, whatever fan-out its spreads describe.
// Too deep or too costly: a 400 with extensions.code QUERY_TOO_DEEP / QUERY_TOO_COMPLEX, nothing executed.
// The parser stops at MAX_TOKENS (graphql-js `maxTokens`), which bounds the validation rules' work too, and an
// answer larger than maxResponseBytes is replaced by a RESPONSE_TOO_LARGE error.
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
  readonly maxResponseBytes: number;
}

// The dashboard's largest query (50 clusters × 20 snapshots) costs ~11.5k; 100 × 100 would be ~130k.
export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 12, maxCost: 50_000, maxResponseBytes: 32 * 1024 * 1024 };

/** Tokens the parser reads at most (the dashboard's largest operation has a few hundred). */
export const MAX_TOKENS = 10_000;

/** Root fields that run an analysis or store an upload: priced like the work they start, not like one field. */
export const FIELD_COSTS: Readonly<Record<string, number>> = {
  'Query.reachability': 100,
  'Query.icmpReachability': 100,
  'Query.whoCanReach': 100,
  'Query.reachableFrom': 100,
  'Query.whoCanReachPeers': 100,
  'Query.reachableFromPeers': 100,
  'Query.connectivity': 100,
  'Query.namespaceMatrix': 100,
  'Query.exposure': 100,
  'Query.diff': 200,
  'Query.policyDiff': 100,
  'Query.whatIf': 500,
  'Snapshot.stagedWhatIf': 500,
  'Mutation.ingestSnapshot': 500,
  'Policy.ruleConnections': 100,
};

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

  // Depth is measured relative to the selection set, so a fragment's measure is the same wherever it is spread.
  const memo = new Map<string, QueryMeasure>();
  const measureFragment = (fragment: FragmentDefinitionNode, parent: GraphQLCompositeType): QueryMeasure => {
    const known = memo.get(fragment.name.value);
    if (known) return known;
    const condition = schema.getType(fragment.typeCondition.name.value);
    const result = measure(fragment.selectionSet, condition && isCompositeType(condition) ? condition : parent);
    memo.set(fragment.name.value, result);
    return result;
  };
  const measure = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType): QueryMeasure => {
    let maxDepth = 0;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__schema' || name === '__type') {
          // Introspection (off in production): one unit each, its own nesting not counted.
          cost += 1;
          continue;
        }
        const field = 'getFields' in parent ? parent.getFields()[name] : undefined;
        let inner: QueryMeasure = { depth: 1, cost: 0 };
        const type = field ? getNamedType(field.type) : undefined;
        if (selection.selectionSet && type && isCompositeType(type)) {
          const below = measure(selection.selectionSet, type);
          inner = { depth: below.depth + 1, cost: below.cost };
        }
        cost += (FIELD_COSTS[`${parent.name}.${name}`] ?? 1) + multiplier(field, selection, variables) * inner.cost;
        maxDepth = Math.max(maxDepth, inner.depth);
      } else {
        let inner: QueryMeasure;
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = fragments[selection.name.value];
          if (!fragment) continue;
          inner = measureFragment(fragment, parent);
        } else {
          const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
          inner = measure(selection.selectionSet, condition && isCompositeType(condition) ? condition : parent);
        }
        cost += inner.cost;
        maxDepth = Math.max(maxDepth, inner.depth);
      }
    }
    return { depth: maxDepth, cost };
  };
  return measure(operation.selectionSet, root);
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

export interface QueryLimitsHooks {
  /** Charges the operation's cost to the caller's rate-limit buckets; seconds to wait when over, else 0. */
  readonly charge?: (cost: number) => number;
}

export function queryLimitsPlugin(limits: QueryLimits = DEFAULT_QUERY_LIMITS, hooks: QueryLimitsHooks = {}): ApolloServerPlugin {
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
          // The request itself was counted once by the HTTP rate limiter; its cost counts in thousands on top.
          const wait = hooks.charge?.(Math.floor(cost / 1000)) ?? 0;
          if (wait > 0) {
            throw new GraphQLError(`rate limit exceeded (this query costs ${cost}); retry in ${wait} s`, {
              extensions: { code: 'RATE_LIMITED', retryAfterSeconds: wait, http: { status: 429, headers: new Map([['retry-after', String(wait)]]) } },
            });
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.errors?.some((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE')) response.http.status = 503;
          if (!result.data) return;
          // Bounded work: stringify once; an answer over the cap is dropped, not sent.
          const size = Buffer.byteLength(JSON.stringify(result.data));
          if (size <= limits.maxResponseBytes) return;
          response.http.status = 400;
          response.body = {
            kind: 'single',
            singleResult: {
              errors: [
                {
                  message: `the answer would be ${size} bytes; the limit is ${limits.maxResponseBytes} (ask for smaller pages)`,
                  extensions: { code: 'RESPONSE_TOO_LARGE', size, maxResponseBytes: limits.maxResponseBytes },
                },
              ],
            },
          };
        },
      };
    },
  };
}
