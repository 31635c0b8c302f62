import type { AssessmentLinkClaims, AssessmentStage } from './assessment-link';
import { type AssuranceStatus, AssuranceStatus as AssuranceStatuses, type CaseRecord } from './case';
import { type DateInput, dateInputOf } from './date-input';
import { type Correction, dateField, errorSummary, html, page, radios, summaryList, textArea, textField } from './html';
import { caseReferenceField } from './person';
import { assuranceWords, dateInWords, decisionWords, dueInWords, statusWords, timeInWords } from './wording';

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
    html`<h1 class="govuk-heading-l">${title}</h1><p class="govuk-body">${text}</p>${
      refusal === 'already-recorded' && detail?.usedAt
        ? html`<p class="govuk-body">Recorded by <strong>${detail.usedBy ?? 'SECAS'}</strong> at ${timeInWords(detail.usedAt)}.</p>`
        : html``
    }${refusal === 'moved-on' && detail?.caseRecord ? html`<p class="govuk-body">The case is now: <strong>${statusWords[detail.caseRecord.status]}</strong>.</p>` : html``}`,
  );
};

const stageWords: Record<AssessmentStage, { title: string; button: string }> = {
  AssessmentSchedule: { title: 'record the date of the ad-hoc User Security Assessment', button: 'Record the date' },
  AssessmentOutcome: { title: 'record the outcome of the ad-hoc User Security Assessment', button: 'Record the outcome' },
};

/** The radios' labels: the outcome in words, and what choosing it asks for. */
const assuranceChoices: Record<AssuranceStatus, string> = {
  ...assuranceWords,
  ApprovedSubjectTo: `${assuranceWords.ApprovedSubjectTo} (give them below)`,
};

/** The fields of a submitted form, kept to show again with what must be corrected. */
export type AssessmentFormValues = Partial<Record<'recordedBy' | 'caseReference' | 'assuranceStatus' | 'conditions' | 'reportReference', string>> &
  Partial<Record<'scheduledOn' | 'completedOn', Partial<DateInput>>>;

/** What typing the reference confirms, in the field's label and its correction. */
export const ASSESSMENT_CONFIRMING = 'you record this for';

/** Each date the forms take, as their questions and corrections name it. */
export const assessmentDates = {
  AssessmentSchedule: { name: 'scheduledOn', pointer: '/scheduledOn', what: 'the date the assessment will take place' },
  AssessmentOutcome: { name: 'completedOn', pointer: '/outcome/completedOn', what: 'the date the assessment was completed' },
} as const;

/** Where each correction's field is, for the error summary's links. */
const FIELD_IDS = {
  '/scheduledOn': 'scheduledOn',
  '/outcome/completedOn': 'completedOn',
  '/outcome/assuranceStatus': 'assuranceStatus',
  '/outcome/conditions': 'conditions',
  '/outcome/reportReference': 'reportReference',
  '/recordedBy': 'recordedBy',
  '/caseReference': 'caseReference',
};

/** The window a date field takes, shown to the person and set on the field. */
export interface DateBounds {
  min: string;
  max: string;
}

/** A date as typed into the three fields, as GOV.UK's hints give one ("For example, 8 12 2026"). */
const example = (date: string) => Object.values(dateInputOf(date)).join(' ');

const when = (date: string) => html`<time datetime="${date}">${dateInWords(date)}</time>`;

export const assessmentFormPage = (
  c: CaseRecord,
  claims: AssessmentLinkClaims,
  sig: string,
  bounds: DateBounds,
  corrections: Correction[] = [],
  values: AssessmentFormValues = {},
): string => {
  const words = stageWords[claims.stage];
  const title = `${c.reference}: ${words.title}`;
  const rows: Array<readonly [string, string]> = [
    ['SEC Party', c.submission.party.name],
    ['New User System', c.submission.newUserSystem.name],
    ...(c.sscDecision ? ([['SSC decision', `${decisionWords(c.sscDecision.kind)}, ${dateInWords(c.sscDecision.decidedAt.slice(0, 10))}`]] as const) : []),
    ...(c.assessment?.scheduledOn ? ([['Scheduled for', dateInWords(c.assessment.scheduledOn)]] as const) : []),
    ...(c.deadline ? ([['Due by', `${dueInWords(c.deadline)} (the wait ends overdue on ${dateInWords(c.deadline.hardLimitAt.slice(0, 10))})`]] as const) : []),
  ];
  // The outcome form's window opens on the scheduled day: before it, there is nothing to record yet.
  const notYet =
    claims.stage === 'AssessmentOutcome' && bounds.min > bounds.max
      ? html`<div class="govuk-inset-text">The assessment is scheduled for <strong>${dateInWords(bounds.min)}</strong>: its outcome can be recorded from that day.</div>`
      : html``;
  const dateFields =
    claims.stage === 'AssessmentSchedule'
      ? dateField({
          id: 'scheduledOn',
          name: 'scheduledOn',
          label: 'When will the User CIO carry out the assessment?',
          hint: html`A Working Day (not a weekend or holiday) from ${when(bounds.min)} to ${when(bounds.max)}. For example, ${example(bounds.min)}.`,
          pointer: '/scheduledOn',
          corrections,
          value: values.scheduledOn ?? {},
        })
      : html`${radios({
          id: 'assuranceStatus',
          name: 'assuranceStatus',
          label: 'Assurance status',
          hint: 'As SEC G8.34 defines it.',
          pointer: '/outcome/assuranceStatus',
          corrections,
          value: values.assuranceStatus,
          options: AssuranceStatuses.options.map((status) => [status, assuranceChoices[status]] as [string, string]),
        })}
${textArea({ id: 'conditions', name: 'conditions', label: 'Conditions', hint: 'Required for “Approved, subject to conditions”.', pointer: '/outcome/conditions', corrections, value: values.conditions })}
${textField({ id: 'reportReference', name: 'reportReference', label: 'User Security Assessment Report reference (optional)', hint: 'As SEC G8.22 names the report.', pointer: '/outcome/reportReference', corrections, value: values.reportReference, width: 'govuk-input--width-20' })}
${dateField({
  id: 'completedOn',
  name: 'completedOn',
  label: 'When was the assessment completed?',
  hint: html`On or after ${when(bounds.min)}, the day it was scheduled for, and not in the future (to ${when(bounds.max)}).`,
  pointer: '/outcome/completedOn',
  corrections,
  value: values.completedOn ?? {},
})}`;
  return page(
    title,
    html`${errorSummary(corrections, FIELD_IDS)}<h1 class="govuk-heading-l">${title}</h1>
${corrections.length ? html`<p class="govuk-body"><strong>Not yet recorded.</strong> Correct what is marked below.</p>` : html``}
${summaryList(rows)}
${notYet}
<form method="post" action="${claims.recordId}">
<input type="hidden" name="record" value="${claims.stage === 'AssessmentSchedule' ? 'date' : 'outcome'}">
<input type="hidden" name="expires" value="${claims.expires}">
<input type="hidden" name="sig" value="${sig}">
${dateFields}
${textField({ id: 'recordedBy', name: 'recordedBy', label: 'Your name', hint: "It is recorded with it in the case's history.", pointer: '/recordedBy', corrections, value: values.recordedBy, attributes: 'required autocomplete="name"', width: 'govuk-input--width-20' })}
${caseReferenceField(values.caseReference, corrections, ASSESSMENT_CONFIRMING)}
<button type="submit" class="govuk-button">${words.button}</button>
</form>
<p class="govuk-body">Nothing is recorded until you submit this form. The User is emailed what you record.</p>`,
    { failed: corrections.length > 0 },
  );
};

export const assessmentRecordedPage = (c: CaseRecord, stage: AssessmentStage, resolution: Record<string, unknown>, recordedBy: string): string => {
  const title = `Recorded for ${c.reference}`;
  const what =
    stage === 'AssessmentSchedule'
      ? html`The ad-hoc User Security Assessment is scheduled for <strong>${dateInWords(String(resolution.scheduledOn))}</strong>.`
      : html`Outcome: <strong>${assuranceWords[resolution.assuranceStatus as AssuranceStatus]}</strong>, completed ${dateInWords(String(resolution.completedOn))}.`;
  const next =
    stage === 'AssessmentSchedule' ? 'The User is being emailed the date; SECAS will be asked for the outcome.' : 'The User is being emailed the outcome.';
  return page(
    title,
    html`<div class="govuk-panel govuk-panel--confirmation"><h1 class="govuk-panel__title">${title}</h1><div class="govuk-panel__body">${what}</div></div><p class="govuk-body">${next}</p><p class="govuk-body">Recorded by ${recordedBy}.</p>`,
  );
};
