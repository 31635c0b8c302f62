import {
  endedCasesReceivedBy,
  eraseCasePersonalData,
  isConflict,
  retentionScheduleChanges,
  saveRetentionSchedule,
  storedRetentionSchedule,
} from '../adapters/cases-repository';
import { retentionDefaults } from '../adapters/config';
import type { PersonalClass } from '../domain/personal-data';
import { Problem, invalidFields } from '../domain/problem';
import {
  ERASURE_EVENT,
  type RetentionSchedule,
  type RetentionScheduleChange,
  type RetentionScheduleView,
  caseEndedAt,
  classesDue,
  decisionRecordDue,
  receivedBy,
  retentionReasons,
  retentionScheduleErrors,
} from '../domain/retention';
import { type DisposalRun, disposeOfExpiredCases } from './case-disposal';

/** The schedule in force: SECAS's latest change, or the deployment's default. */
const inForce = async (): Promise<{ schedule: RetentionSchedule; source: RetentionScheduleView['source']; version?: number }> => {
  const stored = await storedRetentionSchedule();
  return stored ? { ...stored, source: 'secas' } : { schedule: retentionDefaults(), source: 'default' };
};

export const readRetentionSchedule = async (): Promise<RetentionScheduleView> => {
  const { schedule, source } = await inForce();
  return { schedule, source, reasons: retentionReasons, changes: await retentionScheduleChanges() };
};

/** SECAS sets the schedule: refused with the reason (a 422 naming the class) when it would erase before a case could end, or never. */
export const changeRetentionSchedule = async (change: RetentionScheduleChange, client: string, now: Date): Promise<RetentionScheduleView> => {
  const errors = retentionScheduleErrors(change.schedule, '/schedule');
  if (errors.length)
    throw invalidFields(
      errors.map(({ pointer, message }) => ({ pointer, detail: message })),
      'The retention schedule cannot be used',
    );
  const current = await inForce();
  try {
    await saveRetentionSchedule({ at: now.toISOString(), schedule: change.schedule, officer: change.officer, reason: change.reason, client }, current.version);
  } catch (error) {
    if (!isConflict(error)) throw error;
    throw new Problem(409, 'conflict', 'Not possible now', 'Another change to the retention schedule was made meanwhile: read it and try again.');
  }
  return readRetentionSchedule();
};

const CLASS_WORDS: Record<PersonalClass, string> = {
  contact: "the contact's name and email address",
  typedNames: 'the names SSC members and SECAS officers typed',
  freeTexts: 'free texts',
  emails: "emails' addresses and subjects, and their delivery problems",
};

export interface ErasureRun extends DisposalRun {
  /** Ended cases read through the index. */
  examined: number;
  /** Cases a class was erased from. */
  erased: number;
  /** How many times each class was erased. */
  classes: Partial<Record<PersonalClass, number>>;
  /** Cases due whose values the chain hashes as they are (stored by v1.1.0): left, and counted. */
  unsalted: number;
}

/**
 * The daily erasure: every ended case a class's period has run out on has that class erased in
 * every item of its partition, with an event saying so. Open cases are never read (the index is
 * queried by final status) and never written (the write is conditioned on a final status).
 * Then, once the index is read, every ended case whose decision record's period has run out is
 * disposed of (case-disposal.ts).
 */
export const eraseExpiredPersonalData = async (now: Date): Promise<ErasureRun> => {
  const { schedule, source, version } = await inForce();
  const run: ErasureRun = { examined: 0, erased: 0, classes: {}, unsalted: 0, disposed: 0, unverifiable: 0 };
  const expired: Array<{ reference: string; endedAt: string }> = [];
  for await (const candidate of endedCasesReceivedBy(receivedBy(schedule, now))) {
    run.examined++;
    const endedAt = caseEndedAt(candidate);
    if (endedAt && decisionRecordDue(schedule, endedAt, now)) expired.push({ reference: candidate.reference, endedAt });
    const due = endedAt ? classesDue(schedule, endedAt, now, Object.keys(candidate.erased) as PersonalClass[]) : [];
    if (!due.length) continue;
    if (!candidate.salted) {
      run.unsalted++;
      continue;
    }
    const result = await eraseCasePersonalData(candidate.reference, due, {
      at: now.toISOString(),
      type: ERASURE_EVENT,
      actor: { kind: 'System', id: 'EraseExpiredPersonalData' },
      text: `Erased by the retention schedule, each value replaced by its salted digest: ${due.map((cls) => CLASS_WORDS[cls]).join('; ')}.`,
    });
    if (result !== 'erased') continue;
    run.erased++;
    for (const cls of due) run.classes[cls] = (run.classes[cls] ?? 0) + 1;
  }
  return { ...run, ...(await disposeOfExpiredCases(expired, { months: schedule.decisionRecord, source, ...(version ? { version } : {}) }, now)) };
};
