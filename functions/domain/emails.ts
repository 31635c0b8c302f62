import type { CaseRecord, SscDecisionRecord } from './case';
import { type SafeHtml, html, page, paragraphs } from './html';
import { type SscDecisionKind, decisionWording } from './ssc-decision';

/** One email, ready for the mailer. Each template below renders one kind of message. */
export interface EmailMessage {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** Subjects carry user text (system names): no CR, LF or other control character may reach a header. */
export const headerSafe = (value: string): string =>
  value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim().slice(0, 200);

const systemLine = (c: CaseRecord) =>
  `${c.submission.party.name} – ${c.submission.newUserSystem.name}`;

const summaryRows = (c: CaseRecord): Array<[string, string]> => {
  const s = c.submission;
  const operator =
    s.newUserSystem.operator.kind === 'InHouse'
      ? 'In-house'
      : `Shared Resource Provider: ${s.newUserSystem.operator.providerName}` +
        (s.newUserSystem.operator.priorAssessment
          ? ` (already passed User Security Assessment ${s.newUserSystem.operator.priorAssessment.reference}, ${s.newUserSystem.operator.priorAssessment.completedOn})`
          : ' (no prior User Security Assessment)');
  return [
    ['Case', c.reference],
    ['SEC Party', `${s.party.name} (${s.party.id}, ${s.party.category})`],
    ['User Roles', s.userRoles.join(', ')],
    ['Existing User System', `${s.existingUserSystem.name}; Full User Security Assessment ${s.existingUserSystem.fullUserSecurityAssessmentCompletedOn}; next annual review ${s.existingUserSystem.nextAnnualReviewOn}`],
    ['New User System', s.newUserSystem.name],
    ['Purpose', s.newUserSystem.purpose],
    ['Operated', operator],
    ['User IDs', s.newUserSystem.userIds.approach === 'Existing' ? 'Existing User ID(s)' : `New User ID(s)${s.newUserSystem.userIds.userIds ? ': ' + s.newUserSystem.userIds.userIds.join(', ') : ''}`],
    ['Planned procurement', s.newUserSystem.plannedProcurementOn],
    ['Planned live date', s.newUserSystem.plannedLiveOn],
    ['Already in use', s.newUserSystem.alreadyInUse ? 'Yes' : 'No'],
    ['Security architecture', s.newUserSystem.securityArchitectureSummary],
    ...(s.withheldDetails ? ([['Details withheld by the User', s.withheldDetails]] as Array<[string, string]>) : []),
  ];
};

const textRows = (rows: Array<[string, string]>) => rows.map(([k, v]) => `${k}: ${v}`).join('\n');
const htmlRows = (rows: Array<[string, string]>): SafeHtml =>
  html`<dl>${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${paragraphs(v)}</dd>`)}</dl>`;

const lateNotice = (c: CaseRecord) => ({
  text: c.late ? `LATE NOTICE\n${c.lateReasons.join('\n')}\n\n` : '',
  html: c.late ? html`<div class="notice bad"><strong>Late notice.</strong>${c.lateReasons.map((r) => html`<br>${r}`)}</div>` : html``,
});

export const acknowledgementEmail = (c: CaseRecord): EmailMessage => {
  const subject = headerSafe(`Received: Second User System notification ${c.reference} (${systemLine(c)})`);
  const intro = `Dear ${c.submission.contact.name},\n\nThe Security Sub-Committee has received your notification of a second or subsequent User System, reference ${c.reference}. The SSC will consider the security risks and advise you of its decision.`;
  const late = c.late
    ? '\n\nYour notice is recorded as late: SEC G3.9 requires notice before the User begins to employ the system. The SSC will see this.'
    : '';
  return {
    to: [c.submission.contact.email],
    subject,
    text: `${intro}${late}\n\n${textRows(summaryRows(c))}\n\nQuote ${c.reference} in any correspondence.`,
    html: page(subject, html`${paragraphs(intro + late)}${htmlRows(summaryRows(c))}<p>Quote <strong>${c.reference}</strong> in any correspondence.</p>`),
  };
};

export const sscDecisionRequestEmail = (
  c: CaseRecord,
  to: string[],
  links: Record<SscDecisionKind, string>,
  expiresOn: string,
): EmailMessage => {
  const subject = headerSafe(`${c.late ? '[LATE] ' : ''}SSC decision needed: ${c.reference} (${systemLine(c)})`);
  const kinds = Object.keys(links) as SscDecisionKind[];
  const late = lateNotice(c);
  return {
    to,
    subject,
    text:
      `${late.text}A User has notified the SSC of a second or subsequent User System (SECMP0057, SEC G3.9).\n\n${textRows(summaryRows(c))}\n\n` +
      `Decide by opening one of these links. Each opens a confirmation page; nothing is decided until you confirm there. Links expire on ${expiresOn}.\n\n` +
      kinds.map((k) => `${decisionWording[k].label}:\n${links[k]}`).join('\n\n'),
    html: page(
      subject,
      html`${late.html}<p>A User has notified the SSC of a second or subsequent User System (SECMP0057, SEC G3.9).</p>${htmlRows(summaryRows(c))}
<p>Decide by opening one of these links. Each opens a confirmation page; nothing is decided until you confirm there. Links expire on ${expiresOn}.</p>
<ul>${kinds.map((k) => html`<li><a href="${links[k]}">${decisionWording[k].label}</a></li>`)}</ul>`,
    ),
  };
};

export const adviceEmail = (c: CaseRecord, decision: SscDecisionRecord): EmailMessage => {
  const wording = decisionWording[decision.kind];
  const subject = headerSafe(`SSC advice on ${c.reference}: ${wording.label}`);
  const intro = `Dear ${c.submission.contact.name},\n\nThe Security Sub-Committee has considered your notification ${c.reference} of the User System "${c.submission.newUserSystem.name}".\n\nDecision: ${wording.label}.\n${wording.meaning}`;
  return {
    to: [c.submission.contact.email],
    subject,
    text: `${intro}${decision.advice ? `\n\nThe SSC's advice:\n${decision.advice}` : ''}\n\nQuote ${c.reference} in any correspondence.`,
    html: page(
      subject,
      html`${paragraphs(intro)}${decision.advice ? html`<h2>The SSC's advice</h2>${paragraphs(decision.advice)}` : html``}<p>Quote <strong>${c.reference}</strong> in any correspondence.</p>`,
    ),
  };
};
