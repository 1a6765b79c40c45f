// Exports on a full disk (a real tmpfs): the file that was there keeps its content, no temporary or
// .partial file is left, and the error says so; with space again, the export replaces it whole.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendCampaign } from '../../../../src/main/core/campaigns/campaigns.ts';
import { writeResultsFile } from '../../../../src/main/core/results-export/results-file.ts';
import { exportToFile } from '../../../../src/main/core/subscriptions/export/list.ts';
import { smallDisk, type FullDisk } from '../../../support/full-disk.ts';
import { startPushService, type PushService } from '../../../support/push-service/server.ts';
import { testContext } from '../../../support/context.ts';
import { createTestApp } from '../../../support/fixtures.ts';
import { draft, subscribe } from '../campaigns/fixtures.ts';

describe('an export onto a full disk', () => {
  const ctx = testContext();
  let service: PushService;
  const disk: FullDisk = smallDisk(256);
  let campaignId: number;
  let appId: number;
  const previous = 'the previous export\n'.repeat(50);

  beforeAll(async () => {
    service = await startPushService();
    const app = createTestApp(ctx);
    appId = app.id;
    await subscribe(ctx, app, service, Array(120).fill('ok'));
    campaignId = draft(ctx, app);
    expect((await sendCampaign(ctx, campaignId)).state).toBe('completed');
  });
  afterAll(() => service.close());

  const files = () =>
    fs
      .readdirSync(disk.dir)
      .filter((name) => name !== '.filler')
      .sort();

  for (const [what, write] of [
    ['results.export', (file: string) => writeResultsFile(ctx, campaignId, 'csv', file)],
    ['subscriptions.export', async (file: string) => exportToFile(ctx.db, appId, {}, 'csv', file).count],
  ] as const) {
    it(`${what} keeps the previous file and leaves nothing behind, then replaces it once there is space`, async () => {
      const file = path.join(disk.dir, `${what}.csv`);
      fs.writeFileSync(file, previous);
      // About 4 KB free: the export (over 20 KB) cannot fit.
      disk.fill(4096);
      await expect(write(file)).rejects.toThrow(
        expect.objectContaining({
          code: 'EXPORT_WRITE_FAILED',
          message: expect.stringMatching(/ENOSPC.*The file that was there is unchanged\. The disk is full/),
        }),
      );
      expect(fs.readFileSync(file, 'utf8')).toBe(previous);
      expect(files()).toStrictEqual([path.basename(file)]);

      disk.free();
      expect(await write(file)).toBe(120);
      const text = fs.readFileSync(file, 'utf8');
      expect(text.trim().split(/\r?\n/)).toHaveLength(121);
      expect(text).toContain(service.origin);
      expect(files()).toStrictEqual([path.basename(file)]);
      fs.rmSync(file);
    });
  }
});
