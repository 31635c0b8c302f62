import type { Actor } from './case';
import { decidedAsWords } from './ssc-members';
import type { CaseFileDocument } from './case-file';
import { changeRows, notificationRows, recommendationRow } from './case-summary';
import { SscDecisionKind } from './ssc-decision';
import { type SafeHtml, bodyParagraphs, html, page, summaryList } from './html';
import { assuranceWords, dateInWords, datesInWords, dayInWords, decisionWords, dueInWords, eventWords, statusWords, timeInWords } from './wording';

/**
 * The case file as a printable page, in the GOV.UK Design System's template: the verification of
 * the case's history first, then the case, the notice, the decision, questions and answers,
 * deadlines, assessment, withdrawal, emails and the whole audit history. Dates and times in
 * words; the API's names only where a person needs nothing else (none in the text). Printed, the
 * page drops the skip link, uses the whole width and keeps each table row on one page.
 */
const PRINT_STYLE = `.app-file-meta{color:#484949}
@media print{@page{margin:15mm}.govuk-skip-link{display:none}.govuk-width-container{max-width:none;margin:0}.govuk-main-wrapper{padding:0}
body{font-size:10pt}.govuk-table{font-size:9pt}tr,.govuk-summary-list__row,.govuk-warning-text,.govuk-inset-text{break-inside:avoid}h2{break-after:avoid}a{color:#000;text-decoration:none}}`;

/** A text a system wrote, with its ISO instants and dates in words. */
export const textInWords = (text: string): string => datesInWords(text.replace(/\b\d{4}-\d{2}-\d{2}T[\d:.]+Z\b/g, (instant) => timeInWords(instant)));

const verificationPanel = (v: CaseFileDocument['verification']): SafeHtml => {
  const anchored = v.anchored
    ? ` Its head matches the one anchored outside the table on ${timeInWords(v.anchored.at)} (event ${v.anchored.seq}).`
    : ' No anchor includes the case yet (heads are anchored once a day).';
  if (v.ok) {
    const pending = v.pending ? ` ${v.pending} latest ${v.pending === 1 ? 'event is' : 'events are'} still to be chained, at the case's next write.` : '';
    return html`<div class="govuk-inset-text" id="verification"><h2 class="govuk-heading-m">History verified</h2><p class="govuk-body">All ${v.events} events of this case's history are in their places and match their hashes, and so do its questions and answers and its delivery problems: nothing has been found changed, deleted, inserted or reordered.${anchored}${pending}</p></div>`;
  }
  const broken = v.broken;
  const where = broken?.seq ? `Event ${broken.seq}${broken.type ? ` (${eventWords(broken.type)})` : ''}` : broken?.item ? 'An item of the case' : 'The case';
  return html`<div class="govuk-warning-text" id="verification"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>This case's history does not verify: it has been changed since it was recorded. ${where}: ${textInWords(broken?.what ?? 'found wrong')}. What this file shows after that point cannot be relied on; SECAS should compare it with the anchored heads and its backups.</strong></div>`;
};

const table = (caption: string, headers: string[], rows: Array<Array<SafeHtml | string>>): SafeHtml =>
  html`<table class="govuk-table"><caption class="govuk-table__caption govuk-heading-s">${caption}</caption><thead class="govuk-table__head"><tr class="govuk-table__row">${headers.map(
    (h) => html`<th scope="col" class="govuk-table__header">${h}</th>`,
  )}</tr></thead><tbody class="govuk-table__body">${rows.map((cells) => html`<tr class="govuk-table__row">${cells.map((cell) => html`<td class="govuk-table__cell">${cell}</td>`)}</tr>`)}</tbody></table>`;

const none = (what: string) => html`<p class="govuk-body">${what}</p>`;

const actorWords = (actor: Actor): string => {
  const who = { User: 'The User', SSC: 'The SSC', SECAS: 'SECAS', System: 'The system' }[actor.kind];
  return `${who}${actor.name ? ` (${actor.name})` : ''}${actor.id ? `, ${actor.id}` : ''}`;
};

/** An event's note in words: the SSC's decision and an assessment's outcome (the workflow records their API names), dates in words. */
const noteWords = (type: string, text: string | undefined): string => {
  if (text === undefined) return '';
  if (type === 'SscDecisionTaken' && SscDecisionKind.safeParse(text).success) return decisionWords(text as SscDecisionKind);
  if (type === 'AssessmentOutcomeRecorded' && text in assuranceWords) return assuranceWords[text as keyof typeof assuranceWords];
  return textInWords(text);
};

const stepWords: Record<CaseFileDocument['deadlineEvents'][number]['step'], string> = {
  DeadlineSet: 'Deadline set',
  ReminderSent: 'Reminder sent',
  EscalatedToSecas: 'Escalated to SECAS',
  RequestedFromSecas: 'Asked of SECAS',
  Overdue: 'Ended overdue',
};
const waitWords = {
  SscDecision: "The SSC's decision",
  UserInformation: "The User's answer",
  AssessmentSchedule: 'The assessment date',
  AssessmentOutcome: 'The assessment outcome',
};

const roleWords = { User: "The User's contact", SSC: 'The SSC', SECAS: 'SECAS' } as const;

const kindWords = { Bounced: 'Bounced', Rejected: 'Rejected', MarkedAsSpam: 'Marked as spam', Delayed: 'Delayed' } as const;

export const caseFilePage = (doc: CaseFileDocument): string => {
  const forWhom = doc.audience === 'SECAS' ? 'SECAS' : `the User, ${doc.notice.party.name}`;
  const decision = doc.sscDecision;
  const assessment = doc.assessment;
  return page(
    `Case file ${doc.reference}`,
    html`<h1 class="govuk-heading-l">Case file: ${doc.reference}</h1>
<p class="govuk-body app-file-meta">${doc.notice.newUserSystem.name}, notified by ${doc.notice.party.name}. The complete record of the case for ${forWhom}, as it stood on ${timeInWords(doc.generatedAt)}.</p>
${verificationPanel(doc.verification)}
${
  doc.withheld.length
    ? html`<div class="govuk-inset-text"><p class="govuk-body">This is the User's file of its own case. It leaves out:</p><ul class="govuk-list govuk-list--bullet">${doc.withheld.map((w) => html`<li>${w}</li>`)}</ul></div>`
    : html``
}
<h2 class="govuk-heading-m">The case</h2>
${summaryList([
  ['Reference', doc.reference],
  ['Status', statusWords[doc.status]],
  ['Received', timeInWords(doc.receivedAt)],
  ['Filed by client', doc.owner],
  ['Late notice', doc.lateness.late ? `Yes. ${datesInWords(doc.lateness.reasons.join(' '))}` : 'No'],
  ((row) => [row[0], datesInWords(row[1])] as const)(recommendationRow(doc)),
  ...(doc.triage.decideBefore ? ([['Decide before', dateInWords(doc.triage.decideBefore)]] as const) : []),
  ...(doc.deadline ? ([['Due now', `${waitWords[doc.deadline.wait]}, by ${dueInWords(doc.deadline)}`]] as const) : []),
])}
<h2 class="govuk-heading-m">The notice</h2>
${summaryList([...notificationRows({ submission: doc.notice }), ['Contact', `${doc.notice.contact.name}, ${doc.notice.contact.email}`]])}
${
  doc.amendments.length
    ? html`<h2 class="govuk-heading-m">Amendments to the notice</h2>
<p class="govuk-body">The notice above is version ${doc.version}; as filed it was version 1. Each amendment, oldest first, with each field's value before and after it:</p>
${doc.amendments.map(
  (a) =>
    html`<h3 class="govuk-heading-s">Version ${a.version}, amended ${timeInWords(a.at)}</h3>${summaryList(changeRows(a.changes, 'page').map(([field, change]) => [field, bodyParagraphs(change)] as const))}`,
)}`
    : html``
}
<h2 class="govuk-heading-m">The SSC's decision</h2>
${
  decision
    ? summaryList([
        ['Decision', decisionWords(decision.kind)],
        ['Taken', timeInWords(decision.decidedAt)],
        ...(decision.decidedAs ? ([['Taken by', decidedAsWords(decision.decidedAs)]] as const) : []),
        ...(decision.decidedBy ? ([['Confirmed by', decision.decidedBy]] as const) : []),
        ['Advice', decision.advice || 'None'],
      ])
    : none('Not decided.')
}
<h2 class="govuk-heading-m">Questions and answers</h2>
${
  doc.informationExchanges.length
    ? summaryList(
        doc.informationExchanges.flatMap((x) => [
          [`Question ${x.round}, asked ${timeInWords(x.askedAt)}`, x.question] as const,
          [`Answer ${x.round}, given ${timeInWords(x.answeredAt)}`, x.answer] as const,
        ]),
      )
    : none('The SSC asked no questions.')
}
<h2 class="govuk-heading-m">Deadlines, reminders and escalations</h2>
${
  doc.deadlineEvents.length
    ? table(
        'Deadlines, reminders and escalations',
        ['#', 'When', 'Wait', 'What', 'Note'],
        doc.deadlineEvents.map((d) => [String(d.seq), timeInWords(d.at), waitWords[d.wait], stepWords[d.step], d.text ? textInWords(d.text) : '']),
      )
    : none('No deadline was set.')
}
<h2 class="govuk-heading-m">Assessment</h2>
${
  assessment
    ? summaryList([
        ...(assessment.scheduledOn ? ([['Scheduled for', dateInWords(assessment.scheduledOn)]] as const) : []),
        ...(assessment.outcome
          ? ([
              ['Assurance status', assuranceWords[assessment.outcome.assuranceStatus]],
              ['Completed', dateInWords(assessment.outcome.completedOn)],
              ['Recorded', timeInWords(assessment.outcome.recordedAt)],
              ...(assessment.outcome.conditions ? ([['Conditions', assessment.outcome.conditions]] as const) : []),
              ...(assessment.outcome.reportReference ? ([['Report', assessment.outcome.reportReference]] as const) : []),
            ] as const)
          : []),
      ])
    : none('No assessment recorded.')
}
${
  doc.withdrawal
    ? html`<h2 class="govuk-heading-m">Withdrawal</h2>${summaryList([
        ['Withdrawn', timeInWords(doc.withdrawal.at)],
        ['Reason', doc.withdrawal.reason || 'None given'],
      ])}`
    : html``
}
${doc.annualReview ? html`<h2 class="govuk-heading-m">Annual review</h2>${summaryList([['Reminder', timeInWords(doc.annualReview.reminderAt)]])}` : html``}
<h2 class="govuk-heading-m">Emails</h2>
${
  doc.emails.length
    ? table(
        'Emails sent',
        ['#', 'Sent', 'What', 'To', 'Subject'],
        doc.emails.map((e) => [
          String(e.seq),
          timeInWords(e.at),
          eventWords(e.type),
          e.toRole ? roleWords[e.toRole] : e.to.join(', '),
          textInWords(e.subject ?? ''),
        ]),
      )
    : none('No email recorded.')
}
${
  doc.deliveryProblems.length
    ? table(
        'Delivery problems',
        ['When', 'Email', 'To', 'Problem', 'Detail'],
        doc.deliveryProblems.map((p) => [
          timeInWords(p.at),
          textInWords(p.subject),
          `${p.recipient} (${p.recipientRole})`,
          kindWords[p.kind],
          textInWords(p.detail),
        ]),
      )
    : none('No delivery problem reported.')
}
<h2 class="govuk-heading-m">Audit history</h2>
${table(
  'Every event, in the order recorded',
  ['#', 'When', 'What', 'Who', 'Note'],
  doc.history.map((e) => [String(e.seq), timeInWords(e.at), eventWords(e.type), actorWords(e.actor), noteWords(e.type, e.text)]),
)}
<p class="govuk-body-s app-file-meta">Case file of ${doc.reference}, ${dayInWords(doc.generatedAt)}. ${doc.verification.ok ? 'History verified.' : 'History does not verify.'}</p>`,
    { style: PRINT_STYLE },
  );
};
