import holidays from './data/bank-holidays-england-and-wales.json' with { type: 'json' };

/**
 * SEC Working Days: every day except Saturdays, Sundays, Christmas Day, Good Friday and bank
 * holidays in England and Wales (SEC Section A). Dates are calendar dates, `YYYY-MM-DD`; the
 * holiday list is a dated file generated from the maintained `date-holidays` package.
 */
export type IsoDate = string;

const holidaySet = new Set(holidays.dates);

/** The days the holiday data covers: Working-Day arithmetic outside them is refused. */
export const calendarRange = { firstDay: `${holidays.firstYear}-01-01`, lastDay: `${holidays.lastYear}-12-31` } as const;

const toUtc = (date: IsoDate): Date => new Date(`${date}T00:00:00Z`);
const plusDays = (date: IsoDate, days: number): IsoDate => new Date(toUtc(date).getTime() + days * 86_400_000).toISOString().slice(0, 10);

const inRange = (date: IsoDate): void => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(toUtc(date).getTime())) throw new RangeError(`not a date: ${date}`);
  if (date < calendarRange.firstDay || date > calendarRange.lastDay) {
    throw new RangeError(`${date} is outside the bank holiday data (${holidays.firstYear}–${holidays.lastYear}); run npm run update:bank-holidays`);
  }
};

export const isWorkingDay = (date: IsoDate): boolean => {
  inRange(date);
  const weekday = toUtc(date).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidaySet.has(date);
};

/** The `count`-th Working Day after `date` (before it, for a negative count); `date` itself for 0. */
export const addWorkingDays = (date: IsoDate, count: number): IsoDate => {
  if (!Number.isInteger(count)) throw new RangeError(`count must be a whole number: ${count}`);
  let current = date;
  for (let left = Math.abs(count); left > 0; ) {
    current = plusDays(current, Math.sign(count));
    if (isWorkingDay(current)) left--;
  }
  inRange(current);
  return current;
};

/**
 * Calendar arithmetic on dates (not Working Days): `months` later, the day clamped to the end of
 * a shorter month (31 January + 1 month = 28 or 29 February).
 */
export const addMonths = (date: IsoDate, months: number): IsoDate => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
};

/** The calendar date in the UK at an instant. */
export const londonDate = (instant: Date): IsoDate => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(instant);

/** The instant a UK wall-clock time (HH:MM) falls on a date, in GMT or BST as the date has it. */
export const londonInstant = (date: IsoDate, time = '09:00'): Date => {
  const asUtc = new Date(`${date}T${time}:00Z`);
  const [h, m] = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(asUtc)
    .split(':')
    .map(Number) as [number, number];
  const offsetMinutes = (h * 60 + m - (asUtc.getUTCHours() * 60 + asUtc.getUTCMinutes()) + 1440) % 1440;
  return new Date(asUtc.getTime() - offsetMinutes * 60_000);
};

/** The wall-clock time of an instant in a time zone, as `YYYY-MM-DDTHH:MM:SS`. */
export const wallClock = (instant: Date, timeZone: string): string => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
};

/** The UK wall-clock time of an instant (what a schedule in Europe/London is written in). */
export const londonWallClock = (instant: Date): string => wallClock(instant, 'Europe/London');

/**
 * How many Working Days after `from` `to` falls: the Working Days in (from, to]. A notice received
 * on a Friday and decided on the following Tuesday, with a bank holiday on the Monday, took one.
 * Zero when `to` is `from` (or earlier).
 */
export const workingDaysBetween = (from: IsoDate, to: IsoDate): number => {
  inRange(from);
  inRange(to);
  let count = 0;
  for (let day = plusDays(from, 1); day <= to; day = plusDays(day, 1)) if (isWorkingDay(day)) count++;
  return count;
};
