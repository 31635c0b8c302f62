import { type DeadlineSettings, deadlineSettingBounds } from '../functions/domain/deadlines';
import { type RetentionSchedule, defaultRetentionSchedule, retentionScheduleErrors } from '../functions/domain/retention';
import { type MeetingCalendar, defaultMeetingCalendar, meetingCalendarErrors, parseMeetingSchedule } from '../functions/domain/ssc-meetings';
import { addMonths, calendarRange, londonDate } from '../functions/domain/working-days';

/**
 * The app's settings from CDK context, checked before anything is built: a bad setting fails the
 * synth with its reason. Apart from the app so the unit tests can call them without loading the CDK.
 */
/** A structured context value: JSON text from `-c key=…`, or the value itself from cdk.json. */
const structured = (value: unknown, fallback: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : (value ?? fallback));

export const parseDeadlines = (value: unknown): Partial<DeadlineSettings> => {
  const raw = structured(value, {});
  const settings = Object.entries(raw as Record<string, unknown>);
  for (const [key, days] of settings) {
    const range = deadlineSettingBounds[key as keyof DeadlineSettings];
    if (!range || !Number.isInteger(days) || (days as number) < range.min || (days as number) > range.max)
      throw new Error(
        `context deadlines.${key}: expected one of ${Object.keys(deadlineSettingBounds).join(', ')} with a whole number of Working Days${range ? ` from ${range.min} to ${range.max}` : ''}`,
      );
  }
  return Object.fromEntries(settings) as Partial<DeadlineSettings>;
};

/**
 * e.g. -c 'sscMeetings={"dates":["2027-01-13","2027-01-27"],"paperDeadlineWorkingDays":5}', or a
 * rule: {"rule":{"weekday":"Wednesday","weeksOfMonth":[2,4]}}. Unset: the inferred default rule.
 * A malformed calendar, or one with no meeting left to make, fails the synth with the reason.
 */
export const parseSscMeetings = (value: unknown, today = londonDate(new Date())): MeetingCalendar => {
  const { paperDeadlineWorkingDays = defaultMeetingCalendar.paperDeadlineWorkingDays, ...schedule } = structured(value, {}) as Record<string, unknown>;
  const parsed = Object.keys(schedule).length ? parseMeetingSchedule(schedule) : { ok: true as const, schedule: defaultMeetingCalendar.schedule };
  if (!parsed.ok) throw new Error(`context sscMeetings: ${parsed.error}`);
  const calendar = { schedule: parsed.schedule, paperDeadlineWorkingDays: paperDeadlineWorkingDays as number };
  const errors = meetingCalendarErrors(calendar, today);
  if (errors.length) throw new Error(`context sscMeetings: ${errors.join('; ')}`);
  return calendar;
};

/**
 * The retention schedule's defaults, e.g. -c 'retention={"contact":36,"emails":36}' (months after a
 * case ends; unset classes keep the documented defaults). A period that would erase before a case
 * could end, or never, fails the synth with the reason, as the API refuses it.
 */
export const parseRetention = (value: unknown): RetentionSchedule => {
  const given = structured(value, {});
  const schedule = typeof given === 'object' && given !== null && !Array.isArray(given) ? { ...defaultRetentionSchedule, ...given } : given;
  const errors = retentionScheduleErrors(schedule);
  if (errors.length) throw new Error(`context retention: ${errors.map((e) => `${e.pointer.slice(1)} ${e.message}`).join('; ')}`);
  return schedule as RetentionSchedule;
};

/** How far ahead of the day it is built the Working-Day data must reach: admission, deadlines and reviews compute up to two years on. */
export const WORKING_DAY_DATA_YEARS_AHEAD = 10;

/**
 * The SEC Working-Day data (generated from date-holidays) ends on a fixed day: a synth that
 * many years before it fails, naming the command that regenerates it, long before a notice's
 * dates or a deadline could reach past it and be refused.
 */
export const workingDayDataErrors = (today = londonDate(new Date())): string[] =>
  addMonths(today, 12 * WORKING_DAY_DATA_YEARS_AHEAD) > calendarRange.lastDay
    ? [
        `the SEC Working-Day data ends on ${calendarRange.lastDay}, less than ${WORKING_DAY_DATA_YEARS_AHEAD} years after today (${today}): regenerate it with npm run update:bank-holidays (and move its last year on)`,
      ]
    : [];

/** A stage's name: part of every stack, function, alarm and dashboard name, so stages share an account. */
export const stageName = (value: string): string => {
  if (!/^[a-z][a-z0-9]{0,11}$/.test(value))
    throw new Error('context stage: lower-case letters and digits, at most 12, starting with a letter (e.g. prod, staging)');
  return value;
};
