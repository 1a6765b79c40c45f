// Personalisation: `{{field}}` and `{{field|default}}` placeholders, filled per recipient from its label and
// custom fields, then from the message's vars, then from the inline default.
import type { MessageSpec } from '../../../shared/compose.ts';

export interface Recipient {
  label: string | null;
  fields: Record<string, unknown> | null;
}

/** `{{ name }}` or `{{ name | default }}`; names are letters, digits, `_` and `-`. */
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*(?:\|([^}]*))?\}\}/g;

/** The field `label` is the subscription's label; every other name is one of its custom fields. */
export const LABEL_FIELD = 'label';

export interface PlaceholderOccurrence {
  name: string;
  /** The inline default, as written (undefined when there is none). */
  inlineDefault: string | undefined;
}

export function findPlaceholders(text: string): PlaceholderOccurrence[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1]!, inlineDefault: m[2]?.trim() }));
}

/** Brace pairs that look meant as placeholders but are not valid ones (sent as written): `{{first name}}`. */
export function malformedPlaceholders(text: string): string[] {
  const rest = text.replace(PLACEHOLDER, '');
  return [...rest.matchAll(/\{\{[^{}]*\}\}|\{\{|\}\}/g)].map((m) => m[0]);
}

/** The recipient's own value for a field, or undefined when it has none (empty counts as none). */
export function recipientValue(recipient: Recipient, name: string): string | undefined {
  const value = name === LABEL_FIELD ? recipient.label : ownValue(recipient.fields, name);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A record's own entry only: `{{constructor}}` must not reach Object.prototype's members. */
export function ownValue<T>(
  record: Readonly<Record<string, T>> | null | undefined,
  name: string,
): T | undefined {
  return record && Object.hasOwn(record, name) ? record[name] : undefined;
}

/**
 * Fills the placeholders of one text. `escape` turns a recipient's or var's value into the text that stands
 * in its place (JSON string escaping inside raw JSON); inline defaults are inserted as written.
 */
export function fillPlaceholders(
  text: string,
  recipient: Recipient,
  vars: Readonly<Record<string, string>> | undefined,
  escape: (value: string) => string = (value) => value,
): string {
  if (!text.includes('{{')) return text;
  return text.replace(PLACEHOLDER, (_match, name: string, inlineDefault: string | undefined) => {
    const own = recipientValue(recipient, name);
    if (own !== undefined) return escape(own);
    const fallback = ownValue(vars, name);
    if (fallback !== undefined && fallback !== '') return escape(fallback);
    return inlineDefault?.trim() ?? '';
  });
}

/** Every text of a message that may hold placeholders. */
export function messageTexts(message: MessageSpec): string[] {
  if (message.format === 'raw') return [message.raw ?? ''];
  if (message.format === 'none' || !message.notification) return [];
  const n = message.notification;
  const texts = [n.title, n.body, n.icon, n.image, n.badge, n.url, n.tag, n.lang];
  for (const action of n.actions ?? []) texts.push(action.title, action.url, action.action);
  if (n.data) texts.push(JSON.stringify(n.data));
  return texts.filter((t): t is string => typeof t === 'string' && t !== '');
}

/** The placeholders a message uses, each name once, with whether it always has a default. */
export function messagePlaceholders(message: MessageSpec): Array<{ name: string; hasDefault: boolean }> {
  const byName = new Map<string, boolean>();
  for (const text of messageTexts(message)) {
    for (const { name, inlineDefault } of findPlaceholders(text)) {
      const varDefault = Boolean(ownValue(message.vars, name));
      const hasDefault = varDefault || (inlineDefault !== undefined && inlineDefault !== '');
      // A name is covered only if every occurrence has a default.
      byName.set(name, (byName.get(name) ?? true) && hasDefault);
    }
  }
  return [...byName].map(([name, hasDefault]) => ({ name, hasDefault }));
}
