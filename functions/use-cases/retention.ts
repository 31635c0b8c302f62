import {
  casePartition,
  endedCasesReceivedBy,
  eraseCasePersonalData,
  isConflict,
  rebaseCaseChain,
  type RetentionCandidate,
  retentionScheduleChanges,
  saveRetentionSchedule,
  storedRetentionSchedule,
} from '../adapters/cases-repository';
import { type Anchor, anchoredHeadIn, latestAnchorOnce } from '../adapters/history-anchors';
import { businessMetric, logger } from '../adapters/powertools';
import { retentionDefaults } from '../adapters/config';
import type { PersonalClass } from '../domain/personal-data';
import { Problem, invalidFields } from '../domain/problem';
import {
  ERASURE_EVENT,
  REBASE_EVENT,
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
import { verifyPartition } from './verify-history';

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
  /** Cases due whose chain hashed their values as they are (stored by v1.1.0), re-based on a salt before their erasure. */
  rebased: number;
  /** Cases due (for erasure or disposal) whose chain did not verify: left as they are, evidence of what was done to them, for SECAS to look into. */
  unverifiable: number;
  /** Cases due whose unsalted chain could not be re-based this run (written meanwhile, or too long for one transaction): left, and counted. */
  unsalted: number;
  /** Cases due (for erasure or disposal) that no anchor holds yet: left until one does (not a break). */
  unanchored: number;
  /** Cases re-based whose re-base no anchor holds yet: erased, or disposed of, once one does (anchorCheck needs their values until then). */
  awaitingAnchor: number;
}

/**
 * A case stored without a salt is re-based on one (history-chain.ts planRebase) before anything
 * of it is erased, and only once its chain has verified intact against the latest anchor (read
 * once a run): the re-base attests afresh what was verified, and a chain that was tampered with,
 * or that no anchor holds, stays as it is.
 */
const rebaseUnsalted = async (
  reference: string,
  anchor: () => Promise<Anchor | undefined>,
  now: Date,
): Promise<'rebased' | 'unverifiable' | 'unanchored' | 'unsalted'> => {
  const items = await casePartition(reference);
  const report = await verifyPartition(reference, items, async (ref) => anchoredHeadIn(await anchor(), ref));
  if (!report?.ok) {
    logger.error('An ended case due for erasure does not verify: left as it is', { reference, broken: report?.broken });
    return 'unverifiable';
  }
  // Its events before the chain carry no hash: only an anchor attests them.
  if (!report.anchored) {
    logger.warn('An ended case due for erasure is in no anchor yet: left until it is', { reference });
    return 'unanchored';
  }
  const anchored = ` against the anchor of ${report.anchored.at}`;
  const result = await rebaseCaseChain(
    reference,
    items,
    {
      at: now.toISOString(),
      type: REBASE_EVENT,
      actor: { kind: 'System', id: 'EraseExpiredPersonalData' },
      text: `The history, stored before personal values were hashed salted, verified intact${anchored} and its chain re-based on a salt, so that its personal data can be erased with the chain still verifying.`,
    },
    report.anchored,
  );
  if (result === 'rebased' || result === 'salted') return 'rebased';
  if (result !== 'not-ended') logger.warn('An unsalted case could not be re-based this run', { reference, result });
  return 'unsalted';
};

/**
 * Whether the case's chain was re-based and no anchor holds the re-base yet: the anchor before it
 * is checked against the values the re-base hashed again (anchorCheck), so nothing is erased
 * until the next anchor holds it, a day later.
 */
const rebaseUnanchored = async (candidate: RetentionCandidate, anchor: () => Promise<Anchor | undefined>): Promise<boolean> => {
  const rebase = candidate.history.findLast((event) => event.rebasedFrom !== undefined);
  if (rebase?.seq === undefined) return false;
  const held = anchoredHeadIn(await anchor(), candidate.reference);
  return !held || held.seq < rebase.seq;
};

/**
 * The daily erasure: every ended case a class's period has run out on has that class erased in
 * every item of its partition, with an event saying so. Open cases are never read (the index is
 * queried by final status) and never written (the write is conditioned on a final status).
 * Then, once the index is read, every ended case whose decision record's period has run out is
 * disposed of (case-disposal.ts).
 */
export const eraseExpiredPersonalData = async (now: Date): Promise<ErasureRun> => {
  const { schedule, source, version } = await inForce();
  const run: ErasureRun = { examined: 0, erased: 0, classes: {}, rebased: 0, unverifiable: 0, unsalted: 0, unanchored: 0, awaitingAnchor: 0, disposed: 0 };
  const expired: Array<{ reference: string; endedAt: string }> = [];
  const anchor = latestAnchorOnce();
  for await (const candidate of endedCasesReceivedBy(receivedBy(schedule, now))) {
    run.examined++;
    const endedAt = caseEndedAt(candidate);
    const due = endedAt ? classesDue(schedule, endedAt, now, Object.keys(candidate.erased) as PersonalClass[]) : [];
    if (due.length && !candidate.salted) {
      run[await rebaseUnsalted(candidate.reference, anchor, now)]++;
      // Re-based or not, neither erased nor disposed of this run (one that does not verify is counted once, and kept whole).
      continue;
    }
    if (await rebaseUnanchored(candidate, anchor)) {
      run.awaitingAnchor++;
      continue;
    }
    if (endedAt && decisionRecordDue(schedule, endedAt, now)) expired.push({ reference: candidate.reference, endedAt });
    if (!due.length) continue;
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
  const disposal = await disposeOfExpiredCases(expired, { months: schedule.decisionRecord, source, ...(version ? { version } : {}) }, anchor, now);
  const total = {
    ...run,
    disposed: disposal.disposed,
    unverifiable: run.unverifiable + disposal.unverifiable,
    unanchored: run.unanchored + disposal.unanchored,
  };
  if (total.unverifiable) businessMetric('BrokenHistories', {}, total.unverifiable);
  return total;
};
