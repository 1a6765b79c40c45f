// A searchable pick of one IANA time zone (the names this browser's Intl knows), each shown with its UTC
// offset now: typing "kolkata", "new york" or "+05:30" finds it. Nothing else can be chosen.
import { Select, type SelectProps } from '@mantine/core';
import { useMemo } from 'react';

/** "+05:30", "−03:00", "±00:00": the zone's offset from UTC at `at`. */
export function utcOffset(zone: string, at: number = Date.now()): string {
  let part: string | undefined;
  try {
    part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value;
  } catch {
    return '?';
  }
  // 'GMT' alone is UTC itself; otherwise 'GMT+05:30'.
  const offset = !part || part === 'GMT' ? '+00:00' : part.slice(3);
  return offset.replace('-', '−');
}

/** Every IANA zone name, UTC first (Chromium's list leaves it out), for the pickers and filters. */
export function timeZoneNames(): string[] {
  const names = Intl.supportedValuesOf('timeZone');
  return names.includes('UTC') ? names : ['UTC', ...names];
}

/**
 * Zones that ICU (Chromium's and Node's Intl) still names by their old spelling, with today's IANA name, so
 * that a search for "Kolkata" or "Kyiv" finds them. The stored value stays Intl's own name.
 */
const renamed: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'America/Godthab': 'America/Nuuk',
  'Pacific/Enderbury': 'Pacific/Kanton',
};

export function timeZoneLabel(zone: string, at: number = Date.now()): string {
  const now = renamed[zone];
  return `${zone.replaceAll('_', ' ')}${now ? ` (${now.replaceAll('_', ' ')})` : ''} · UTC${utcOffset(zone, at)}`;
}

export function timeZoneOptions(at: number = Date.now()): { value: string; label: string }[] {
  return timeZoneNames().map((zone) => ({ value: zone, label: timeZoneLabel(zone, at) }));
}

export function TimeZoneSelect(
  props: Omit<SelectProps, 'data' | 'value' | 'onChange'> & {
    value: string | null;
    onChange: (zone: string | null) => void;
  },
) {
  const { value, onChange, ...rest } = props;
  const data = useMemo(() => {
    const options = timeZoneOptions();
    // A stored zone this browser does not list (an old alias such as Asia/Calcutta) still shows as chosen.
    return value && !options.some((o) => o.value === value)
      ? [{ value, label: timeZoneLabel(value) }, ...options]
      : options;
  }, [value]);
  return (
    <Select
      searchable
      nothingFoundMessage="No time zone by that name: try a city, e.g. Berlin or New York"
      limit={60}
      maxDropdownHeight={280}
      {...rest}
      data={data}
      value={value}
      onChange={onChange}
    />
  );
}
