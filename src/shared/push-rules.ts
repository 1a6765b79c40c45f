// The push protocol's limits on TTL, Urgency and Topic (RFC 8030 §5), shared by the IPC schemas and the
// sender. Plain TypeScript without zod: the sending threads load it too, and stay small.

/** FCM refuses a TTL above 28 days (autopush clamps at 30): RFC 8030 §5.2 leaves the maximum to the service. */
export const MAX_TTL_SECONDS = 2_419_200;

export const urgencies = ['very-low', 'low', 'normal', 'high'] as const;
export type Urgency = (typeof urgencies)[number];

/** What a send gets when nobody chose: a day to reach the device (RFC 8030 §5.2 requires a TTL), urgency normal. */
export const DEFAULT_TTL_SECONDS = 86_400;
export const DEFAULT_URGENCY: Urgency = 'normal';

/** Why push services would refuse this Topic (RFC 8030 §5.4, and Apple's length rule), or null. */
export function topicProblem(topic: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(topic)) return 'A topic is 1 to 32 characters of A-Z, a-z, 0-9, - and _.';
  if (topic.length % 4 === 1) {
    return 'Apple refuses a topic whose length is 1, 5, 9 … (≡ 1 mod 4): add or remove a character.';
  }
  return null;
}
