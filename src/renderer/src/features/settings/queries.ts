// Queries of the settings area: the doctor report.
import { queryOptions } from '@tanstack/react-query';
import { call } from '../../api/client.ts';

export const doctorKeys = {
  all: ['doctor'] as const,
  report: () => [...doctorKeys.all, 'report'] as const,
};

export const doctorReportQuery = () =>
  queryOptions({ queryKey: doctorKeys.report(), queryFn: () => call('doctor.report', {}) });
