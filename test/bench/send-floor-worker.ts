// One thread of the benchmark's protocol floor: what every message must cost whatever the sender (a fresh
// RFC 8291 encryption, a cached VAPID header, one HTTPS request over a keep-alive pool), and nothing else:
// no database, no journal, no flow control. Pushdeck's engine is measured against it.
import { parentPort, workerData } from 'node:worker_threads';
import { Agent, type Dispatcher } from 'undici';
import { generateVapidKeyPair } from '../../src/main/core/keys/vapid-keys.ts';
import { encryptPayload, subscriptionKeys } from '../../src/main/core/push/encryption.ts';
import { VapidHeaders } from '../../src/main/core/push/vapid.ts';

export interface FloorWorkerData {
  origin: string;
  ca: string;
  messages: number;
  concurrency: number;
  keys: { p256dh: string; auth: string };
  payload: string;
  /** Send one body encrypted once (the floor without the per-message encryption). */
  reuseBody: boolean;
}

const input = workerData as FloorWorkerData;
const agent = new Agent({ connections: input.concurrency, connect: { ca: [input.ca] } });
const vapidKey = generateVapidKeyPair();
const key = { keyId: 1, publicKey: vapidKey.publicKey, privateKey: vapidKey.privateKey };
const vapid = new VapidHeaders('mailto:bench@example.com');
const subscription = subscriptionKeys(input.keys.p256dh, input.keys.auth);
const plaintext = Buffer.from(input.payload);
const reused = encryptPayload(plaintext, subscription);

let next = 0;
let answered = 0;
let failures = 0;
let firstError: string | null = null;
await new Promise<void>((resolve) => {
  const sendOne = (): void => {
    if (next >= input.messages) return;
    const i = next++;
    const body = input.reuseBody ? reused : encryptPayload(plaintext, subscription);
    const settle = (error: string | null) => {
      if (error !== null) {
        failures += 1;
        firstError ??= error;
      }
      answered += 1;
      if (answered === input.messages) resolve();
      else sendOne();
    };
    let status = 0;
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart: () => undefined,
      onResponseStart: (_controller, statusCode) => {
        status = statusCode;
      },
      onResponseData: () => undefined,
      onResponseEnd: () => settle(status === 201 ? null : `HTTP ${status}`),
      onResponseError: (_controller, error) => settle(error.message),
    };
    agent.dispatch(
      {
        origin: input.origin,
        path: `/push/floor-${i}`,
        method: 'POST',
        headers: {
          ttl: '60',
          authorization: vapid.authorization(input.origin, key),
          'content-encoding': 'aes128gcm',
          'content-type': 'application/octet-stream',
          'content-length': String(body.length),
        },
        body,
      },
      handler,
    );
  };
  for (let k = 0; k < input.concurrency; k++) sendOne();
});
await agent.close();
parentPort!.postMessage({ failures, firstError });
