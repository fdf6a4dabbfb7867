// `port` arguments take a number (`8080`, or `"8080"`) or a named container port of the destination (`"metrics"`),
// the same values `netpol eval --port` takes. The engine checks the range (1-65535) and resolves names.
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

function portValue(value: unknown): number | string {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') return /^\d+$/.test(value.trim()) ? Number(value.trim()) : value.trim();
  throw new GraphQLError(`Port must be an integer or a container port name, got ${JSON.stringify(value)}`);
}

export const PortScalar = new GraphQLScalarType({
  name: 'Port',
  description: 'A port: an integer (8080, or the string "8080") or the name of a container port of the destination ("metrics").',
  serialize: (value) => value,
  parseValue: portValue,
  parseLiteral(ast: ValueNode) {
    if (ast.kind === Kind.INT) return Number(ast.value);
    if (ast.kind === Kind.STRING) return portValue(ast.value);
    throw new GraphQLError(`Port must be an integer or a string, got a ${ast.kind} literal`, { nodes: ast });
  },
});
