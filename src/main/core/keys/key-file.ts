// Reads a key pair out of pasted or dropped text: the JSON of `web-push generate-vapid-keys --json`, or a
// .env file with VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY / VAPID_SUBJECT (NEXT_PUBLIC_… prefixes allowed).
import { PushdeckError } from '../../../shared/errors.ts';

export interface KeyText {
  publicKey: string;
  privateKey: string;
  subject: string | null;
}

function fromJson(text: string): Partial<KeyText> | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const record = data as Record<string, unknown>;
  const pick = (...names: string[]) => {
    for (const name of names) if (typeof record[name] === 'string') return record[name];
    return undefined;
  };
  return {
    publicKey: pick('publicKey', 'VAPID_PUBLIC_KEY'),
    privateKey: pick('privateKey', 'VAPID_PRIVATE_KEY'),
    subject: pick('subject', 'VAPID_SUBJECT') ?? null,
  };
}

function unquote(value: string): string {
  const trimmed = value.trim();
  const quoted = /^(["'])(.*)\1$/.exec(trimmed);
  if (quoted) return quoted[2]!;
  // An unquoted value ends at a ` #` comment.
  return trimmed.replace(/\s+#.*$/, '');
}

function fromEnv(text: string): Partial<KeyText> {
  const found: Partial<KeyText> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*[=:]\s*(.*)$/.exec(line);
    if (!match) continue;
    const name = match[1]!.toUpperCase();
    const value = unquote(match[2]!);
    if (/(^|_)VAPID_PUBLIC_KEY$/.test(name)) found.publicKey ??= value;
    else if (/(^|_)VAPID_PRIVATE_KEY$/.test(name)) found.privateKey ??= value;
    else if (/(^|_)VAPID_SUBJECT$/.test(name)) found.subject ??= value;
  }
  return found;
}

/** The pair (unvalidated text) found in a .env or JSON text; refuses text with no key in it. */
export function parseKeyText(text: string): KeyText {
  const found = fromJson(text.trim()) ?? fromEnv(text);
  if (!found.publicKey && !found.privateKey) {
    throw new PushdeckError(
      'KEY_FILE_UNRECOGNISED',
      'No VAPID keys found: give a .env file with VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or the JSON of web-push generate-vapid-keys --json.',
    );
  }
  if (!found.publicKey) {
    throw new PushdeckError(
      'VAPID_PUBLIC_KEY_MISSING',
      'The file has a private key but no VAPID_PUBLIC_KEY.',
    );
  }
  if (!found.privateKey) {
    throw new PushdeckError(
      'VAPID_PRIVATE_KEY_MISSING',
      'The file has a public key but no VAPID_PRIVATE_KEY.',
    );
  }
  return { publicKey: found.publicKey, privateKey: found.privateKey, subject: found.subject || null };
}
