// A push service for a real Firefox on 127.0.0.1. Towards the browser it speaks Firefox's JSON-over-WebSocket
// protocol (dom/push/PushServiceWebSocket.sys.mjs: hello → uaid, register → pushEndpoint, notification,
// ack/nack, unregister, `{}` pings); towards senders RFC 8030 over HTTPS (self-signed), checking VAPID
// against the key the browser subscribed with and relaying the encrypted body untouched.
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { selfSignedCert } from '../push-service/cert.ts';
import { checkVapid } from '../push-service/vapid-check.ts';

export interface BrowserChannel {
  channelID: string;
  endpoint: string;
  /** The applicationServerKey the browser subscribed with (base64url, unpadded). */
  key: string;
  unregistered: boolean;
}

export interface BrowserDelivery {
  channelID: string;
  version: string;
  /** The body exactly as the sender posted it; null for a push without payload. */
  body: Buffer | null;
  /** Firefox's ack code (100 delivered, 101 decryption failed, 102 not delivered), once it acked. */
  ack?: number;
  /** Firefox's nack code (301 uncaught exception, 302 unhandled rejection, 303 internal error). */
  nack?: number;
}

export interface SenderAnswer {
  channelID: string;
  status: number;
  body: string;
}

export interface BrowserPushService {
  /** For the pref dom.push.serverURL. */
  serverUrl: string;
  /** The senders' side: https://127.0.0.1:PORT. */
  origin: string;
  /** PEM to trust (NODE_EXTRA_CA_CERTS or the transport's CA option). */
  ca: string;
  channels(): BrowserChannel[];
  deliveries(): BrowserDelivery[];
  /** Every answer given to a sender, in order. */
  answers(): SenderAnswer[];
  /**
   * Answers the next hello with a new UAID and drops the connection: Firefox then drops its subscriptions
   * and fires pushsubscriptionchange (PushServiceWebSocket._handleHelloReply, "Received new UAID").
   */
  rotateUaid(): void;
  /** Resolves once `count` deliveries to the channel have an ack or a nack. */
  settled(channelID: string, count: number, timeoutMs?: number): Promise<BrowserDelivery[]>;
  close(): Promise<void>;
}

const MAX_BODY = 4096;

export async function startBrowserPushService(): Promise<BrowserPushService> {
  const tls = selfSignedCert();
  const channels = new Map<string, BrowserChannel>();
  const deliveries: BrowserDelivery[] = [];
  const answers: SenderAnswer[] = [];
  const waiters = new Set<() => void>();
  const sockets = new Set<WebSocket>();
  let uaid = crypto.randomUUID().replace(/-/g, '');
  let origin = '';
  const changed = () => waiters.forEach((wake) => wake());

  const wsHttp = http.createServer((_req, res) => res.writeHead(404).end());
  // Firefox asks for the "push-notification" subprotocol (PushServiceWebSocket._beginWSSetup).
  const wss = new WebSocketServer({ server: wsHttp, handleProtocols: () => 'push-notification' });
  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (raw) => {
      const text = raw.toString();
      const message = JSON.parse(text) as Record<string, unknown>;
      if (text === '{}' || message.messageType === undefined) return socket.send('{}');
      const send = (reply: object) => socket.send(JSON.stringify(reply));
      switch (message.messageType) {
        case 'hello':
          // use_webpush: true makes Firefox decrypt aes128gcm bodies (finishHandshake's _dataEnabled).
          return send({ messageType: 'hello', status: 200, uaid, use_webpush: true });
        case 'register': {
          const channelID = String(message.channelID);
          // The key arrives padded (register(): "The Push server requires padding").
          const key = Buffer.from(String(message.key ?? ''), 'base64').toString('base64url');
          const endpoint = `${origin}/wpush/${channelID}`;
          channels.set(channelID, { channelID, endpoint, key, unregistered: false });
          changed();
          return send({ messageType: 'register', channelID, status: 200, pushEndpoint: endpoint });
        }
        case 'unregister': {
          const channel = channels.get(String(message.channelID));
          if (channel) channel.unregistered = true;
          changed();
          return send({ messageType: 'unregister', channelID: message.channelID, status: 200 });
        }
        case 'ack':
          for (const update of message.updates as Array<{ version: string; code: number }>) {
            const delivery = deliveries.find((d) => d.version === update.version);
            if (delivery) delivery.ack = update.code;
          }
          return changed();
        case 'nack': {
          const delivery = deliveries.find((d) => d.version === message.version);
          if (delivery) delivery.nack = message.code as number;
          return changed();
        }
        default:
      }
    });
  });

  const answer = (res: http.ServerResponse, channelID: string, status: number, body: object | null) => {
    const text = body ? JSON.stringify(body) : '';
    answers.push({ channelID, status, body: text });
    res.writeHead(status, body ? { 'content-type': 'application/json' } : {}).end(text);
  };

  // Answers as autopush documents (mozilla-services.github.io/autopush-rs/errors.html): 410 for a
  // channel the browser unsubscribed, 401 errno 109 for VAPID that fails or does not match the key, 413
  // errno 104 for a body over 4096 bytes, 400 errno 111 without TTL.
  const senders = https.createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const channelID = /^\/wpush\/([0-9a-f-]+)$/.exec(req.url ?? '')?.[1] ?? '';
      const channel = channels.get(channelID);
      if (req.method !== 'POST' || !channel) return answer(res, channelID, 404, { code: 404, errno: 102 });
      if (channel.unregistered) return answer(res, channelID, 410, { code: 410, errno: 106 });
      const vapid = checkVapid(req.headers.authorization, origin);
      if (!vapid.ok || vapid.key !== channel.key)
        return answer(res, channelID, 401, { code: 401, errno: 109, message: vapid.problem ?? 'key' });
      if (req.headers.ttl === undefined) return answer(res, channelID, 400, { code: 400, errno: 111 });
      const body = Buffer.concat(chunks);
      if (body.length > MAX_BODY) return answer(res, channelID, 413, { code: 413, errno: 104 });
      const version = crypto.randomUUID();
      const delivery: BrowserDelivery = { channelID, version, body: body.length ? body : null };
      deliveries.push(delivery);
      const notification = delivery.body
        ? {
            messageType: 'notification',
            channelID,
            version,
            data: delivery.body.toString('base64url'),
            headers: { encoding: req.headers['content-encoding'] },
          }
        : { messageType: 'notification', channelID, version };
      for (const socket of sockets) socket.send(JSON.stringify(notification));
      res.setHeader('location', `${origin}/m/${version}`);
      answer(res, channelID, 201, null);
    });
  });

  await new Promise<void>((resolve) => wsHttp.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => senders.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(senders.address() as AddressInfo).port}`;

  return {
    serverUrl: `ws://127.0.0.1:${(wsHttp.address() as AddressInfo).port}/`,
    origin,
    ca: tls.cert,
    channels: () => [...channels.values()],
    deliveries: () => [...deliveries],
    answers: () => [...answers],
    rotateUaid() {
      uaid = crypto.randomUUID().replace(/-/g, '');
      for (const socket of sockets) socket.terminate();
    },
    settled(channelID, count, timeoutMs = 20_000) {
      const done = () => {
        const mine = deliveries.filter((d) => d.channelID === channelID);
        const settledOnes = mine.filter((d) => d.ack !== undefined || d.nack !== undefined);
        return settledOnes.length >= count ? settledOnes : null;
      };
      return new Promise((resolve, reject) => {
        const wake = () => {
          const result = done();
          if (!result) return;
          waiters.delete(wake);
          clearTimeout(timer);
          resolve(result);
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          const seen = deliveries.filter((d) => d.channelID === channelID);
          reject(new Error(`Firefox settled ${seen.filter((d) => d.ack || d.nack).length}/${count}`));
        }, timeoutMs);
        waiters.add(wake);
        wake();
      });
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => wsHttp.close(() => resolve()));
      senders.closeAllConnections();
      await new Promise<void>((resolve) => senders.close(() => resolve()));
    },
  };
}
