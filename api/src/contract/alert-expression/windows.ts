// Windows and units of the alert language. Windows are answered from per-minute rollups, so they are
// whole minutes, hours or days, from one minute to thirty days.

export const minWindowMinutes = 1;
export const maxWindowMinutes = 30 * 24 * 60;

const minutesPer = { m: 1, h: 60, d: 24 * 60 } as const;

/** A window string's length in minutes, or an explanation of what to write instead. */
export function parseWindow(text: string): { ok: true; minutes: number } | { ok: false; message: string } {
  const match = /^([1-9][0-9]{0,6})(m|h|d)$/.exec(text);
  const bounds = 'Windows are whole minutes, hours or days from "1m" to "30d", e.g. "5m", "1h" or "7d"';
  if (!match) {
    const seconds = /^([0-9]+)s$/.exec(text);
    if (seconds) return { ok: false, message: `"${text}" is not a window: rollups are per minute, so the shortest window is "1m". ${bounds}.` };
    return { ok: false, message: `"${text}" is not a window. ${bounds}.` };
  }
  const minutes = Number(match[1]) * minutesPer[match[2] as keyof typeof minutesPer];
  if (minutes > maxWindowMinutes) return { ok: false, message: `"${text}" is longer than the longest window, "30d". ${bounds}.` };
  return { ok: true, minutes };
}

/** Milliseconds per duration unit of a number literal (`500ms`, `2s`, `5m`, `1h`, `1d`). */
export const durationUnits = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export type DurationUnit = keyof typeof durationUnits;

/** The unit of a number literal: a duration unit, "%" or none; undefined when the letters are no unit. */
export function literalUnit(unit: string | null): { quantity: 'number' | 'percent' } | { quantity: 'duration'; ms: number } | undefined {
  if (unit === null) return { quantity: 'number' };
  if (unit === '%') return { quantity: 'percent' };
  if (Object.hasOwn(durationUnits, unit)) return { quantity: 'duration', ms: durationUnits[unit as DurationUnit] };
  return undefined;
}
