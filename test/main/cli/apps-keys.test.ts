// `pushdeck app …` and `pushdeck keys …` through the real CLI process, keys sealed with PUSHDECK_PASSPHRASE.
import fs from 'node:fs';
import path from 'node:path';
import webpush from 'web-push';
import { describe, expect, it } from 'vitest';
import { createApp, signingKey } from '../../../src/main/core/apps/apps.ts';
import { passphraseSealer } from '../../../src/main/core/keys/sealer.ts';
import {
  SERVICE_WORKER_SNIPPET,
  subscribeSnippet,
} from '../../../src/main/core/snippets/web-push-snippets.ts';
import { runPushdeck } from '../../support/cli.ts';
import { testContext } from '../../support/context.ts';
import { tempDir } from '../../support/temp-dir.ts';

const PASSPHRASE = 'cli test passphrase';

describe('pushdeck app and keys', () => {
  const dir = tempDir();
  const env = (db: string) => ({ PUSHDECK_DB: db, PUSHDECK_PASSPHRASE: PASSPHRASE });

  it('creates, lists and shows an app', async () => {
    const db = path.join(dir, 'create.db');
    const created = await runPushdeck(
      ['app', 'create', 'shop.example', '--subject', 'mailto:ops@shop.example', '--json'],
      {
        env: env(db),
      },
    );
    expect(created.code).toBe(0);
    const app = JSON.parse(created.stdout) as { name: string; publicKey: string; protection: string };
    expect(app).toMatchObject({ name: 'shop.example', protection: 'passphrase' });

    const list = await runPushdeck(['app', 'list', '--json'], { env: env(db) });
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ name: 'shop.example', publicKey: app.publicKey }),
    ]);

    const show = await runPushdeck(['keys', 'show', '--app', 'shop.example', '--json'], { env: env(db) });
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({
      app: 'shop.example',
      publicKey: app.publicKey,
      subject: 'mailto:ops@shop.example',
      protection: 'passphrase',
      createdAt: expect.any(Number),
    });
    const text = await runPushdeck(['keys', 'show', '--app', 'shop.example'], { env: env(db) });
    expect(text.stdout).toMatch(/Protection\s+passphrase/);

    const bad = await runPushdeck(['app', 'create', 'x.example', '--subject', 'Ops <ops@x.example>'], {
      env: env(db),
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^pushdeck: The subject must not contain spaces or angle brackets/);
    const missing = await runPushdeck(['keys', 'show', '--app', 'nope.example'], { env: env(db) });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No app named nope.example/);
  });

  it('prints the core’s service worker and subscribe code with the app’s key', async () => {
    const db = path.join(dir, 'snippet.db');
    const created = await runPushdeck(
      ['app', 'create', 'shop.example', '--subject', 'mailto:ops@shop.example', '--json'],
      { env: env(db) },
    );
    const { publicKey } = JSON.parse(created.stdout) as { publicKey: string };
    const sw = await runPushdeck(['app', 'snippet', '--app', 'shop.example', '--sw'], { env: env(db) });
    expect(sw).toMatchObject({ code: 0, stdout: SERVICE_WORKER_SNIPPET });
    const subscribe = await runPushdeck(['app', 'snippet', '--app', 'shop.example', '--subscribe'], {
      env: env(db),
    });
    expect(subscribe).toMatchObject({ code: 0, stdout: subscribeSnippet(publicKey) });
    const both = await runPushdeck(['app', 'snippet', '--app', 'shop.example', '--json'], { env: env(db) });
    expect(JSON.parse(both.stdout)).toEqual({
      serviceWorker: SERVICE_WORKER_SNIPPET,
      subscribe: subscribeSnippet(publicKey),
    });
    const bad = await runPushdeck(['app', 'snippet', '--app', 'shop.example', '--sw', '--subscribe'], {
      env: env(db),
    });
    expect(bad.code).toBe(2);
  });

  it('imports a web-push pair from flags and from an .env file, and exports it back', async () => {
    const db = path.join(dir, 'import.db');
    const pair = webpush.generateVAPIDKeys();
    const fromFlags = await runPushdeck(
      [
        'keys',
        'import',
        '--app',
        'flags.example',
        '--public',
        pair.publicKey,
        '--private',
        pair.privateKey,
        '--subject',
        'https://flags.example',
        '--json',
      ],
      { env: env(db) },
    );
    expect(fromFlags.code).toBe(0);
    expect(JSON.parse(fromFlags.stdout)).toMatchObject({ created: true, app: { publicKey: pair.publicKey } });
    expect(fromFlags.stdout).not.toContain(pair.privateKey);

    const envPair = webpush.generateVAPIDKeys();
    const envFile = path.join(dir, 'vapid.env');
    fs.writeFileSync(
      envFile,
      `VAPID_PUBLIC_KEY=${envPair.publicKey}\nVAPID_PRIVATE_KEY=${envPair.privateKey}\nVAPID_SUBJECT=mailto:push@env.example\n`,
    );
    const fromFile = await runPushdeck(['keys', 'import', '--app', 'env.example', '--env-file', envFile], {
      env: env(db),
    });
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toMatch(/Created env.example/);

    const publicOnly = await runPushdeck(['keys', 'export', '--app', 'env.example'], { env: env(db) });
    expect(publicOnly.stdout.trim()).toBe(
      `VAPID_PUBLIC_KEY=${envPair.publicKey}\nVAPID_SUBJECT=mailto:push@env.example`,
    );
    const full = await runPushdeck(
      ['keys', 'export', '--app', 'env.example', '--private', '--format', 'json'],
      {
        env: env(db),
      },
    );
    expect(JSON.parse(full.stdout)).toEqual({ ...envPair, subject: 'mailto:push@env.example' });
    const out = path.join(dir, 'exported.env');
    const toFile = await runPushdeck(['keys', 'export', '--app', 'env.example', '--private', '--out', out], {
      env: env(db),
    });
    expect(toFile.code).toBe(0);
    expect(toFile.stdout).toBe('');
    expect(fs.readFileSync(out, 'utf8')).toContain(`VAPID_PRIVATE_KEY=${envPair.privateKey}`);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);

    // web-push's JSON on stdin.
    const piped = webpush.generateVAPIDKeys();
    const fromStdin = await runPushdeck(
      [
        'keys',
        'import',
        '--app',
        'piped.example',
        '--key-file',
        '-',
        '--subject',
        'mailto:a@piped.example',
        '--json',
      ],
      { env: env(db), input: JSON.stringify(piped) },
    );
    expect(fromStdin.code).toBe(0);
    expect(JSON.parse(fromStdin.stdout).app.publicKey).toBe(piped.publicKey);

    // The exported file imports into another app as the same pair.
    const again = await runPushdeck(
      ['keys', 'import', '--app', 'copy.example', '--env-file', out, '--json'],
      { env: env(db) },
    );
    expect(JSON.parse(again.stdout).app.publicKey).toBe(envPair.publicKey);
  });

  it('refuses bad imports with their own messages and bad usage with exit 2', async () => {
    const db = path.join(dir, 'bad.db');
    const pair = webpush.generateVAPIDKeys();
    const other = webpush.generateVAPIDKeys();
    const mismatch = await runPushdeck(
      [
        'keys',
        'import',
        '--app',
        'm.example',
        '--public',
        pair.publicKey,
        '--private',
        other.privateKey,
        '--subject',
        'mailto:a@m.example',
      ],
      { env: env(db) },
    );
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(/does not belong to this public key/);
    expect(mismatch.stderr).not.toContain(other.privateKey);
    expect((await runPushdeck(['keys', 'import', '--app', 'm.example'], { env: env(db) })).code).toBe(2);
    expect(
      (
        await runPushdeck(['keys', 'import', '--app', 'm.example', '--public', pair.publicKey], {
          env: env(db),
        })
      ).code,
    ).toBe(2);
    expect(
      (await runPushdeck(['keys', 'export', '--app', 'm.example', '--format', 'xml'], { env: env(db) })).code,
    ).toBe(2);
  });

  it('rotates only with --yes, after saying how many subscriptions it orphans', async () => {
    const db = path.join(dir, 'rotate.db');
    const ctx = testContext({ dbPath: db, keySealer: passphraseSealer(PASSPHRASE) });
    const app = createApp(ctx, { name: 'rot.example', subject: 'mailto:a@rot.example' });
    const insert = ctx.db.prepare(
      `INSERT INTO subscriptions (app_id, key_id, endpoint, endpoint_hash, p256dh, auth, push_service, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'p', 'a', 'other', 0, 0)`,
    );
    for (let i = 0; i < 3; i++) insert.run(app.id, app.keyId, `https://push.example/${i}`, i);
    ctx.db.close();

    const asked = await runPushdeck(['keys', 'rotate', '--app', 'rot.example'], { env: env(db) });
    expect(asked.code).toBe(1);
    expect(asked.stdout).toMatch(/Orphaned\s+3 active subscriptions/);
    expect(asked.stderr).toMatch(/orphans 3 active subscriptions.*--yes/);

    const rotated = await runPushdeck(['keys', 'rotate', '--app', 'rot.example', '--yes', '--json'], {
      env: env(db),
    });
    expect(rotated.code).toBe(0);
    const result = JSON.parse(rotated.stdout) as {
      orphaned: number;
      app: { publicKey: string; retiredKeys: number };
    };
    expect(result.orphaned).toBe(3);
    expect(result.app.publicKey).not.toBe(app.publicKey);
    expect(result.app.retiredKeys).toBe(1);
    // The old key is still there and still opens.
    const after = testContext({ dbPath: db, keySealer: passphraseSealer(PASSPHRASE) });
    expect(signingKey(after, app.keyId!).publicKey).toBe(app.publicKey);
    after.db.close();
  });

  it('cannot create keys without a passphrase, and shows unprotected keys as unprotected', async () => {
    const db = path.join(dir, 'locked.db');
    const locked = await runPushdeck(['app', 'create', 'l.example', '--subject', 'mailto:a@l.example'], {
      env: { PUSHDECK_DB: db },
    });
    expect(locked.code).toBe(1);
    expect(locked.stderr).toMatch(/PUSHDECK_PASSPHRASE/);

    const insecure = { PUSHDECK_DB: db, PUSHDECK_INSECURE_KEYS: '1' };
    expect(
      (
        await runPushdeck(['app', 'create', 'l.example', '--subject', 'mailto:a@l.example'], {
          env: insecure,
        })
      ).code,
    ).toBe(0);
    const list = await runPushdeck(['app', 'list'], { env: insecure });
    expect(list.stdout).toMatch(/none \(UNPROTECTED\)/);
    const doctor = await runPushdeck(['doctor', '--json'], {
      env: { PUSHDECK_DB: db, PUSHDECK_PASSPHRASE: PASSPHRASE },
    });
    expect(JSON.parse(doctor.stdout).keyProtection.warning).toMatch(/1 stored private key is NOT protected/);
  });

  it('changes the passphrase from the environment, and the keys then open with the new one only', async () => {
    const db = path.join(dir, 'passphrase.db');
    const created = await runPushdeck(
      ['app', 'create', 'p.example', '--subject', 'mailto:a@p.example', '--json'],
      { env: env(db) },
    );
    expect(created.code).toBe(0);
    const NEW = 'an entirely new passphrase';

    const missing = await runPushdeck(['keys', 'passphrase'], { env: env(db) });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/PUSHDECK_NEW_PASSPHRASE/);
    const wrong = await runPushdeck(['keys', 'passphrase'], {
      env: { PUSHDECK_DB: db, PUSHDECK_PASSPHRASE: 'not the passphrase', PUSHDECK_NEW_PASSPHRASE: NEW },
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/does not open the stored keys: nothing was changed/);

    const changed = await runPushdeck(['keys', 'passphrase', '--json'], {
      env: { ...env(db), PUSHDECK_NEW_PASSPHRASE: NEW },
    });
    expect(changed.code).toBe(0);
    expect(JSON.parse(changed.stdout)).toEqual({ resealed: 1 });

    const withOld = await runPushdeck(['keys', 'export', '--app', 'p.example', '--private'], {
      env: env(db),
    });
    expect(withOld.code).toBe(1);
    const withNew = await runPushdeck(
      ['keys', 'export', '--app', 'p.example', '--private', '--format', 'json'],
      {
        env: { PUSHDECK_DB: db, PUSHDECK_PASSPHRASE: NEW },
      },
    );
    expect(withNew.code).toBe(0);
    expect(JSON.parse(withNew.stdout).publicKey).toBe(JSON.parse(created.stdout).publicKey);
  });
});
