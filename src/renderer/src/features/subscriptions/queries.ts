// Queries of the subscriptions area: pages of the list (by keyset, fetched as the table scrolls), counts,
// the tags for the filters, one subscription's detail.
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { SubscriptionFilter, SubscriptionSort } from '../../../../shared/subscriptions.ts';
import { call } from '../../api/client.ts';
import { keyRoot } from '../../api/use-change-events.ts';

export const subscriptionKeys = {
  all: keyRoot('subscriptions'),
  app: (appId: number) => [...subscriptionKeys.all, appId] as const,
  lists: (appId: number) => [...subscriptionKeys.app(appId), 'list'] as const,
  list: (appId: number, filter: SubscriptionFilter, sort: SubscriptionSort) =>
    [...subscriptionKeys.lists(appId), filter, sort] as const,
  page: (appId: number, filter: SubscriptionFilter, sort: SubscriptionSort, page: number) =>
    [...subscriptionKeys.list(appId, filter, sort), page] as const,
  count: (appId: number, filter: SubscriptionFilter) =>
    [...subscriptionKeys.app(appId), 'count', filter] as const,
  facets: (appId: number) => [...subscriptionKeys.app(appId), 'facets'] as const,
  detail: (appId: number, id: number) => [...subscriptionKeys.app(appId), 'detail', id] as const,
};

export const subscriptionPageQuery = (
  appId: number,
  filter: SubscriptionFilter,
  sort: SubscriptionSort,
  page: number,
) =>
  queryOptions({
    queryKey: subscriptionKeys.page(appId, filter, sort, page),
    queryFn: () => call('subscriptions.page', { appId, filter, sort, page }),
  });

export const subscriptionCountQuery = (appId: number, filter: SubscriptionFilter, upTo?: number) =>
  queryOptions({
    queryKey: [...subscriptionKeys.count(appId, filter), upTo ?? null] as const,
    queryFn: () => call('subscriptions.count', { appId, filter, upTo }),
  });

/** A search's count is first asked up to this many ("10,000+" at once), then exactly. */
export const SEARCH_COUNT_UP_TO = 10_000;

/**
 * The list's count: a search's first up to SEARCH_COUNT_UP_TO (capped: more match), and the exact number
 * once that says there are more; any other filter's exact count at once.
 */
export function useSubscriptionCount(appId: number, filter: SubscriptionFilter) {
  const searching = Boolean(filter.search?.trim());
  const quick = useQuery({
    ...subscriptionCountQuery(appId, filter, SEARCH_COUNT_UP_TO),
    enabled: searching,
  });
  const exact = useQuery({
    ...subscriptionCountQuery(appId, filter),
    enabled: !searching || quick.data?.capped === true,
  });
  return { data: exact.data ?? (searching ? quick.data : undefined) };
}

export const subscriptionFacetsQuery = (appId: number) =>
  queryOptions({
    queryKey: subscriptionKeys.facets(appId),
    queryFn: () => call('subscriptions.facets', { appId }),
  });

export const subscriptionDetailQuery = (appId: number, id: number) =>
  queryOptions({
    queryKey: subscriptionKeys.detail(appId, id),
    queryFn: () => call('subscriptions.detail', { appId, id }),
  });
