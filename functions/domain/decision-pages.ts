import type { CaseRecord, SscDecisionRecord } from './case';
import type { DecisionLinkClaims } from './decision-link';
import { html, page, paragraphs } from './html';
import { decisionSlug, decisionWording } from './ssc-decision';

/** Why a link cannot act, each with its own page; none of them changes anything. */
export type Refusal = 'invalid' | 'expired' | 'already-decided' | 'moved-on';

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
  'moved-on': {
    status: 410,
    title: 'This case has moved on',
    text: 'The case is no longer waiting for this decision (it was withdrawn, closed or timed out). Nothing has been changed.',
  },
};

export const refusalStatus = (refusal: Refusal): number => refusals[refusal].status;

export const refusalPage = (refusal: Refusal, decided?: SscDecisionRecord): string => {
  const { title, text } = refusals[refusal];
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
export const confirmationPage = (c: CaseRecord, claims: DecisionLinkClaims, sig: string): string => {
  const wording = decisionWording[claims.decision];
  const title = `${c.reference}: ${wording.label}?`;
  return page(
    title,
    html`<h1>${title}</h1>
${c.late ? html`<div class="notice bad"><strong>Late notice.</strong>${c.lateReasons.map((r) => html`<br>${r}`)}</div>` : html``}
<dl><dt>SEC Party</dt><dd>${c.submission.party.name}</dd><dt>New User System</dt><dd>${c.submission.newUserSystem.name}</dd>
<dt>Purpose</dt><dd>${paragraphs(c.submission.newUserSystem.purpose)}</dd><dt>Planned live date</dt><dd>${c.submission.newUserSystem.plannedLiveOn}</dd></dl>
<p>${wording.meaning}</p>
<form method="post" action="${claims.decisionId}">
<input type="hidden" name="decision" value="${decisionSlug(claims.decision)}">
<input type="hidden" name="expires" value="${claims.expires}">
<input type="hidden" name="sig" value="${sig}">
<p><label for="advice">Advice to the User (optional; it is emailed to them as written)</label><br>
<textarea id="advice" name="advice" maxlength="5000"></textarea></p>
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

export const MAX_ADVICE_LENGTH = 5000;
