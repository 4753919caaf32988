// Business hours per workspace: opening hours per weekday in the workspace's own time zone (IANA,
// through Intl, so daylight-saving changes come from the platform's tz database), and holidays
// as whole local dates. Two pure functions answer what SLAs need:
//   businessMsBetween(cal, a, b)  – how much of [a, b) lies inside opening hours
//   addBusinessMs(cal, a, n)      – the instant when n ms of opening hours have passed after a
// Opening hours are wall-clock times: "09:00–17:00" is 8 hours on an ordinary day and still
// 09:00–17:00 local on the day the clocks change. A span may cross midnight ("22:00–02:00"): it
// belongs to the day it starts on, and a holiday closes the spans that start on it.
import { z } from 'zod';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'not a time of day HH:MM');
const span = z.object({ start: hhmm, end: hhmm }).refine((s) => s.start !== s.end, 'start and end are the same');

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const calendarInput = z.object({
  timeZone: z.string().max(100).refine(isTimeZone, 'not an IANA time zone (e.g. Europe/Berlin)'),
  hours: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(span).max(8).default([])])) as Record<Weekday, z.ZodDefault<z.ZodArray<typeof span>>>),
  holidays: z.array(z.object({ date: z.iso.date({ message: 'not a date YYYY-MM-DD' }), name: z.string().max(200).default('') })).max(1000).default([]),
});
export type BusinessCalendar = z.infer<typeof calendarInput>;

/** Monday to Friday 09:00–17:00 in Berlin, no holidays: what a new workspace starts with. */
export const DEFAULT_CALENDAR: BusinessCalendar = {
  timeZone: 'Europe/Berlin',
  hours: { sun: [], mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }], thu: [{ start: '09:00', end: '17:00' }], fri: [{ start: '09:00', end: '17:00' }], sat: [] },
  holidays: [],
};

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far ahead addBusinessMs looks before it decides the calendar never opens. */
const MAX_DAYS = 3 * 366;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(tz, f);
  }
  return f;
}

/** The local wall-clock fields of an instant. */
function localParts(tz: string, t: number) {
  const p: Record<string, number> = {};
  for (const { type, value } of formatter(tz).formatToParts(new Date(t))) if (type !== 'literal') p[type] = Number(value);
  return { y: p.year, m: p.month, d: p.day, h: p.hour, min: p.minute, s: p.second };
}

/** Minutes the zone is ahead of UTC at instant t. */
function offsetMs(tz: string, t: number): number {
  const p = localParts(tz, t);
  const asUtc = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s);
  return asUtc - Math.floor(t / 1000) * 1000;
}

/**
 * The instant of a local wall-clock time. A time skipped by a spring-forward change maps to the
 * same distance after the change (02:30 → 03:30 in Berlin); a repeated time takes its first occurrence.
 */
export function localToInstant(tz: string, dayUtc: number, minuteOfDay: number): number {
  const wall = dayUtc + minuteOfDay * MINUTE;
  // Zone offsets change at most once within a day or so: the offsets a day before and after are
  // the only candidates.
  const before = offsetMs(tz, wall - DAY);
  const after = offsetMs(tz, wall + DAY);
  const fits = (off: number) => offsetMs(tz, wall - off) === off;
  const valid = [before, after].filter(fits).map((off) => wall - off);
  if (valid.length) return Math.min(...valid);
  return wall - before; // skipped by a spring-forward change
}

/** The local date (as midnight UTC of that date) on which instant t falls. */
function localDay(tz: string, t: number): number {
  const p = localParts(tz, t);
  return Date.UTC(p.y, p.m - 1, p.d);
}

const minutesOf = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
const isoDate = (dayUtc: number) => new Date(dayUtc).toISOString().slice(0, 10);

// The spans of a day depend only on the calendar and the date: kept per calendar object, so a
// sweep over many conversations converts each day's opening hours to instants once.
// Calendars are never changed in place (every read from the database is a new object).
const spanCache = new WeakMap<BusinessCalendar, Map<number, [number, number][]>>();
const SPAN_CACHE_DAYS = 5000;

/** The opening spans that start on one local date, as instants [start, end). */
function openOn(cal: BusinessCalendar, holidays: Set<string>, dayUtc: number): [number, number][] {
  let days = spanCache.get(cal);
  if (!days) spanCache.set(cal, (days = new Map()));
  let spans = days.get(dayUtc);
  if (!spans) {
    if (days.size >= SPAN_CACHE_DAYS) days.clear();
    spans = computeOpenOn(cal, holidays, dayUtc);
    days.set(dayUtc, spans);
  }
  return spans;
}

function computeOpenOn(cal: BusinessCalendar, holidays: Set<string>, dayUtc: number): [number, number][] {
  if (holidays.has(isoDate(dayUtc))) return [];
  const spans = cal.hours[WEEKDAYS[new Date(dayUtc).getUTCDay()]] ?? [];
  return spans.map(({ start, end }) => {
    const s = minutesOf(start);
    let e = minutesOf(end);
    if (e <= s) e += 24 * 60; // crosses midnight
    const endDay = dayUtc + Math.floor(e / 1440) * DAY;
    return [localToInstant(cal.timeZone, dayUtc, s), localToInstant(cal.timeZone, endDay, e % 1440)] as [number, number];
  }).filter(([s, e]) => e > s).sort((x, y) => x[0] - y[0]);
}

const holidayCache = new WeakMap<BusinessCalendar, Set<string>>();
function holidaySet(cal: BusinessCalendar): Set<string> {
  let set = holidayCache.get(cal);
  if (!set) holidayCache.set(cal, (set = new Set(cal.holidays.map((h) => h.date))));
  return set;
}

/** Milliseconds of opening hours in [a, b); 0 when b <= a. */
export function businessMsBetween(cal: BusinessCalendar, a: Date | number, b: Date | number): number {
  const from = +a;
  const to = +b;
  if (!(to > from)) return 0;
  const holidays = holidaySet(cal);
  let total = 0;
  // Start a day early: a span that began yesterday evening may still be open.
  for (let day = localDay(cal.timeZone, from) - DAY, last = localDay(cal.timeZone, to); day <= last; day += DAY) {
    for (const [s, e] of openOn(cal, holidays, day)) total += Math.max(0, Math.min(e, to) - Math.max(s, from));
  }
  return total;
}

/** The instant at which `ms` of opening hours have passed after `a`; null if the calendar never opens. */
export function addBusinessMs(cal: BusinessCalendar, a: Date | number, ms: number): Date | null {
  const from = +a;
  let left = ms;
  const holidays = holidaySet(cal);
  const first = localDay(cal.timeZone, from) - DAY;
  for (let day = first; day <= first + MAX_DAYS * DAY; day += DAY) {
    for (const [s, e] of openOn(cal, holidays, day)) {
      const start = Math.max(s, from);
      if (e <= start) continue;
      if (left <= e - start) return new Date(start + left);
      left -= e - start;
    }
  }
  return null;
}

/** Whether the calendar is open at instant t. */
export function isOpen(cal: BusinessCalendar, t: Date | number): boolean {
  return businessMsBetween(cal, +t, +t + 1) > 0;
}

/** Elapsed time in the policy's terms: opening hours or wall clock. */
export function elapsedMs(cal: BusinessCalendar | null, a: Date | number, b: Date | number): number {
  return cal ? businessMsBetween(cal, a, b) : Math.max(0, +b - +a);
}

/** A due time in the policy's terms. */
export function dueAfter(cal: BusinessCalendar | null, a: Date | number, ms: number): Date | null {
  return cal ? addBusinessMs(cal, a, ms) : new Date(+a + ms);
}
