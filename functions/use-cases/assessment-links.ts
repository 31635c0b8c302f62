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
import { ASSESSMENT_CONFIRMING, type AssessmentFormValues, type AssessmentRefusal, type DateBounds } from '../domain/assessment-pages';
import { type CaseRecord, awaitingStatus } from '../domain/case';
import { type FieldError, Problem } from '../domain/problem';
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
  | { ok: false; corrections: FieldError[]; check: Extract<AssessmentLinkCheck, { ok: true }> };

const text = (form: Record<string, unknown>, name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');

/** The form's fields, as the API's body: the same schema checks them. */
export const formValues = (form: Record<string, unknown>): AssessmentFormValues => ({
  ...Object.fromEntries((['scheduledOn', 'assuranceStatus', 'conditions', 'reportReference', 'completedOn'] as const).map((k) => [k, text(form, k)])),
  recordedBy: personName(form.recordedBy),
  caseReference: cleanFormText(form.caseReference),
});

const bodyFrom = (stage: AssessmentStage, v: AssessmentFormValues) =>
  stage === 'AssessmentSchedule'
    ? AssessmentScheduleRecord.safeParse({ scheduledOn: v.scheduledOn })
    : AssessmentOutcomeRecord.safeParse({
        outcome: {
          assuranceStatus: v.assuranceStatus,
          completedOn: v.completedOn,
          ...(v.conditions ? { conditions: v.conditions } : {}),
          ...(v.reportReference ? { reportReference: v.reportReference } : {}),
        },
      });

const pointerOf = (path: ReadonlyArray<PropertyKey>) => `/${path.map(String).join('/')}`;

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
  const corrections: FieldError[] = [];
  const nameProblem = nameCorrection(values.recordedBy ?? '', 'the assessment');
  if (nameProblem) corrections.push({ pointer: '/recordedBy', detail: nameProblem });
  // The human step, as on the SSC's page: a scanner that fills the form cannot know what to type here.
  const referenceProblem = referenceCorrection(values.caseReference ?? '', check.caseRecord.reference, ASSESSMENT_CONFIRMING);
  if (referenceProblem) corrections.push({ pointer: '/caseReference', detail: referenceProblem });
  const requiredFields =
    stage === 'AssessmentSchedule' ? { scheduledOn: '/scheduledOn' } : { assuranceStatus: '/outcome/assuranceStatus', completedOn: '/outcome/completedOn' };
  const missing = Object.entries(requiredFields).filter(([field]) => !values[field as keyof AssessmentFormValues]);
  for (const [, pointer] of missing) corrections.push({ pointer, detail: 'This is required.' });
  const parsed = bodyFrom(stage, values);
  if (!parsed.success) {
    const missingPointers = new Set(missing.map(([, pointer]) => pointer));
    for (const issue of parsed.error.issues)
      if (!missingPointers.has(pointerOf(issue.path))) corrections.push({ pointer: pointerOf(issue.path), detail: issue.message });
  }
  let resolved: ReturnType<typeof assessmentResolutionFor> | undefined;
  if (parsed.success) {
    try {
      resolved = assessmentResolutionFor(check.caseRecord, parsed.data, now);
    } catch (error) {
      if (!(error instanceof Problem)) throw error;
      if (error.status === 409) return { ok: false, refusal: 'moved-on', caseRecord: check.caseRecord };
      corrections.push(...(error.errors ?? [{ pointer: '/', detail: error.message }]));
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
