// The private key never crosses IPC to the renderer: every channel of the real handler table is called
// (valid inputs for every apps/keys channel, best-effort inputs for the rest) and no response or event
// carries a private key, as base64url, base64 or hex.
import fs from 'node:fs';
import path from 'node:path';
import webpush from 'web-push';
import { describe, expect, it } from 'vitest';
import { channelNames, channels, type ChannelName } from '../../../../src/shared/contract.ts';
import { dispatch } from '../../../../src/main/core/dispatch/dispatcher.ts';
import { createHandlers } from '../../../../src/main/core/dispatch/handler-table.ts';
import { signingKey } from '../../../../src/main/core/apps/apps.ts';
import { desktopSealer } from '../../../../src/main/core/keys/desktop-sealer.ts';
import { testContext } from '../../../support/context.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { memoryKeychain } from '../keys/memory-keychain.ts';

describe('IPC and private keys', () => {
  it('answers every channel without a private key in any response or event', async () => {
    const dir = tempDir();
    const saved: string[] = [];
    const ctx = testContext({
      keySealer: desktopSealer(memoryKeychain()),
      chooseSaveFile: async ({ defaultName }) => {
        const file = path.join(dir, `${saved.length}-${defaultName}`);
        saved.push(file);
        return file;
      },
    });
    const handlers = createHandlers(ctx);
    const responses = new Map<string, unknown[]>();
    const ok = new Set<string>();
    const call = async (channel: ChannelName, input: unknown) => {
      const envelope = await dispatch(handlers, channel, input, { log: () => undefined });
      responses.set(channel, [...(responses.get(channel) ?? []), envelope]);
      if (envelope.ok) ok.add(channel);
      return envelope;
    };
    const result = async <T>(channel: ChannelName, input: unknown): Promise<T> => {
      const envelope = await call(channel, input);
      if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.code} ${envelope.error.message}`);
      return envelope.result as T;
    };

    const imported = webpush.generateVAPIDKeys();
    const fromEnv = webpush.generateVAPIDKeys();
    const created = await result<{ id: number }>('apps.create', {
      name: 'leak.example',
      subject: 'mailto:ops@leak.example',
    });
    await result('keys.import', {
      app: 'imported.example',
      ...imported,
      subject: 'https://imported.example',
    });
    await result('keys.import', {
      app: 'env.example',
      text: `VAPID_PUBLIC_KEY=${fromEnv.publicKey}\nVAPID_PRIVATE_KEY=${fromEnv.privateKey}\nVAPID_SUBJECT=mailto:a@env.example\n`,
    });
    await result('apps.list', {});
    const preview = await result<{ orphaned: number }>('keys.rotationPreview', { appId: created.id });
    await result('keys.rotate', { appId: created.id, confirmOrphaned: preview.orphaned });
    await result('apps.setSubject', { appId: created.id, subject: 'https://leak.example' });
    await result('apps.get', { app: 'leak.example' });
    await result('keys.exportPrivate', { appId: created.id, format: 'env', confirm: true });
    await result('keys.exportPrivate', { appId: created.id, format: 'json', confirm: true });
    await result('keys.protection', {});
    await result('keys.setProtection', { choice: 'passphrase', passphrase: 'a long passphrase' });
    await result('keys.unlock', { passphrase: 'a long passphrase' });
    await result('keys.changePassphrase', { current: 'a long passphrase', next: 'another long one' });
    await result('keys.setProtection', { choice: 'safe-storage' });
    // The command line's own export answers with the pair: the window is refused it at the door.
    const cliOnly = await call('keys.exportText', { app: created.id, part: 'private', format: 'env' });
    expect(cliOnly).toMatchObject({ ok: false, error: { code: 'IPC_FORBIDDEN' } });
    // Every other channel of the table, with the inputs most of them take.
    for (const channel of channelNames) {
      if (responses.has(channel) || channel === 'apps.delete') continue;
      await call(channel, {});
      await call(channel, { appId: created.id });
    }

    const keyIds = (ctx.db.prepare('SELECT id FROM app_keys').all() as { id: number }[]).map((row) => row.id);
    const secrets = [
      ...keyIds.map((id) => signingKey(ctx, id).privateKey),
      Buffer.from(imported.privateKey, 'base64url'),
      Buffer.from(fromEnv.privateKey, 'base64url'),
    ];
    expect(keyIds.length).toBe(4);
    await result('apps.delete', { appId: created.id, confirmName: 'leak.example' });

    // Every apps/keys channel the window may call was exercised with a valid request.
    const featureChannels = channelNames.filter(
      (name) => /^(apps|keys)\./.test(name) && channels[name].callers === 'any',
    );
    expect([...ok].filter((name) => /^(apps|keys)\./.test(name)).sort()).toEqual([...featureChannels].sort());
    expect([...responses.keys()].sort()).toEqual([...channelNames].sort());

    const said = JSON.stringify([...responses.entries()]) + JSON.stringify(ctx.recorded);
    for (const secret of secrets) {
      for (const encoding of ['base64url', 'base64', 'hex'] as const) {
        expect(said.includes(secret.toString(encoding)), `a ${encoding} private key crossed IPC`).toBe(false);
      }
    }
    // The explicit export did write the key — to the chosen file, never into the response.
    expect(saved).toHaveLength(2);
    expect(fs.readFileSync(saved[0]!, 'utf8')).toMatch(/^VAPID_PRIVATE_KEY=[A-Za-z0-9_-]{43}$/m);
    expect(fs.statSync(saved[0]!).mode & 0o777).toBe(0o600);
  });
});
