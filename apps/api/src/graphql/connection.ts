// Relay-style connections (`edges { cursor node }`, `pageInfo { hasNextPage endCursor }`, `totalCount`).
import type { Type } from '@nestjs/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { decodeCursor, encodeCursor } from './cursor.js';

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge; pass it as `after` for the next page.' })
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionShape<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Builds `<Name>Connection` and `<Name>Edge` object types for a node type. */
export function Connection<T>(node: Type<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType implements Edge<T> {
    @Field()
    cursor: string;

    @Field(() => node)
    node: T;
  }

  @ObjectType({ isAbstract: true })
  abstract class ConnectionType implements ConnectionShape<T> {
    @Field(() => [EdgeType])
    edges: EdgeType[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    @Field(() => Int, { description: 'Number of items in the whole list (all pages).' })
    totalCount: number;
  }
  return ConnectionType;
}

/** A connection from one fetched page: `rows` holds up to first+1 items (the extra one says a next page exists). */
export function connectionFromRows<T>(
  rows: readonly T[],
  first: number,
  totalCount: number,
  cursorOf: (item: T) => string,
): ConnectionShape<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}

/** Pages an in-memory list already sorted by `keyOf` (unique keys), starting after the cursor's key. */
export function connectionFromSortedList<T>(
  items: readonly T[],
  args: { first: number; after?: string | null },
  kind: string,
  keyOf: (item: T) => string,
): ConnectionShape<T> {
  let start = 0;
  if (args.after) {
    const afterKey = decodeCursor(kind, args.after);
    // Binary search for the first key > afterKey (keys compare as the list is sorted).
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareKeys(keyOf(items[mid]), afterKey) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  return connectionFromRows(items.slice(start, start + args.first + 1), args.first, items.length, (item) =>
    encodeCursor(kind, keyOf(item)),
  );
}

/** Code-unit order, the order every sorted list here uses (locale-independent, deterministic). */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
