// The window's one change listener: the roots main names, plus the composer's counts and previews whenever
// something they read (anything outside templates and segments) changed.
import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { applyChange, keyRoot, staleRoots } from '../../../src/renderer/src/api/use-change-events.ts';

describe('change events in the window', () => {
  it('make the composer stale when subscriptions, apps or campaigns change, not for its own templates', () => {
    expect(staleRoots(['templates'])).toEqual(['templates']);
    expect(staleRoots(['segments', 'compose'])).toEqual(['segments', 'compose']);
    expect(staleRoots(['subscriptions'])).toEqual(['subscriptions', 'compose']);
    expect(staleRoots(['apps', 'compose'])).toEqual(['apps', 'compose']);
  });

  it('invalidate the queries under the named roots and leave the others fresh', async () => {
    const client = new QueryClient();
    for (const root of ['campaigns', 'templates', 'compose', 'audit'] as const) {
      client.setQueryData([...keyRoot(root), 'x'], 1);
    }
    await applyChange(client, ['campaigns']);
    const stale = (root: string) => client.getQueryState([root, 'x'])?.isInvalidated;
    expect([stale('campaigns'), stale('compose'), stale('templates'), stale('audit')]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});
