import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyResponse } from '../../../../src/main/core/push/classify.ts';
import { buildPushRequest } from '../../../../src/main/core/push/request.ts';
import { createTransport, type Transport } from '../../../../src/main/core/push/transport.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';

describe('no answer, for a reason retrying will not fix (real sockets on 127.0.0.1)', () => {
  let tls: PushService;
  let plain: PushService;
  let transport: Transport;
  let closedPort: number;

  beforeAll(async () => {
    tls = await startPushService({ https: true });
    plain = await startPushService();
    transport = createTransport({ connectionsPerOrigin: 1, timeoutMs: 3000 });
    // A port that was just free: nothing listens there.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
  });
  afterAll(async () => {
    await transport.close();
    await Promise.all([tls.close(), plain.close()]);
  });

  const send = async (endpoint: string) =>
    classifyResponse(
      await transport.send(buildPushRequest(endpoint, null, 'vapid t=a.b.c, k=K', { ttl: 60 })),
    );

  it.each([
    [
      'a self-signed certificate',
      () => `${tls.origin}/push/x`,
      /TLS certificate not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\).*NODE_EXTRA_CA_CERTS/,
    ],
    [
      'https to a plain-http port',
      () => `${plain.origin.replace('http:', 'https:')}/push/x`,
      /does not speak TLS/,
    ],
    ['a closed port', () => `http://127.0.0.1:${closedPort}/push/x`, /^connection refused: /],
  ])(
    'classes %s as unreachable, says what to check, and is not retried',
    async (_what, endpoint, message) => {
      const verdict = await send(endpoint());
      expect(verdict).toMatchObject({ outcome: 'unreachable', senderFault: 'network', retryAfterMs: null });
      expect(verdict.reason).toMatch(message);
    },
  );
});
