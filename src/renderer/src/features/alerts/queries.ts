// Queries of the one-off alert: subscribers matching a search, and the answer to the alert once sent.
import { queryOptions } from '@tanstack/react-query';
import type { DeliveryRecord } from '../../../../shared/campaigns.ts';
import { call } from '../../api/client.ts';
import { keyRoot } from '../../api/use-change-events.ts';

export const supportKeys = {
  all: keyRoot('support'),
  search: (appId: number, query: string) => [...supportKeys.all, 'search', appId, query] as const,
  answer: (campaignId: number) => ['campaigns', 'detail', campaignId, 'one-off-answer'] as const,
};

export const subscriberSearchQuery = (appId: number, query: string) =>
  queryOptions({
    queryKey: supportKeys.search(appId, query),
    queryFn: () => call('compose.search', { appId, query, limit: 20 }),
    enabled: query.length > 0,
    staleTime: 0,
  });

const finalStates = new Set<DeliveryRecord['state']>(['sent', 'failed', 'expired', 'uncertain']);

export const isFinal = (delivery: DeliveryRecord | undefined): boolean =>
  delivery !== undefined && finalStates.has(delivery.state);

/** The single delivery of a one-off alert, re-read until the push service has answered. */
export const oneOffAnswerQuery = (campaignId: number) =>
  queryOptions({
    queryKey: supportKeys.answer(campaignId),
    queryFn: async () => (await call('campaigns.deliveries', { id: campaignId, limit: 1 })).items[0],
    refetchInterval: (query) => (isFinal(query.state.data) ? false : 300),
  });
