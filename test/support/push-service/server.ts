// A local RFC 8030 push service on 127.0.0.1 for tests and demos: http or https (self-signed), checks VAPID,
// decrypts every message with its own code, records it, and answers each subscription as told to (201, 404,
// 410, 413, 429 with Retry-After, 500 then 201, a stall, a connection reset, the services' key-mismatch
// answers…). `acceptAll` answers 201 to anything without checking or decrypting (for the benchmark).
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { selfSignedCert } from './cert.ts';
import { decryptPushBody, generateUserAgentKeys, type UserAgentKeys } from './decrypt.ts';
import { checkVapid } from './vapid-check.ts';

export const behaviours = [
  'ok',
  '400',
  '404',
  '410',
  '413',
  '429-then-201',
  'always-429',
  '500-then-201',
  'always-500',
  '503-then-201',
  'wns-406-then-201',
  'stall',
  'reset',
  // HTTP/2 only, RFC 9113 §8.7: the first two requests refused unprocessed, then 201; the first request
  // answered with a GOAWAY that leaves it (and every later stream of its connection) unprocessed, then 201.
  'refused-twice-then-201',
  'goaway-then-201',
  'fcm-key-mismatch',
  'mozilla-key-mismatch',
  'apple-key-mismatch',
  'apple-bad-jwt',
] as const;
export type Behaviour = (typeof behaviours)[number];

export interface PushServiceOptions {
  https?: boolean;
  /** Offer HTTP/2 through ALPN (implies https), HTTP/1.1 still accepted, as FCM and Mozilla do. */
  http2?: boolean;
  port?: number;
  /** Answer 201 to every POST, checking and decrypting nothing. */
  acceptAll?: boolean;
  /** Delay every answer by this much (to make a send slow enough to interrupt). */
  delayMs?: number;
  /** Retry-After seconds sent with 429/503/406. */
  retryAfterSeconds?: number;
  /**
   * Refuse a subject on localhost or a .local domain with 403 BadJwtToken, as Apple does
   * (web-push-libs/web-push#947, jkingsman/Remote-Terminal-for-MeshCore#288).
   */
  appleSubjectRules?: boolean;
  /** Answer 429 with Retry-After at once to a request that arrives while more than this many are open. */
  throttleAbove?: number;
  /** HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS per connection (Node's default is unlimited). */
  maxStreams?: number;
}

export interface ReceivedMessage {
  subscriptionId: string;
  /** The request target exactly as received (path and query). */
  target: string;
  ttl: string | undefined;
  urgency: string | undefined;
  topic: string | undefined;
  contentEncoding: string | undefined;
  /** '1.1' or '2.0'. */
  httpVersion: string;
  /** The decrypted payload; null for a push without payload. */
  payload: Buffer | null;
  receivedAt: number;
}

export interface LocalSubscription {
  id: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

interface Subscriber {
  id: string;
  ua: UserAgentKeys;
  applicationServerKey: string;
  behaviour: Behaviour;
  hits: number;
}

export interface PushService {
  origin: string;
  /** PEM of the self-signed certificate (https only). */
  ca: string | null;
  subscribe(input: {
    applicationServerKey: string;
    behaviour?: Behaviour;
    query?: string;
  }): Promise<LocalSubscription>;
  setBehaviour(id: string, behaviour: Behaviour): void;
  messages(subscriptionId?: string): ReceivedMessage[];
  /** Requests answered, whatever the answer. */
  requests(): number;
  /** The most requests that were open at the same time. */
  maxConcurrent(): number;
  /** Connections accepted so far. */
  connections(): number;
  /** Every request with the answer given, in order. */
  log(): Array<{ subscriptionId: string; status: LoggedStatus; at: number }>;
  close(): Promise<void>;
}

/**
 * An answer, or what happened instead: 'refused' (RST_STREAM REFUSED_STREAM), 'goaway' (sent GOAWAY),
 * 'cancelled' (the client reset the stream before its answer was due).
 */
type LoggedStatus = number | 'stall' | 'reset' | 'refused' | 'goaway' | 'cancelled';

const MAX_BODY = 4096;
// FCM's two wordings of a key mismatch (web-push-libs/web-push#600 and #941) and autopush-rs's
// (VapidError::KeyMismatch, quoted in Minishlink/web-push-php-example#38).
const FCM_SENDER_MISMATCH =
  'the key in the authorization header does not correspond to the sender ID used to subscribe this user. Please ensure you are using the correct sender ID and server Key from the Firebase console.\n';
const FCM_VAPID_MISMATCH =
  'the VAPID credentials in the authorization header do not correspond to the credentials used to create the subscriptions.\n';
const MOZILLA_KEY_MISMATCH =
  '{"code":401,"errno":109,"error":"Unauthorized","message":"VAPID public key mismatch","more_info":"http://autopush.readthedocs.io/en/latest/http.html#error-codes"}';
const TOPIC = /^[A-Za-z0-9_-]{1,32}$/;
const URGENCIES = new Set(['very-low', 'low', 'normal', 'high']);

export async function startPushService(options: PushServiceOptions = {}): Promise<PushService> {
  const tls = options.https || options.http2 ? selfSignedCert() : null;
  const subscribers = new Map<string, Subscriber>();
  const received: ReceivedMessage[] = [];
  const log: Array<{ subscriptionId: string; status: LoggedStatus; at: number }> = [];
  // Sessions that sent GOAWAY, with the last stream they promised to process (RFC 9113 §6.8).
  const goneAway = new WeakMap<http2.Http2Session, number>();
  const stalled = new Set<http.ServerResponse>();
  let requests = 0;
  let open = 0;
  let maxOpen = 0;
  let connections = 0;
  let nextId = 1;
  let origin = '';

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    open += 1;
    maxOpen = Math.max(maxOpen, open);
    res.once('close', () => (open -= 1));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (options.throttleAbove !== undefined && open > options.throttleAbove) {
        const retryAfter = String(options.retryAfterSeconds ?? 1);
        return answer(res, '', 429, '{"reason":"TooManyRequests"}', { 'retry-after': retryAfter });
      }
      // The connection it came on, kept now: a stream reset meanwhile no longer knows its session.
      const session =
        req.httpVersion === '2.0' ? (req as unknown as http2.Http2ServerRequest).stream.session : null;
      const respond = () => void handle(req, res, Buffer.concat(chunks), session);
      if (options.delayMs) setTimeout(respond, options.delayMs);
      else respond();
    });
  };

  const answer = (
    res: http.ServerResponse,
    id: string,
    status: number,
    body = '',
    headers: Record<string, string> = {},
  ) => {
    requests += 1;
    log.push({ subscriptionId: id, status, at: Date.now() });
    res.writeHead(status, {
      'content-type': body.startsWith('{') ? 'application/json' : 'text/plain',
      ...headers,
    });
    res.end(body);
  };

  async function handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    body: Buffer,
    session: http2.Http2Session | null = null,
  ) {
    const target = req.url ?? '/';
    if (req.method === 'POST' && target.startsWith('/_control/')) return control(target, body, res);
    if (options.acceptAll) return answer(res, '', 201);
    const match = /^\/push\/([^/?]+)/.exec(target);
    const subscriber = match ? subscribers.get(match[1]!) : undefined;
    if (req.method !== 'POST' || !subscriber)
      return answer(res, match?.[1] ?? '', 404, '{"reason":"NoSuchSubscription"}');
    const id = subscriber.id;
    const stream = req.httpVersion === '2.0' ? (req as unknown as http2.Http2ServerRequest).stream : null;
    const streamId = stream?.id ?? 0;
    if (stream?.destroyed) {
      // Reset by the client before its answer was due: not processed (the delay stands for the network).
      log.push({ subscriptionId: id, status: 'cancelled', at: Date.now() });
      return;
    }
    const last = session ? goneAway.get(session) : undefined;
    if (stream && last !== undefined && streamId > last) {
      // After its GOAWAY a service processes no stream above the last one it named: the client retries it.
      log.push({ subscriptionId: id, status: 'refused', at: Date.now() });
      stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      return;
    }
    subscriber.hits += 1;
    const behaviour = subscriber.behaviour;
    const retryAfter = { 'retry-after': String(options.retryAfterSeconds ?? 1) };
    if (stream && subscriber.hits <= 2 && behaviour === 'refused-twice-then-201') {
      log.push({ subscriptionId: id, status: 'refused', at: Date.now() });
      stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      return;
    }
    if (stream && subscriber.hits === 1 && behaviour === 'goaway-then-201') {
      // A graceful shutdown that has not processed this stream: GOAWAY names the stream before it as the
      // last one, so this one and any later on the connection are to be retried elsewhere.
      log.push({ subscriptionId: id, status: 'goaway', at: Date.now() });
      goneAway.set(stream.session!, streamId - 2);
      stream.session!.goaway(http2.constants.NGHTTP2_NO_ERROR, streamId - 2);
      stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
      return;
    }

    switch (behaviour) {
      case 'stall':
        requests += 1;
        log.push({ subscriptionId: id, status: 'stall', at: Date.now() });
        stalled.add(res);
        return;
      case 'reset':
        requests += 1;
        log.push({ subscriptionId: id, status: 'reset', at: Date.now() });
        if (req.httpVersion === '2.0')
          (req as unknown as http2.Http2ServerRequest).stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
        else req.socket.destroy();
        return;
      case '400':
        return answer(res, id, 400, '{"reason":"BadRequest"}');
      case '404':
        return answer(res, id, 404, '{"reason":"NotFound"}');
      case '410':
        return answer(res, id, 410, '{"reason":"Unregistered"}');
      case '413':
        return answer(res, id, 413, '{"reason":"PayloadTooLarge"}');
      case 'always-429':
        return answer(res, id, 429, '{"reason":"TooManyRequests"}', retryAfter);
      case 'always-500':
        return answer(res, id, 500, 'Internal Server Error');
      // The services' real answers, with their sources, are in test/fixtures/push-answers.
      case 'fcm-key-mismatch':
        return answer(res, id, 403, FCM_SENDER_MISMATCH);
      case 'mozilla-key-mismatch':
        return answer(res, id, 401, MOZILLA_KEY_MISMATCH);
      case 'apple-key-mismatch':
        return answer(res, id, 400, '{"reason":"VapidPkHashMismatch"}');
      case 'apple-bad-jwt':
        return answer(res, id, 403, '{"reason":"BadJwtToken"}');
      default:
    }
    if (subscriber.hits === 1) {
      if (behaviour === '429-then-201')
        return answer(res, id, 429, '{"reason":"TooManyRequests"}', retryAfter);
      if (behaviour === '500-then-201') return answer(res, id, 500, 'Internal Server Error');
      if (behaviour === '503-then-201') return answer(res, id, 503, 'Service Unavailable', retryAfter);
      if (behaviour === 'wns-406-then-201')
        return answer(res, id, 406, '', { 'x-wns-status': 'channelthrottled', ...retryAfter });
    }

    // RFC 8030 and 8292 checks, as a real push service makes them.
    const vapid = checkVapid(req.headers.authorization, origin);
    if (!vapid.ok)
      return answer(res, id, 403, JSON.stringify({ reason: 'BadJwtToken', detail: vapid.problem }));
    if (
      options.appleSubjectRules &&
      /(@|\/\/)(?:[^/]*\.)?(?:localhost|[^/]*\.local)(?:[:/]|$)/i.test(vapid.claims!.sub)
    )
      return answer(res, id, 403, '{"reason":"BadJwtToken"}');
    if (vapid.key !== subscriber.applicationServerKey) return answer(res, id, 403, FCM_VAPID_MISMATCH);
    const ttl = req.headers.ttl;
    if (typeof ttl !== 'string' || !/^\d+$/.test(ttl)) return answer(res, id, 400, '{"reason":"BadTtl"}');
    const urgency = req.headers.urgency as string | undefined;
    if (urgency !== undefined && !URGENCIES.has(urgency))
      return answer(res, id, 400, '{"reason":"BadUrgency"}');
    const topic = req.headers.topic as string | undefined;
    if (topic !== undefined && (!TOPIC.test(topic) || topic.length % 4 === 1))
      return answer(res, id, 400, '{"reason":"BadTopic"}');
    if (body.length > MAX_BODY) return answer(res, id, 413, '{"reason":"PayloadTooLarge"}');
    const encoding = req.headers['content-encoding'];
    let payload: Buffer | null = null;
    if (body.length > 0) {
      if (encoding !== 'aes128gcm') return answer(res, id, 400, '{"reason":"BadContentEncoding"}');
      try {
        payload = Buffer.from(await decryptPushBody(new Uint8Array(body), subscriber.ua));
      } catch (error) {
        return answer(
          res,
          id,
          400,
          JSON.stringify({ reason: 'DecryptionFailed', detail: (error as Error).message }),
        );
      }
    } else if (encoding !== undefined) {
      return answer(res, id, 400, '{"reason":"ContentEncodingWithoutBody"}');
    }
    received.push({
      subscriptionId: id,
      target,
      ttl,
      urgency,
      topic,
      contentEncoding: encoding,
      httpVersion: req.httpVersion,
      payload,
      receivedAt: Date.now(),
    });
    answer(res, id, 201, '', { location: `${origin}/message/${received.length}` });
  }

  async function control(target: string, body: Buffer, res: http.ServerResponse) {
    const input = body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
    const reply = (data: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(data));
    };
    if (target === '/_control/subscribe') {
      return reply(
        await service.subscribe(
          input as { applicationServerKey: string; behaviour?: Behaviour; query?: string },
        ),
      );
    }
    if (target === '/_control/stats') {
      const throttled = log.filter((entry) => entry.status === 429).length;
      return reply({ requests, received: received.length, maxConcurrent: maxOpen, connections, throttled });
    }
    if (target === '/_control/messages') {
      return reply(
        service.messages(input.subscriptionId as string | undefined).map((m) => ({
          ...m,
          payload: m.payload?.toString('utf8') ?? null,
        })),
      );
    }
    res.writeHead(404).end();
  }

  const server: http.Server | https.Server | http2.Http2SecureServer = !tls
    ? http.createServer(handler)
    : options.http2
      ? http2.createSecureServer(
          {
            key: tls.key,
            cert: tls.cert,
            allowHTTP1: true,
            ...(options.maxStreams ? { settings: { maxConcurrentStreams: options.maxStreams } } : {}),
          },
          handler as never,
        )
      : https.createServer({ key: tls.key, cert: tls.cert }, handler);
  if ('keepAliveTimeout' in server) server.keepAliveTimeout = 60_000;
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket: import('node:net').Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  const service: PushService = {
    origin,
    ca: tls?.cert ?? null,
    async subscribe(input) {
      const ua = await generateUserAgentKeys();
      const id = `s${nextId++}-${Math.random().toString(36).slice(2, 8)}`;
      subscribers.set(id, {
        id,
        ua,
        applicationServerKey: input.applicationServerKey,
        behaviour: input.behaviour ?? 'ok',
        hits: 0,
      });
      return {
        id,
        endpoint: `${origin}/push/${id}${input.query ?? ''}`,
        keys: {
          p256dh: Buffer.from(ua.publicKey).toString('base64url'),
          auth: Buffer.from(ua.auth).toString('base64url'),
        },
      };
    },
    setBehaviour(id, behaviour) {
      const subscriber = subscribers.get(id);
      if (!subscriber) throw new Error(`no subscription ${id}`);
      subscriber.behaviour = behaviour;
      subscriber.hits = 0;
    },
    messages: (subscriptionId) =>
      subscriptionId === undefined
        ? [...received]
        : received.filter((m) => m.subscriptionId === subscriptionId),
    requests: () => requests,
    maxConcurrent: () => maxOpen,
    connections: () => connections,
    log: () => [...log],
    async close() {
      for (const res of stalled) res.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return service;
}
