// The window's side of test-device registration: one page per app at a time (a new one replaces the old),
// opened in the system browser where the app can, with its end reported as an event.
import type { HandlersOf } from '../../../shared/contract.ts';
import type { testDevicesChannels } from '../../../shared/test-devices.ts';
import type { CoreContext } from '../context.ts';
import { startTestDeviceRegistration, type TestDeviceRegistration } from './registration-server.ts';

export function testDevicesHandlers(ctx: CoreContext): HandlersOf<typeof testDevicesChannels> {
  const open = new Map<number, TestDeviceRegistration>();
  return {
    'testDevices.add': async ({ appId }) => {
      await open.get(appId)?.cancel();
      const registration = await startTestDeviceRegistration(ctx, appId);
      open.set(appId, registration);
      void registration.ended.then((end) => {
        if (open.get(appId) === registration) open.delete(appId);
        ctx.events.emit('testDevices.ended', { appId, url: registration.url, ...end });
      });
      let opened = false;
      if (ctx.openExternal) {
        opened = await ctx.openExternal(registration.url).then(
          () => true,
          () => false,
        );
      }
      return { appId, url: registration.url, expiresAt: registration.expiresAt, opened };
    },
    'testDevices.cancel': async ({ appId }) => {
      const registration = open.get(appId);
      await registration?.cancel();
      return { cancelled: registration !== undefined };
    },
  };
}
