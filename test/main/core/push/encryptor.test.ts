import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { encryptionPool, type Encryptor } from '../../../../src/main/core/push/encryptor.ts';
import { generateUserAgentKeys } from '../../../support/push-service/decrypt.ts';

/** The nice value of each thread of this process (Linux: field 19 of /proc/self/task/TID/stat). */
function threadNices(): number[] {
  return fs.readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    } catch {
      return []; // the thread ended meanwhile
    }
  });
}

async function encryptOne(pool: Encryptor): Promise<void> {
  const ua = await generateUserAgentKeys();
  const [result] = await pool.encrypt([
    {
      plaintext: new TextEncoder().encode('hello'),
      p256dh: Buffer.from(ua.publicKey).toString('base64url'),
      auth: Buffer.from(ua.auth).toString('base64url'),
    },
  ]);
  expect(result!.body!.byteLength).toBe(86 + 5 + 1 + 16);
}

/** Threads of this process running at nice 10 below its main thread. */
function lowered(): number {
  const nices = threadNices();
  return nices.filter((nice) => nice === Math.min(19, Math.min(...nices) + 10)).length;
}

describe('encryption threads’ priority', () => {
  let pool: Encryptor | null = null;
  afterEach(async () => {
    await pool?.close();
    pool = null;
  });

  it('runs a send’s encryption thread at the process’s priority', async () => {
    const before = lowered();
    pool = encryptionPool(1, { lowPriority: false });
    await encryptOne(pool);
    expect(lowered()).toBe(before);
  });

  it('runs a background encryption thread at nice 10 below the process', async () => {
    const before = lowered();
    pool = encryptionPool(1);
    await encryptOne(pool);
    expect(lowered()).toBe(before + 1);
  });
});
