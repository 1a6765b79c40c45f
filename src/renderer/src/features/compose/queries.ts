// Queries of the compose area: the draft, live audience counts and previews, tags, templates, segments,
// subscription search and setup help. Counts and previews read subscriptions that other areas change, so
// they refetch on mount instead of living forever in the cache.
import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { AudienceFilter, ComposeRequest } from '../../../../shared/compose.ts';
import { call } from '../../api/client.ts';
import { keyRoot } from '../../api/use-change-events.ts';

export const composeKeys = {
  all: keyRoot('compose'),
  draft: (appId: number) => [...composeKeys.all, 'draft', appId] as const,
  count: (appId: number, audience: AudienceFilter) => [...composeKeys.all, 'count', appId, audience] as const,
  preview: (request: ComposeRequest) => [...composeKeys.all, 'preview', request] as const,
  tags: (appId: number) => [...composeKeys.all, 'tags', appId] as const,
  search: (appId: number, query: string) => [...composeKeys.all, 'search', appId, query] as const,
  setup: (appId: number) => [...composeKeys.all, 'setup', appId] as const,
};

export const templateKeys = {
  all: keyRoot('templates'),
  list: (appId: number) => [...templateKeys.all, 'list', appId] as const,
  detail: (id: number) => [...templateKeys.all, 'detail', id] as const,
};

export const segmentKeys = {
  all: keyRoot('segments'),
  list: (appId: number) => [...segmentKeys.all, 'list', appId] as const,
};

export const draftQuery = (appId: number) =>
  queryOptions({
    queryKey: composeKeys.draft(appId),
    queryFn: () => call('compose.draft.get', { appId }),
    staleTime: 0,
    gcTime: 0,
  });

export const countQuery = (appId: number, audience: AudienceFilter) =>
  queryOptions({
    queryKey: composeKeys.count(appId, audience),
    queryFn: () => call('compose.count', { appId, audience }),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });

export const previewQuery = (request: ComposeRequest) =>
  queryOptions({
    queryKey: composeKeys.preview(request),
    queryFn: () => call('compose.preview', request),
    placeholderData: keepPreviousData,
    staleTime: 0,
  });

export const tagsQuery = (appId: number) =>
  queryOptions({
    queryKey: composeKeys.tags(appId),
    queryFn: () => call('compose.tags', { appId }),
    staleTime: 0,
  });

export const searchQuery = (appId: number, query: string) =>
  queryOptions({
    queryKey: composeKeys.search(appId, query),
    queryFn: () => call('compose.search', { appId, query, limit: 10 }),
    enabled: query.trim().length > 0,
    staleTime: 0,
  });

export const setupQuery = (appId: number) =>
  queryOptions({ queryKey: composeKeys.setup(appId), queryFn: () => call('apps.snippet', { appId }) });

export const templatesQuery = (appId: number) =>
  queryOptions({ queryKey: templateKeys.list(appId), queryFn: () => call('templates.list', { appId }) });

export const templateQuery = (id: number) =>
  queryOptions({ queryKey: templateKeys.detail(id), queryFn: () => call('templates.get', { id }) });

export const segmentsQuery = (appId: number) =>
  queryOptions({ queryKey: segmentKeys.list(appId), queryFn: () => call('segments.list', { appId }) });
