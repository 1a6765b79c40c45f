// The app (website) the user is working on, shared by every area: remembered in localStorage, and the
// first app when none was chosen or the chosen one is gone.
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { appListQuery } from './queries.ts';

export interface CurrentApp {
  id: number;
  name: string;
}

const STORAGE_KEY = 'pushdeck.currentAppId';
const listeners = new Set<() => void>();

function readStoredId(): number | null {
  const id = Number(window.localStorage.getItem(STORAGE_KEY));
  return Number.isInteger(id) && id > 0 ? id : null;
}

function subscribeStoredId(onChange: () => void): () => void {
  listeners.add(onChange);
  window.addEventListener('storage', onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener('storage', onChange);
  };
}

export function useCurrentApp(): { app: CurrentApp | null; setAppId: (id: number) => void } {
  const storedId = useSyncExternalStore(subscribeStoredId, readStoredId);
  const apps = useQuery(appListQuery());
  const chosen = apps.data?.find((app) => app.id === storedId) ?? apps.data?.[0];
  const id = chosen?.id;
  const name = chosen?.name;
  const app = useMemo(() => (id !== undefined && name !== undefined ? { id, name } : null), [id, name]);
  const setAppId = useCallback((next: number) => {
    window.localStorage.setItem(STORAGE_KEY, String(next));
    for (const listener of listeners) listener();
  }, []);
  return { app, setAppId };
}
