import { getCase, lapseDecision, loadCase, recordAmendment } from '../adapters/cases-repository';
import { sendEmail } from '../adapters/mailer';
import { logger } from '../adapters/powertools';
import { employmentOf } from '../adapters/shared-resource-register';
import { failWait } from '../adapters/workflow-client';
import type { Caller } from '../domain/caller';
import { type CaseFile, type CaseRecord, CaseStatus, WITHDRAWABLE, eventText, fileOf, isFinal, versionOf } from '../domain/case';
import { type FieldChange, type NotificationPatch, afterDecisionRefusal, amendNotice, changeSummary, etagOf, versionNamed } from '../domain/amendment';
import { amendedAfterDecisionEmail } from '../domain/emails';
import { Problem, notFound } from '../domain/problem';
import { londonDate } from '../domain/working-days';
import { conflict, mustSee } from './case-actions';
import { moveReminderOf } from './annual-review';
import { sscMailboxes } from './ssc-mailboxes';
import { providerOf, triageOf } from './submit-notification';

/** The review date a case deferred to the annual review waits for: amending it moves the reminder. */
const REVIEW_DATE = '/existingUserSystem/nextAnnualReviewOn';

/** Until the SSC decides (as for a withdrawal), any field; after it, until the case ends, dates only. */
const BEFORE_DECISION = WITHDRAWABLE;
const AFTER_DECISION = CaseStatus.options.filter((status) => !isFinal(status) && !WITHDRAWABLE.includes(status));

/** The error the workflow's SSC wait catches to start again on the amended notice. */
export const NOTICE_AMENDED = 'NoticeAmended';

const preconditionRequired = () =>
  new Problem(
    428,
    'precondition-required',
    'If-Match required',
    'Send If-Match with the ETag of the case as you last read it (GET the case): an amendment must name the version it amends.',
  );

const stale = (record: CaseRecord) =>
  new Problem(
    412,
    'precondition-failed',
    'The case has changed',
    `The If-Match does not name the current version of the notice (${etagOf(versionOf(record))}): GET the case, check what changed, and patch that version. Nothing was changed.`,
    { headers: { ETag: etagOf(versionOf(record)) } },
  );

/** Why a case takes no amendment now (closed, withdrawn, decided), or undefined when it does. */
const refusalOf = (record: CaseRecord): Problem | undefined => {
  if (record.withdrawal) return conflict(`Case ${record.reference} is withdrawn (or being withdrawn): it cannot be amended. Nothing was changed.`);
  if (isFinal(record.status))
    return conflict(
      `Case ${record.reference} has ended (${record.status}): it cannot be amended. To notify a changed system, file a new notification naming ${record.reference}. Nothing was changed.`,
    );
  if (record.pendingWait?.kind === 'SscDecision' && record.pendingWait.resolution)
    return conflict(`The SSC has just decided case ${record.reference}: only its dates can be amended, once the decision is recorded. Nothing was changed.`);
  // The wait of a workflow started by the release before amendments has no way to start again on an amended notice.
  if (record.pendingWait?.kind === 'SscDecision' && !record.pendingWait.amendable)
    return conflict(
      `Case ${record.reference} was filed before notices could be amended, and the SSC is deciding it: withdraw it and file a new notification naming ${record.reference}. Nothing was changed.`,
    );
  return undefined;
};

/** Each round one of the writers racing on the case wins (a workflow step, say); a handful of rounds settles it. */
const MAX_ROUNDS = 5;

/**
 * The filing User amends its notice (a JSON merge patch) at the version it read: refused, with
 * nothing changed and nobody emailed, unless the case is still at that version, has not ended and
 * is not withdrawn, and the amended notice passes intake's validation (after the SSC's decision,
 * see amendAfterDecision). Before the decision, triage and lateness are those of the amended
 * notice as of the day it was first given (its lateness is the notice's, not the amendment's);
 * while the SSC waits, its wait is ended (NoticeAmended): the workflow starts its deadline again
 * from the amended notice and tells the SSC what changed, with fresh links, the earlier ones
 * lapsing. A patch that changes nothing is not recorded. Returns the case's file as it stands after.
 */
export const amendNotification = async (
  reference: string,
  patch: NotificationPatch,
  ifMatch: string | undefined,
  actor: Caller,
  now: Date,
): Promise<CaseFile> => {
  await mustSee(reference, actor);
  const expected = versionNamed(ifMatch);
  if (expected === undefined) throw preconditionRequired();
  for (let round = 1; ; round++) {
    const record = await getCase(reference);
    if (!record) throw notFound(`Case ${reference}`);
    const refused = refusalOf(record);
    if (refused) throw refused;
    if (expected !== versionOf(record)) throw stale(record);
    const outcome = amendNotice(record.submission, patch, londonDate(now));
    if (!outcome.ok) throw outcome.problem;
    if (!outcome.changes.length) return (await loadCase(reference)) ?? fileOf(record);
    if (AFTER_DECISION.includes(record.status)) {
      const amended = await amendAfterDecision(record, outcome.submission, outcome.changes, expected, actor, now);
      if (amended) return amended;
      await refuseOrRetry(reference, expected, round);
      continue;
    }
    const { providerId, triage } = await triageOf(outcome.submission, new Date(record.receivedAt));
    const { late, lateReasons, register, decideBefore, recommendation, recommendationReasons } = triage;
    const before = providerOf(record.submission);
    const version = expected + 1;
    const at = now.toISOString();
    const sscWait = record.pendingWait?.kind === 'SscDecision' ? { ...(record.openDecisionId ? { decisionId: record.openDecisionId } : {}) } : 'none';
    const amended = await recordAmendment(reference, {
      expected,
      statuses: BEFORE_DECISION,
      amendment: { version, at, changes: outcome.changes },
      changes: {
        submission: outcome.submission,
        late,
        lateReasons,
        triage: { recommendation, recommendationReasons, ...(decideBefore ? { decideBefore } : {}), ...(register ? { register } : {}) },
      },
      event: { at, type: 'NotificationAmended', actor, text: eventText(changeSummary(version, outcome.changes)) },
      sscWait,
      ...(before !== providerId
        ? {
            employment: {
              ...(providerId ? { put: employmentOf(providerId, record) } : {}),
              ...(before ? { remove: employmentOf(before, record) } : {}),
            },
          }
        : {}),
    });
    if (amended) {
      await restartSscWait(amended, sscWait === 'none' ? undefined : sscWait.decisionId);
      return (await loadCase(reference)) ?? fileOf(amended);
    }
    await refuseOrRetry(reference, expected, round);
  }
};

/** Another write came first: the amendment is refused if it broke what the amendment needs, tried again otherwise. */
const refuseOrRetry = async (reference: string, expected: number, round: number): Promise<void> => {
  const latest = await getCase(reference);
  if (!latest) throw notFound(`Case ${reference}`);
  const refusedNow = refusalOf(latest) ?? (versionOf(latest) !== expected ? stale(latest) : undefined);
  if (refusedNow) throw refusedNow;
  if (round >= MAX_ROUNDS)
    throw conflict('The case is changing too quickly to amend; nothing was changed. Try again in a few seconds.', { 'Retry-After': '5' });
};

/**
 * After the SSC's decision: dates only, refused otherwise (a change of identity asks for a new
 * notification naming the case). The decision and its triage stand; the notice's lateness is
 * recomputed, and a notice the amended dates make late is flagged (it stays late once it has been).
 * The write is the commit point; the SSC and SECAS are told after it. Undefined when the write's
 * conditions no longer held.
 */
const amendAfterDecision = async (
  record: CaseRecord,
  submission: CaseRecord['submission'],
  changes: FieldChange[],
  expected: number,
  actor: Caller,
  now: Date,
): Promise<CaseFile | undefined> => {
  const refused = afterDecisionRefusal(record.reference, changes);
  if (refused) throw refused;
  const { triage } = await triageOf(submission, new Date(record.receivedAt));
  const nowLate = triage.lateReasons.filter((reason) => !record.lateReasons.includes(reason));
  const version = expected + 1;
  const at = now.toISOString();
  const amended = await recordAmendment(record.reference, {
    expected,
    statuses: AFTER_DECISION,
    amendment: { version, at, changes },
    changes: { submission, late: record.late || triage.late, lateReasons: [...record.lateReasons, ...nowLate] },
    event: {
      at,
      type: 'NotificationAmended',
      actor,
      text: eventText(`${changeSummary(version, changes)}${nowLate.length ? `. Now late: ${nowLate.join(' ')}` : ''}`),
    },
    sscWait: 'none',
  });
  if (!amended) return undefined;
  await sendEmail(amendedAfterDecisionEmail(amended, changes, nowLate, await sscMailboxes()), record.reference);
  if (changes.some((c) => c.field === REVIEW_DATE))
    try {
      await moveReminderOf(amended, now);
    } catch (error) {
      // The amendment stands; the reminder stays at the earlier date, which SECAS can see on the case.
      logger.error('could not move the annual-review reminder to the amended review date', { reference: record.reference, error: error as Error });
    }
  return (await loadCase(record.reference)) ?? fileOf(amended);
};

/**
 * After an amendment while the SSC waits: its earlier links lapse, and its wait ends so the
 * workflow starts it again on the amended notice. The amendment stands if Step Functions cannot be
 * reached now: the wait's next checkpoint re-enters it, and the SSC is told then.
 */
const restartSscWait = async (record: CaseRecord, lapsed: string | undefined): Promise<void> => {
  if (lapsed) await lapseDecision(lapsed);
  const wait = record.pendingWait;
  if (wait?.kind !== 'SscDecision' || !wait.taskToken || !wait.amendable) return;
  try {
    await failWait(wait.taskToken, NOTICE_AMENDED, `The User amended the notice (version ${versionOf(record)}).`);
  } catch (error) {
    logger.warn('could not restart the SSC wait now; its next checkpoint will tell the SSC', { reference: record.reference, error: error as Error });
  }
};
