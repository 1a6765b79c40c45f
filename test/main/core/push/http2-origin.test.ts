import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyResponse } from '../../../../src/main/core/push/classify.ts';
import { buildPushRequest } from '../../../../src/main/core/push/request.ts';
import { createTransport, type Transport } from '../../../../src/main/core/push/transport.ts';
import { selfSignedCert } from '../../../support/push-service/cert.ts';

const tls = selfSignedCert();

interface Arrival {
  path: string;
  connection: number;
  stream: number;
}

/**
 * An HTTP/2 service that processes each stream as it arrives (as a real one may, before its answer is on
 * the way) and answers after `delayMs`; `onStream` may send GOAWAY or refuse. Records every arrival.
 */
async function startService(
  onStream: (
    stream: http2.ServerHttp2Stream,
    path: string,
    connection: number,
  ) => 'answer' | 'refuse' | 'hold',
  delayMs = 300,
) {
  const arrivals: Arrival[] = [];
  let connections = 0;
  const numbers = new WeakMap<http2.Http2Session, number>();
  const sessions = new Set<http2.ServerHttp2Session>();
  const server = http2.createSecureServer({ key: tls.key, cert: tls.cert });
  server.on('session', (session) => {
    numbers.set(session, ++connections);
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  server.on('stream', (stream, headers) => {
    const connection = numbers.get(stream.session!)!;
    const path = headers[':path'] as string;
    arrivals.push({ path, connection, stream: stream.id ?? 0 });
    stream.on('error', () => undefined);
    const what = onStream(stream, path, connection);
    if (what === 'refuse') return stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
    if (what === 'hold') return;
    setTimeout(() => {
      if (!stream.closed && !stream.destroyed) stream.respond({ ':status': 201 }, { endStream: true });
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    arrivals,
    /** How many times each path arrived. */
    counts: () => {
      const counts: Record<string, number> = {};
      for (const a of arrivals) counts[a.path] = (counts[a.path] ?? 0) + 1;
      return counts;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Sessions still open (keep-alive) would hold close() up.
        for (const session of sessions) session.destroy();
      }),
  };
}

describe('HTTP/2 connections of our own (node:http2)', () => {
  let transport: Transport | null = null;
  let service: Awaited<ReturnType<typeof startService>> | null = null;
  afterEach(async () => {
    await transport?.close();
    await service?.close();
    transport = null;
    service = null;
  });

  const send = (path: string) =>
    transport!.send(
      buildPushRequest(`${service!.origin}${path}`, Buffer.from('x'), 'vapid t=a.b.c, k=K', { ttl: 60 }),
    );
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('delivers each message exactly once when two GOAWAYs come within one round trip', async () => {
    // /work/notes/16b-undici-goaway-repro.ts: connection 1 is told to go away gracefully while /a1-/a3 run
    // on it (all three processed, RFC 9113 §6.8: last stream id 2³¹−1); /b1, sent later, goes to
    // connection 2, which goes away at once naming no stream processed. undici 8.13.1's Client (pipelining
    // 100, as in the repro) resets /a2 and /a3 and sends them again on connection 3: processed twice.
    service = await startService((stream, path, connection) => {
      if (connection === 1 && path === '/a3') stream.session!.goaway(0, 2 ** 31 - 1);
      if (connection === 2) {
        stream.session!.goaway(0, 0);
        return 'refuse';
      }
      return 'answer';
    });
    // One connection at a time that takes new streams (for undici: one pool slot, as in the repro).
    transport = createTransport({ connectionsPerOrigin: 1, timeoutMs: 5000, ca: [tls.cert] });
    const first = ['/a1', '/a2', '/a3'].map(send);
    // /b1 once the three are on connection 1 (and its GOAWAY on the way), within their round trip.
    while (service.arrivals.length < 3) await wait(5);
    await wait(20);
    let b1 = await send('/b1');
    if (b1.status === null) {
      // Not processed (above the last stream id): the engine retries it free, on a new connection.
      expect(['goaway', 'refused stream']).toContain(b1.error);
      b1 = await send('/b1');
    }
    expect(b1.status).toBe(201);
    const answers = await Promise.all(first);
    const counts = service.counts();
    expect({ a1: counts['/a1'], a2: counts['/a2'], a3: counts['/a3'] }).toEqual({ a1: 1, a2: 1, a3: 1 });
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(service.arrivals.filter((a) => a.path !== '/b1').every((a) => a.connection === 1)).toBe(true);
  });

  it('fails streams above the last stream id as goaway (retried free) and never resends those at or below', async () => {
    // Five streams on one connection (ids 1, 3, 5, 7, 9); at the fifth the service says it will process up
    // to stream 5 and leaves 7 and 9 unanswered.
    service = await startService((stream) => {
      if (stream.id === 9) stream.session!.goaway(http2.constants.NGHTTP2_NO_ERROR, 5);
      return (stream.id ?? 0) > 5 ? 'hold' : 'answer';
    });
    transport = createTransport({ connectionsPerOrigin: 8, timeoutMs: 5000, ca: [tls.cert] });
    // One first, so that all five share the connection it opened.
    expect((await send('/warm')).status).toBe(201);
    const answers = await Promise.all(['/p3', '/p5', '/p7', '/p9'].map(send));
    expect(answers.map((a) => a.status ?? a.error)).toEqual([201, 201, 'goaway', 'goaway']);
    expect(service.counts()).toEqual({ '/warm': 1, '/p3': 1, '/p5': 1, '/p7': 1, '/p9': 1 });
    expect(service.arrivals.every((a) => a.connection === 1)).toBe(true);
    // 'goaway' is what the engine retries without counting an attempt (engine.ts CONNECTION_FAILURES).
    expect(classifyResponse(answers[2]!).outcome).toBe('transient');
    expect(answers[2]!.error).toBe('goaway');
  });

  it('fails streams at or below the last stream id of a GOAWAY with an error as uncertain, not as goaway', async () => {
    // A GOAWAY with an error code: Node closes the connection at once; streams 1 and 3 may have been
    // processed, stream 5 was not.
    service = await startService((stream) => {
      if (stream.id === 5) stream.session!.goaway(http2.constants.NGHTTP2_INTERNAL_ERROR, 3);
      return 'hold';
    }, 0);
    transport = createTransport({ connectionsPerOrigin: 1, timeoutMs: 5000, ca: [tls.cert] });
    const answers = await Promise.all(['/q1', '/q3', '/q5'].map(send));
    expect(answers.map((a) => a.error)).toEqual([
      'connection closed after GOAWAY before the answer',
      'connection closed after GOAWAY before the answer',
      'goaway',
    ]);
    expect(service.counts()).toEqual({ '/q1': 1, '/q3': 1, '/q5': 1 });
    // A counted, transient failure: retried with backoff as an attempt, never for free.
    expect(classifyResponse(answers[0]!)).toMatchObject({ outcome: 'transient' });
  });

  it('opens connections as streams need them, up to the service’s SETTINGS_MAX_CONCURRENT_STREAMS each', async () => {
    const server = http2.createSecureServer({
      key: tls.key,
      cert: tls.cert,
      settings: { maxConcurrentStreams: 10 },
    });
    let connections = 0;
    let open = 0;
    let peak = 0;
    server.on('connection', () => (connections += 1));
    server.on('stream', (stream) => {
      open += 1;
      peak = Math.max(peak, open);
      stream.on('close', () => (open -= 1));
      stream.on('error', () => undefined);
      setTimeout(() => stream.respond({ ':status': 201 }, { endStream: true }), 400);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    transport = createTransport({ connectionsPerOrigin: 8, timeoutMs: 5000, ca: [tls.cert] });
    const request = () => buildPushRequest(`${origin}/m`, null, 'vapid t=a.b.c, k=K', { ttl: 60 });
    const answers = await Promise.all(Array.from({ length: 35 }, () => transport!.send(request())));
    expect(answers.every((a) => a.status === 201)).toBe(true);
    // 35 at once at 10 streams each: 4 connections (plus the ALPN probe's), more than one carrying at once.
    expect(connections).toBe(5);
    expect(peak).toBeGreaterThan(10);
    // Kept alive: another round reuses them.
    await Promise.all(Array.from({ length: 35 }, () => transport!.send(request())));
    expect(connections).toBe(5);
    await transport.close();
    transport = null;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
