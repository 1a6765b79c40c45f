import { describe, expect, it } from 'vitest';
import type { ComposeOptions, Finding, MessageSpec } from '../../../../src/shared/compose.ts';
import { blocks, checkMessage, type CheckInput } from '../../../../src/main/core/compose/checker.ts';
import { budgetOf } from '../../../../src/main/core/payload/budget.ts';

const good: CheckInput = {
  message: {
    format: 'notification',
    notification: {
      title: 'Sale',
      body: 'Half price',
      icon: 'https://e.com/i.png',
      url: 'https://e.com/sale',
    },
  },
  options: { ttl: 3600, urgency: 'normal' },
  subject: 'mailto:ops@example.com',
  audience: { recipients: 10, byService: { fcm: 5, apple: 5 } },
  budget: budgetOf(100, true),
  placeholders: [],
};

const check = (patch: Partial<CheckInput>) => checkMessage({ ...good, ...patch });
const codes = (findings: Finding[]) => findings.map((f) => `${f.severity}:${f.code}`);
const withOptions = (options: Partial<ComposeOptions>) => check({ options: { ...good.options, ...options } });
const withNotification = (n: Partial<NonNullable<MessageSpec['notification']>>) =>
  check({ message: { format: 'notification', notification: { ...good.message.notification!, ...n } } });

describe('pre-send checker', () => {
  it('finds nothing wrong with a complete notification', () => {
    expect(check({})).toEqual([]);
  });

  it('gives every finding a message and a fix', () => {
    const findings = check({ subject: 'mailto:me@localhost', options: { ttl: -1, topic: 'a' } });
    expect(findings.length).toBeGreaterThan(1);
    for (const f of findings) {
      expect(f.message.length).toBeGreaterThan(10);
      expect(f.fix.length).toBeGreaterThan(3);
    }
  });

  it('blocks a subject push services refuse, with the subject rule that failed', () => {
    expect(codes(check({ subject: 'mailto:me@localhost' }))).toEqual(['block:VAPID_SUBJECT_LOCALHOST']);
    expect(codes(check({ subject: 'Ops <ops@example.com>' }))).toEqual(['block:VAPID_SUBJECT_INVALID']);
    expect(codes(check({ subject: 'ops@example.com' }))).toEqual(['block:VAPID_SUBJECT_SCHEME']);
  });

  it('blocks a TTL outside 0..2,419,200 and notes TTL 0', () => {
    expect(codes(withOptions({ ttl: 2_419_200 }))).toEqual([]);
    expect(codes(withOptions({ ttl: 2_419_201 }))).toEqual(['block:TTL_RANGE']);
    expect(codes(withOptions({ ttl: -1 }))).toEqual(['block:TTL_RANGE']);
    expect(codes(withOptions({ ttl: 1.5 }))).toEqual(['block:TTL_RANGE']);
    expect(codes(withOptions({ ttl: 0 }))).toEqual(['info:TTL_ZERO']);
  });

  it('checks the topic: alphabet, 32 characters, and Apple’s length rule', () => {
    expect(codes(withOptions({ topic: 'price-update' }))).toEqual([]);
    expect(codes(withOptions({ topic: 'a'.repeat(32) }))).toEqual([]);
    expect(codes(withOptions({ topic: 'a'.repeat(33) }))).toEqual(['block:TOPIC_TOO_LONG']);
    expect(codes(withOptions({ topic: 'price update' }))).toEqual(['block:TOPIC_ALPHABET']);
    const apple = withOptions({ topic: 'news1' });
    expect(codes(apple)).toEqual(['block:TOPIC_APPLE_LENGTH']);
    expect(apple[0]!.message).toMatch(/Apple/);
    // Pushdeck's sender refuses it for every service, so it blocks without Apple subscribers too.
    expect(
      codes(
        check({ options: { ttl: 60, topic: 'news1' }, audience: { recipients: 3, byService: { fcm: 3 } } }),
      ),
    ).toEqual(['block:TOPIC_APPLE_LENGTH']);
  });

  it('blocks a rate cap of zero or less', () => {
    expect(codes(withOptions({ rate: 0 }))).toEqual(['block:RATE_INVALID']);
    expect(codes(withOptions({ rate: -1 }))).toEqual(['block:RATE_INVALID']);
    expect(codes(withOptions({ rate: 0.5 }))).toEqual([]);
    expect(codes(withOptions({ rate: 100 }))).toEqual([]);
  });

  it('warns about silent pushes that Safari and iOS punish', () => {
    const none = check({ message: { format: 'none' } });
    expect(codes(none)).toEqual(['warn:SILENT_PUSH']);
    expect(none[0]!.message).toMatch(/Safari and iOS revoke/);
    expect(codes(withNotification({ title: '  ' }))).toEqual(['block:TITLE_MISSING']);
    expect(codes(check({ message: { format: 'raw', raw: '' } }))).toContain('block:RAW_EMPTY');
    expect(codes(check({ message: { format: 'raw', raw: '{"a":' } }))).toEqual([
      'warn:RAW_JSON_INVALID',
      'info:RAW_NEEDS_WORKER',
    ]);
  });

  it('warns about a missing icon and http images', () => {
    expect(codes(withNotification({ icon: undefined }))).toEqual(['warn:ICON_MISSING']);
    const http = withNotification({ icon: 'http://e.com/i.png', image: 'http://e.com/x.jpg' });
    expect(codes(http)).toEqual(['warn:IMAGE_HTTP', 'warn:IMAGE_HTTP']);
    expect(http[0]!.fix).toContain('https://e.com/i.png');
  });

  it('blocks renotify without a tag', () => {
    expect(codes(withNotification({ renotify: true }))).toEqual(['block:RENOTIFY_WITHOUT_TAG']);
    expect(codes(withNotification({ renotify: true, tag: 'sale' }))).toEqual([]);
  });

  it('blocks Declarative Web Push without an absolute https navigate URL', () => {
    const declarative = (url: string | undefined) =>
      check({ message: { format: 'declarative', notification: { ...good.message.notification!, url } } });
    expect(codes(declarative('https://e.com/sale'))).toEqual([]);
    expect(codes(declarative('https://e.com/{{plan}}'))).toEqual([]);
    expect(codes(declarative('/sale'))).toEqual(['block:DECLARATIVE_NAVIGATE']);
    expect(codes(declarative(undefined))).toEqual(['block:DECLARATIVE_NAVIGATE']);
  });

  it('blocks unknown placeholders and warns about ones some recipients lack', () => {
    expect(codes(check({ placeholders: [{ name: 'nick', missing: 10, hasDefault: false }] }))).toEqual([
      'block:PLACEHOLDER_UNKNOWN',
    ]);
    const some = check({ placeholders: [{ name: 'first_name', missing: 4, hasDefault: false }] });
    expect(codes(some)).toEqual(['warn:PLACEHOLDER_MISSING']);
    expect(some[0]!.fix).toContain('{{first_name|there}}');
    expect(codes(check({ placeholders: [{ name: 'first_name', missing: 10, hasDefault: true }] }))).toEqual(
      [],
    );
  });

  it('warns about braces that look like placeholders but are not', () => {
    const typo = withNotification({
      title: 'Hi {{first name}}',
      body: 'Hello {first_name}} and {{ok|fine}}',
    });
    expect(codes(typo)).toEqual(['warn:PLACEHOLDER_MALFORMED']);
    expect(typo[0]!.message).toContain('"{{first name}}" is not a placeholder');
    expect(codes(withNotification({ title: 'Hi {{first_name|there}}', data: { a: { b: 1 } } }))).toEqual([]);
    expect(codes(check({ message: { format: 'raw', raw: '{"a":{"b":{"c":1}}}' } }))).toEqual([
      'info:RAW_NEEDS_WORKER',
    ]);
  });

  it('blocks past 3993 bytes and warns past 3070', () => {
    expect(codes(check({ budget: budgetOf(3070, true) }))).toEqual([]);
    expect(codes(check({ budget: budgetOf(3071, true) }))).toEqual(['warn:PAYLOAD_FIREFOX_ANDROID']);
    expect(codes(check({ budget: budgetOf(3993, true) }))).toEqual(['warn:PAYLOAD_FIREFOX_ANDROID']);
    expect(codes(check({ budget: budgetOf(3994, true) }))).toEqual(['block:PAYLOAD_TOO_LARGE']);
    expect(blocks(check({ budget: budgetOf(3994, true) }))).toBe(true);
    expect(blocks(check({ budget: budgetOf(3993, true) }))).toBe(false);
  });

  it('blocks an empty audience', () => {
    expect(codes(check({ audience: { recipients: 0, byService: {} } }))).toEqual(['block:AUDIENCE_EMPTY']);
  });

  it('lists blocking findings first', () => {
    const findings = check({
      options: { ttl: 0 },
      message: { format: 'notification', notification: { title: '' } },
    });
    expect(findings[0]!.severity).toBe('block');
  });
});
