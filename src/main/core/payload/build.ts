// Builds the bytes a subscription receives from a message: the documented service-worker JSON, WebKit's
// Declarative Web Push, raw text, or nothing. Pure: the same message and subscription give the same bytes.
import type { MessageSpec } from '../../../shared/compose.ts';

export interface Recipient {
  label: string | null;
  fields: Record<string, unknown> | null;
}

/** The payload for one recipient, or null for a push without payload. */
export function buildPayload(message: MessageSpec, _recipient: Recipient): Buffer | null {
  switch (message.format) {
    case 'none':
      return null;
    case 'raw':
      return Buffer.from(message.raw ?? '', 'utf8');
    case 'declarative': {
      const n = message.notification ?? { title: '' };
      return Buffer.from(
        JSON.stringify({
          web_push: 8030,
          notification: { title: n.title, body: n.body, navigate: n.url ?? '/', icon: n.icon, tag: n.tag },
        }),
      );
    }
    case 'notification':
      return Buffer.from(JSON.stringify(message.notification ?? { title: '' }), 'utf8');
  }
}
