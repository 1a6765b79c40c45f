import { describe, expect, it } from 'vitest';
import {
  inQuietHours,
  instantOf,
  localStamp,
  nextDate,
  quietHoursEnd,
} from '../../../../src/main/core/delivery-time/zone-clock.ts';
import { canonicalTimeZone } from '../../../../src/shared/delivery-time-rules.ts';

const at = (iso: string) => Date.parse(iso);

describe('wall-clock times in IANA zones (Intl only)', () => {
  it('finds the instant of a local time in half-hour and 45-minute zones', () => {
    expect(instantOf('Asia/Kolkata', '2026-12-24', '09:00')).toBe(at('2026-12-24T03:30:00Z'));
    expect(instantOf('Asia/Kathmandu', '2026-12-24', '09:00')).toBe(at('2026-12-24T03:15:00Z'));
    expect(instantOf('Australia/Eucla', '2026-12-24', '09:00')).toBe(at('2026-12-24T00:15:00Z'));
    // Chatham keeps summer time (+13:45) in December.
    expect(instantOf('Pacific/Chatham', '2026-12-24', '09:00')).toBe(at('2026-12-23T19:15:00Z'));
  });

  it('uses the offset of the day itself across a DST change', () => {
    // New York moves to EDT at 02:00 on 2026-03-08: 09:00 is 13:00Z that day, 14:00Z the day before.
    expect(instantOf('America/New_York', '2026-03-07', '09:00')).toBe(at('2026-03-07T14:00:00Z'));
    expect(instantOf('America/New_York', '2026-03-08', '09:00')).toBe(at('2026-03-08T13:00:00Z'));
  });

  it('resolves a time in a DST gap to after the gap, and one in an overlap to its first occurrence', () => {
    // 02:30 does not exist on 2026-03-08 in New York: Temporal's 'compatible' gives 03:30 EDT.
    expect(localStamp('America/New_York', instantOf('America/New_York', '2026-03-08', '02:30'))).toBe(
      '2026-03-08 03:30',
    );
    // 01:30 happens twice on 2026-11-01: the first is EDT (05:30Z).
    expect(instantOf('America/New_York', '2026-11-01', '01:30')).toBe(at('2026-11-01T05:30:00Z'));
  });

  it('counts quiet hours from their start (included) to their end (excluded), across midnight', () => {
    const quiet = { start: '21:00', end: '08:00' };
    const berlin = (time: string) => instantOf('Europe/Berlin', '2026-12-24', time);
    expect(inQuietHours('Europe/Berlin', berlin('20:59'), quiet)).toBe(false);
    expect(inQuietHours('Europe/Berlin', berlin('21:00'), quiet)).toBe(true);
    expect(inQuietHours('Europe/Berlin', berlin('03:00'), quiet)).toBe(true);
    expect(inQuietHours('Europe/Berlin', berlin('07:59'), quiet)).toBe(true);
    expect(inQuietHours('Europe/Berlin', berlin('08:00'), quiet)).toBe(false);
    const day = { start: '12:00', end: '14:00' };
    expect(inQuietHours('Europe/Berlin', berlin('13:00'), day)).toBe(true);
    expect(inQuietHours('Europe/Berlin', berlin('14:00'), day)).toBe(false);
  });

  it('holds a time inside quiet hours to their end: the same morning, or the next one after the start', () => {
    const quiet = { start: '21:00', end: '08:00' };
    const kolkata = (date: string, time: string) => instantOf('Asia/Kolkata', date, time);
    expect(quietHoursEnd('Asia/Kolkata', kolkata('2026-12-24', '06:00'), quiet)).toBe(
      kolkata('2026-12-24', '08:00'),
    );
    expect(quietHoursEnd('Asia/Kolkata', kolkata('2026-12-24', '22:30'), quiet)).toBe(
      kolkata('2026-12-25', '08:00'),
    );
    expect(quietHoursEnd('Asia/Kolkata', kolkata('2026-12-24', '12:00'), quiet)).toBe(
      kolkata('2026-12-24', '12:00'),
    );
    expect(nextDate('2026-12-31')).toBe('2027-01-01');
  });
});

describe('time zone names', () => {
  it('keeps a valid name as written, fixes the case of one in a single case, and refuses the rest', () => {
    expect(canonicalTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone(' Asia/Kathmandu ')).toBe('Asia/Kathmandu');
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('Mars/Olympus')).toBeNull();
    expect(canonicalTimeZone('+02:00')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
  });
});
