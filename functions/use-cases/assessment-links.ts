import {
  type AssessmentRecordRequest,
  claimAssessmentRecord,
  getAssessmentRecordRequest,
  getCase,
  openAssessmentRecord,
  releaseAssessmentRecord,
} from '../adapters/cases-repository';
import { setting } from '../adapters/config';
import { linkExpiry } from '../domain/signed-link';
import { linkKeyring } from '../adapters/link-keyring';
import { logger } from '../adapters/powertools';
import { assessmentCompletionWindow, assessmentDateWindow, latestAdmissibleDate } from '../domain/admission';
import {
  type AssessmentLinkClaims,
  type AssessmentLinkParameters,
  type AssessmentStage,
  assessmentLinkQuery,
  verifyAssessmentLink,
} from '../domain/assessment-link';
import { ASSESSMENT_CONFIRMING, type AssessmentFormValues, type AssessmentRefusal, type DateBounds, assessmentDates } from '../domain/assessment-pages';
import { dateInput, parseDateInput } from '../domain/date-input';
import type { Correction } from '../domain/html';
import { datesInWords } from '../domain/wording';
import { type CaseRecord, awaitingStatus } from '../domain/case';
import { Problem } from '../domain/problem';
import { cleanFormText, nameCorrection, personName, referenceCorrection } from '../domain/person';
import { AssessmentOutcomeRecord, AssessmentScheduleRecord } from '../domain/requests';
import { londonDate } from '../domain/working-days';
import { assessmentResolutionFor } from './case-actions';
import { resumeClaimedWait } from './waits';

/**
 * SECAS records an ad-hoc assessment's date and outcome through signed links in its emails, to
 * forms with the same checks and audit as the API: opened by the waiting task, repeated by its
 * reminders and escalations, valid until the wait's hard limit, used once.
 */

/** The link to the form for the stage the case waits in (the request opened on first use, then reused). */
export const assessmentLink = async (c: CaseRecord, stage: AssessmentStage): Promise<string> => {
  if (!c.deadline || c.deadline.wait !== stage) throw new Error(`case ${c.reference} has no ${stage} deadline`);
  const expires = linkExpiry(c.deadline.hardLimitAt, new Date());
  const { recordId, expiresAt } = await openAssessmentRecord(c.reference, stage, expires);
  const base = setting('PUBLIC_BASE_URL').replace(/\/$/, '');
  return `${base}/assessments/${recordId}?${assessmentLinkQuery({ recordId, stage, expires: expiresAt }, await linkKeyring())}`;
};

export type AssessmentLinkCheck =
  | { ok: true; claims: AssessmentLinkClaims; request: AssessmentRecordRequest; caseRecord: CaseRecord; bounds: DateBounds }
  | { ok: false; refusal: AssessmentRefusal; request?: AssessmentRecordRequest; caseRecord?: CaseRecord };

/** The dates the form takes, as the API's windows have them. */
const boundsFor = (c: CaseRecord, stage: AssessmentStage, now: Date): DateBounds => {
  const today = londonDate(now);
  const window =
    stage === 'AssessmentSchedule'
      ? assessmentDateWindow(today, c.deadline?.wait === stage ? londonDate(new Date(c.deadline.hardLimitAt)) : latestAdmissibleDate())
      : assessmentCompletionWindow(c.assessment?.scheduledOn ?? today, today);
  return { min: window.notBefore, max: window.notAfter };
};

/** Everything an assessment link must pass before its form shows or records. Reads only. */
export const checkAssessmentLink = async (recordId: string, params: AssessmentLinkParameters, now: Date): Promise<AssessmentLinkCheck> => {
  const verdict = verifyAssessmentLink(recordId, params, await linkKeyring(), now);
  if (!verdict.ok) {
    logger.warn('assessment link refused', { recordId, reason: verdict.reason });
    return { ok: false, refusal: verdict.reason === 'expired' ? 'expired' : 'invalid' };
  }
  const request = await getAssessmentRecordRequest(recordId);
  if (!request) return { ok: false, refusal: 'expired' };
  if (request.status === 'Used') return { ok: false, refusal: 'already-recorded', request };
  if (request.expiresAt * 1000 <= now.getTime()) return { ok: false, refusal: 'expired' };
  const caseRecord = await getCase(request.reference);
  logger.appendKeys({ reference: request.reference });
  if (
    request.status !== 'Pending' ||
    !caseRecord ||
    caseRecord.openAssessmentRecordId !== recordId ||
    caseRecord.status !== awaitingStatus[verdict.claims.stage]
  ) {
    return { ok: false, refusal: 'moved-on', ...(caseRecord ? { caseRecord } : {}) };
  }
  return { ok: true, claims: verdict.claims, request, caseRecord, bounds: boundsFor(caseRecord, verdict.claims.stage, now) };
};

export type AssessmentFormOutcome =
  | { ok: true; caseRecord: CaseRecord; stage: AssessmentStage; resolution: Record<string, unknown>; recordedBy: string }
  | Extract<AssessmentLinkCheck, { ok: false }>
  /** The link is good but the form is not: it is shown again, saying what to correct. */
  | { ok: false; corrections: Correction[]; check: Extract<AssessmentLinkCheck, { ok: true }> };

const text = (form: Record<string, unknown>, name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');

/** The form's fields as the person meant them (a date as its day, month and year). */
export const formValues = (form: Record<string, unknown>): AssessmentFormValues => ({
  ...Object.fromEntries((['assuranceStatus', 'conditions', 'reportReference'] as const).map((k) => [k, text(form, k)])),
  scheduledOn: dateInput(form, 'scheduledOn'),
  completedOn: dateInput(form, 'completedOn'),
  recordedBy: personName(form.recordedBy),
  caseReference: cleanFormText(form.caseReference),
});

/** The form as the API's body, so that the same schema checks it. */
const bodyFrom = (stage: AssessmentStage, v: AssessmentFormValues, date: string) =>
  stage === 'AssessmentSchedule'
    ? AssessmentScheduleRecord.safeParse({ scheduledOn: date })
    : AssessmentOutcomeRecord.safeParse({
        outcome: {
          assuranceStatus: v.assuranceStatus,
          completedOn: date,
          ...(v.conditions ? { conditions: v.conditions } : {}),
          ...(v.reportReference ? { reportReference: v.reportReference } : {}),
        },
      });

const pointerOf = (path: ReadonlyArray<PropertyKey>) => `/${path.map(String).join('/')}`;

/** The schema's and the rules' corrections in the words of the form (its questions, dates in words). */
const formWords: Record<string, (detail: string) => string> = {
  '/outcome/assuranceStatus': () => 'Select the assurance status',
  '/outcome/conditions': (detail) =>
    detail.startsWith('conditions are required') ? 'Give the conditions: they are required for “Approved, subject to conditions”' : `The conditions ${detail}`,
  '/outcome/reportReference': (detail) => `The report reference ${detail}`,
};

const inFormWords = (stage: AssessmentStage, c: Correction): Correction => {
  const date = assessmentDates[stage];
  // A rule on the whole date (its window, a Working Day) marks all three parts.
  if (c.pointer === date.pointer)
    return { pointer: c.pointer, detail: `${date.what[0]?.toUpperCase()}${date.what.slice(1)} ${datesInWords(c.detail)}`, parts: ['day', 'month', 'year'] };
  const words = formWords[c.pointer];
  return words ? { pointer: c.pointer, detail: words(c.detail) } : c;
};

/**
 * SECAS submits the form behind an assessment link: checked as the API checks the same record,
 * then claimed (request Pending → Used and the wait resolved, in one transaction, once) and the
 * workflow resumed. If Step Functions cannot be reached the claim is undone and the page says to
 * try again (503).
 */
export const recordAssessmentByLink = async (
  recordId: string,
  params: AssessmentLinkParameters,
  form: Record<string, unknown>,
  now: Date,
): Promise<AssessmentFormOutcome> => {
  const check = await checkAssessmentLink(recordId, params, now);
  if (!check.ok) return check;
  const { stage } = check.claims;
  const values = formValues(form);
  const corrections: Correction[] = [];
  const nameProblem = nameCorrection(values.recordedBy ?? '', 'the assessment');
  if (nameProblem) corrections.push({ pointer: '/recordedBy', detail: nameProblem });
  // The human step, as on the SSC's page: a scanner that fills the form cannot know what to type here.
  const referenceProblem = referenceCorrection(values.caseReference ?? '', check.caseRecord.reference, ASSESSMENT_CONFIRMING);
  if (referenceProblem) corrections.push({ pointer: '/caseReference', detail: referenceProblem });
  const date = assessmentDates[stage];
  const typed = parseDateInput(dateInput(form, date.name), date.pointer, date.what);
  if ('correction' in typed) corrections.push(typed.correction);
  if (stage === 'AssessmentOutcome' && !values.assuranceStatus) corrections.push(inFormWords(stage, { pointer: '/outcome/assuranceStatus', detail: '' }));
  const parsed = bodyFrom(stage, values, 'date' in typed ? typed.date : '');
  if (!parsed.success) {
    const shown = new Set(corrections.map((c) => c.pointer));
    for (const issue of parsed.error.issues)
      if (!shown.has(pointerOf(issue.path))) corrections.push(inFormWords(stage, { pointer: pointerOf(issue.path), detail: issue.message }));
  }
  let resolved: ReturnType<typeof assessmentResolutionFor> | undefined;
  if (parsed.success) {
    try {
      resolved = assessmentResolutionFor(check.caseRecord, parsed.data, now);
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      if (error.status === 409) return { ok: false, refusal: 'moved-on', caseRecord: check.caseRecord };
      corrections.push(...(error.errors ?? [{ pointer: '/', detail: error.message }]).map((c) => inFormWords(stage, c)));
    }
  }
  if (corrections.length || !resolved) return { ok: false, corrections, check };

  const usedAt = now.toISOString();
  const recordedBy = values.recordedBy as string;
  const claimed = await claimAssessmentRecord({
    recordId,
    reference: check.caseRecord.reference,
    stage,
    resolution: resolved.resolution,
    usedBy: recordedBy,
    usedAt,
    event: { at: usedAt, type: resolved.eventType, actor: { kind: 'SECAS', id: `assessment link ${recordId}`, name: recordedBy }, text: resolved.text },
  });
  if (!claimed?.pendingWait?.taskToken) {
    // Recorded just before (a second submission), or the case moved on: say what stands now.
    const recheck = await checkAssessmentLink(recordId, params, now);
    return recheck.ok ? { ok: false, refusal: 'moved-on', caseRecord: recheck.caseRecord } : recheck;
  }
  const resumed = await resumeClaimedWait(check.caseRecord.reference, claimed.pendingWait.taskToken, resolved.resolution, () =>
    releaseAssessmentRecord(recordId, check.caseRecord.reference, usedAt, {
      at: new Date().toISOString(),
      type: `${resolved.eventType}Undone`,
      actor: { kind: 'System' },
      text: 'The workflow could not be reached; SECAS was asked to submit again.',
    }),
  );
  if (resumed === 'case-ended') return { ok: false, refusal: 'moved-on', caseRecord: claimed };
  logger.info('assessment recorded through its link', { reference: check.caseRecord.reference, recordId, stage });
  return { ok: true, caseRecord: check.caseRecord, stage, resolution: resolved.resolution, recordedBy };
};
