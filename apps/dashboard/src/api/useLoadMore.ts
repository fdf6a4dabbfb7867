import { useCallback, useEffect, useRef, useState } from 'react';
import { GraphQLRequestError } from './client.js';
import type { PageInfo, PagedConnection } from './types.js';

export type FetchPage<TNode> = (after: string) => Promise<PagedConnection<TNode>>;

export interface LoadMore<TNode> {
  nodes: TNode[];
  totalCount: number;
  hasNextPage: boolean;
  loading: boolean;
  error: GraphQLRequestError | undefined;
  loadMore: () => void;
}

/** Cursor paging for "Show more": starts from a connection already loaded, appends the next pages. */
export function useLoadMore<TNode>(firstPage: PagedConnection<TNode>, fetchPage: FetchPage<TNode>): LoadMore<TNode> {
  const [more, setMore] = useState<{ nodes: TNode[]; pageInfo: PageInfo; totalCount: number }>({
    nodes: [],
    pageInfo: firstPage.pageInfo,
    totalCount: firstPage.totalCount,
  });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<GraphQLRequestError>();
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const { hasNextPage, endCursor } = more.pageInfo;
  const loadMore = useCallback(() => {
    if (!hasNextPage || !endCursor || loading) return;
    setLoading(true);
    setError(undefined);
    fetchPage(endCursor)
      .then((page) => {
        if (!mounted.current) return;
        setMore((previous) => ({
          nodes: [...previous.nodes, ...page.edges.map((edge) => edge.node)],
          pageInfo: page.pageInfo,
          totalCount: page.totalCount,
        }));
      })
      .catch((cause: unknown) => {
        if (!mounted.current) return;
        setError(cause instanceof GraphQLRequestError ? cause : new GraphQLRequestError(String(cause), 'UNEXPECTED'));
      })
      .finally(() => {
        if (mounted.current) setLoading(false);
      });
  }, [hasNextPage, endCursor, loading, fetchPage]);

  return {
    nodes: [...firstPage.edges.map((edge) => edge.node), ...more.nodes],
    totalCount: more.totalCount,
    hasNextPage,
    loading,
    error,
    loadMore,
  };
}
