import type { AssessmentLinkClaims, AssessmentStage } from './assessment-link';
import { type AssuranceStatus, AssuranceStatus as AssuranceStatuses, type CaseRecord } from './case';
import { fieldError, html, page } from './html';
import { caseReferenceField } from './person';
import type { FieldError } from './problem';
import { decisionWording } from './ssc-decision';

/**
 * SECAS's pages behind its assessment links: a form that records the ad-hoc assessment's date,
 * then one that records its outcome, for an administrator rather than an API client. GET only
 * shows; the form's POST records, once. As served, each form lacks what it records (a date, an
 * outcome: no radio is checked) and what only a person supplies (their name and the case
 * reference typed, as on the SSC's page), so a mail scanner that submits it as it stands, or
 * fills it with the page's own values and made-up ones, records nothing.
 */
export type AssessmentRefusal = 'invalid' | 'expired' | 'already-recorded' | 'moved-on';

const refusals: Record<AssessmentRefusal, { status: number; title: string; text: string }> = {
  invalid: {
    status: 403,
    title: 'This link is not valid',
    text: 'The link is incomplete or has been altered. Open it exactly as it appears in the SECAS email. Nothing has been changed.',
  },
  expired: {
    status: 410,
    title: 'This link has expired',
    text: 'Assessment links work until the hard limit of the wait they belong to. Record it through the API (POST /notifications/{reference}/assessment) if the case still awaits it. Nothing has been changed.',
  },
  'already-recorded': { status: 409, title: 'This has already been recorded', text: 'Each assessment link records once. Nothing has been changed.' },
  'moved-on': { status: 410, title: 'This case has moved on', text: 'The case no longer awaits this record. Nothing has been changed.' },
};

export const assessmentRefusalStatus = (refusal: AssessmentRefusal): number => refusals[refusal].status;

export const assessmentRefusalPage = (refusal: AssessmentRefusal, detail?: { usedBy?: string; usedAt?: string; caseRecord?: CaseRecord }): string => {
  const { title, text } = refusals[refusal];
  return page(
    title,
    html`<h1>${title}</h1><div class="notice bad"><p>${text}</p></div>${
      refusal === 'already-recorded' && detail?.usedAt ? html`<p>Recorded by <strong>${detail.usedBy ?? 'SECAS'}</strong> at ${detail.usedAt}.</p>` : html``
    }${refusal === 'moved-on' && detail?.caseRecord ? html`<p>The case's status is now <strong>${detail.caseRecord.status}</strong>.</p>` : html``}`,
  );
};

const stageWords: Record<AssessmentStage, { title: string; button: string }> = {
  AssessmentSchedule: { title: 'record the date of the ad-hoc User Security Assessment', button: 'Record the date' },
  AssessmentOutcome: { title: 'record the outcome of the ad-hoc User Security Assessment', button: 'Record the outcome' },
};

export const assuranceWords: Record<AssuranceStatus, string> = {
  Approved: 'Approved',
  ApprovedSubjectTo: 'Approved, subject to conditions (give them below)',
  Deferred: 'Deferred: a follow-up assessment is required',
  Rejected: 'Rejected: a follow-up assessment is required',
};

/** The fields of a submitted form, kept to show again with what must be corrected. */
export type AssessmentFormValues = Partial<
  Record<'recordedBy' | 'caseReference' | 'scheduledOn' | 'assuranceStatus' | 'conditions' | 'reportReference' | 'completedOn', string>
>;

/** What typing the reference confirms, in the field's label and its correction. */
export const ASSESSMENT_CONFIRMING = 'you record this for';

/** The window a date field takes, shown to the person and set on the field. */
export interface DateBounds {
  min: string;
  max: string;
}

export const assessmentFormPage = (
  c: CaseRecord,
  claims: AssessmentLinkClaims,
  sig: string,
  bounds: DateBounds,
  corrections: FieldError[] = [],
  values: AssessmentFormValues = {},
): string => {
  const words = stageWords[claims.stage];
  const title = `${c.reference}: ${words.title}`;
  const decided = c.sscDecision
    ? html`<dt>SSC decision</dt><dd>${decisionWording[c.sscDecision.kind].label}, ${c.sscDecision.decidedAt.slice(0, 10)}</dd>`
    : html``;
  const due = c.deadline ? html`<dt>Due by</dt><dd>${c.deadline.dueOn} (the wait ends overdue on ${c.deadline.hardLimitAt.slice(0, 10)})</dd>` : html``;
  const scheduled = c.assessment?.scheduledOn ? html`<dt>Scheduled for</dt><dd>${c.assessment.scheduledOn}</dd>` : html``;
  // The outcome form's window opens on the scheduled day: before it, there is nothing to record yet.
  const notYet =
    claims.stage === 'AssessmentOutcome' && bounds.min > bounds.max
      ? html`<div class="notice"><p>The assessment is scheduled for <strong>${bounds.min}</strong>: its outcome can be recorded from that day.</p></div>`
      : html``;
  const dateField =
    claims.stage === 'AssessmentSchedule'
      ? html`<p><label for="scheduledOn">The date the User CIO will carry out the assessment: a Working Day from ${bounds.min} to ${bounds.max} (not a weekend or holiday)</label><br>
<input type="date" id="scheduledOn" name="scheduledOn" min="${bounds.min}" max="${bounds.max}" value="${values.scheduledOn ?? ''}" required>${fieldError(corrections, '/scheduledOn')}</p>`
      : html`<fieldset><legend>Assurance status (SEC G8.34)${fieldError(corrections, '/outcome/assuranceStatus')}</legend>
${AssuranceStatuses.options.map(
  (status) =>
    html`<p><label><input type="radio" name="assuranceStatus" value="${status}"${values.assuranceStatus === status ? html` checked` : html``} required> ${assuranceWords[status]}</label></p>`,
)}</fieldset>
<p><label for="conditions">Conditions (required for "Approved, subject to")</label><br>
<textarea id="conditions" name="conditions">${values.conditions ?? ''}</textarea>${fieldError(corrections, '/outcome/conditions')}</p>
<p><label for="reportReference">User Security Assessment Report reference (G8.22, optional)</label><br>
<input type="text" id="reportReference" name="reportReference" value="${values.reportReference ?? ''}">${fieldError(corrections, '/outcome/reportReference')}</p>
<p><label for="completedOn">The date the assessment completed: on or after ${bounds.min}, the day it was scheduled for, and not in the future</label><br>
<input type="date" id="completedOn" name="completedOn" min="${bounds.min}" max="${bounds.max}" value="${values.completedOn ?? ''}" required>${fieldError(corrections, '/outcome/completedOn')}</p>`;
  return page(
    title,
    html`<h1>${title}</h1>
${corrections.length ? html`<div class="notice bad" role="alert"><p><strong>Not yet recorded.</strong> Correct what is marked below.</p></div>` : html``}
<dl><dt>SEC Party</dt><dd>${c.submission.party.name}</dd><dt>New User System</dt><dd>${c.submission.newUserSystem.name}</dd>${decided}${scheduled}${due}</dl>
${notYet}
<form method="post" action="${claims.recordId}">
<input type="hidden" name="record" value="${claims.stage === 'AssessmentSchedule' ? 'date' : 'outcome'}">
<input type="hidden" name="expires" value="${claims.expires}">
<input type="hidden" name="sig" value="${sig}">
${dateField}
<p><label for="recordedBy">Your name (recorded with it in the case's history)</label><br>
<input type="text" id="recordedBy" name="recordedBy" value="${values.recordedBy ?? ''}" required autocomplete="name">${fieldError(corrections, '/recordedBy')}</p>
${caseReferenceField(values.caseReference, corrections, ASSESSMENT_CONFIRMING)}
<p><button type="submit">${words.button}</button></p>
</form>
<p>Nothing is recorded until you submit this form. The User is emailed what you record.</p>`,
  );
};

export const assessmentRecordedPage = (c: CaseRecord, stage: AssessmentStage, resolution: Record<string, unknown>, recordedBy: string): string => {
  const title = `Recorded for ${c.reference}`;
  const what =
    stage === 'AssessmentSchedule'
      ? html`The ad-hoc User Security Assessment is scheduled for <strong>${String(resolution.scheduledOn)}</strong>. The User is being emailed the date; SECAS will be asked for the outcome.`
      : html`Outcome <strong>${assuranceWords[resolution.assuranceStatus as AssuranceStatus]}</strong>, completed ${String(resolution.completedOn)}. The User is being emailed the outcome.`;
  return page(title, html`<h1>${title}</h1><div class="notice ok"><p>${what}</p></div><p>Recorded by ${recordedBy}.</p>`);
};
