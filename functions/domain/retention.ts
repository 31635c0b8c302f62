import * as z from 'zod';
import { type CaseRecord, isFinal } from './case';
import type { StoredEvent } from './history-chain';
import { PERSONAL_CLASSES, type PersonalClass } from './personal-data';
import { line } from './text';
import { addMonths, londonDate } from './working-days';

/**
 * The retention schedule (UK GDPR Art. 5(1)(e), storage limitation): how long each class of a
 * case's records is kept after the case ends, and why. Periods are whole months from the day a
 * case ended (its last event), so no period runs while a case is open; the personal classes are
 * erased to their salted digests (personal-data.ts) when theirs ends, the decision record stays.
 */
export const RECORD_CLASSES = ['decisionRecord', ...PERSONAL_CLASSES] as const;
export type RecordClass = (typeof RECORD_CLASSES)[number];

/**
 * The longest a case can stay open, in months: deferred to the annual review, up to 13 months
 * ahead (admission.ts), after waits that at their largest settings (120 Working Days each, and a
 * hard limit of 120 more) take some 11 months: two years. A period shorter than that would let a
 * case's personal data go sooner after it ended than the case itself could last, so it is refused.
 */
export const LONGEST_OPEN_CASE_MONTHS = 24;
/** A century: a longer period is keeping the data for ever, which storage limitation refuses. */
export const MAX_RETENTION_MONTHS = 1200;

const months = (about: string) => z.int().describe(`${about}: whole months after the case ended`);

export const RetentionSchedule = z
  .strictObject({
    decisionRecord: months('The decision record: the case, its events, decisions and dates, with its chain'),
    contact: months("The User's contact's name and email address"),
    typedNames: months('Names typed by SSC members and SECAS officers when they acted'),
    freeTexts: months("Free texts: the notice's descriptions, advice, questions, answers, reasons, conditions"),
    emails: months("Emails' content: their addresses and subjects as recorded, and their delivery problems"),
  })
  .describe(
    `How long each class of a case's records is kept after the case ends, in months (from ${LONGEST_OPEN_CASE_MONTHS}, the longest a case can stay open, to ${MAX_RETENTION_MONTHS}); personal classes no longer than the decision record, emails' content no longer than the contact's data`,
  );
export type RetentionSchedule = z.infer<typeof RetentionSchedule>;

/** The documented defaults (README, "Retention and erasure"), each with its reason. */
export const defaultRetentionSchedule: RetentionSchedule = { decisionRecord: 84, contact: 24, typedNames: 72, freeTexts: 24, emails: 24 };

export const retentionReasons: Record<RecordClass, string> = {
  decisionRecord:
    "Kept as the regulatory record, also against an erasure request (UK GDPR Art. 17(3)(b): a legal obligation under the SEC): the Limitation Act's six years within which a decision can be disputed, and one to spare, as the anchors' Object Lock; SECCo's data-retention policy",
  contact:
    "The AMS privacy notice keeps registration data for the time an organisation is a SEC Party plus 6 months; a case's contact is needed for its annual-review cycle and a dispute's first steps, so two years after the case ends (Art. 5(1)(e))",
  typedNames:
    'Who took a decision or recorded an assessment is part of its evidence while the decision can be disputed: six years (Limitation Act), then erased (Art. 5(1)(e))',
  freeTexts:
    "Descriptions, advice, questions and answers may name people; their substance is in the decision record's outcome and dates: two years after the case ends (Art. 5(1)(e))",
  emails:
    "Emails' addresses and subjects as recorded, and their delivery problems, serve the case's operation only: no longer than the contact's data (Art. 5(1)(e))",
};

export interface RetentionError {
  pointer: string;
  message: string;
}

/**
 * Why a schedule cannot be used, or nothing: a class missing, unknown or not whole months; a
 * period shorter than the longest a case can stay open, or so long it is never (the synth and the
 * API refuse both, naming the class); a personal class kept longer than the decision record it is
 * in, or emails' content (which names the contact) longer than the contact's data.
 */
export const retentionScheduleErrors = (value: unknown, at = ''): RetentionError[] => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [{ pointer: at || '/', message: `must be an object of ${RECORD_CLASSES.join(', ')}, each in months` }];
  const given = value as Record<string, unknown>;
  const errors: RetentionError[] = Object.keys(given)
    .filter((key) => !(RECORD_CLASSES as readonly string[]).includes(key))
    .map((key) => ({ pointer: `${at}/${key}`, message: `is not a record class (${RECORD_CLASSES.join(', ')})` }));
  for (const key of RECORD_CLASSES) {
    const period = given[key];
    const pointer = `${at}/${key}`;
    if (period === undefined || period === null)
      errors.push({ pointer, message: 'must be given: a class kept for ever is never erased (UK GDPR Art. 5(1)(e))' });
    else if (!Number.isInteger(period)) errors.push({ pointer, message: 'must be a whole number of months' });
    else if ((period as number) < LONGEST_OPEN_CASE_MONTHS)
      errors.push({
        pointer,
        message: `${period} months is shorter than the longest a case can stay open (${LONGEST_OPEN_CASE_MONTHS} months): it would erase before a case could end`,
      });
    else if ((period as number) > MAX_RETENTION_MONTHS)
      errors.push({ pointer, message: `${period} months is more than ${MAX_RETENTION_MONTHS} (a century): that is never, which storage limitation refuses` });
  }
  if (errors.length) return errors;
  const schedule = given as RetentionSchedule;
  for (const key of PERSONAL_CLASSES)
    if (schedule[key] > schedule.decisionRecord)
      errors.push({
        pointer: `${at}/${key}`,
        message: `${schedule[key]} months is longer than the decision record's ${schedule.decisionRecord}: personal data cannot outlive the record it is in`,
      });
  if (schedule.emails > schedule.contact)
    errors.push({
      pointer: `${at}/emails`,
      message: `${schedule.emails} months is longer than the contact's data (${schedule.contact}): emails' recorded addresses name the contact`,
    });
  return errors;
};

/** The event the erasure task records on a case: what it erased, never a value. */
export const ERASURE_EVENT = 'PersonalDataErased';
/** The event the erasure task records when it re-bases a case's unsalted chain on a salt (history-chain.ts planRebase). */
export const REBASE_EVENT = 'HistoryChainRebased';
const RETENTION_EVENTS: ReadonlySet<string> = new Set([ERASURE_EVENT, REBASE_EVENT]);

/**
 * When a case ended: the time of its latest event (an email's delivery problem reported after
 * the end only moves it later), or undefined while it is open. The erasure task's own events do not count.
 */
export const caseEndedAt = (record: Pick<CaseRecord, 'status' | 'history'>): string | undefined => {
  if (!isFinal(record.status)) return undefined;
  return record.history
    .filter((event: StoredEvent) => !RETENTION_EVENTS.has(event.type))
    .map((event) => event.at)
    .reduce<string | undefined>((latest, at) => (latest === undefined || at > latest ? at : latest), undefined);
};

/** The day a class's period ends for a case that ended at `endedAt`: from that day it is erased. */
export const erasureDay = (schedule: RetentionSchedule, cls: RecordClass, endedAt: string): string => addMonths(londonDate(new Date(endedAt)), schedule[cls]);

/** The personal classes of a case, ended at `endedAt`, whose periods have ended by `now`, and not yet erased. */
export const classesDue = (schedule: RetentionSchedule, endedAt: string, now: Date, erased: readonly PersonalClass[] = []): PersonalClass[] =>
  PERSONAL_CLASSES.filter((cls) => !erased.includes(cls) && erasureDay(schedule, cls, endedAt) <= londonDate(now));

/**
 * Whether a case ended at `endedAt` has outlived its decision record's period by `now` (from the
 * London day the period ends): then it is disposed of. Every personal class is due by then, as
 * the schedule keeps none longer than the decision record.
 */
export const decisionRecordDue = (schedule: RetentionSchedule, endedAt: string, now: Date): boolean =>
  erasureDay(schedule, 'decisionRecord', endedAt) <= londonDate(now);

/**
 * The latest day a case can have been received and have a class due by `now`: it was received
 * on or before it ended, and ended at least the shortest personal period before. Cases received
 * later need not be read.
 */
export const receivedBy = (schedule: RetentionSchedule, now: Date): string =>
  addMonths(londonDate(now), -Math.min(...PERSONAL_CLASSES.map((cls) => schedule[cls])));

/** A SECAS officer's change to the schedule, audited with the officer's name and reason. */
export const RetentionScheduleChange = z
  .strictObject({
    schedule: RetentionSchedule,
    officer: line(200).describe('The full name of the SECAS officer making this change (recorded in the audit trail)'),
    reason: line(500).describe('Why (recorded in the audit trail)'),
  })
  .describe('A new retention schedule, with who sets it and why');
export type RetentionScheduleChange = z.infer<typeof RetentionScheduleChange>;

export const RetentionScheduleView = z
  .strictObject({
    schedule: RetentionSchedule,
    source: z.enum(['default', 'secas']).describe("Where it comes from: the deployment's default (cdk context `retention`), or SECAS's latest change"),
    reasons: z.strictObject(Object.fromEntries(RECORD_CLASSES.map((cls) => [cls, z.string()])) as Record<RecordClass, z.ZodString>),
    changes: z
      .array(
        z.strictObject({
          at: z.iso.datetime(),
          schedule: RetentionSchedule,
          officer: z.string(),
          reason: z.string(),
          client: z.string().describe("SECAS's API client that made it"),
        }),
      )
      .describe('Every change SECAS made, oldest first: the audit trail'),
  })
  .describe('The retention schedule in force, its reasons, and its changes');
export type RetentionScheduleView = z.infer<typeof RetentionScheduleView>;
