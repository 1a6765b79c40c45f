// The composer suites' database: one app, shop.example, and its subscribers, written before the window opens.
import { createApp } from '../../src/main/core/apps/apps.ts';
import { passphraseSealer } from '../../src/main/core/keys/sealer.ts';
import { openContext } from '../../src/main/core/open-context.ts';
import { insertSubscriptions, type Row } from '../main/core/compose/subscription-rows.ts';

export function seedShop(dbPath: string, rows: Row[]): void {
  const ctx = openContext({
    dbPath,
    runtime: { pushdeckVersion: 'e2e', electronVersion: null },
    keySealer: passphraseSealer('e2e passphrase'),
  });
  const app = createApp(ctx, { name: 'shop.example', subject: 'mailto:ops@shop.example' });
  insertSubscriptions(ctx, app.id, rows);
  ctx.db.close();
}
