import * as z from 'zod';
import { type DeadlineSettings, defaultDeadlineSettings as d, deadlineSettingBounds as bounds } from '../domain/deadlines';
import { type RetentionSchedule, defaultRetentionSchedule, retentionScheduleErrors } from '../domain/retention';
import { type MeetingCalendar, defaultMeetingCalendar, parseMeetingSchedule } from '../domain/ssc-meetings';

/**
 * The environment contract: every setting a function of this product can read, declared once.
 * The CDK stack writes, and the sandbox gives, each function exactly the settings its catalogue
 * entry implies (functions/catalogue.ts `settingsOf`); a function reads them here only, one at a
 * time, so a setting it was not given is a clear error on the first call that needs it — in the
 * sandbox's tests as on AWS — never an undefined carried on.
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

const workingDays = (name: keyof DeadlineSettings) => z.coerce.number().int().min(bounds[name].min).max(bounds[name].max).default(d[name]);

export const settings = {
  TABLE_NAME: { schema: z.string().min(1), about: 'The NotificationsTable: cases, their links, records and sequences' },
  STATE_MACHINE_ARN: { schema: z.string().min(1), about: "The SscTriageWorkflow's ARN: to start a case's execution or find it by reference" },
  SENDER_ADDRESS: { schema: z.email(), about: 'The From address of every email' },
  SES_CONFIGURATION_SET: { schema: z.string().min(1), about: 'The SES configuration set every email goes through (bounce and complaint events)' },
  SSC_ADDRESSES: { schema: addressList, about: "The SSC's addresses (comma-separated)" },
  SECAS_ADDRESSES: { schema: addressList, about: "SECAS's addresses (comma-separated)" },
  PUBLIC_BASE_URL: { schema: z.url(), about: "Where the SSC's and SECAS's links point: the API's public base URL" },
  LINK_KEYRING_SECRET_ID: { schema: z.string().min(1), about: 'The Secrets Manager secret holding the link-signing keys' },
  LINK_KEYRING_CACHE_SECONDS: {
    schema: z.coerce.number().int().min(1).max(3600).default(300),
    about: 'How long a function keeps the keyring before reading it again: how soon a rotation reaches it',
  },
  ANNUAL_REVIEW_SCHEDULE_GROUP: { schema: z.string().min(1), about: 'The EventBridge Scheduler group of the annual-review reminders' },
  ANNUAL_REVIEW_REMINDER_ARN: { schema: z.string().min(1), about: 'RemindOfAnnualReview, which each schedule invokes' },
  ANNUAL_REVIEW_SCHEDULER_ROLE_ARN: { schema: z.string().min(1), about: 'The role the schedules invoke it as' },
  ANNUAL_REVIEW_DEAD_LETTER_ARN: { schema: z.string().min(1), about: 'Where what a schedule cannot deliver is kept' },
  SSC_MEETINGS: {
    schema: z.string().optional(),
    about: 'The SSC\'s meeting calendar as JSON ({"dates": [...]} or {"rule": {...}}); the inferred rule when unset',
  },
  SSC_PAPER_DEADLINE_WORKING_DAYS: {
    schema: z.coerce.number().int().min(0).max(30).default(defaultMeetingCalendar.paperDeadlineWorkingDays),
    about: 'Working Days before a meeting that its papers close',
  },
  USER_INFORMATION_WORKING_DAYS: { schema: workingDays('userInformationWorkingDays'), about: "Working Days the User has to answer the SSC's question" },
  ASSESSMENT_SCHEDULE_WORKING_DAYS: { schema: workingDays('assessmentScheduleWorkingDays'), about: 'Target window for scheduling an ad-hoc assessment' },
  ASSESSMENT_OUTCOME_WORKING_DAYS: { schema: workingDays('assessmentOutcomeWorkingDays'), about: 'Working Days after the assessment date for its outcome' },
  REMINDER_LEAD_WORKING_DAYS: { schema: workingDays('reminderLeadWorkingDays'), about: 'Reminders go this many Working Days before a due date' },
  HARD_LIMIT_WORKING_DAYS: { schema: workingDays('hardLimitWorkingDays'), about: 'A wait ends overdue this many Working Days after its due date' },
  ANNUAL_REVIEW_REMINDER_LEAD_WORKING_DAYS: {
    schema: workingDays('annualReviewReminderLeadWorkingDays'),
    about: 'The annual-review reminder goes this many Working Days before the review',
  },
  HISTORY_ANCHOR_BUCKET: {
    schema: z.string().min(1),
    about: "The S3 bucket (Object Lock, compliance mode) that keeps the daily anchors of every case's history chain",
  },
  RETENTION_SCHEDULE: {
    schema: z.string().optional(),
    about: "The retention schedule's defaults as JSON, in months by record class (cdk context `retention`); the documented defaults when unset",
  },
  TOKEN_ENDPOINT: {
    schema: z.url(),
    about: "The API's OAuth token endpoint: the audience a client assertion must name, the access tokens' issuer, and the API description's tokenUrl",
  },
  ACCESS_TOKEN_KEY_ID: { schema: z.string().min(1), about: 'The KMS key (ECC_NIST_P256, SIGN_VERIFY) that signs and verifies the access tokens' },
  ACCESS_TOKEN_SECONDS: {
    schema: z.coerce.number().int().min(60).max(43_200).default(3600),
    about: 'How long an access token is valid (an hour unless set; the sandbox gives 12 hours)',
  },
} as const satisfies Record<string, { schema: z.ZodType; about: string }>;

export type SettingName = keyof typeof settings;
export type SettingValue<K extends SettingName> = z.output<(typeof settings)[K]['schema']>;

/** Settings that belong together: what a function is given is named by group in the catalogue. */
export const settingGroups = {
  deadlines: [
    'USER_INFORMATION_WORKING_DAYS',
    'ASSESSMENT_SCHEDULE_WORKING_DAYS',
    'ASSESSMENT_OUTCOME_WORKING_DAYS',
    'REMINDER_LEAD_WORKING_DAYS',
    'HARD_LIMIT_WORKING_DAYS',
    'ANNUAL_REVIEW_REMINDER_LEAD_WORKING_DAYS',
  ],
  meetings: ['SSC_MEETINGS', 'SSC_PAPER_DEADLINE_WORKING_DAYS'],
  recipients: ['SSC_ADDRESSES', 'SECAS_ADDRESSES'],
  accessTokens: ['TOKEN_ENDPOINT', 'ACCESS_TOKEN_KEY_ID'],
} as const satisfies Record<string, readonly SettingName[]>;

const parsed = new Map<SettingName, { raw: string | undefined; value: unknown }>();

/**
 * One setting, validated (and its default applied) when first read, and again only if the
 * environment changes (tests change it between cases). A required setting that is missing
 * or malformed is an error naming it.
 */
export const setting = <K extends SettingName>(name: K): SettingValue<K> => {
  const raw = process.env[name];
  const cached = parsed.get(name);
  if (cached && cached.raw === raw) return cached.value as SettingValue<K>;
  const result = settings[name].schema.safeParse(raw);
  if (!result.success) {
    throw new Error(raw === undefined ? `${name} is not set for this function` : `${name} is malformed: ${result.error.issues[0]?.message ?? 'invalid'}`);
  }
  parsed.set(name, { raw, value: result.data });
  return result.data as SettingValue<K>;
};

export const deadlineSettings = (): DeadlineSettings => ({
  userInformationWorkingDays: setting('USER_INFORMATION_WORKING_DAYS'),
  assessmentScheduleWorkingDays: setting('ASSESSMENT_SCHEDULE_WORKING_DAYS'),
  assessmentOutcomeWorkingDays: setting('ASSESSMENT_OUTCOME_WORKING_DAYS'),
  reminderLeadWorkingDays: setting('REMINDER_LEAD_WORKING_DAYS'),
  hardLimitWorkingDays: setting('HARD_LIMIT_WORKING_DAYS'),
  annualReviewReminderLeadWorkingDays: setting('ANNUAL_REVIEW_REMINDER_LEAD_WORKING_DAYS'),
});

/** The deadline settings as the environment carries them, from settings in the domain's terms (the stack's context). */
export const deadlineEnvironment = (overrides: Partial<DeadlineSettings> = {}): Record<(typeof settingGroups.deadlines)[number], string> => {
  const s = { ...d, ...overrides };
  return {
    USER_INFORMATION_WORKING_DAYS: String(s.userInformationWorkingDays),
    ASSESSMENT_SCHEDULE_WORKING_DAYS: String(s.assessmentScheduleWorkingDays),
    ASSESSMENT_OUTCOME_WORKING_DAYS: String(s.assessmentOutcomeWorkingDays),
    REMINDER_LEAD_WORKING_DAYS: String(s.reminderLeadWorkingDays),
    HARD_LIMIT_WORKING_DAYS: String(s.hardLimitWorkingDays),
    ANNUAL_REVIEW_REMINDER_LEAD_WORKING_DAYS: String(s.annualReviewReminderLeadWorkingDays),
  };
};

/** The meeting settings as the environment carries them. */
export const meetingEnvironment = (calendar: MeetingCalendar = defaultMeetingCalendar): Record<(typeof settingGroups.meetings)[number], string> => ({
  SSC_MEETINGS: JSON.stringify(calendar.schedule),
  SSC_PAPER_DEADLINE_WORKING_DAYS: String(calendar.paperDeadlineWorkingDays),
});

const jsonOrNothing = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** The SSC's meeting calendar; an unreadable one is an error (the synth refuses it; a hand-edited environment can still hold one). */
export const meetingCalendar = (): MeetingCalendar => {
  const raw = setting('SSC_MEETINGS');
  let schedule = defaultMeetingCalendar.schedule;
  if (raw) {
    const parsedSchedule = parseMeetingSchedule(jsonOrNothing(raw));
    if (!parsedSchedule.ok) throw new Error(`SSC_MEETINGS is not a meeting calendar: ${parsedSchedule.error}`);
    schedule = parsedSchedule.schedule;
  }
  return { schedule, paperDeadlineWorkingDays: setting('SSC_PAPER_DEADLINE_WORKING_DAYS') };
};

/** The deployment's default retention schedule; an unusable one is an error (the synth refuses it; a hand-edited environment can still hold one). */
export const retentionDefaults = (): RetentionSchedule => {
  const raw = setting('RETENTION_SCHEDULE');
  if (!raw) return defaultRetentionSchedule;
  const value = jsonOrNothing(raw);
  const errors = retentionScheduleErrors(value);
  if (errors.length) throw new Error(`RETENTION_SCHEDULE is not a retention schedule: ${errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}`);
  return value as RetentionSchedule;
};

export const mailboxes = () => ({ ssc: setting('SSC_ADDRESSES'), secas: setting('SECAS_ADDRESSES') });
