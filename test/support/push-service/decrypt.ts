// The user agent's side of RFC 8291, written independently of the sender (WebCrypto, HKDF as a whole,
// header parsed field by field), so that a test passing means two implementations agree.
const { subtle } = globalThis.crypto;
type Bytes = Uint8Array<ArrayBuffer>;
const utf8 = (text: string): Bytes => new TextEncoder().encode(text);
/** A copy on its own ArrayBuffer, as WebCrypto wants. */
const own = (view: Uint8Array): Bytes => new Uint8Array(view);

export interface UserAgentKeys {
  privateKey: CryptoKey;
  /** 65-byte uncompressed point: the subscription's p256dh. */
  publicKey: Bytes;
  /** 16 bytes: the subscription's auth. */
  auth: Bytes;
}

export async function generateUserAgentKeys(): Promise<UserAgentKeys> {
  const pair = (await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, [
    'deriveBits',
  ])) as CryptoKeyPair;
  const publicKey = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
  return {
    privateKey: pair.privateKey,
    publicKey,
    auth: globalThis.crypto.getRandomValues(new Uint8Array(16)),
  };
}

async function hkdf(ikm: ArrayBuffer, salt: Bytes, info: Bytes, bits: number) {
  const key = await subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  return subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, key, bits);
}

function concat(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Decrypts an aes128gcm push body; throws with a short reason when it is malformed. */
export async function decryptPushBody(body: Uint8Array, keys: UserAgentKeys): Promise<Uint8Array> {
  if (body.length < 21) throw new Error('body shorter than the aes128gcm header');
  const salt = own(body.subarray(0, 16));
  const recordSize = new DataView(body.buffer, body.byteOffset + 16, 4).getUint32(0);
  const idLength = body[20]!;
  if (idLength !== 65) throw new Error(`keyid must be the 65-byte sender key, got ${idLength} bytes`);
  const senderPublic = own(body.subarray(21, 21 + idLength));
  const record = own(body.subarray(21 + idLength));
  if (record.length > recordSize) throw new Error('more than one record: the sender must send exactly one');
  if (record.length < 17) throw new Error('record shorter than the tag');

  const senderKey = await subtle.importKey(
    'raw',
    senderPublic,
    { name: 'ECDH', namedCurve: 'P-256' },
    false,
    [],
  );
  const shared = await subtle.deriveBits({ name: 'ECDH', public: senderKey }, keys.privateKey, 256);
  const ikm = await hkdf(
    shared,
    keys.auth,
    concat(utf8('WebPush: info\0'), keys.publicKey, senderPublic),
    256,
  );
  const cek = await hkdf(ikm, salt, utf8('Content-Encoding: aes128gcm\0'), 128);
  const nonce = await hkdf(ikm, salt, utf8('Content-Encoding: nonce\0'), 96);
  const aesKey = await subtle.importKey('raw', cek, 'AES-GCM', false, ['decrypt']);
  const padded = new Uint8Array(
    await subtle.decrypt({ name: 'AES-GCM', iv: nonce, tagLength: 128 }, aesKey, record),
  );
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (end < 0 || padded[end] !== 2) throw new Error('the last record must end with the 0x02 delimiter');
  return padded.subarray(0, end);
}
