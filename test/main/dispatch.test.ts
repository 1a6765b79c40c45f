import { describe, expect, it } from 'vitest';
import { channelNames } from '../../src/shared/contract.ts';
import { PushdeckError, unwrapEnvelope } from '../../src/shared/errors.ts';
import { dispatch } from '../../src/main/dispatch.ts';
import { createHandlers } from '../../src/main/handlers.ts';
import { testContext } from '../support/context.ts';

describe('dispatch', () => {
  const ctx = testContext();
  const handlers = createHandlers(ctx);

  it('has a handler for every channel in the contract', () => {
    expect(Object.keys(handlers).sort()).toEqual([...channelNames].sort());
  });

  it('answers a valid request with ok and the result', async () => {
    const envelope = await dispatch(handlers, 'doctor.report', {});
    expect(envelope.ok).toBe(true);
    expect(unwrapEnvelope(envelope)).toMatchObject({ dbPath: ctx.dbPath, schemaVersion: expect.any(Number) });
  });

  it('refuses an unknown channel with IPC_UNKNOWN_CHANNEL', async () => {
    expect(await dispatch(handlers, 'fs.readFile', {})).toEqual({
      ok: false,
      error: { code: 'IPC_UNKNOWN_CHANNEL', message: expect.stringContaining('fs.readFile') },
    });
    expect(await dispatch(handlers, '__proto__', {})).toMatchObject({
      ok: false,
      error: { code: 'IPC_UNKNOWN_CHANNEL' },
    });
  });

  it('refuses input that does not match the schema with IPC_INVALID_INPUT', async () => {
    const envelope = await dispatch(handlers, 'doctor.report', { extra: true });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_INPUT' } });
  });

  it('carries a PushdeckError code across, and hides unexpected errors behind INTERNAL', async () => {
    const failing = {
      ...handlers,
      'doctor.report': () => {
        throw new PushdeckError('SOME_CODE', 'Do this to fix it.');
      },
    };
    expect(await dispatch(failing, 'doctor.report', {})).toEqual({
      ok: false,
      error: { code: 'SOME_CODE', message: 'Do this to fix it.' },
    });
    const crashing = {
      ...handlers,
      'doctor.report': () => {
        throw new Error('secret internals');
      },
    };
    const logged: string[] = [];
    const envelope = await dispatch(crashing, 'doctor.report', {}, (message) => logged.push(message));
    expect(envelope).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(envelope)).not.toContain('secret internals');
    expect(logged).toHaveLength(1);
  });

  it('rebuilds an Error with its code on the receiving side', () => {
    try {
      unwrapEnvelope({ ok: false, error: { code: 'X_CODE', message: 'm' } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PushdeckError);
      expect((error as PushdeckError).code).toBe('X_CODE');
    }
  });
});
