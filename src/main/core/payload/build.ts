// Builds the bytes a subscription receives from a message: the documented service-worker JSON, WebKit's
// Declarative Web Push, raw text, or nothing. Pure: the same message and subscription give the same bytes.
import type { MessageSpec, NotificationContent } from '../../../shared/compose.ts';
import { tagUrl, utmParams } from './campaign-links.ts';
import { fillPlaceholders, type Recipient } from './personalise.ts';

export type { Recipient } from './personalise.ts';

/** The payload for one recipient, or null for a push without payload. */
export function buildPayload(message: MessageSpec, recipient: Recipient): Buffer | null {
  const text = payloadText(message, recipient);
  return text === null ? null : Buffer.from(text, 'utf8');
}

/** The payload for one recipient as text, or null for a push without payload. */
export function payloadText(message: MessageSpec, recipient: Recipient): string | null {
  switch (message.format) {
    case 'none':
      return null;
    case 'raw':
      return personaliseRaw(message.raw ?? '', recipient, message.vars);
    case 'declarative':
      return JSON.stringify(declarativePayload(message, recipient));
    case 'notification':
      return JSON.stringify(personaliseNotification(message, recipient));
  }
}

/**
 * Raw text is filled as is. Raw JSON keeps its bytes: a placeholder can only sit inside a JSON string there,
 * so each value is inserted JSON-escaped (a quote in a name must not end the string).
 */
function personaliseRaw(raw: string, recipient: Recipient, vars: MessageSpec['vars']): string {
  if (!raw.includes('{{')) return raw;
  if (isJson(raw))
    return fillPlaceholders(raw, recipient, vars, (value) => JSON.stringify(value).slice(1, -1));
  return fillPlaceholders(raw, recipient, vars);
}

export function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The notification with every placeholder filled for this recipient, empty fields left out, and its links
 * tagged with the campaign's UTM parameters when asked (after filling: a URL may be a placeholder).
 */
export function personaliseNotification(message: MessageSpec, recipient: Recipient): NotificationContent {
  const n = message.notification ?? { title: '' };
  const fill = (text: string | undefined) =>
    text === undefined ? undefined : fillPlaceholders(text, recipient, message.vars);
  const utm = message.utm ? utmParams(message.utm, n.title) : null;
  const link = (text: string | undefined) => {
    const url = fill(text);
    return url === undefined || utm === null ? url : tagUrl(url, utm);
  };
  const filled: NotificationContent = {
    title: fill(n.title) ?? '',
    body: fill(n.body),
    icon: fill(n.icon),
    image: fill(n.image),
    badge: fill(n.badge),
    url: link(n.url),
    tag: fill(n.tag),
    renotify: n.renotify || undefined,
    requireInteraction: n.requireInteraction || undefined,
    silent: n.silent || undefined,
    dir: n.dir && n.dir !== 'auto' ? n.dir : undefined,
    lang: fill(n.lang),
    timestamp: n.timestamp,
    actions: n.actions?.length
      ? n.actions.map((a) => compact({ action: fill(a.action)!, title: fill(a.title)!, url: link(a.url) }))
      : undefined,
    data: n.data && Object.keys(n.data).length ? fillDeep(n.data, recipient, message.vars) : undefined,
  };
  const { title, ...rest } = filled;
  return { title, ...compact(rest) };
}

/** WebKit's Declarative Web Push: shown by Safari without a service worker (`navigate` is required). */
function declarativePayload(message: MessageSpec, recipient: Recipient): Record<string, unknown> {
  const n = personaliseNotification(message, recipient);
  const { url, actions, ...rest } = n;
  const { title, ...others } = rest;
  const notification = {
    title,
    ...compact({
      navigate: url,
      ...others,
      actions: actions?.map((a) => compact({ action: a.action, title: a.title, navigate: a.url })),
    }),
  };
  return compact({
    web_push: 8030,
    notification,
    app_badge: message.appBadge,
    mutable: message.mutable || undefined,
  });
}

function fillDeep(value: unknown, recipient: Recipient, vars: MessageSpec['vars']): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return fillPlaceholders(v, recipient, vars);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as Record<string, unknown>;
}

/** Drops undefined and empty-string members, so the payload carries only what was set. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
}
