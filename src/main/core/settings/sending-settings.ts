// The sending settings, kept in the settings table: a proxy for every push request and the default
// per-request timeout of new campaigns. The CLI and the app read the same values.
import type { z } from 'zod';
import { PushdeckError } from '../../../shared/errors.ts';
import {
  DEFAULT_TIMEOUT_SECONDS,
  type SendingSettings,
  type sendingSettingsSchema,
} from '../../../shared/settings.ts';
import { appendAudit } from '../audit.ts';
import type { CoreContext } from '../context.ts';
import type { Db } from '../db/database.ts';

const PROXY_KEY = 'sending.proxyUrl';
const TIMEOUT_KEY = 'sending.timeoutSeconds';

function readSetting(db: Db, key: string): string | undefined {
  return (db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)
    ?.value;
}

export function readSendingSettings(db: Db): SendingSettings {
  const timeout = Number(readSetting(db, TIMEOUT_KEY));
  return {
    proxyUrl: readSetting(db, PROXY_KEY) ?? null,
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

export function updateSendingSettings(
  ctx: CoreContext,
  patch: z.output<typeof sendingSettingsSchema>,
  actor: 'app' | 'cli' = 'app',
): SendingSettings {
  const upsert = ctx.db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  ctx.db.transaction(() => {
    if (patch.proxyUrl !== undefined) {
      const proxy = validateProxyUrl(patch.proxyUrl);
      if (proxy === null) ctx.db.prepare('DELETE FROM settings WHERE key = ?').run(PROXY_KEY);
      else upsert.run(PROXY_KEY, proxy);
    }
    if (patch.timeoutSeconds !== undefined) upsert.run(TIMEOUT_KEY, String(patch.timeoutSeconds));
    // The proxy may carry credentials: the log says what changed, not the value.
    appendAudit(ctx.db, ctx.now(), {
      actor,
      action: 'settings.sending',
      details: {
        changed: Object.keys(patch).filter((key) => patch[key as keyof typeof patch] !== undefined),
      },
    });
  })();
  ctx.events.emit('data.changed', { scopes: ['settings'] });
  return readSendingSettings(ctx.db);
}
