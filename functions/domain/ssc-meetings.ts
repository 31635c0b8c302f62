import * as z from 'zod';
import { type IsoDate, addMonths, addWorkingDays, calendarRange, isWorkingDay } from './working-days';

/**
 * When the SSC can decide: it meets twice a month and decides at meetings, on papers SECAS
 * circulates by a paper deadline some Working Days before each. The calendar is either a list
 * of meeting dates (the SSC's published dates) or a rule; the default rule, the 2nd and 4th
 * Wednesday of each month with papers 5 Working Days before, is *inferred* (SECAS publishes
 * "twice a month", not the days). A meeting that a rule puts on a non-Working Day moves to the
 * next Working Day. A list runs out; a rule does not.
 */
const Weekday = z.enum(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']);

export const MAX_MEETING_DATES = 60;

const RuleSchedule = z.strictObject({
  rule: z.strictObject({
    weekday: Weekday,
    weeksOfMonth: z
      .array(z.int().min(1).max(4))
      .min(1)
      .max(4)
      .refine((weeks) => new Set(weeks).size === weeks.length, 'must not repeat a week'),
  }),
});

const DatesSchedule = z.strictObject({
  dates: z
    .array(z.iso.date())
    .min(1)
    .max(
      MAX_MEETING_DATES,
      `at most ${MAX_MEETING_DATES} dates (they travel in each function's environment): list the next ones, and add more as the SSC publishes them`,
    ),
});

export type MeetingSchedule = z.infer<typeof RuleSchedule> | z.infer<typeof DatesSchedule>;

/** A schedule from configuration, or why it is not one (in words a person can act on: a union's own error says only "invalid input"). */
export const parseMeetingSchedule = (value: unknown): { ok: true; schedule: MeetingSchedule } | { ok: false; error: string } => {
  const keys = value && typeof value === 'object' ? Object.keys(value) : [];
  if (keys.length !== 1 || !['dates', 'rule'].includes(keys[0] as string))
    return { ok: false, error: 'give either "dates": [YYYY-MM-DD, …] or "rule": { "weekday", "weeksOfMonth" }' };
  const parsed = (keys[0] === 'dates' ? DatesSchedule : RuleSchedule).safeParse(value);
  return parsed.success ? { ok: true, schedule: parsed.data } : { ok: false, error: z.prettifyError(parsed.error) };
};

export interface MeetingCalendar {
  schedule: MeetingSchedule;
  /** Papers for a meeting are due this many Working Days before it. */
  paperDeadlineWorkingDays: number;
}

export const defaultMeetingCalendar: MeetingCalendar = {
  schedule: { rule: { weekday: 'Wednesday', weeksOfMonth: [2, 4] } },
  paperDeadlineWorkingDays: 5,
};

export interface SscMeeting {
  /** The meeting's date. */
  on: IsoDate;
  /** The last day a case's papers can be circulated for it. */
  papersBy: IsoDate;
}

/** A calendar that cannot give a meeting: a configuration error SECAS must correct (the workflow stops on it and alerts). */
export class MeetingCalendarExhausted extends Error {
  override readonly name = 'MeetingCalendarExhausted';
}

const weekdayIndex = (weekday: z.infer<typeof Weekday>) => Weekday.options.indexOf(weekday) + 1;

/** The `week`-th `weekday` of the month of `monthStart` (YYYY-MM-01), moved to the next Working Day if it is not one. */
const ruleMeeting = (monthStart: IsoDate, weekday: number, week: number): IsoDate => {
  const first = new Date(`${monthStart}T00:00:00Z`);
  const offset = (weekday - first.getUTCDay() + 7) % 7;
  const date = new Date(first.getTime() + (offset + (week - 1) * 7) * 86_400_000).toISOString().slice(0, 10);
  return isWorkingDay(date) ? date : addWorkingDays(date, 1);
};

/** The meetings of a schedule from `from` on, in order (a rule's, month by month while the Working-Day data lasts). */
function* meetingsFrom(schedule: MeetingSchedule, from: IsoDate): Generator<IsoDate> {
  if ('dates' in schedule) {
    yield* [...new Set(schedule.dates)].sort().filter((d) => d >= from);
    return;
  }
  const weekday = weekdayIndex(schedule.rule.weekday);
  const weeks = [...schedule.rule.weeksOfMonth].sort();
  for (let month = `${from.slice(0, 7)}-01`; month <= `${calendarRange.lastDay.slice(0, 7)}-01`; ) {
    for (const week of weeks) {
      const date = ruleMeeting(month, weekday, week);
      if (date >= from && date <= calendarRange.lastDay) yield date;
    }
    const [y, m] = month.split('-').map(Number) as [number, number];
    month = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  }
}

/** The first meeting whose paper deadline a case ready on `today` can still make. */
export const nextMeeting = (calendar: MeetingCalendar, today: IsoDate): SscMeeting | undefined => {
  for (const on of meetingsFrom(calendar.schedule, today)) {
    const papersBy = addWorkingDays(on, -calendar.paperDeadlineWorkingDays);
    if (papersBy >= today) return { on, papersBy };
  }
  return undefined;
};

/** As nextMeeting, for a wait that cannot start without one. */
export const requireNextMeeting = (calendar: MeetingCalendar, today: IsoDate): SscMeeting => {
  const meeting = nextMeeting(calendar, today);
  if (!meeting) {
    throw new MeetingCalendarExhausted(
      `The SSC meeting calendar has no meeting whose paper deadline falls on or after ${today}: add the SSC's next meeting dates (context sscMeetings, or SSC_MEETINGS) and deploy, then redrive this execution.`,
    );
  }
  return meeting;
};

/** The last paper deadline a list of dates offers (a rule has none): how long the calendar lasts. */
export const lastPaperDeadline = (calendar: MeetingCalendar): IsoDate | undefined => {
  if (!('dates' in calendar.schedule)) return undefined;
  const last = [...calendar.schedule.dates].sort().at(-1);
  return last ? addWorkingDays(last, -calendar.paperDeadlineWorkingDays) : undefined;
};

/**
 * Why a calendar cannot be deployed, or nothing: dates that are not Working Days or lie outside
 * the Working-Day data, a paper deadline out of bounds, or no meeting left to make from `today`.
 */
export const meetingCalendarErrors = (calendar: MeetingCalendar, today: IsoDate): string[] => {
  const errors: string[] = [];
  const days = calendar.paperDeadlineWorkingDays;
  if (!Number.isInteger(days) || days < 0 || days > 30)
    errors.push(`paperDeadlineWorkingDays must be a whole number of Working Days from 0 to 30, not ${days}`);
  if ('dates' in calendar.schedule) {
    for (const date of calendar.schedule.dates) {
      if (date < calendarRange.firstDay || date > calendarRange.lastDay)
        errors.push(`${date} lies outside the Working-Day data (${calendarRange.firstDay} to ${calendarRange.lastDay})`);
      else if (!isWorkingDay(date)) errors.push(`${date} is not a Working Day`);
    }
  }
  if (!errors.length && !nextMeeting(calendar, today)) errors.push(`no meeting has a paper deadline on or after ${today}: the calendar is in the past`);
  return errors;
};

/** The meetings from `from` to `to` (both included), in order, each with its paper deadline. */
export const meetingsBetween = (calendar: MeetingCalendar, from: IsoDate, to: IsoDate): SscMeeting[] => {
  const found: SscMeeting[] = [];
  for (const on of meetingsFrom(calendar.schedule, from)) {
    if (on > to) break;
    found.push({ on, papersBy: addWorkingDays(on, -calendar.paperDeadlineWorkingDays) });
  }
  return found;
};

/** The meeting whose paper deadline is `today`, if any: the day its papers go to the SSC. */
export const meetingWithPapersDueOn = (calendar: MeetingCalendar, today: IsoDate): SscMeeting | undefined => {
  const meeting = nextMeeting(calendar, today);
  return meeting?.papersBy === today ? meeting : undefined;
};

/** The meeting before the one on `on` (looking back three months: the calendar meets at least monthly), if any. */
export const previousMeeting = (calendar: MeetingCalendar, on: IsoDate): SscMeeting | undefined => {
  // The later of three months back and the start of the Working-Day data (ISO dates sort as they fall).
  const from = [addMonths(on, -3), calendarRange.firstDay].sort()[1] as IsoDate;
  return meetingsBetween(calendar, from, on)
    .filter((m) => m.on < on)
    .at(-1);
};
