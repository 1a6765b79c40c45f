import { describe, expect, it } from 'vitest';
import { parseKeyText } from '../../../../src/main/core/keys/key-file.ts';
import { PushdeckError } from '../../../../src/shared/errors.ts';

describe('parseKeyText', () => {
  it('reads the JSON that web-push generate-vapid-keys --json prints', () => {
    expect(parseKeyText('{"publicKey":"BPub","privateKey":"priv"}\n')).toEqual({
      publicKey: 'BPub',
      privateKey: 'priv',
      subject: null,
    });
  });

  it('reads a .env file with comments, export, quotes and framework prefixes', () => {
    const text = [
      '# push',
      'export NEXT_PUBLIC_VAPID_PUBLIC_KEY="BPub"',
      "VAPID_PRIVATE_KEY='priv'",
      'VAPID_SUBJECT=mailto:ops@example.com # who to call',
      'OTHER=1',
    ].join('\r\n');
    expect(parseKeyText(text)).toEqual({
      publicKey: 'BPub',
      privateKey: 'priv',
      subject: 'mailto:ops@example.com',
    });
  });

  it('names what is missing', () => {
    const code = (text: string) => {
      try {
        parseKeyText(text);
        return 'none';
      } catch (error) {
        return (error as PushdeckError).code;
      }
    };
    expect(code('hello')).toBe('KEY_FILE_UNRECOGNISED');
    expect(code('VAPID_PRIVATE_KEY=x')).toBe('VAPID_PUBLIC_KEY_MISSING');
    expect(code('VAPID_PUBLIC_KEY=x')).toBe('VAPID_PRIVATE_KEY_MISSING');
  });
});
