import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateVapidKeyPair } from '../../../../src/main/core/keys/vapid-keys.ts';
import { encryptPayload, subscriptionKeys } from '../../../../src/main/core/push/encryption.ts';
import { buildPushRequest } from '../../../../src/main/core/push/request.ts';
import { createTransport } from '../../../../src/main/core/push/transport.ts';
import { VapidHeaders } from '../../../../src/main/core/push/vapid.ts';
import { startForwardProxy } from '../../../support/forward-proxy.ts';
import { selfSignedCert } from '../../../support/push-service/cert.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';

describe('push transport', () => {
  const key = { keyId: 1, ...generateVapidKeyPair() };
  const vapid = new VapidHeaders('mailto:ops@example.com');
  let plain: PushService;
  let tls: PushService;

  beforeAll(async () => {
    plain = await startPushService();
    tls = await startPushService({ https: true });
  });
  afterAll(async () => {
    await plain.close();
    await tls.close();
  });

  const requestFor = async (service: PushService, behaviour: 'ok' | 'stall' = 'ok') => {
    const sub = await service.subscribe({ applicationServerKey: key.publicKey, behaviour, query: '?x=%2F' });
    const body = encryptPayload(Buffer.from('hi'), subscriptionKeys(sub.keys.p256dh, sub.keys.auth));
    return {
      sub,
      request: buildPushRequest(sub.endpoint, body, vapid.authorization(service.origin, key), { ttl: 60 }),
    };
  };

  it('sends http:// endpoints over http and https:// over TLS, trusting a CA given as an option', async () => {
    const transport = createTransport({ connectionsPerOrigin: 2, timeoutMs: 5000, ca: [tls.ca!] });
    const overHttp = await requestFor(plain);
    const overTls = await requestFor(tls);
    expect((await transport.send(overHttp.request)).status).toBe(201);
    expect((await transport.send(overTls.request)).status).toBe(201);
    expect(plain.messages(overHttp.sub.id)[0]!.target).toBe(`/push/${overHttp.sub.id}?x=%2F`);
    expect(tls.messages(overTls.sub.id)).toHaveLength(1);
    await transport.close();

    const untrusting = createTransport({ connectionsPerOrigin: 2, timeoutMs: 5000 });
    const refused = await untrusting.send((await requestFor(tls)).request);
    expect(refused.status).toBeNull();
    await untrusting.close();
  });

  it('speaks HTTP/2 to a service that offers it, HTTP/1.1 to one that does not', async () => {
    const h2 = await startPushService({ http2: true });
    try {
      const transport = createTransport({ connectionsPerOrigin: 4, timeoutMs: 5000, ca: [h2.ca!, tls.ca!] });
      const overH2 = await requestFor(h2);
      const overH1 = await requestFor(tls);
      const answers = await Promise.all([transport.send(overH2.request), transport.send(overH1.request)]);
      expect(answers.map((a) => a.status)).toEqual([201, 201]);
      expect(h2.messages(overH2.sub.id)[0]).toMatchObject({
        httpVersion: '2.0',
        target: `/push/${overH2.sub.id}?x=%2F`,
      });
      expect(h2.messages(overH2.sub.id)[0]!.payload!.toString()).toBe('hi');
      expect(tls.messages(overH1.sub.id)[0]!.httpVersion).toBe('1.1');
      await transport.close();
    } finally {
      await h2.close();
    }
  });

  it('reuses keep-alive connections per origin, up to the limit', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(201).end());
    });
    let connections = 0;
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const transport = createTransport({ connectionsPerOrigin: 4, timeoutMs: 5000 });
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(
        Array.from({ length: 4 }, () =>
          transport.send(buildPushRequest(`${origin}/p`, null, 'vapid t=a.b.c, k=K', { ttl: 1 })),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    }
    expect(connections).toBeLessThanOrEqual(4);
    await transport.close();
    server.closeAllConnections();
    server.close();
  });

  it("resumes the TLS session on an HTTP/1.1 service's further connections (no full handshake each)", async () => {
    const cert = selfSignedCert();
    // Per connection that carried a request (the ALPN probe's own handshake carries none).
    const resumed = new Map<TLSSocket, boolean>();
    const server = https.createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
      const socket = req.socket as TLSSocket;
      if (!resumed.has(socket)) resumed.set(socket, socket.isSessionReused());
      req.resume();
      req.on('end', () => res.writeHead(201).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const transport = createTransport({ connectionsPerOrigin: 4, timeoutMs: 5000, ca: [cert.cert] });
    const send = () =>
      transport.send(buildPushRequest(`${origin}/p`, null, 'vapid t=a.b.c, k=K', { ttl: 1 }));
    expect((await send()).status).toBe(201);
    const answers = await Promise.all([send(), send(), send(), send()]);
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    await transport.close();
    server.closeAllConnections();
    server.close();
    // One full handshake, then the three connections opened for the round of four resume its session.
    expect([...resumed.values()]).toEqual([false, true, true, true]);
  });

  it('aborts a request that outlives the timeout', async () => {
    const transport = createTransport({ connectionsPerOrigin: 2, timeoutMs: 300 });
    const { request } = await requestFor(plain, 'stall');
    const answer = await transport.send(request);
    expect(answer).toMatchObject({ status: null, error: 'timeout' });
    expect(answer.latencyMs).toBeLessThan(5000);
    await transport.close();
  });

  it('goes through the proxy named by HTTPS_PROXY / HTTP_PROXY, except hosts in NO_PROXY', async () => {
    const proxy = await startForwardProxy();
    const { forwarded, tunnels, url: proxyUrl } = proxy;

    const viaEnv = createTransport({
      connectionsPerOrigin: 2,
      timeoutMs: 5000,
      ca: [tls.ca!],
      env: { HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl },
    });
    expect((await viaEnv.send((await requestFor(tls)).request)).status).toBe(201);
    expect((await viaEnv.send((await requestFor(plain)).request)).status).toBe(201);
    await viaEnv.close();
    expect(tunnels.length + forwarded.length).toBe(2);
    expect(tunnels).toContain(new URL(tls.origin).host);

    const bypass = createTransport({
      connectionsPerOrigin: 2,
      timeoutMs: 5000,
      env: { HTTP_PROXY: proxyUrl, NO_PROXY: '127.0.0.1' },
    });
    expect((await bypass.send((await requestFor(plain)).request)).status).toBe(201);
    await bypass.close();
    expect(tunnels.length + forwarded.length).toBe(2);
    proxy.close();
  });
});
