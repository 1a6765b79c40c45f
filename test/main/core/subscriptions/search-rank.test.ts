// The one-off search's order (search-rank.ts) on its own, and over a real SQLite file against the bm25 query
// it replaced: the same subscriptions found, the best match first.
import { describe, expect, it } from 'vitest';
import { searchSubscriptions } from '../../../../src/main/core/compose/audience.ts';
import { importSubscriptions } from '../../../../src/main/core/subscriptions/import/service.ts';
import { matchQuery } from '../../../../src/main/core/subscriptions/search-index.ts';
import { ranked, relevance } from '../../../../src/main/core/subscriptions/search-rank.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { realKey } from './subscription-fixtures.ts';

const candidate = (id: number, label: string | null, fields: Record<string, string> = {}) => ({
  id,
  label,
  fields: JSON.stringify(fields),
});

describe('one-off search order', () => {
  it('puts the label that is the text first, then one starting with it, a word starting with it, one containing it', () => {
    const order = ranked(
      [
        candidate(1, 'Mariana'),
        candidate(2, 'Ana Lima'),
        candidate(3, 'Ana'),
        candidate(4, 'Luis', { first_name: 'Ana' }),
        candidate(5, 'Joana'),
        candidate(6, 'Maria Ana'),
        candidate(7, 'ANABEL'),
      ],
      'ana',
    ).map((c) => c.label);
    expect(order).toEqual(['Ana', 'Ana Lima', 'ANABEL', 'Maria Ana', 'Joana', 'Mariana', 'Luis']);
  });

  it('folds case and diacritics as the index does, and ranks every word in the label above words spread over fields', () => {
    expect(relevance(candidate(1, 'José Müller'), 'jose muller')).toBe(
      relevance(candidate(2, 'jose muller'), 'JOSE MULLER'),
    );
    const words = ranked(
      [
        candidate(1, 'Anna', { city: 'Berlin' }),
        candidate(2, 'Berlin Anna'),
        candidate(3, null, { city: 'Anna Berlin' }),
      ],
      'anna berlin',
    ).map((c) => c.id);
    expect(words).toEqual([2, 3, 1]);
    expect(
      relevance(candidate(1, null, { note: 'broken' }), 'x'),
      'a field that is not JSON matches nothing',
    ).toBe(relevance({ id: 2, label: null, fields: 'not json' }, 'x'));
  });

  it('finds the same subscriptions as the bm25 query it replaced, the best match first', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const key = realKey();
    const lines = ['endpoint,p256dh,auth,label,city'];
    for (let i = 0; i < 300; i++) {
      const label = i % 3 === 0 ? `Customer ${i}` : i % 3 === 1 ? `Client ${i}` : '';
      lines.push(
        `https://push.example/t-${i},${key.p256dh},${key.auth},${label},${i % 7 === 0 ? 'Customerville' : 'Oslo'}`,
      );
    }
    await importSubscriptions(ctx, { appId: app.id, source: { text: lines.join('\n') } });
    const bm25 = (text: string) =>
      ctx.db
        .prepare(
          `SELECT s.label FROM subscriptions s JOIN (SELECT rowid, bm25(subscription_search, 10, 1) AS score
             FROM subscription_search WHERE subscription_search MATCH ?) f ON f.rowid = s.id ORDER BY f.score`,
        )
        .pluck()
        .all(matchQuery(text)) as Array<string | null>;
    for (const text of ['Customer 12', 'custom', 'oslo', 'client 29', 'ville']) {
      const found = searchSubscriptions(ctx, app.id, text, 1000).map((m) => m.label);
      expect(new Set(found), text).toEqual(new Set(bm25(text)));
      expect(found.length, text).toBeGreaterThan(0);
    }
    expect(searchSubscriptions(ctx, app.id, 'Customer 12', 3).map((m) => m.label)).toEqual([
      'Customer 12',
      'Customer 120',
      'Customer 123',
    ]);
    expect(
      searchSubscriptions(ctx, app.id, 'custom', 1).map((m) => m.label),
      'a label before a city',
    ).toEqual(['Customer 0']);
  });
});
