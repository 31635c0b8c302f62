import { type Amendment, type CaseRecord, type InformationExchange, type SscDecisionRecord, versionOf } from './case';
import { type Rows, changeRows, exchangeRows, notificationRows, recommendationRow } from './case-summary';
import type { DecisionLinkClaims } from './decision-link';
import { bodyParagraphs, errorSummary, html, page, summaryList, textArea, textField } from './html';
import { caseReferenceField, cleanFormText, nameCorrection, notReferenceCorrection, personName, referenceCorrection } from './person';
import type { FieldError } from './problem';
import { MAX_INFORMATION_ROUNDS, type SscDecisionKind, decisionSlug, decisionWording } from './ssc-decision';
import { type DecidedAs, decidedAsWords, takenByWords } from './ssc-members';
import { characters, tooLong } from './text';
import { datesInWords, dayInWords, decisionWords, dueInWords, timeInWords } from './wording';

/**
 * In characters (Unicode code points), as every limit. The form's fields carry no `maxlength`: a
 * browser counts UTF-16 units there, so would stop an emoji-rich text at half its length; the
 * server's check decides, and its page says the limit and the count.
 */
export const MAX_ADVICE_LENGTH = 5000;

/** Why a link cannot act, each with its own page; none of them changes anything. */
export type Refusal = 'invalid' | 'expired' | 'already-decided' | 'moved-on' | 'no-more-questions' | 'left-register' | 'notice-amended';

const refusals: Record<Refusal, { status: number; title: string; text: string }> = {
  invalid: {
    status: 403,
    title: 'This link is not valid',
    text: 'The link is incomplete or has been altered. Open the link exactly as it appears in the SSC email. Nothing has been changed.',
  },
  expired: {
    status: 410,
    title: 'This link has expired',
    text: 'Decision links work for a limited time. Ask SECAS for a fresh decision email. Nothing has been changed.',
  },
  'already-decided': {
    status: 409,
    title: 'This case has already been decided',
    text: 'A decision was already taken through this email. Each decision email works once. Nothing has been changed.',
  },
  'no-more-questions': {
    status: 409,
    title: 'No further questions on this case',
    text: `The SSC has asked the User ${MAX_INFORMATION_ROUNDS} questions on this case, the most one case allows. Decide on the information given: use another link in the email. Nothing has been changed.`,
  },
  'left-register': {
    status: 403,
    title: 'This link no longer works',
    text: "The link was sent to someone who is no longer in the SSC's register of members and Alternates, so it cannot decide. If you are an SSC member or Alternate, use the links in an email sent to you, or ask SECAS. Nothing has been changed.",
  },
  'notice-amended': {
    status: 409,
    title: 'The notice has been amended',
    text: "The User amended the notice after this page was shown to you, so this decision was not taken: it would have been a decision on a notice the User has since changed. The SSC has been sent a fresh decision email saying what changed: read the amended notice and decide through that email's links. Nothing has been changed.",
  },
  'moved-on': {
    status: 410,
    title: 'This case has moved on',
    text: 'The case is no longer waiting for this decision. Nothing has been changed.',
  },
};

/** Why a case no longer waits for a decision request's links, as it stands now: the truth, not a guess. */
export const movedOnReason = (c: CaseRecord | undefined): string => {
  if (!c) return 'The case is no longer waiting for this decision.';
  if (c.withdrawal) return `The User withdrew the notification on ${dayInWords(c.withdrawal.at)}, so no decision is needed.`;
  switch (c.status) {
    case 'AwaitingUserInformation':
      return 'The SSC has asked the User a question on this case. When the User answers, the SSC receives a fresh decision email: use the links in that one.';
    case 'Received':
    case 'AwaitingSscDecision':
      return versionOf(c) > 1
        ? "A newer decision email has been sent for this case, after the User answered the SSC's question or amended the notice: use the links in that one."
        : "A newer decision email has been sent for this case, after the User answered the SSC's question: use the links in that one.";
    case 'SscDecisionOverdue':
      return "No decision was taken by the hard limit of the SSC's deadline, so the case ended overdue. SECAS has been told; ask SECAS how to proceed.";
    case 'UserInformationOverdue':
      return "The User did not answer the SSC's question by the hard limit, so the case ended overdue. SECAS has been told.";
    default:
      return c.sscDecision
        ? `The SSC already decided this case on ${dayInWords(c.sscDecision.decidedAt)}: ${decisionWords(c.sscDecision.kind)}.`
        : 'The case is no longer waiting for this decision.';
  }
};

export const refusalStatus = (refusal: Refusal): number => refusals[refusal].status;

export const refusalPage = (refusal: Refusal, decided?: SscDecisionRecord, caseRecord?: CaseRecord): string => {
  const { title } = refusals[refusal];
  const text = refusal === 'moved-on' ? `${movedOnReason(caseRecord)} Nothing has been changed.` : refusals[refusal].text;
  return page(
    title,
    html`<h1 class="govuk-heading-l">${title}</h1><p class="govuk-body">${text}</p>${
      decided
        ? html`<p class="govuk-body">Decision taken: <strong>${decisionWords(decided.kind)}</strong> at ${timeInWords(decided.decidedAt)}${takenByWords(decided) ? html`, by ${takenByWords(decided)}` : html``}.</p>`
        : html``
    }`,
  );
};

/** The fields of the confirmation form, as submitted, kept to show again with what must be corrected. */
export interface DecisionFormValues {
  decidedBy?: string;
  caseReference?: string;
  advice?: string;
}

/** What typing the reference confirms, in the field's label and its correction. */
const CONFIRMING = 'you decide';

const rowList = (rows: Rows) => summaryList(rows.map(([k, v]) => [k, bodyParagraphs(v)] as const));

/** The amendments of the notice, latest first: each field's value before and after, so the SSC sees what changed. */
const amendmentSections = (amendments: ReadonlyArray<Amendment>, version: number) =>
  amendments.length
    ? html`<h2 class="govuk-heading-m">What the User amended</h2>
<p class="govuk-body">The notice below is version ${version}. Each amendment, latest first:</p>
${[...amendments]
  .sort((a, b) => b.version - a.version)
  .map((a) => html`<h3 class="govuk-heading-s">Version ${a.version}, amended ${timeInWords(a.at)}</h3>${rowList(changeRows(a.changes, 'page'))}`)}`
    : html``;

/** Where each correction's field is, for the error summary's links. */
const FIELD_IDS = { '/decidedBy': 'decidedBy', '/caseReference': 'caseReference', '/advice': 'advice' };

/**
 * What GET on a decision link shows: the whole case (the notification with its security detail,
 * every question and answer, the recommendation) and a form that POSTs the decision. Mail scanners
 * that fetch the link see this page and decide nothing; one that submits the form as served, or
 * with made-up values, decides nothing either: the SSC member must type their name and the case's
 * reference. No script: the checks are the server's.
 */
export const confirmationPage = (
  file: { record: CaseRecord; informationExchanges: InformationExchange[]; amendments?: Amendment[] },
  claims: DecisionLinkClaims,
  sig: string,
  corrections: FieldError[] = [],
  values: DecisionFormValues = {},
  decidedAs?: DecidedAs,
): string => {
  const c = file.record;
  const wording = decisionWording[claims.decision];
  const title = `${c.reference}: ${wording.label}?`;
  const asks = claims.decision === 'MoreInformationNeeded';
  const due =
    c.deadline?.wait === 'SscDecision' ? html`<p class="govuk-body">The SSC's decision is due by <strong>${dueInWords(c.deadline)}</strong>.</p>` : html``;
  const [recommendationLabel, recommendation] = recommendationRow(c);
  return page(
    title,
    html`${errorSummary(corrections, FIELD_IDS)}<h1 class="govuk-heading-l">${title}</h1>
${corrections.length ? html`<p class="govuk-body"><strong>Not yet decided.</strong> Correct what is marked below; nothing has been changed.</p>` : html``}
${c.late ? html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> Late notice.${c.lateReasons.map((r) => html` ${datesInWords(r)}`)}</strong></div>` : html``}
${c.triage.register?.flagged ? html`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> SECAS's register of Shared Resource assessments does not bear out the User's account of its provider. ${datesInWords(c.triage.register.detail)}</strong></div>` : html``}
${due}
${amendmentSections(file.amendments ?? [], versionOf(c))}
<h2 class="govuk-heading-m">The notification</h2>
${rowList(notificationRows(c))}
${file.informationExchanges.length ? html`<h2 class="govuk-heading-m">Questions and answers</h2>${rowList(exchangeRows(file.informationExchanges))}` : html``}
<h2 class="govuk-heading-m">${recommendationLabel}</h2>
${bodyParagraphs(datesInWords(recommendation))}
<h2 class="govuk-heading-m">Your decision: ${wording.label}</h2>
<p class="govuk-body">${wording.meaning}</p>
${decidedAs ? html`<p class="govuk-body">This link was sent to you as ${decidedAs.alternate ? html`<strong>${decidedAs.alternate}</strong>, Alternate for <strong>${decidedAs.member}</strong>` : html`<strong>${decidedAs.member}</strong>, SSC member`}: the decision is recorded as taken by ${decidedAsWords(decidedAs)}.</p>` : html``}
<form method="post" action="${claims.decisionId}">
<input type="hidden" name="decision" value="${decisionSlug(claims.decision)}">
<input type="hidden" name="expires" value="${claims.expires}">
${claims.holder ? html`<input type="hidden" name="member" value="${claims.holder.memberId}">` : html``}
${claims.holder?.alternateId === undefined ? html`` : html`<input type="hidden" name="alternate" value="${claims.holder.alternateId}">`}
<input type="hidden" name="sig" value="${sig}">
<input type="hidden" name="version" value="${versionOf(c)}">
${textField({ id: 'decidedBy', name: 'decidedBy', label: 'Your name', hint: "It is recorded with the decision in the case's history.", pointer: '/decidedBy', corrections, value: values.decidedBy, attributes: 'required autocomplete="name"', width: 'govuk-input--width-20' })}
${caseReferenceField(values.caseReference, corrections, CONFIRMING)}
${textArea({
  id: 'advice',
  name: 'advice',
  label: asks ? 'Your question to the User' : 'Advice to the User (optional)',
  hint: asks ? 'Required. It is emailed to the User as written.' : 'It is emailed to the User as written.',
  pointer: '/advice',
  corrections,
  value: values.advice,
  required: asks,
})}
<button type="submit" class="govuk-button">Confirm: ${wording.label}</button>
</form>
<p class="govuk-body">Nothing is decided until you confirm. If this is not the decision you want, close this page and use another link in the email.</p>`,
    { failed: corrections.length > 0 },
  );
};

/**
 * After the decision: what was recorded, and what the User is sent: the SSC's advice, or, after a
 * request for more information, its question.
 */
export const decisionRecordedPage = (c: CaseRecord, decision: SscDecisionRecord): string => {
  const title = `Decision recorded for ${c.reference}`;
  const asked = decision.kind === 'MoreInformationNeeded';
  return page(
    title,
    html`<div class="govuk-panel govuk-panel--confirmation"><h1 class="govuk-panel__title">${title}</h1><div class="govuk-panel__body">${decisionWords(decision.kind)}</div></div>
<p class="govuk-body">Recorded at ${timeInWords(decision.decidedAt)} ${decision.decidedAs ? html`as taken by ${decidedAsWords(decision.decidedAs)} (confirmed as ${decision.decidedBy})` : html`in the name of ${decision.decidedBy}`}.</p>
<p class="govuk-body">${asked ? "The User will be emailed the SSC's question." : "The User will be emailed the SSC's advice."}</p>${
      decision.advice ? html`<h2 class="govuk-heading-m">${asked ? 'Your question' : 'Your advice'}</h2>${bodyParagraphs(decision.advice)}` : html``
    }`,
  );
};

/** The confirmation form's fields as the person meant them. */
export const decisionFormValues = (form: Record<string, unknown>): Required<DecisionFormValues> => ({
  decidedBy: personName(form.decidedBy),
  caseReference: cleanFormText(form.caseReference),
  advice: cleanFormText(form.advice),
});

/**
 * What must be corrected before this decision can be taken on case `reference` with these
 * values; empty when it can. The name and the reference are the human step: the form as served
 * has neither.
 */
export const decisionCorrections = (decision: SscDecisionKind, reference: string, values: Required<DecisionFormValues>): FieldError[] => {
  const corrections: FieldError[] = [];
  const name = nameCorrection(values.decidedBy, 'the decision') ?? notReferenceCorrection(values.decidedBy, reference);
  if (name) corrections.push({ pointer: '/decidedBy', detail: name });
  const typed = referenceCorrection(values.caseReference, reference, CONFIRMING);
  if (typed) corrections.push({ pointer: '/caseReference', detail: typed });
  if (decision === 'MoreInformationNeeded' && values.advice === '')
    corrections.push({ pointer: '/advice', detail: 'Write the question the User should answer: it is emailed to them as written.' });
  if (characters(values.advice) > MAX_ADVICE_LENGTH) corrections.push({ pointer: '/advice', detail: `The text ${tooLong(MAX_ADVICE_LENGTH, values.advice)}.` });
  return corrections;
};
