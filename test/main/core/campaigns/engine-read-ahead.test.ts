// The send loop keeps a round trip of starts encrypted ahead: the answers to requests that left together
// come back together, and the starts they make room for must not wait for the encryption threads.
import { describe, expect, it } from 'vitest';
import { sendOptionsSchema } from '../../../../src/shared/campaigns.ts';
import { signingKey } from '../../../../src/main/core/apps/apps.ts';
import { startEngine } from '../../../../src/main/core/campaigns/engine.ts';
import { createJournal } from '../../../../src/main/core/campaigns/journal.ts';
import type { PushServiceResponse } from '../../../../src/main/core/push/classify.ts';
import type { Encryptor } from '../../../../src/main/core/push/encryptor.ts';
import type { Transport } from '../../../../src/main/core/push/transport.ts';
import { insertSubscriptions } from '../../../support/push-service/subscribers.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { draft } from './fixtures.ts';

const RECIPIENTS = 6000;
const ROUND_TRIP_MS = 80;

describe('the send loop', () => {
  const ctx = testContext();

  it('has a whole round trip of starts encrypted before the answers that make room for them', async () => {
    const app = createTestApp(ctx);
    const keys = { p256dh: 'BAAA', auth: 'AAAA' };
    insertSubscriptions(
      ctx.db,
      app.id,
      Array.from({ length: RECIPIENTS }, (_, i) => ({ endpoint: `https://push.example/s/${i}`, keys })),
    );
    const campaignId = draft(ctx, app, { options: { concurrency: 2048, perOriginConcurrency: 1024 } });
    ctx.db.prepare("UPDATE campaigns SET state = 'sending' WHERE id = ?").run(campaignId);
    createJournal(ctx.db, campaignId, app.id, {}, Date.now());

    let clock = 1_000_000;
    let encrypted = 0;
    let started = 0;
    const open: Array<(response: PushServiceResponse) => void> = [];
    const encryptor: Encryptor = {
      encrypt: (items) => {
        encrypted += items.length;
        return Promise.resolve(items.map(() => ({ body: new Uint8Array(100) })));
      },
      close: () => Promise.resolve(),
    };
    const transport: Transport = {
      send: () => {
        started += 1;
        return new Promise((resolve) => open.push(resolve));
      },
      close: () => Promise.resolve(),
    };
    const key = signingKey(ctx, app.keyId!);
    const engine = startEngine({
      db: ctx.db,
      campaignId,
      subject: 'mailto:ops@example.com',
      keys: [{ keyId: key.keyId, publicKey: key.publicKey, privateKey: Buffer.from(key.privateKey) }],
      currentKeyId: key.keyId,
      message: { format: 'raw', raw: 'hello' },
      options: sendOptionsSchema.parse({ concurrency: 2048, perOriginConcurrency: 1024 }),
      transport,
      encryptor,
      now: () => clock,
    });
    // Until the loop has done what it can with the answers (it has no more to start or encrypt).
    const settle = async () => {
      let last = '';
      for (let quiet = 0; quiet < 3;) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        const now = `${open.length}/${encrypted}`;
        quiet = now === last ? quiet + 1 : 0;
        last = now;
      }
    };
    // Round trips of the whole limit, all answered together after 80 ms, until the limit reaches its cap.
    const aheadAt: Array<{ inFlight: number; ahead: number }> = [];
    while (started < RECIPIENTS - 2048) {
      await settle();
      aheadAt.push({ inFlight: open.length, ahead: encrypted - started });
      clock += ROUND_TRIP_MS;
      for (const answer of open.splice(0))
        answer({ status: 201, headers: {}, body: '', latencyMs: ROUND_TRIP_MS });
    }
    const full = aheadAt.filter((a) => a.inFlight === 1024);
    expect(full.length).toBeGreaterThan(0);
    // With 1,024 in flight, more than a wave of 1,024 starts waits encrypted (it was ~1,000 at most before).
    for (const a of full) expect(a.ahead).toBeGreaterThanOrEqual(1536);
    engine.stop('cancel');
    for (const answer of open.splice(0)) answer({ status: 201, headers: {}, body: '', latencyMs: 1 });
    const result = await engine.done;
    expect(result.stopped).toBe('cancel');
  });
});
