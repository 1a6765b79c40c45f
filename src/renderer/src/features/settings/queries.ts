// Queries of the settings area: the doctor report and the sending settings.
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../api/client.ts';

export const doctorKeys = {
  all: ['doctor'] as const,
  report: () => [...doctorKeys.all, 'report'] as const,
};

export const settingsKeys = {
  all: ['settings'] as const,
  sending: () => [...settingsKeys.all, 'sending'] as const,
};

export const doctorReportQuery = () =>
  queryOptions({ queryKey: doctorKeys.report(), queryFn: () => call('doctor.report', {}) });

export const sendingSettingsQuery = () =>
  queryOptions({ queryKey: settingsKeys.sending(), queryFn: () => call('settings.sending', {}) });
