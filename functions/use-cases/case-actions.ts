import { disposalIn, readDisposal } from '../adapters/case-disposal';
import { caseFileOf, casePartition, getCase, getCaseOwner, requestWithdrawal } from '../adapters/cases-repository';
import { businessMetric } from '../adapters/powertools';
import { type Caller, canSee } from '../domain/caller';
import type { AssessmentStage } from '../domain/assessment-link';
import type { CaseFile, CaseRecord, WaitResolution } from '../domain/case';
import { caseGone } from '../domain/disposal';
import { assessmentCompletionError, assessmentCompletionWindow, assessmentDateError, assessmentDateWindow, latestAdmissibleDate } from '../domain/admission';
import { Problem, invalidFields, notFound } from '../domain/problem';
import { filerCode, filerOf, isReference } from '../domain/reference';
import type { AssessmentRecord, InformationAnswer, WithdrawalRequest } from '../domain/requests';
import { londonDate } from '../domain/working-days';
import { type ResolveOutcome, resolveCaseWait, withdrawFromWait } from './waits';

/** What Users and SECAS do to a case through the API, each checked against where the case stands. */

/**
 * A 404 unless this caller may see the case, decided before the case is read, so the time a 404
 * takes tells nothing of whether the case exists or how large it is. Every case of a User carries
 * its filer code, so a reference with another code is another User's or none, answered without
 * a read; otherwise (SECAS, or two Users whose codes clash) the case's key and owner alone are
 * read, a small read whether the case exists or not. Where there is no case item, its disposal
 * record is read by key too (only then, so a case's own reads stay as they were): a disposed case
 * is gone (410) to its owner and SECAS, whatever they ask of it; to anyone else it is not found.
 */
export const mustSee = async (reference: string, caller: Caller): Promise<void> => {
  const mayBeVisible = isReference(reference) && (caller.kind === 'SECAS' || filerOf(reference) === filerCode(caller.id));
  const ownerId = mayBeVisible ? await getCaseOwner(reference) : undefined;
  const disposed = mayBeVisible && ownerId === undefined ? await readDisposal(reference) : undefined;
  const owner = ownerId ?? disposed?.ownerId;
  if (owner === undefined || !canSee(caller, { ownerId: owner })) throw notFound(`Case ${reference}`);
  if (disposed) throw caseGone(disposed.disposal);
};

/** The case, if this caller may see it: another User's case is "not found", as if it did not exist. */
export const visibleCase = async (reference: string, caller: Caller): Promise<CaseRecord> => {
  await mustSee(reference, caller);
  const record = await getCase(reference);
  if (!record) throw notFound(`Case ${reference}`);
  return record;
};

/**
 * The whole case (every event, every question and answer), if this caller may see it; gone (410)
 * while its disposal is under way, its disposal record then read in the same query as the case.
 */
export const visibleCaseFile = async (reference: string, caller: Caller): Promise<CaseFile> => {
  await mustSee(reference, caller);
  const items = await casePartition(reference);
  const disposed = disposalIn(items);
  if (disposed) throw caseGone(disposed.disposal);
  const file = caseFileOf(items);
  if (!file) throw notFound(`Case ${reference}`);
  return file;
};

export const conflict = (detail: string, headers?: Record<string, string>) =>
  new Problem(409, 'conflict', 'Not possible now', detail, headers ? { headers } : {});

const settled = (outcome: ResolveOutcome, notWaiting: string): void => {
  if (!outcome.ok) throw conflict(outcome.reason === 'not-waiting' ? notWaiting : 'The case has moved on; nothing was changed.');
};

export const answerInformationRequest = async (reference: string, body: InformationAnswer, actor: Caller): Promise<void> => {
  await mustSee(reference, actor);
  const answeredAt = new Date().toISOString();
  settled(
    await resolveCaseWait(reference, 'UserInformation', { answer: body.answer, answeredAt }, actor, 'UserAnswered', body.answer),
    'No question from the SSC is open on this case.',
  );
  businessMetric('AnswersGiven');
};

export const withdrawNotification = async (reference: string, body: WithdrawalRequest, actor: Caller): Promise<void> => {
  await mustSee(reference, actor);
  const at = new Date().toISOString();
  const reason = body.reason ?? '';
  const record = await requestWithdrawal(reference, { at, reason }, { at, type: 'WithdrawalRequested', actor, ...(reason ? { text: reason } : {}) });
  if (!record) throw conflict('The case can be withdrawn only until the SSC decides; it has been decided, or is already withdrawn or closed.');
  await withdrawFromWait(record);
};

/**
 * What an assessment record does to a case: the wait it resolves, with what, and its audit event;
 * the same checks whether SECAS records through the API or through its form. Throws a 409 when
 * the case does not await this record, a 422 for a date the process cannot take: an assessment
 * date that is not a Working Day after today within the SSC's window, a completion before the
 * scheduled date or in the future.
 */
export const assessmentResolutionFor = (
  record: CaseRecord,
  body: AssessmentRecord,
  now: Date,
): { stage: AssessmentStage; resolution: WaitResolution; eventType: string; text: string } => {
  const today = londonDate(now);
  const recordedAt = now.toISOString();
  if ('scheduledOn' in body) {
    if (record.status !== 'AwaitingAssessmentSchedule') throw conflict(`The case is not awaiting an assessment date (status ${record.status}).`);
    const deadline = record.deadline?.wait === 'AssessmentSchedule' ? record.deadline : undefined;
    // The SSC's decision moves the status on a moment before the workflow opens the window (and
    // sets its hard limit): a date too soon or not a Working Day is wrong either way; any other waits for the window.
    const window = assessmentDateWindow(today, deadline ? londonDate(new Date(deadline.hardLimitAt)) : latestAdmissibleDate());
    const refused = assessmentDateError(body.scheduledOn, window);
    if (refused) throw invalidFields([refused], 'The assessment date cannot be taken');
    if (!deadline) throw conflict('The assessment window is being opened; retry in a few seconds.', { 'Retry-After': '5' });
    return {
      stage: 'AssessmentSchedule',
      resolution: { scheduledOn: body.scheduledOn, recordedAt },
      eventType: 'AssessmentScheduleRecorded',
      text: body.scheduledOn,
    };
  }
  const { outcome } = body;
  if (record.status !== 'AwaitingAssessmentOutcome') throw conflict(`The case is not awaiting an assessment outcome (status ${record.status}).`);
  // The workflow moves the case to this status in the same write that records the date.
  const scheduledOn = record.assessment?.scheduledOn;
  if (!scheduledOn) throw new Error(`case ${record.reference} awaits an assessment outcome without a scheduled date`);
  const outOfTime = assessmentCompletionError(outcome.completedOn, assessmentCompletionWindow(scheduledOn, today));
  if (outOfTime) throw invalidFields([outOfTime], 'The completion date cannot be taken');
  return {
    stage: 'AssessmentOutcome',
    // Every field present, empty when not given, so the workflow's DynamoDB write can copy it as it is.
    resolution: {
      assuranceStatus: outcome.assuranceStatus,
      conditions: outcome.conditions ?? '',
      reportReference: outcome.reportReference ?? '',
      completedOn: outcome.completedOn,
      recordedAt,
    },
    eventType: 'AssessmentOutcomeRecorded',
    text: outcome.assuranceStatus,
  };
};

export const recordAssessment = async (reference: string, body: AssessmentRecord, actor: Caller, now: Date): Promise<void> => {
  const record = await visibleCase(reference, actor);
  const { stage, resolution, eventType, text } = assessmentResolutionFor(record, body, now);
  settled(
    await resolveCaseWait(reference, stage, resolution, actor, eventType, text),
    `The case is not awaiting ${stage === 'AssessmentSchedule' ? 'an assessment date' : 'an assessment outcome'} (status ${record.status}).`,
  );
};
