// The composer's state for one app and its automatic saving: changes are written to the app's draft a
// moment after the user stops typing, and the draft is loaded again when the composer opens.
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useRef, useState } from 'react';
import { defaultComposeOptions, type ComposeDraft } from '../../../../shared/compose.ts';
import { call } from '../../api/client.ts';

export const emptyDraft: ComposeDraft = {
  message: { format: 'notification', notification: { title: '' } },
  audience: {},
  options: defaultComposeOptions,
};

/**
 * The draft as it can cross IPC: a button still being filled in (no title or action id yet) is left out of
 * the preview and the saved draft until it is complete, as the shared schema requires.
 */
export function completeParts(draft: ComposeDraft): ComposeDraft {
  const n = draft.message.notification;
  if (!n?.actions?.some((a) => !a.title.trim() || !a.action.trim())) return draft;
  const actions = n.actions.filter((a) => a.title.trim() && a.action.trim());
  return { ...draft, message: { ...draft.message, notification: { ...n, actions } } };
}

export type DraftStatus =
  { state: 'idle' } | { state: 'saved'; at: number } | { state: 'error'; message: string };

export function useAutosavedDraft(appId: number, initial: ComposeDraft) {
  const [draft, setDraft] = useState(initial);
  const [status, setStatus] = useState<DraftStatus>({ state: 'idle' });
  const [settled] = useDebouncedValue(draft, 500);
  const lastSaved = useRef(initial);

  useEffect(() => {
    if (settled === lastSaved.current) return;
    let cancelled = false;
    void call('compose.draft.save', { appId, draft: completeParts(settled) })
      .then(({ savedAt }) => {
        lastSaved.current = settled;
        if (!cancelled) setStatus({ state: 'saved', at: savedAt });
      })
      .catch((error: Error) => {
        if (!cancelled) setStatus({ state: 'error', message: error.message });
      });
    return () => {
      cancelled = true;
    };
  }, [appId, settled]);

  return { draft, setDraft, status, settled };
}
