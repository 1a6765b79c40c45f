// Which push service an endpoint belongs to, from its host. The sender uses it for service-specific
// answers (FCM 403, Mozilla errno 109, Apple VapidPkHashMismatch); the list uses it as a filter.
import type { PushService } from '../../../shared/compose.ts';

export function pushServiceOf(endpoint: string): PushService {
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase();
  } catch {
    return 'other';
  }
  return pushServiceOfHost(host);
}

export function pushServiceOfHost(host: string): PushService {
  if (host === 'fcm.googleapis.com' || host === 'android.googleapis.com') return 'fcm';
  if (host.endsWith('.push.services.mozilla.com')) return 'mozilla';
  if (host === 'push.apple.com' || host.endsWith('.push.apple.com')) return 'apple';
  if (host.endsWith('.notify.windows.com')) return 'wns';
  return 'other';
}
