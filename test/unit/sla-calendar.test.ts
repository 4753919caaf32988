import { describe, it, expect } from 'vitest';
import { addBusinessMs, businessMsBetween, calendarInput, DEFAULT_CALENDAR, dueAfter, elapsedMs, isOpen, localToInstant, type BusinessCalendar } from '../../src/sla/calendar.js';

const H = 3_600_000;
const at = (iso: string) => new Date(iso).getTime();
const allDay = [{ start: '00:00', end: '24:00' }];
const always = (timeZone: string): BusinessCalendar => ({
  timeZone, holidays: [],
  hours: { sun: allDay, mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay },
});
const office = (timeZone = 'Europe/Berlin', holidays: string[] = []): BusinessCalendar => ({ ...DEFAULT_CALENDAR, timeZone, holidays: holidays.map((date) => ({ date, name: '' })) });

describe('business hours: ordinary days', () => {
  it('counts only the opening hours of a weekday span', () => {
    // Mon 23 Nov 2026, Berlin is UTC+1: 08:00–18:00 local holds 8 opening hours.
    expect(businessMsBetween(office(), at('2026-11-23T07:00:00Z'), at('2026-11-23T17:00:00Z'))).toBe(8 * H);
    expect(businessMsBetween(office(), at('2026-11-23T09:30:00Z'), at('2026-11-23T10:00:00Z'))).toBe(0.5 * H);
    expect(businessMsBetween(office(), at('2026-11-23T10:00:00Z'), at('2026-11-23T09:00:00Z'))).toBe(0);
  });

  it('carries over the night and the weekend', () => {
    // Mon 16:00 local + 2 h → Tue 10:00 local.
    expect(addBusinessMs(office(), at('2026-11-23T15:00:00Z'), 2 * H)!.toISOString()).toBe('2026-11-24T09:00:00.000Z');
    // Fri 16:00 local + 2 h → Mon 10:00 local.
    expect(addBusinessMs(office(), at('2026-11-27T15:00:00Z'), 2 * H)!.toISOString()).toBe('2026-11-30T09:00:00.000Z');
    // Saturday noon starts counting on Monday morning.
    expect(addBusinessMs(office(), at('2026-11-28T11:00:00Z'), 30 * 60_000)!.toISOString()).toBe('2026-11-30T08:30:00.000Z');
    // A whole week is 40 opening hours.
    expect(businessMsBetween(office(), at('2026-11-23T00:00:00Z'), at('2026-11-30T00:00:00Z'))).toBe(40 * H);
  });

  it('an amount that ends exactly at closing time ends there, not next morning', () => {
    expect(addBusinessMs(office(), at('2026-11-23T15:00:00Z'), H)!.toISOString()).toBe('2026-11-23T16:00:00.000Z');
  });

  it('is the inverse of addBusinessMs', () => {
    const start = at('2026-11-25T13:17:00Z');
    for (const minutes of [1, 59, 480, 481, 2400, 10_000]) {
      const due = addBusinessMs(office('Europe/Berlin', ['2026-12-24', '2026-12-25']), start, minutes * 60_000)!;
      expect(businessMsBetween(office('Europe/Berlin', ['2026-12-24', '2026-12-25']), start, due)).toBe(minutes * 60_000);
    }
  });
});

describe('business hours: holidays', () => {
  it('skips holidays as whole local days', () => {
    const cal = office('Europe/Berlin', ['2026-12-24', '2026-12-25']);
    // Wed 23 Dec 16:00 local + 2 h: Thu and Fri are holidays, then the weekend → Mon 28 Dec 10:00.
    expect(addBusinessMs(cal, at('2026-12-23T15:00:00Z'), 2 * H)!.toISOString()).toBe('2026-12-28T09:00:00.000Z');
    expect(businessMsBetween(cal, at('2026-12-21T00:00:00Z'), at('2026-12-28T00:00:00Z'))).toBe(24 * H);
    expect(isOpen(cal, at('2026-12-24T10:00:00Z'))).toBe(false);
    expect(isOpen(cal, at('2026-12-23T10:00:00Z'))).toBe(true);
  });
});

describe('business hours: daylight-saving changes', () => {
  it('the spring-forward day has 23 hours, the fall-back day 25 (Berlin)', () => {
    const cal = always('Europe/Berlin');
    // 29 March 2026: 02:00 → 03:00. Local midnight to midnight.
    expect(businessMsBetween(cal, at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'))).toBe(23 * H);
    // 25 October 2026: 03:00 → 02:00.
    expect(businessMsBetween(cal, at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'))).toBe(25 * H);
  });

  it('opening hours stay at local wall-clock times across the change', () => {
    // Fri 27 March 09:00 CET = 08:00Z; Mon 30 March 09:00 CEST = 07:00Z.
    expect(addBusinessMs(office(), at('2026-03-27T15:00:00Z'), 2 * H)!.toISOString()).toBe('2026-03-30T08:00:00.000Z');
    expect(addBusinessMs(office(), at('2026-10-23T14:00:00Z'), 2 * H)!.toISOString()).toBe('2026-10-26T09:00:00.000Z');
    // New York changes two weeks earlier (8 March 2026): Fri 17:00 EST (22:00Z) + 1 h → Mon 10:00 EDT = 14:00Z.
    expect(addBusinessMs(office('America/New_York'), at('2026-03-06T22:00:00Z'), H)!.toISOString()).toBe('2026-03-09T14:00:00.000Z');
  });

  it('a span through the skipped or repeated hour lasts what the clock on the wall says it does', () => {
    const night = (timeZone: string): BusinessCalendar => ({ ...always(timeZone), hours: { sun: [{ start: '01:00', end: '04:00' }], mon: [], tue: [], wed: [], thu: [], fri: [], sat: [] } });
    // 01:00–04:00 on 29 March: 02:00–03:00 does not exist → 2 hours. On 25 October 02:00–03:00 happens twice → 4 hours.
    expect(businessMsBetween(night('Europe/Berlin'), at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(2 * H);
    expect(businessMsBetween(night('Europe/Berlin'), at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(4 * H);
    // A skipped wall time maps to the same distance after the change.
    expect(new Date(localToInstant('Europe/Berlin', Date.UTC(2026, 2, 29), 150)).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // A repeated wall time is its first occurrence.
    expect(new Date(localToInstant('Europe/Berlin', Date.UTC(2026, 9, 25), 150)).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('business hours: overnight spans', () => {
  const lateShift: BusinessCalendar = { timeZone: 'Europe/Berlin', holidays: [], hours: { sun: [], mon: [], tue: [], wed: [], thu: [], fri: [{ start: '22:00', end: '02:00' }], sat: [] } };

  it('a span crossing midnight belongs to the day it starts on', () => {
    // Fri 27 Nov 23:00 local (22:00Z) + 2 h → Sat 01:00 local (00:00Z).
    expect(addBusinessMs(lateShift, at('2026-11-27T22:00:00Z'), 2 * H)!.toISOString()).toBe('2026-11-28T00:00:00.000Z');
    // Sat 01:30 local + 1 h: 30 min tonight, the rest next Friday 22:30 local.
    expect(addBusinessMs(lateShift, at('2026-11-28T00:30:00Z'), H)!.toISOString()).toBe('2026-12-04T21:30:00.000Z');
    expect(businessMsBetween(lateShift, at('2026-11-27T00:00:00Z'), at('2026-11-29T00:00:00Z'))).toBe(4 * H);
  });

  it('a holiday on the start day closes the whole span', () => {
    const cal = { ...lateShift, holidays: [{ date: '2026-11-27', name: 'x' }] };
    expect(businessMsBetween(cal, at('2026-11-27T00:00:00Z'), at('2026-11-29T00:00:00Z'))).toBe(0);
  });
});

describe('business hours: edges', () => {
  it('a calendar that never opens has no due time', () => {
    const closed: BusinessCalendar = { ...always('UTC'), hours: { sun: [], mon: [], tue: [], wed: [], thu: [], fri: [], sat: [] } };
    expect(addBusinessMs(closed, at('2026-11-23T00:00:00Z'), H)).toBeNull();
  });

  it('wall-clock mode ignores the calendar', () => {
    expect(dueAfter(null, at('2026-11-28T11:00:00Z'), 2 * H)!.toISOString()).toBe('2026-11-28T13:00:00.000Z');
    expect(elapsedMs(null, at('2026-11-28T11:00:00Z'), at('2026-11-28T13:00:00Z'))).toBe(2 * H);
  });

  it('validates calendars at the boundary with the field named', () => {
    const bad = calendarInput.safeParse({ timeZone: 'Mars/Olympus', hours: { mon: [{ start: '9:00', end: '17:00' }] } });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toContain('timeZone');
    expect(paths).toContain('hours.mon.0.start');
    const good = calendarInput.parse({ timeZone: 'Europe/Vienna', hours: { mon: [{ start: '08:00', end: '12:00' }] } });
    expect(good.hours.sun).toEqual([]);
  });
});
