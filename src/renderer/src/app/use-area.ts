// The current area, kept in location.hash so that back/forward and reloads keep the place.
import { useCallback, useSyncExternalStore } from 'react';
import { areaFromHash, type AreaId } from './areas.ts';

/** Calls `onChange` whenever location.hash changes, until the returned function is called. */
export function subscribeHash(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useArea(): [AreaId, (area: AreaId) => void] {
  const area = useSyncExternalStore(subscribeHash, () => areaFromHash(window.location.hash));
  const go = useCallback((next: AreaId) => {
    window.location.hash = `#/${next}`;
  }, []);
  return [area, go];
}
