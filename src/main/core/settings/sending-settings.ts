// The sending settings, kept in the settings table: a proxy for every push request and the default
// per-request timeout of new campaigns. The CLI and the app read the same values. A proxy password is
// sealed like the private keys (ctx.keySealer) and stored apart from the URL; it is shown masked.
import type { z } from 'zod';
import { PushdeckError } from '../../../shared/errors.ts';
import {
  DEFAULT_TIMEOUT_SECONDS,
  type SendingSettings,
  type sendingSettingsSchema,
} from '../../../shared/settings.ts';
import type { CoreContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import type { SealedWith } from '../keys/sealer.ts';

const PROXY_KEY = 'sending.proxyUrl';
const TIMEOUT_KEY = 'sending.timeoutSeconds';
const PASSWORD_KEY = 'sending.proxyPassword';

/** Stands for the stored password wherever the proxy URL is shown; saved back, it keeps the stored one. */
export const PASSWORD_MASK = '********';

interface SealedPassword {
  protection: SealedWith;
  sealed: string;
}

function readSetting(db: Db, key: string): string | undefined {
  return (db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)
    ?.value;
}

function storedPassword(db: Db): SealedPassword | null {
  const raw = readSetting(db, PASSWORD_KEY);
  return raw ? (JSON.parse(raw) as SealedPassword) : null;
}

/** The proxy URL with `password` in it (stored URLs never hold one). */
function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.href;
}

/** The settings as shown (window, `settings show`): the proxy password masked. */
export function readSendingSettings(db: Db): SendingSettings {
  const timeout = Number(readSetting(db, TIMEOUT_KEY));
  const proxy = readSetting(db, PROXY_KEY) ?? null;
  return {
    proxyUrl: proxy && storedPassword(db) ? withPassword(proxy, PASSWORD_MASK) : proxy,
    timeoutSeconds: Number.isInteger(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_SECONDS,
  };
}

/** An http(s) proxy URL, or null for none; anything else is refused with a message that says why. */
export function validateProxyUrl(raw: string | null | undefined): string | null {
  const text = raw?.trim() ?? '';
  if (text === '') return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PushdeckError(
      'SETTINGS_PROXY_INVALID',
      `"${text}" is not a URL. Write it like http://proxy.example:3128.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PushdeckError('SETTINGS_PROXY_INVALID', 'The proxy must be an http:// or https:// URL.');
  }
  return url.href;
}

/** The proxy a send uses, its password opened; null when none is set. */
export function proxyForSending(ctx: CoreContext): string | null {
  const proxy = readSetting(ctx.db, PROXY_KEY) ?? null;
  const password = storedPassword(ctx.db);
  if (!proxy || !password) return proxy;
  let opened: Buffer;
  try {
    opened = ctx.keySealer.openBytes(Buffer.from(password.sealed, 'base64'), password.protection);
  } catch (error) {
    throw new PushdeckError(
      'SETTINGS_PROXY_LOCKED',
      `The proxy password cannot be opened here (${(error as Error).message}) Set PUSHDECK_PROXY for this run, or enter the proxy again in Settings or with pushdeck settings set --proxy URL.`,
    );
  }
  return withPassword(proxy, opened.toString('utf8'));
}

export function updateSendingSettings(
  ctx: CoreContext,
  patch: z.output<typeof sendingSettingsSchema>,
): SendingSettings {
  const upsert = ctx.db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  ctx.db.transaction(() => {
    if (patch.proxyUrl !== undefined) {
      const proxy = validateProxyUrl(patch.proxyUrl);
      const remove = ctx.db.prepare('DELETE FROM settings WHERE key = ?');
      if (proxy === null) {
        remove.run(PROXY_KEY);
        remove.run(PASSWORD_KEY);
      } else {
        const url = new URL(proxy);
        const password = decodeURIComponent(url.password);
        url.password = '';
        upsert.run(PROXY_KEY, url.href);
        if (password === '') remove.run(PASSWORD_KEY);
        else if (password !== PASSWORD_MASK || !storedPassword(ctx.db)) {
          // Sealed like the private keys: PUSHDECK_PASSPHRASE, the system keychain, or, only when chosen,
          // PUSHDECK_INSECURE_KEYS (stored as is). Locked, it is refused with the sealer's message.
          const { sealed, protection } = ctx.keySealer.seal(Buffer.from(password, 'utf8'));
          upsert.run(PASSWORD_KEY, JSON.stringify({ protection, sealed: sealed.toString('base64') }));
        }
      }
    }
    if (patch.timeoutSeconds !== undefined) upsert.run(TIMEOUT_KEY, String(patch.timeoutSeconds));
  })();
  return readSendingSettings(ctx.db);
}
