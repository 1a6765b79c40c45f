// Invalidates cached queries by key prefix when main reports that data changed.
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { subscribe } from './client.ts';

/**
 * Refetches what a change makes stale. TanStack Query restarts a refetch already under way only for a query
 * that has data; a first load under way is joined instead, and its answer, read before the change, would
 * stand as fresh (staleTime is Infinity). So a first load in the changed scope is cancelled, then started
 * again: a window that opens while an import ends or a campaign is created still shows it.
 */
export async function applyChange(queryClient: QueryClient, scopes: readonly string[]): Promise<void> {
  await Promise.all(
    scopes.map(async (scope) => {
      const queryKey = [scope];
      await queryClient.cancelQueries({
        queryKey,
        predicate: (query) => query.state.data === undefined && query.state.fetchStatus === 'fetching',
      });
      await queryClient.invalidateQueries({ queryKey });
    }),
  );
}

export function useChangeEvents(): void {
  const queryClient = useQueryClient();
  useEffect(
    () => subscribe('data.changed', ({ scopes }) => void applyChange(queryClient, scopes)),
    [queryClient],
  );
}
