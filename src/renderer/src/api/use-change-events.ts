// Invalidates cached queries by key prefix when main reports that data changed.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { subscribe } from './client.ts';

export function useChangeEvents(): void {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      subscribe('data.changed', ({ scopes }) => {
        for (const scope of scopes) void queryClient.invalidateQueries({ queryKey: [scope] });
      }),
    [queryClient],
  );
}
