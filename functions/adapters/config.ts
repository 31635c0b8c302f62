import * as z from 'zod';
import { type DeadlineSettings, defaultDeadlineSettings as d } from '../domain/deadlines';
import { type MeetingCalendar, defaultMeetingCalendar, parseMeetingSchedule } from '../domain/ssc-meetings';

/**
 * Everything a function learns from its environment, validated once. The CDK stack and the
 * local sandbox set the same variables; nothing else tells the code where it runs.
 */
const addressList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.email()).min(1));

const workingDays = (fallback: number) => z.coerce.number().int().min(1).max(120).default(fallback);

const Config = z.object({
  TABLE_NAME: z.string().min(1),
  /** Only the functions that start executions have it (the workflow's own tasks cannot: a cycle). */
  STATE_MACHINE_ARN: z.string().min(1).optional(),
  SENDER_ADDRESS: z.email(),
  SSC_ADDRESSES: addressList,
  SECAS_ADDRESSES: addressList,
  /** Where the SSC's decision links point: the API's public base URL. Only link-issuing functions have it. */
  PUBLIC_BASE_URL: z.url().optional(),
  LINK_KEYRING_SECRET_ID: z.string().min(1),
  /** How long a function keeps the keyring before reading it again: how soon a rotation reaches it. */
  LINK_KEYRING_CACHE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  SES_CONFIGURATION_SET: z.string().optional(),
  // Only ScheduleAnnualReviewReminder has these: where its one-time schedules go, what they invoke, as whom, and where what fails is kept.
  ANNUAL_REVIEW_SCHEDULE_GROUP: z.string().min(1).optional(),
  ANNUAL_REVIEW_REMINDER_ARN: z.string().min(1).optional(),
  ANNUAL_REVIEW_SCHEDULER_ROLE_ARN: z.string().min(1).optional(),
  ANNUAL_REVIEW_DEAD_LETTER_ARN: z.string().min(1).optional(),
  // Deadlines in SEC Working Days; the defaults are in domain/deadlines.ts and the README.
  /** The SSC's meeting calendar as JSON ({"dates": [...]} or {"rule": {...}}); read by meetingCalendar(), so a bad one stops only what needs it. */
  SSC_MEETINGS: z.string().optional(),
  SSC_PAPER_DEADLINE_WORKING_DAYS: z.coerce.number().int().min(0).max(30).default(defaultMeetingCalendar.paperDeadlineWorkingDays),
  USER_INFORMATION_WORKING_DAYS: workingDays(d.userInformationWorkingDays),
  ASSESSMENT_SCHEDULE_WORKING_DAYS: workingDays(d.assessmentScheduleWorkingDays),
  ASSESSMENT_OUTCOME_WORKING_DAYS: workingDays(d.assessmentOutcomeWorkingDays),
  REMINDER_LEAD_WORKING_DAYS: workingDays(d.reminderLeadWorkingDays),
  HARD_LIMIT_WORKING_DAYS: workingDays(d.hardLimitWorkingDays),
  ANNUAL_REVIEW_REMINDER_LEAD_WORKING_DAYS: workingDays(d.annualReviewReminderLeadWorkingDays),
});
export type Config = z.infer<typeof Config>;

let cached: Config | undefined;

export const config = (): Config => {
  cached ??= Config.parse(process.env);
  return cached;
};

export const deadlineSettings = (): DeadlineSettings => {
  const c = config();
  return {
    userInformationWorkingDays: c.USER_INFORMATION_WORKING_DAYS,
    assessmentScheduleWorkingDays: c.ASSESSMENT_SCHEDULE_WORKING_DAYS,
    assessmentOutcomeWorkingDays: c.ASSESSMENT_OUTCOME_WORKING_DAYS,
    reminderLeadWorkingDays: c.REMINDER_LEAD_WORKING_DAYS,
    hardLimitWorkingDays: c.HARD_LIMIT_WORKING_DAYS,
    annualReviewReminderLeadWorkingDays: c.ANNUAL_REVIEW_REMINDER_LEAD_WORKING_DAYS,
  };
};

const jsonOrNothing = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** The SSC's meeting calendar; an unreadable one is an error (the synth refuses it; a hand-edited environment can still hold one). */
export const meetingCalendar = (): MeetingCalendar => {
  const c = config();
  const raw = c.SSC_MEETINGS;
  let schedule = defaultMeetingCalendar.schedule;
  if (raw) {
    const parsed = parseMeetingSchedule(jsonOrNothing(raw));
    if (!parsed.ok) throw new Error(`SSC_MEETINGS is not a meeting calendar: ${parsed.error}`);
    schedule = parsed.schedule;
  }
  return { schedule, paperDeadlineWorkingDays: c.SSC_PAPER_DEADLINE_WORKING_DAYS };
};

export const mailboxes = () => ({ ssc: config().SSC_ADDRESSES, secas: config().SECAS_ADDRESSES });

/** A setting only some functions have: a clear error where it is missing, not an undefined. */
export const required = <K extends keyof Config>(key: K): NonNullable<Config[K]> => {
  const value = config()[key];
  if (value === undefined) throw new Error(`${key} is not set for this function`);
  return value as NonNullable<Config[K]>;
};

/** For tests that change the environment between cases. */
export const resetConfig = (): void => {
  cached = undefined;
};
