import { describe, expect, it } from 'vitest';
import { connectionFromSortedList } from './connection.js';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('connections', () => {
  const items = ['a', 'b', 'c', 'd', 'e'];
  const page = (first: number, after?: string | null) => connectionFromSortedList(items, { first, after }, 'letter', (x) => x);

  it('pages a sorted list forward with opaque cursors', () => {
    const one = page(2);
    expect(one.edges.map((e) => e.node)).toEqual(['a', 'b']);
    expect(one.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor('letter', 'b') });
    expect(one.totalCount).toBe(5);
    const last = page(3, one.pageInfo.endCursor);
    expect(last.edges.map((e) => e.node)).toEqual(['c', 'd', 'e']);
    expect(last.pageInfo.hasNextPage).toBe(false);
    expect(page(3, encodeCursor('letter', 'e')).edges).toEqual([]);
    expect(page(2, encodeCursor('letter', 'bb')).edges.map((e) => e.node)).toEqual(['c', 'd']);
  });

  it('refuses a cursor of another list or a forged one with BAD_USER_INPUT', () => {
    for (const cursor of [encodeCursor('other', 'b'), 'not-base64!', '']) {
      expect(() => decodeCursor('letter', cursor)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }));
    }
  });
});
