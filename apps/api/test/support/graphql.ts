import type { Server } from 'node:http';
import request from 'supertest';

/** GraphQL answers in tests: loosely typed, asserted field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
}

/** A server and the token to send (a TestApp is one: its admin token). */
export interface GraphQLTarget {
  readonly server: Server;
  readonly adminToken?: string;
}

export async function gql<T = Record<string, Json>>(target: GraphQLTarget, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
  let req = request(target.server).post('/graphql').set('Content-Type', 'application/json');
  if (target.adminToken) req = req.set('Authorization', `Bearer ${target.adminToken}`);
  const res = await req.send({ query, variables });
  if (res.status !== 200 && !res.body?.errors) throw new Error(`POST /graphql → ${res.status}: ${res.text}`);
  return res.body as GraphQLResponse<T>;
}

export const errorCodes = (response: GraphQLResponse<unknown>) => (response.errors ?? []).map((error) => error.extensions?.code);
