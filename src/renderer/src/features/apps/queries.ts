// Queries of the apps feature: the list of apps with their current public key (never a private key).
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../api/client.ts';
import { keyRoot } from '../../api/use-change-events.ts';

export const appKeys = {
  all: keyRoot('apps'),
  lists: () => [...appKeys.all, 'list'] as const,
};

export const appListQuery = () =>
  queryOptions({ queryKey: appKeys.lists(), queryFn: () => call('apps.list', {}) });
