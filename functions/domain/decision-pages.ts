import type { CaseRecord, SscDecisionRecord } from './case';
import type { DecisionLinkClaims } from './decision-link';
import { html, page, paragraphs } from './html';
import { MAX_INFORMATION_ROUNDS, type SscDecisionKind, decisionSlug, decisionWording } from './ssc-decision';

export const MAX_ADVICE_LENGTH = 5000;

/** Why a link cannot act, each with its own page; none of them changes anything. */
export type Refusal = 'invalid' | 'expired' | 'already-decided' | 'moved-on' | 'no-more-questions';

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
  'moved-on': {
    status: 410,
    title: 'This case has moved on',
    text: 'The case is no longer waiting for this decision. Nothing has been changed.',
  },
};

const day = (instant: string) => instant.slice(0, 10);

/** Why a case no longer waits for a decision request's links, as it stands now: the truth, not a guess. */
export const movedOnReason = (c: CaseRecord | undefined): string => {
  if (!c) return 'The case is no longer waiting for this decision.';
  if (c.withdrawal) return `The User withdrew the notification on ${day(c.withdrawal.at)}, so no decision is needed.`;
  switch (c.status) {
    case 'AwaitingUserInformation':
      return "The SSC has asked the User a question on this case. When the User answers, the SSC receives a fresh decision email: use the links in that one.";
    case 'Received':
    case 'AwaitingSscDecision':
      return "A newer decision email has been sent for this case, after the User answered the SSC's question: use the links in that one.";
    case 'SscDecisionOverdue':
      return 'No decision was taken by the hard limit of the SSC\'s deadline, so the case ended overdue. SECAS has been told; ask SECAS how to proceed.';
    case 'UserInformationOverdue':
      return "The User did not answer the SSC's question by the hard limit, so the case ended overdue. SECAS has been told.";
    default:
      return c.sscDecision
        ? `The SSC already decided this case on ${day(c.sscDecision.decidedAt)}: ${decisionWording[c.sscDecision.kind].label}.`
        : 'The case is no longer waiting for this decision.';
  }
};

export const refusalStatus = (refusal: Refusal): number => refusals[refusal].status;

export const refusalPage = (refusal: Refusal, decided?: SscDecisionRecord, caseRecord?: CaseRecord): string => {
  const { title } = refusals[refusal];
  const text = refusal === 'moved-on' ? `${movedOnReason(caseRecord)} Nothing has been changed.` : refusals[refusal].text;
  return page(
    title,
    html`<h1>${title}</h1><div class="notice bad"><p>${text}</p></div>${
      decided ? html`<p>Decision taken: <strong>${decisionWording[decided.kind].label}</strong> at ${decided.decidedAt}.</p>` : html``
    }`,
  );
};

/**
 * What GET on a decision link shows: the case and the decision offered, and a form that
 * POSTs it. Mail scanners that fetch the link see this page and decide nothing.
 */
export const confirmationPage = (c: CaseRecord, claims: DecisionLinkClaims, sig: string, correction?: string, advice = ''): string => {
  const wording = decisionWording[claims.decision];
  const title = `${c.reference}: ${wording.label}?`;
  const asks = claims.decision === 'MoreInformationNeeded';
  return page(
    title,
    html`<h1>${title}</h1>
${correction ? html`<div class="notice bad" role="alert"><p><strong>Not yet decided.</strong> ${correction}</p></div>` : html``}
${c.late ? html`<div class="notice bad"><strong>Late notice.</strong>${c.lateReasons.map((r) => html`<br>${r}`)}</div>` : html``}
<dl><dt>SEC Party</dt><dd>${c.submission.party.name}</dd><dt>New User System</dt><dd>${c.submission.newUserSystem.name}</dd>
<dt>Purpose</dt><dd>${paragraphs(c.submission.newUserSystem.purpose)}</dd><dt>Planned live date</dt><dd>${c.submission.newUserSystem.plannedLiveOn}</dd></dl>
<p>${wording.meaning}</p>
<form method="post" action="${claims.decisionId}">
<input type="hidden" name="decision" value="${decisionSlug(claims.decision)}">
<input type="hidden" name="expires" value="${claims.expires}">
<input type="hidden" name="sig" value="${sig}">
<p><label for="advice">${asks ? 'Your question to the User (required; it is emailed to them as written)' : 'Advice to the User (optional; it is emailed to them as written)'}</label><br>
<textarea id="advice" name="advice" maxlength="${MAX_ADVICE_LENGTH}"${asks ? html` required` : html``}>${advice}</textarea></p>
<p><button type="submit">Confirm: ${wording.label}</button></p>
</form>
<p>Nothing is decided until you confirm. If this is not the decision you want, close this page and use another link in the email.</p>`,
  );
};

export const decisionRecordedPage = (c: CaseRecord, decision: SscDecisionRecord): string => {
  const title = `Decision recorded for ${c.reference}`;
  return page(
    title,
    html`<h1>${title}</h1><div class="notice ok"><p><strong>${decisionWording[decision.kind].label}</strong>, recorded at ${decision.decidedAt}.</p></div>
<p>The User will be emailed the SSC's advice.</p>${decision.advice ? html`<h2>Your advice</h2>${paragraphs(decision.advice)}` : html``}`,
  );
};

/** Advice as the User will read it: line breaks kept, other control characters removed. */
export const cleanAdvice = (raw: unknown): string =>
  (typeof raw === 'string' ? raw : '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
    .trim();


/** What must be corrected before a decision can be taken with this text; undefined when it can. */
export const adviceCorrection = (decision: SscDecisionKind, advice: string): string | undefined => {
  if (decision === 'MoreInformationNeeded' && advice === '') return 'Write the question the User should answer: it is emailed to them as written.';
  if (advice.length > MAX_ADVICE_LENGTH) return `The text may be at most ${MAX_ADVICE_LENGTH} characters; it has ${advice.length}.`;
  return undefined;
};
