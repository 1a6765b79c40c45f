// Queries of the keys area. Everything lives under the apps key root, so every apps change refreshes it.
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../api/client.ts';
import { appKeys } from '../apps/queries.ts';

export const keyKeys = {
  protection: () => [...appKeys.all, 'protection'] as const,
  rotationPreview: (appId: number) => [...appKeys.all, 'rotation-preview', appId] as const,
};

export const keyProtectionQuery = () =>
  queryOptions({ queryKey: keyKeys.protection(), queryFn: () => call('keys.protection', {}) });

/** What a rotation would orphan: counted afresh each time it is asked, since subscribers come and go. */
export const rotationPreviewQuery = (appId: number) =>
  queryOptions({
    queryKey: keyKeys.rotationPreview(appId),
    queryFn: () => call('keys.rotationPreview', { appId }),
    staleTime: 0,
  });
