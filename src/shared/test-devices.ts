// Contract of "Add this browser as a test device": start a one-time registration page for an app (opened in
// the system browser), cancel it, and hear how it ended.
import { z } from 'zod';
import { channel, event } from './channel.ts';

const appId = z.number().int().positive();

export interface TestDevice {
  /** The subscription's id. */
  id: number;
  appId: number;
  /** The browser and system it runs on, e.g. "Firefox 153 on Linux". */
  label: string;
  endpoint: string;
}

export interface TestDeviceRegistrationInfo {
  appId: number;
  /** The one-time page on 127.0.0.1. */
  url: string;
  expiresAt: number;
  /** Whether the system browser was asked to open it. */
  opened: boolean;
}

export type TestDeviceRegistrationEnd =
  | { appId: number; url: string; state: 'registered'; device: TestDevice }
  | { appId: number; url: string; state: 'expired' | 'cancelled' };

export const testDevicesChannels = {
  /** Starts (or restarts) the app's registration page and opens it in the system browser. */
  'testDevices.add': channel(z.object({ appId }).strict()).returns<TestDeviceRegistrationInfo>(),
  'testDevices.cancel': channel(z.object({ appId }).strict()).returns<{ cancelled: boolean }>(),
};

export const testDevicesEvents = { 'testDevices.ended': event<TestDeviceRegistrationEnd>() };
