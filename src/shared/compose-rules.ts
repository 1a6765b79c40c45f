// The compose feature's plain rules and names, without zod: the sending threads load the audience query,
// which needs these, and stay small (compose.ts re-exports everything here).

export const payloadFormats = ['notification', 'declarative', 'raw', 'none'] as const;
export type PayloadFormat = (typeof payloadFormats)[number];

export const pushServices = ['fcm', 'mozilla', 'apple', 'wns', 'other'] as const;
export type PushService = (typeof pushServices)[number];

/** The tag that puts a subscription in the "test devices" group. */
export const TEST_DEVICE_TAG = 'test-device';

/** RFC 8291 §4: one record of at most 4096 bytes, so at most 3993 bytes of plaintext. */
export const PAYLOAD_LIMIT_BYTES = 3993;
/** Firefox on Android accepts about this much. */
export const FIREFOX_ANDROID_LIMIT_BYTES = 3070;

/**
 * RFC 8030 §5.4: a topic is at most 32 characters of the URL-safe base64 alphabet. Apple also rejects a
 * topic whose length is ≡ 1 (mod 4), because no base64 text has that length. Null when the topic is fine.
 */
export function topicProblem(topic: string): { code: string; message: string; appleOnly: boolean } | null {
  if (topic.length > 32) {
    return {
      code: 'TOPIC_TOO_LONG',
      message: `The topic has ${topic.length} characters; the limit is 32.`,
      appleOnly: false,
    };
  }
  if (!/^[A-Za-z0-9_-]*$/.test(topic)) {
    return {
      code: 'TOPIC_ALPHABET',
      message: 'A topic may only use letters, digits, "-" and "_" (the URL-safe base64 alphabet).',
      appleOnly: false,
    };
  }
  if (topic.length % 4 === 1) {
    return {
      code: 'TOPIC_APPLE_LENGTH',
      message: `Apple rejects a topic of ${topic.length} characters: no base64 text is 1 more than a multiple of 4 long.`,
      appleOnly: true,
    };
  }
  return null;
}
