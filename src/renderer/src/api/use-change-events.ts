// The window's one reaction to main's data.changed: the key roots a channel declared it changes (or a
// background run reported) are invalidated, whoever made the change.
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { ChangeScope } from '../../../shared/channel.ts';
import { subscribe } from './client.ts';

/** The root of a feature's query-key factory: one of the scopes main names, so a change always matches one. */
export const keyRoot = <S extends ChangeScope>(scope: S) => [scope] as const;

/** The composer's counts and previews read subscriptions, apps and campaigns: any change outside its own
 * roots makes them stale too. */
const composeOwn: readonly ChangeScope[] = ['compose', 'templates', 'segments'];
export function staleRoots(scopes: readonly ChangeScope[]): ChangeScope[] {
  const roots = new Set(scopes);
  if (scopes.some((scope) => !composeOwn.includes(scope))) roots.add('compose');
  return [...roots];
}

/**
 * Refetches what a change makes stale. TanStack Query restarts a refetch already under way only for a query
 * that has data; a first load under way is joined instead, and its answer, read before the change, would
 * stand as fresh (staleTime is Infinity). So a first load in the changed scope is cancelled, then started
 * again: a window that opens while an import ends or a campaign is created still shows it.
 */
export async function applyChange(queryClient: QueryClient, scopes: readonly ChangeScope[]): Promise<void> {
  await Promise.all(
    staleRoots(scopes).map(async (scope) => {
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
