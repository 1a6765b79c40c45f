// Queries of the audit area: keyset pages of the log and the actions it holds.
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { call } from '../../api/client.ts';
import { keyRoot } from '../../api/use-change-events.ts';

export interface AuditFilter {
  action?: string;
  appId?: number;
}

export const auditKeys = {
  all: keyRoot('audit'),
  lists: () => [...auditKeys.all, 'list'] as const,
  list: (filter: AuditFilter) => [...auditKeys.lists(), filter] as const,
  actions: () => [...auditKeys.all, 'actions'] as const,
};

const PAGE_SIZE = 100;

export const auditListQuery = (filter: AuditFilter) =>
  infiniteQueryOptions({
    queryKey: auditKeys.list(filter),
    queryFn: ({ pageParam }) =>
      call('audit.list', { ...filter, limit: PAGE_SIZE, before: pageParam ?? undefined }),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => page.nextBefore,
    // Every feature appends to the log; read it afresh whenever the view opens.
    refetchOnMount: 'always',
  });

export const auditActionsQuery = () =>
  queryOptions({
    queryKey: auditKeys.actions(),
    queryFn: () => call('audit.actions', {}),
    refetchOnMount: 'always',
  });
