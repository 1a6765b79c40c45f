// Starts the local push service by hand (demos, the benchmark's separate process):
//   npx node test/support/push-service/main.ts --port 8999 [--https] [--http2] [--accept-all] [--delay MS]
//     [--max-streams N] [--throttle-above N --retry-after S]
// Prints one JSON line { origin, caFile } on stdout. Control over HTTP: POST /_control/subscribe
// { applicationServerKey, behaviour?, query? }, POST /_control/messages, POST /_control/stats.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startPushService } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    https: { type: 'boolean', default: false },
    http2: { type: 'boolean', default: false },
    'accept-all': { type: 'boolean', default: false },
    delay: { type: 'string', default: '0' },
    'max-streams': { type: 'string' },
    'throttle-above': { type: 'string' },
    'retry-after': { type: 'string' },
  },
});

const service = await startPushService({
  port: Number(values.port),
  https: values.https,
  http2: values.http2,
  acceptAll: values['accept-all'],
  delayMs: Number(values.delay),
  ...(values['max-streams'] ? { maxStreams: Number(values['max-streams']) } : {}),
  ...(values['throttle-above'] ? { throttleAbove: Number(values['throttle-above']) } : {}),
  ...(values['retry-after'] ? { retryAfterSeconds: Number(values['retry-after']) } : {}),
});
let caFile: string | null = null;
if (service.ca) {
  caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pushdeck-push-service-')), 'ca.pem');
  fs.writeFileSync(caFile, service.ca);
}
process.stdout.write(`${JSON.stringify({ origin: service.origin, caFile })}\n`);
const stop = () => void service.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
