// Handlers of the apps and keys channels. None of them returns private key material.
import type { appsChannels } from '../../../shared/apps.ts';
import type { HandlersOf } from '../../../shared/contract.ts';
import { audited } from '../audit-log/audited.ts';
import type { CoreContext } from '../context.ts';
import { importKeyPair, rotateKey, rotationPreview } from './app-keys.ts';
import { createApp, deleteApp, getApp, listApps, setSubject } from './apps.ts';
import { deliveryEntry, setDeliverySettings } from './delivery-settings.ts';
import { exportKeyText, savePrivateKeyFile } from './key-export.ts';
import { changePassphrase, keyProtectionInfo, setKeyProtection, unlockKeys } from '../keys/key-protection.ts';
import { setupSnippets } from './snippet.ts';

export function appsHandlers(ctx: CoreContext): HandlersOf<typeof appsChannels> {
  return {
    'apps.list': () => listApps(ctx),
    'apps.snippet': ({ appId }) => setupSnippets(ctx, appId),
    'apps.get': ({ app }) => getApp(ctx, app),
    'apps.create': ({ name, subject }) => createApp(ctx, { name, subject }),
    'apps.setSubject': ({ appId, subject }) => setSubject(ctx, appId, subject),
    'apps.setDelivery': audited(ctx, deliveryEntry, (update) => setDeliverySettings(ctx, update, getApp)),
    'apps.delete': ({ appId, confirmName }) => deleteApp(ctx, appId, confirmName),
    'keys.import': (input) => importKeyPair(ctx, input),
    'keys.rotationPreview': ({ appId }) => rotationPreview(ctx, appId),
    'keys.rotate': ({ appId, confirmOrphaned }) => rotateKey(ctx, appId, { confirmOrphaned }),
    'keys.exportPrivate': ({ appId, format }) => savePrivateKeyFile(ctx, appId, format),
    'keys.exportText': (request) => exportKeyText(ctx, request),
    'keys.protection': () => keyProtectionInfo(ctx),
    'keys.setProtection': ({ choice, passphrase }) => setKeyProtection(ctx, choice, passphrase),
    'keys.changePassphrase': ({ current, next }) => changePassphrase(ctx, current, next),
    'keys.unlock': ({ passphrase }) => unlockKeys(ctx, passphrase),
  };
}
