import type { Server } from 'node:http';
import request from 'supertest';

/** GraphQL answers in tests: loosely typed, asserted field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
}

export async function gql<T = Record<string, Json>>(server: Server, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
  const res = await request(server).post('/graphql').set('Content-Type', 'application/json').send({ query, variables });
  if (res.status !== 200 && !res.body?.errors) throw new Error(`POST /graphql → ${res.status}: ${res.text}`);
  return res.body as GraphQLResponse<T>;
}

export const errorCodes = (response: GraphQLResponse<unknown>) => (response.errors ?? []).map((error) => error.extensions?.code);
