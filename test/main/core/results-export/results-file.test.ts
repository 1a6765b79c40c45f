import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign, sendCampaign } from '../../../../src/main/core/campaigns/campaigns.ts';
import {
  csvField,
  saveResultsFile,
  writeResultsFile,
} from '../../../../src/main/core/results-export/results-file.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';
import { insertSubscriptions } from '../../../support/push-service/subscribers.ts';
import { runPushdeck } from '../../../support/cli.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { tempDir } from '../../../support/temp-dir.ts';

describe('results export', () => {
  let service: PushService;
  const dir = tempDir();
  beforeAll(async () => {
    service = await startPushService();
  });
  afterAll(() => service.close());

  it('quotes CSV fields by RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(410)).toBe('410');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"\nbye')).toBe('"say ""hi""\nbye"');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('-1')).toBe("'-1");
  });

  it('writes every delivery as CSV and as JSON, without the message', async () => {
    const ctx = testContext();
    const app = createTestApp(ctx);
    const subs = [];
    for (const behaviour of ['ok', 'ok', '410', '413'] as const) {
      subs.push(await service.subscribe({ applicationServerKey: app.publicKey!, behaviour }));
    }
    insertSubscriptions(
      ctx.db,
      app.id,
      subs.map((s, i) => ({ ...s, label: i === 0 ? 'Smith, "Jo"' : null })),
    );
    const { campaign } = createCampaign(ctx, {
      appId: app.id,
      name: 'Export me',
      message: { format: 'notification', notification: { title: 'Private title', body: 'secret body' } },
      audience: {},
    });
    await sendCampaign(ctx, campaign.id);

    const csvFile = path.join(dir, 'r.csv');
    expect(await writeResultsFile(ctx, campaign.id, 'csv', csvFile)).toBe(4);
    const lines = fs.readFileSync(csvFile, 'utf8').split('\r\n');
    expect(lines[0]).toBe(
      'subscriptionId,endpoint,pushService,label,state,outcome,httpStatus,reason,bodyExcerpt,attempts,latencyMs,updatedAt,timeZone,releaseAt',
    );
    expect(lines).toHaveLength(6); // header, 4 rows, the empty string after the last CRLF
    expect(lines[1]).toContain('"Smith, ""Jo"""');
    expect(lines.filter((l) => l.includes(',sent,delivered,201,')).length).toBe(2);
    expect(lines.some((l) => l.includes(',expired,expired,410,'))).toBe(true);

    const jsonFile = path.join(dir, 'r.json');
    expect(await writeResultsFile(ctx, campaign.id, 'json', jsonFile)).toBe(4);
    const text = fs.readFileSync(jsonFile, 'utf8');
    const json = JSON.parse(text) as {
      campaign: { byStatus: Record<string, number> };
      deliveries: { state: string }[];
    };
    expect(json.campaign.byStatus).toEqual({ '201': 2, '410': 1, '413': 1 });
    expect(json.deliveries.map((d) => d.state).sort()).toEqual(['expired', 'failed', 'sent', 'sent']);
    expect(text).not.toContain('secret body');

    // The desktop flow asks where to save; a cancelled dialog writes nothing.
    const asked: string[] = [];
    const desktop = Object.assign(Object.create(ctx) as typeof ctx, {
      chooseSaveFile: async ({ defaultName }: { defaultName: string }) => {
        asked.push(defaultName);
        return asked.length === 1 ? path.join(dir, 'saved.json') : null;
      },
    });
    expect(await saveResultsFile(desktop, campaign.id, 'json')).toEqual({
      saved: true,
      path: path.join(dir, 'saved.json'),
      rows: 4,
    });
    expect(await saveResultsFile(desktop, campaign.id, 'csv')).toEqual({ saved: false, path: null, rows: 0 });
    expect(asked).toEqual([
      `pushdeck-${campaign.id}-Export-me.json`,
      `pushdeck-${campaign.id}-Export-me.csv`,
    ]);
    await expect(saveResultsFile(ctx, campaign.id, 'csv')).rejects.toMatchObject({
      code: 'EXPORT_UNAVAILABLE',
    });

    // And headless.
    ctx.db.close();
    const out = path.join(dir, 'cli.csv');
    const cli = await runPushdeck(['campaign', 'export', String(campaign.id), '--out', out], {
      env: { PUSHDECK_DB: ctx.dbPath },
    });
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toBe(`Wrote 4 deliveries of campaign ${campaign.id} to ${out}.\n`);
    expect(fs.readFileSync(out, 'utf8')).toBe(fs.readFileSync(csvFile, 'utf8'));
  });
});
