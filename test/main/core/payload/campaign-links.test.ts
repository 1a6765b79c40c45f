import { describe, expect, it } from 'vitest';
import { campaignSlug } from '../../../../src/shared/campaign-link-rules.ts';
import type { MessageSpec } from '../../../../src/shared/compose.ts';
import { payloadBytes } from '../../../../src/main/core/payload/budget.ts';
import { payloadText } from '../../../../src/main/core/payload/build.ts';
import {
  tagUrl,
  utmParams,
  withResolvedLinks,
  type UtmParams,
} from '../../../../src/main/core/payload/campaign-links.ts';

const params: UtmParams = [
  ['utm_source', 'pushdeck'],
  ['utm_medium', 'push'],
  ['utm_campaign', 'spring-sale'],
  ['utm_content', 'A'],
];
const tags = 'utm_source=pushdeck&utm_medium=push&utm_campaign=spring-sale&utm_content=A';
const nobody = { label: null, fields: null };

describe('tagUrl', () => {
  it('appends the parameters to a URL without a query', () => {
    expect(tagUrl('https://shop.example/sale', params)).toBe(`https://shop.example/sale?${tags}`);
  });

  it('keeps the existing query byte for byte and the fragment after the new parameters', () => {
    expect(tagUrl('https://shop.example/sale?q=a%20b&x=1#top', params)).toBe(
      `https://shop.example/sale?q=a%20b&x=1&${tags}#top`,
    );
    expect(tagUrl('https://shop.example/sale?#top', params)).toBe(`https://shop.example/sale?${tags}#top`);
    expect(tagUrl('https://shop.example/?a=1&', params)).toBe(`https://shop.example/?a=1&${tags}`);
  });

  it('keeps a UTM parameter the link already has instead of replacing it', () => {
    expect(tagUrl('https://shop.example/?utm_source=newsletter&utm_content=hero', params)).toBe(
      'https://shop.example/?utm_source=newsletter&utm_content=hero&utm_medium=push&utm_campaign=spring-sale',
    );
  });

  it('tags relative URLs, and leaves other schemes and empty URLs alone', () => {
    expect(tagUrl('/sale#x', params)).toBe(`/sale?${tags}#x`);
    expect(tagUrl('//cdn.example/a', params)).toBe(`//cdn.example/a?${tags}`);
    expect(tagUrl('mailto:ops@shop.example', params)).toBe('mailto:ops@shop.example');
    expect(tagUrl('tel:+4412345', params)).toBe('tel:+4412345');
    expect(tagUrl('', params)).toBe('');
  });

  it('percent-encodes values', () => {
    expect(tagUrl('/a', [['utm_campaign', 'a b&c=d']])).toBe('/a?utm_campaign=a%20b%26c%3Dd');
  });
});

describe('UTM parameters of a message', () => {
  it('defaults to pushdeck / push / the title’s slug, and adds utm_content only for a variant', () => {
    expect(utmParams({}, 'Hi {{first_name}}, 30 % off!')).toEqual([
      ['utm_source', 'pushdeck'],
      ['utm_medium', 'push'],
      ['utm_campaign', 'hi-first-name-30-off'],
    ]);
    expect(utmParams({ source: 'news', content: 'B' }, 'x')).toContainEqual(['utm_content', 'B']);
    expect(campaignSlug('Été — Soldes !')).toBe('ete-soldes');
    expect(campaignSlug('!!!')).toBe('campaign');
  });

  it('writes the values out when a campaign is created, utm_campaign from its name', () => {
    const message: MessageSpec = { format: 'notification', notification: { title: 'Hi' }, utm: {} };
    expect(withResolvedLinks(message, 'Spring sale 2026').utm).toEqual({
      source: 'pushdeck',
      medium: 'push',
      campaign: 'spring-sale-2026',
    });
    expect(withResolvedLinks(message, undefined, 'B').utm).toEqual({
      source: 'pushdeck',
      medium: 'push',
      campaign: 'hi',
      content: 'B',
    });
    const untagged: MessageSpec = { format: 'notification', notification: { title: 'Hi' } };
    expect(withResolvedLinks(untagged, 'x')).toBe(untagged);
  });
});

describe('payloads with campaign links', () => {
  const message: MessageSpec = {
    format: 'notification',
    notification: {
      title: 'Spring',
      url: 'https://shop.example/{{page|sale}}?ref=push#deals',
      actions: [
        { action: 'buy', title: 'Buy', url: '/buy' },
        { action: 'later', title: 'Later' },
      ],
      data: { link: 'https://shop.example/data' },
    },
    utm: { source: 'pushdeck', medium: 'push', campaign: 'spring-sale', content: 'A' },
  };

  it('tags the notification URL (after filling its placeholders) and each button’s URL', () => {
    const sent = JSON.parse(payloadText(message, { label: null, fields: { page: 'shoes' } })!);
    expect(sent.url).toBe(`https://shop.example/shoes?ref=push&${tags}#deals`);
    expect(sent.actions).toEqual([
      { action: 'buy', title: 'Buy', url: `/buy?${tags}` },
      { action: 'later', title: 'Later' },
    ]);
    // Custom data is the service worker's own: left as written.
    expect(sent.data).toEqual({ link: 'https://shop.example/data' });
  });

  it('tags Declarative Web Push’s navigate URLs', () => {
    const sent = JSON.parse(payloadText({ ...message, format: 'declarative' }, nobody)!);
    expect(sent.notification.navigate).toBe(`https://shop.example/sale?ref=push&${tags}#deals`);
    expect(sent.notification.actions[0].navigate).toBe(`/buy?${tags}`);
  });

  it('leaves a raw payload as written', () => {
    const raw: MessageSpec = { format: 'raw', raw: '{"url":"https://shop.example/"}', utm: {} };
    expect(payloadText(raw, nobody)).toBe('{"url":"https://shop.example/"}');
  });

  it('counts the tags in the byte budget', () => {
    const { utm: _utm, ...plain } = message;
    const added = `&${tags}`.length + `?${tags}`.length;
    expect(payloadBytes(message, nobody) - payloadBytes(plain, nobody)).toBe(added);
  });
});
