import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type DeadlineSettings, deadlineSettingBounds } from '../functions/domain/deadlines';
import { type RetentionSchedule, defaultRetentionSchedule, retentionScheduleErrors } from '../functions/domain/retention';
import { type MeetingCalendar, defaultMeetingCalendar, meetingCalendarErrors, parseMeetingSchedule } from '../functions/domain/ssc-meetings';
import { addMonths, calendarRange, londonDate } from '../functions/domain/working-days';
import { SecondUserSystemRecords } from './stacks/records-stack';
import { SecondUserSystemService } from './stacks/service-stack';

/**
 * The CDK app. cdk-nag's AwsSolutions pack runs on every synth and fails it on any finding
 * not acknowledged, with its reason, where it arises. Synth needs no AWS credentials.
 */
/** A structured context value: JSON text from `-c key=…`, or the value itself from cdk.json. */
const structured = (value: unknown, fallback: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : (value ?? fallback));

const parseDeadlines = (value: unknown): Partial<DeadlineSettings> => {
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
const stageName = (value: string): string => {
  if (!/^[a-z][a-z0-9]{0,11}$/.test(value))
    throw new Error('context stage: lower-case letters and digits, at most 12, starting with a letter (e.g. prod, staging)');
  return value;
};

/**
 * The app: for one stage, the stateful stack (cases, keys, identities, schedules: retained,
 * termination-protected) and the stateless one that reads it (functions, workflow, API, monitoring).
 */
export const buildApp = (app = new App()) => {
  const context = (key: string, fallback = ''): string => String(app.node.tryGetContext(key) ?? fallback);
  const list = (key: string) =>
    context(key)
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
  const stage = stageName(context('stage', 'prod'));
  const dataErrors = workingDayDataErrors();
  if (dataErrors.length) throw new Error(dataErrors.join('; '));
  // Region-specific (the table's customer-managed key needs it); account-agnostic, so synth needs no credentials.
  const env = { region: context('region', 'eu-west-2'), ...(process.env.CDK_DEFAULT_ACCOUNT ? { account: process.env.CDK_DEFAULT_ACCOUNT } : {}) };
  const secasAddresses = list('secasAddress');
  const alarmAddresses = list('alarmAddresses');
  const records = new SecondUserSystemRecords(app, `SecondUserSystem-${stage}-Records`, {
    env,
    description: `SECMP0057 second User System notifications (${stage}): cases, keys, identities and schedules`,
    sesIdentityDomain: context('sesIdentityDomain'),
    alarmAddresses: alarmAddresses.length ? alarmAddresses : secasAddresses,
  });
  const service = new SecondUserSystemService(app, `SecondUserSystem-${stage}-Service`, {
    env,
    description: `SECMP0057 second User System notifications (${stage}): the API, the SSC triage workflow and their functions`,
    records,
    stage,
    senderAddress: context('senderAddress'),
    sscAddresses: list('sscAddress'),
    secasAddresses,
    publicBaseUrl: context('publicBaseUrl'),
    // e.g. -c 'deadlines={"userInformationWorkingDays":15}'; unset values keep their defaults.
    deadlines: parseDeadlines(app.node.tryGetContext('deadlines')),
    sscMeetings: parseSscMeetings(app.node.tryGetContext('sscMeetings')),
    retention: parseRetention(app.node.tryGetContext('retention')),
  });
  service.addStackDependency(records);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, records, service };
};

if (process.argv[1]?.endsWith('app.ts')) buildApp().app.synth();
