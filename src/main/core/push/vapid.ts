// VAPID (RFC 8292) for a run of sends: one JWT per (push-service origin, key), reused until shortly before
// it expires. web-push signs a fresh JWT for every message, which is most of its cost per message.
import { signVapidJwt, vapidAuthorization } from '../keys/vapid-jwt.ts';

export interface VapidKey {
  keyId: number;
  /** base64url, 65-byte uncompressed point. */
  publicKey: string;
  /** 32-byte private scalar. */
  privateKey: Buffer;
}

/** RFC 8292 §2: `exp` at most 24 h ahead; 12 h leaves room for a sender's clock running fast. */
export const JWT_LIFETIME_S = 12 * 3600;
/** Sign again when less than this is left, so no request carries a JWT about to expire in flight. */
export const JWT_RENEW_BEFORE_S = 3600;

interface Entry {
  header: string;
  expiresAt: number;
}

export class VapidHeaders {
  readonly #subject: string;
  readonly #now: () => number;
  readonly #cache = new Map<string, Entry>();
  #signed = 0;

  constructor(subject: string, now: () => number = Date.now) {
    this.#subject = subject;
    this.#now = now;
  }

  /** How many JWTs have been signed (for tests and the benchmark). */
  get signed(): number {
    return this.#signed;
  }

  /** The Authorization header for a request to this origin (`https://host:port`) with this key. */
  authorization(origin: string, key: VapidKey): string {
    const cacheKey = `${key.keyId}|${origin}`;
    const nowS = Math.floor(this.#now() / 1000);
    const cached = this.#cache.get(cacheKey);
    if (cached && cached.expiresAt - nowS > JWT_RENEW_BEFORE_S) return cached.header;
    const expiresAt = nowS + JWT_LIFETIME_S;
    const jwt = signVapidJwt({
      audience: origin,
      subject: this.#subject,
      privateKey: key.privateKey,
      publicKey: key.publicKey,
      expiresAt,
    });
    this.#signed += 1;
    const entry = { header: vapidAuthorization(jwt, key.publicKey), expiresAt };
    this.#cache.set(cacheKey, entry);
    return entry.header;
  }
}
