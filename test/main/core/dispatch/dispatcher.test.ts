import { describe, expect, it } from 'vitest';
import { channelNames } from '../../../../src/shared/contract.ts';
import { PushdeckError, unwrapEnvelope } from '../../../../src/shared/errors.ts';
import { appendAudit } from '../../../../src/main/core/audit-log/append.ts';
import { createDispatcher, dispatch } from '../../../../src/main/core/dispatch/dispatcher.ts';
import { mergeUnique } from '../../../../src/shared/channel.ts';
import { createHandlers } from '../../../../src/main/core/dispatch/handler-table.ts';
import { testContext } from '../../../support/context.ts';

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
    const envelope = await dispatch(
      crashing,
      'doctor.report',
      {},
      { log: (message) => logged.push(message) },
    );
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

describe('the dispatcher’s policy', () => {
  const ctx = testContext();
  const handlers = createHandlers(ctx);
  const failWith = (error: unknown) => ({
    ...handlers,
    'doctor.report': () => {
      throw error;
    },
  });

  it('answers a SQLite or file-system error (it has a string code too) as INTERNAL, and logs it whole', async () => {
    const foreign = Object.assign(
      new Error("ENOENT: no such file or directory, open '/home/ann/secret.db'"),
      {
        code: 'ENOENT',
      },
    );
    const logged: unknown[] = [];
    const envelope = await dispatch(
      failWith(foreign),
      'doctor.report',
      {},
      {
        log: (_message, error) => logged.push(error),
      },
    );
    expect(envelope).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Something went wrong in doctor.report. See the log for details.' },
    });
    expect(logged).toEqual([foreign]);
  });

  it('lets a PushdeckError’s code cross, without logging it', async () => {
    const logged: unknown[] = [];
    const envelope = await dispatch(
      failWith(new PushdeckError('APP_NOT_FOUND', 'No app 7.')),
      'doctor.report',
      {},
      {
        log: (_message, error) => logged.push(error),
      },
    );
    expect(envelope).toEqual({ ok: false, error: { code: 'APP_NOT_FOUND', message: 'No app 7.' } });
    expect(logged).toEqual([]);
  });

  it('stamps the caller’s actor on the audit entries of the call, its later steps included', async () => {
    const audited = {
      ...handlers,
      'doctor.report': async () => {
        appendAudit(ctx.db, 1, { action: 'test.first' });
        await new Promise((resolve) => setTimeout(resolve, 5));
        appendAudit(ctx.db, 2, { action: 'test.later' });
        return handlers['doctor.report']({});
      },
    };
    await dispatch(audited, 'doctor.report', {}, { actor: 'cli' });
    await dispatch(audited, 'doctor.report', {});
    const rows = ctx.db
      .prepare("SELECT actor, action FROM audit_log WHERE action LIKE 'test.%' ORDER BY id")
      .all();
    expect(rows).toEqual([
      { actor: 'cli', action: 'test.first' },
      { actor: 'cli', action: 'test.later' },
      { actor: 'app', action: 'test.first' },
      { actor: 'app', action: 'test.later' },
    ]);
  });

  it('in process, returns the result or throws the envelope’s error as a PushdeckError', async () => {
    const cli = createDispatcher({ context: ctx, actor: 'cli', log: () => undefined });
    expect(await cli.call('doctor.report', {})).toMatchObject({ dbPath: ctx.dbPath });
    await expect(
      cli.call('apps.setSubject', { appId: 999, subject: 'mailto:a@example.com' }),
    ).rejects.toMatchObject({
      name: 'PushdeckError',
      code: 'APP_NOT_FOUND',
    });
    await expect(cli.call('doctor.report', { extra: 1 } as never)).rejects.toMatchObject({
      code: 'IPC_INVALID_INPUT',
    });
  });

  it('refuses to merge two handler maps that both define a channel', () => {
    const one = { 'doctor.report': () => 1 };
    expect(() => mergeUnique(one, { 'apps.list': () => [] }, { 'doctor.report': () => 2 })).toThrow(
      'Channel doctor.report is defined twice.',
    );
  });
});
