import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyResponse } from '../../../../src/main/core/push/classify.ts';
import { retryDelay } from '../../../../src/main/core/push/retry-policy.ts';

interface CorpusEntry {
  name: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  evidence: 'quoted' | 'documented' | 'source-code';
  source: string;
  note: string;
  expect: { outcome: string; senderFault?: string; retryAfterMs?: number };
}

interface CorpusFile {
  service: string;
  origin: string;
  answers: CorpusEntry[];
  notFound: Array<{ answer: string; searched: string }>;
}

const folder = path.join(import.meta.dirname, '../../../fixtures/push-answers');
const files = readdirSync(folder)
  .filter((name) => name.endsWith('.json'))
  .map((name) => ({ name, corpus: JSON.parse(readFileSync(path.join(folder, name), 'utf8')) as CorpusFile }));
const entries = files.flatMap(({ name, corpus }) =>
  corpus.answers.map((entry) => ({ file: name, ...entry })),
);
const policy = { maxAttempts: 5, retryBaseMs: 1000, retryAfterCapMs: 3_600_000 };

describe('the corpus of real push-service answers', () => {
  it('has one file per push service, each entry with a public source and what it shows', () => {
    expect(files.map((f) => f.name).sort()).toEqual(['apple.json', 'autopush.json', 'fcm.json', 'wns.json']);
    for (const entry of entries) {
      expect(entry.source, entry.name).toMatch(/^https:\/\/(github\.com|mozilla-services\.github\.io)\//);
      expect(['quoted', 'documented', 'source-code'], entry.name).toContain(entry.evidence);
      expect(entry.note.length, entry.name).toBeGreaterThan(20);
    }
    // What could not be found is said, not made up.
    for (const { corpus } of files) for (const gap of corpus.notFound) expect(gap.searched).not.toBe('');
  });

  it.each(entries.map((e) => [`${e.file}: ${e.name}`, e] as const))('%s', (_title, entry) => {
    const verdict = classifyResponse(
      { status: entry.status, headers: entry.headers, body: entry.body, latencyMs: 40 },
      Date.parse('2026-01-01T00:00:00Z'),
    );
    expect(verdict.outcome).toBe(entry.expect.outcome);
    expect(verdict.senderFault).toBe(entry.expect.senderFault ?? null);
    if (entry.expect.retryAfterMs !== undefined) expect(verdict.retryAfterMs).toBe(entry.expect.retryAfterMs);
    // Final answers are never retried: a delivered one would become a duplicate.
    const retried = retryDelay(verdict, 1, policy, () => 0.5) !== null;
    expect(retried).toBe(verdict.outcome === 'transient' || verdict.outcome === 'throttled');
    // eslint-disable-next-line no-control-regex -- the point: no control character may remain
    expect(verdict.reason).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('expires the subscription on the key-mismatch answer of FCM (both wordings), Mozilla and Apple', () => {
    const mismatches = entries.filter((e) => /another VAPID key|public key mismatch/i.test(e.name));
    expect(mismatches.map((e) => e.file).sort()).toEqual([
      'apple.json',
      'autopush.json',
      'fcm.json',
      'fcm.json',
    ]);
    for (const entry of mismatches) {
      const verdict = classifyResponse({ ...entry, latencyMs: 1 });
      expect(verdict, entry.name).toMatchObject({ outcome: 'expired', senderFault: null });
      expect(verdict.reason).toMatch(/^key mismatch: /);
    }
  });
});
