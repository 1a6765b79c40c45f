// Queries of the campaigns area: history, one campaign's detail and its delivery journal.
import { infiniteQueryOptions, keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { CampaignState, DeliveryState } from '../../../../shared/campaigns.ts';
import type { AudienceFilter } from '../../../../shared/compose.ts';
import type { DeliveryTiming } from '../../../../shared/delivery-time.ts';
import { call } from '../../api/client.ts';
import { keyRoot } from '../../api/use-change-events.ts';

export interface CampaignListFilter {
  appId?: number;
  state?: CampaignState;
  search?: string;
}

export const campaignKeys = {
  all: keyRoot('campaigns'),
  lists: () => [...campaignKeys.all, 'list'] as const,
  list: (filter: CampaignListFilter) => [...campaignKeys.lists(), filter] as const,
  details: () => [...campaignKeys.all, 'detail'] as const,
  detail: (id: number) => [...campaignKeys.details(), id] as const,
  deliveries: (id: number, states: readonly DeliveryState[]) =>
    [...campaignKeys.detail(id), 'deliveries', states] as const,
  zonePlan: (appId: number, audience: AudienceFilter, timing: DeliveryTiming) =>
    [...campaignKeys.all, 'zone-plan', appId, audience, timing] as const,
};

export const campaignListQuery = (filter: CampaignListFilter) =>
  queryOptions({ queryKey: campaignKeys.list(filter), queryFn: () => call('campaigns.list', filter) });

export const campaignDetailQuery = (id: number) =>
  queryOptions({ queryKey: campaignKeys.detail(id), queryFn: () => call('campaigns.get', { id }) });

export const DELIVERY_PAGE_SIZE = 100;

export const deliveriesQuery = (id: number, states: readonly DeliveryState[]) =>
  infiniteQueryOptions({
    queryKey: campaignKeys.deliveries(id, states),
    queryFn: ({ pageParam }) =>
      call('campaigns.deliveries', {
        id,
        states: states.length ? [...states] : undefined,
        after: pageParam ?? undefined,
        limit: DELIVERY_PAGE_SIZE,
      }),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => page.nextAfter,
  });

/** The release of each zone a local-time schedule would make now; read fresh, as the clock moves on. */
export const zonePlanQuery = (appId: number, audience: AudienceFilter, timing: DeliveryTiming) =>
  queryOptions({
    queryKey: campaignKeys.zonePlan(appId, audience, timing),
    queryFn: () => call('campaigns.zonePlan', { appId, audience, timing }),
    placeholderData: keepPreviousData,
    staleTime: 0,
    retry: false,
  });
