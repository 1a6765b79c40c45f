// The VAPID `sub` claim (RFC 8292 §2.1): a mailto: or https: contact. Push services add their own rules:
// Apple answers BadJwtToken to localhost, .invalid domains, spaces or angle brackets. Shared so that the
// renderer validates as the user types, with the very rules main applies.
import { PushdeckError } from './errors.ts';

export function validateSubject(raw: string): string {
  const subject = raw.trim();
  if (subject === '') {
    throw new PushdeckError(
      'VAPID_SUBJECT_MISSING',
      'Give a contact for push services: mailto:you@example.com or https://example.com.',
    );
  }
  if (/[\s<>]/.test(subject)) {
    throw new PushdeckError(
      'VAPID_SUBJECT_INVALID',
      'The subject must not contain spaces or angle brackets: write mailto:you@example.com, not "Name <you@example.com>".',
    );
  }
  let host: string;
  if (subject.startsWith('mailto:')) {
    const address = subject.slice('mailto:'.length);
    const at = address.lastIndexOf('@');
    if (at < 1 || at === address.length - 1) {
      throw new PushdeckError(
        'VAPID_SUBJECT_INVALID',
        'The mailto: subject needs an email address, like mailto:you@example.com.',
      );
    }
    host = address.slice(at + 1).toLowerCase();
  } else if (subject.startsWith('https:')) {
    try {
      host = new URL(subject).hostname.toLowerCase();
    } catch {
      throw new PushdeckError(
        'VAPID_SUBJECT_INVALID',
        'The https: subject is not a valid URL, like https://example.com.',
      );
    }
  } else {
    throw new PushdeckError('VAPID_SUBJECT_SCHEME', 'The subject must start with mailto: or https:.');
  }
  if (host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1' || host === '[::1]') {
    throw new PushdeckError(
      'VAPID_SUBJECT_LOCALHOST',
      'The subject must not point at localhost: Apple rejects it. Use a real contact.',
    );
  }
  if (host.endsWith('.invalid') || host === 'invalid') {
    throw new PushdeckError(
      'VAPID_SUBJECT_INVALID_DOMAIN',
      'The subject must not use a .invalid domain: Apple rejects it.',
    );
  }
  return subject;
}
