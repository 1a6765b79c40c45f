// Runs a campaign's dry run on main's dry-run thread: follows its progress events while it runs and stops it
// on request (the report then covers the recipients checked so far).
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { DryRunProgress } from '../../../../shared/campaigns.ts';
import type { AudienceFilter, MessageSpec } from '../../../../shared/compose.ts';
import { call, subscribe } from '../../api/client.ts';

export interface DryRunInput {
  appId: number;
  message: MessageSpec;
  audience: AudienceFilter;
  encrypt?: 'sample' | 'all';
}

export function useDryRun() {
  const [runId, setRunId] = useState<string | null>(null);
  const [progress, setProgress] = useState<DryRunProgress | null>(null);
  useEffect(() => {
    if (!runId) return undefined;
    return subscribe('campaigns.dryRun.progress', (event) => {
      if (event.runId === runId) setProgress(event);
    });
  }, [runId]);
  const mutation = useMutation({
    mutationFn: (input: DryRunInput) => {
      const id = `dry-run-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
      setRunId(id);
      setProgress(null);
      return call('campaigns.dryRun', { ...input, runId: id });
    },
    onSettled: () => setRunId(null),
  });
  return {
    ...mutation,
    progress: mutation.isPending ? progress : null,
    cancel: () => (runId ? call('campaigns.dryRun.cancel', { runId }) : undefined),
  };
}
