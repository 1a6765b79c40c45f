// Run as a process of its own by transport-undici.test.ts: sends one push over HTTP/2, then one over
// HTTP/1.1, and prints whether undici had been loaded after each (and the two statuses) as one JSON line.
import { createRequire } from 'node:module';
import path from 'node:path';
import { generateVapidKeyPair } from '../../src/main/core/keys/vapid-keys.ts';
import { encryptPayload, subscriptionKeys } from '../../src/main/core/push/encryption.ts';
import { buildPushRequest } from '../../src/main/core/push/request.ts';
import { createTransport } from '../../src/main/core/push/transport.ts';
import { VapidHeaders } from '../../src/main/core/push/vapid.ts';
import { startPushService, type PushService } from './push-service/server.ts';

const cache = createRequire(import.meta.url).cache;
const undiciLoaded = () => Object.keys(cache).some((file) => file.includes(`${path.sep}undici${path.sep}`));
const key = { keyId: 1, ...generateVapidKeyPair() };
const vapid = new VapidHeaders('mailto:ops@example.com');
const h2 = await startPushService({ http2: true });
const h1 = await startPushService({ https: true });
const transport = createTransport({ connectionsPerOrigin: 2, timeoutMs: 5000, ca: [h2.ca!, h1.ca!] });
const send = async (service: PushService) => {
  const sub = await service.subscribe({ applicationServerKey: key.publicKey });
  const body = encryptPayload(Buffer.from('hi'), subscriptionKeys(sub.keys.p256dh, sub.keys.auth));
  const request = buildPushRequest(sub.endpoint, body, vapid.authorization(service.origin, key), { ttl: 60 });
  return (await transport.send(request)).status;
};
const before = undiciLoaded();
const overH2 = await send(h2);
const afterH2 = undiciLoaded();
const overH1 = await send(h1);
const afterH1 = undiciLoaded();
await transport.close();
await Promise.all([h2.close(), h1.close()]);
process.stdout.write(`${JSON.stringify({ before, overH2, afterH2, overH1, afterH1 })}\n`);
