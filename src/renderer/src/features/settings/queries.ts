// Queries of the settings area: the doctor report and the sending settings.
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../api/client.ts';
import { keyRoot } from '../../api/use-change-events.ts';

export const doctorKeys = {
  all: keyRoot('doctor'),
  report: () => [...doctorKeys.all, 'report'] as const,
};

export const settingsKeys = {
  all: keyRoot('settings'),
  sending: () => [...settingsKeys.all, 'sending'] as const,
};

export const doctorReportQuery = () =>
  queryOptions({ queryKey: doctorKeys.report(), queryFn: () => call('doctor.report', {}) });

export const sendingSettingsQuery = () =>
  queryOptions({ queryKey: settingsKeys.sending(), queryFn: () => call('settings.sending', {}) });
