import { describe, expect, it } from 'vitest';
import type { MessageSpec } from '../../../../src/shared/compose.ts';
import { buildPayload, payloadText } from '../../../../src/main/core/payload/build.ts';
import { largestPayloadBound, payloadBytes } from '../../../../src/main/core/payload/budget.ts';
import { messagePlaceholders, type Recipient } from '../../../../src/main/core/payload/personalise.ts';

const nobody = { label: null, fields: null };
const ada = { label: 'Ada', fields: { first_name: 'Ada', plan: 'pro', visits: 42 } };

const json = (message: MessageSpec, recipient: Recipient = nobody) =>
  JSON.parse(payloadText(message, recipient)!) as unknown;

describe('placeholders and Object.prototype', () => {
  it('fills only own fields and vars: {{constructor}} and {{__proto__}} are empty, not inherited members', () => {
    const message: MessageSpec = {
      format: 'notification',
      notification: { title: 'Hello {{constructor}}{{__proto__|!}}' },
      vars: { first_name: 'x' },
    };
    expect(json(message, { label: null, fields: {} })).toEqual({ title: 'Hello !' });
    expect(messagePlaceholders(message)).toEqual([
      { name: 'constructor', hasDefault: false },
      { name: '__proto__', hasDefault: true },
    ]);
    const raw: MessageSpec = {
      format: 'raw',
      raw: '{"t":"Hi {{toString}} {{first_name}}"}',
      vars: { first_name: 'x' },
    };
    expect(json(raw, ada)).toEqual({ t: 'Hi  Ada' });
  });
});

describe('buildPayload', () => {
  const full: MessageSpec = {
    format: 'notification',
    notification: {
      title: 'Sale',
      body: 'Half price',
      icon: 'https://example.com/icon.png',
      image: 'https://example.com/hero.jpg',
      badge: 'https://example.com/badge.png',
      url: 'https://example.com/sale',
      tag: 'sale',
      renotify: true,
      requireInteraction: true,
      dir: 'ltr',
      lang: 'en',
      timestamp: 1_700_000_000_000,
      actions: [{ action: 'buy', title: 'Buy', url: 'https://example.com/buy' }],
      data: { campaign: 7 },
    },
  };

  it('sends the service-worker JSON as the notification object itself', () => {
    expect(json(full)).toEqual(full.notification);
  });

  it('leaves unset and empty fields out of the service-worker JSON', () => {
    const bytes = buildPayload(
      { format: 'notification', notification: { title: 'Hi', body: '', dir: 'auto' } },
      nobody,
    );
    expect(bytes!.toString('utf8')).toBe('{"title":"Hi"}');
  });

  it('builds Declarative Web Push with web_push 8030, navigate and action navigate', () => {
    expect(json({ ...full, format: 'declarative', appBadge: 3, mutable: true })).toEqual({
      web_push: 8030,
      notification: {
        title: 'Sale',
        navigate: 'https://example.com/sale',
        body: 'Half price',
        icon: 'https://example.com/icon.png',
        image: 'https://example.com/hero.jpg',
        badge: 'https://example.com/badge.png',
        tag: 'sale',
        renotify: true,
        requireInteraction: true,
        dir: 'ltr',
        lang: 'en',
        timestamp: 1_700_000_000_000,
        actions: [{ action: 'buy', title: 'Buy', navigate: 'https://example.com/buy' }],
        data: { campaign: 7 },
      },
      app_badge: 3,
      mutable: true,
    });
    expect(
      payloadText({ format: 'declarative', notification: { title: 'T', url: 'https://e.com/' } }, nobody),
    ).toBe('{"web_push":8030,"notification":{"title":"T","navigate":"https://e.com/"}}');
  });

  it('sends raw text and raw JSON byte for byte', () => {
    expect(buildPayload({ format: 'raw', raw: 'plain ünïcode' }, nobody)).toEqual(
      Buffer.from('plain ünïcode'),
    );
    const raw = '{ "kind": "sync",\n  "n": 1 }';
    expect(buildPayload({ format: 'raw', raw }, nobody)!.toString()).toBe(raw);
  });

  it('sends no payload at all for format none', () => {
    expect(buildPayload({ format: 'none' }, ada)).toBeNull();
  });
});

describe('personalisation', () => {
  const hello = (title: string, vars?: Record<string, string>): MessageSpec => ({
    format: 'notification',
    notification: { title },
    vars,
  });
  const title = (message: MessageSpec, recipient: Parameters<typeof payloadText>[1]) =>
    (json(message, recipient) as { title: string }).title;

  it('fills fields and the label, with spaces allowed inside the braces', () => {
    expect(title(hello('Hi {{first_name}}, {{ label }} on {{plan}} ({{visits}})'), ada)).toBe(
      'Hi Ada, Ada on pro (42)',
    );
  });

  it('uses the subscription value, then the message var, then the inline default', () => {
    expect(title(hello('Hi {{first_name|there}}'), ada)).toBe('Hi Ada');
    expect(title(hello('Hi {{first_name|there}}'), nobody)).toBe('Hi there');
    expect(title(hello('Hi {{first_name|there}}', { first_name: 'friend' }), nobody)).toBe('Hi friend');
    expect(
      title(hello('Hi {{first_name}}', { first_name: 'friend' }), {
        label: null,
        fields: { first_name: '' },
      }),
    ).toBe('Hi friend');
  });

  it('leaves an unknown field without default empty and reports it as uncovered', () => {
    expect(title(hello('Hi {{nickname}}!'), ada)).toBe('Hi !');
    expect(messagePlaceholders(hello('{{nickname}} {{first_name|x}} {{plan}}', { plan: 'free' }))).toEqual([
      { name: 'nickname', hasDefault: false },
      { name: 'first_name', hasDefault: true },
      { name: 'plan', hasDefault: true },
    ]);
    // One occurrence without a default is enough to leave the name uncovered.
    expect(messagePlaceholders(hello('{{a|x}} {{a}}'))).toEqual([{ name: 'a', hasDefault: false }]);
  });

  it('escapes values in JSON so that quotes, backslashes and newlines cannot break the payload', () => {
    const evil = { label: null, fields: { first_name: 'A"}\\\n<b>' } };
    const message = hello('Hi {{first_name}}');
    expect(title(message, evil)).toBe('Hi A"}\\\n<b>');
    const raw: MessageSpec = { format: 'raw', raw: '{"greeting": "Hi {{first_name}}", "n": 1}' };
    expect(JSON.parse(payloadText(raw, evil)!)).toEqual({ greeting: 'Hi A"}\\\n<b>', n: 1 });
    // Raw text that is not JSON takes the value as is.
    expect(payloadText({ format: 'raw', raw: 'Hi {{first_name}}' }, evil)).toBe('Hi A"}\\\n<b>');
  });

  it('fills placeholders in URLs, action titles and custom data', () => {
    const message: MessageSpec = {
      format: 'notification',
      notification: {
        title: 'x',
        url: 'https://e.com/u/{{plan}}',
        actions: [{ action: 'a', title: 'Go {{first_name}}', url: 'https://e.com/{{plan}}' }],
        data: { who: '{{first_name}}', nested: ['{{plan}}'] },
      },
    };
    expect(json(message, ada)).toEqual({
      title: 'x',
      url: 'https://e.com/u/pro',
      actions: [{ action: 'a', title: 'Go Ada', url: 'https://e.com/pro' }],
      data: { who: 'Ada', nested: ['pro'] },
    });
  });
});

describe('byte budget', () => {
  // '{"title":""}' is 12 bytes of JSON around the title.
  const ofSize = (bytes: number): MessageSpec => ({
    format: 'notification',
    notification: { title: 'a'.repeat(bytes - 12) },
  });

  it('measures exactly at the 3993-byte boundary', () => {
    expect(payloadBytes(ofSize(3993), nobody)).toBe(3993);
    expect(payloadBytes(ofSize(3994), nobody)).toBe(3994);
    expect(payloadBytes({ format: 'raw', raw: 'é'.repeat(1997) }, nobody)).toBe(3994);
  });

  it('counts UTF-8 bytes and JSON escapes, not characters', () => {
    expect(payloadBytes({ format: 'raw', raw: '€' }, nobody)).toBe(3);
    expect(payloadBytes({ format: 'notification', notification: { title: '"' } }, nobody)).toBe(14);
  });

  it('bounds the largest payload from per-field maxima, choosing a longer default where a field is missing', () => {
    const message: MessageSpec = {
      format: 'notification',
      notification: { title: '{{first_name|a long default}}' },
    };
    expect(largestPayloadBound(message, new Map([['first_name', { missing: 0, maxBytes: 5 }]]))).toBe(12 + 5);
    expect(largestPayloadBound(message, new Map([['first_name', { missing: 3, maxBytes: 5 }]]))).toBe(
      12 + 'a long default'.length,
    );
  });
});
