import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { takenByWords } from '../../../functions/domain/ssc-members';
import { type CaseFile, type CaseRecord, isFinal, waitingOn } from '../../../functions/domain/case';
import pageStyle from '../../../functions/domain/data/govuk-frontend-subset.json' with { type: 'json' };
import { type SafeHtml, html, summaryList } from '../../../functions/domain/html';
import type { SentEmail } from '../ses-local';
import { truncate } from '../../../functions/domain/text';
import { dateInWords, datesInWords, dayInWords, decisionWords, dueInWords, eventWords, statusWords, timeInWords } from '../../../functions/domain/wording';

/**
 * The sandbox's console for SECAS, as HTML: every case with whose move it is, and a case page
 * with the workflow drawn from its ASL file (Mermaid), the execution history, the audit history
 * and the emails the case sent. On cases it acts through nothing but the links SECAS's emails
 * already carry; the register of SEC Users has forms of its own (user-pages.ts).
 */
/** What the console adds to GOV.UK's style: its wide tables, the legend's tags and the diagram's box. */
const STYLE = `.app-console{max-width:none;margin:0 30px}.govuk-table{font-size:1rem}.app-legend .govuk-tag{margin-right:.5rem}
.app-graph{overflow:auto;border:1px solid #b1b4b6;padding:.5rem;margin-bottom:30px}.app-graph:focus{outline:3px solid #fd0;outline-offset:0;box-shadow:inset 0 0 0 2px}
.app-muted{color:#484949}`;

export const layout = (title: string, body: SafeHtml): string =>
  html`<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><link rel="stylesheet" href="/assets/console.css"></head><body class="govuk-template__body"><a href="#main-content" class="govuk-skip-link">Skip to main content</a><div class="app-console"><main class="govuk-main-wrapper" id="main-content">${body}</main></div><script src="/assets/mermaid.min.js"></script><script src="/assets/console.js"></script></body></html>`
    .value;

/** GOV.UK Frontend's style (the subset the pages inline), then the console's own. */
export const consoleStyle = `${pageStyle.css}\n${STYLE}`;

/** A status in words, its name in the API on hover. */
const status = (c: CaseRecord) => html`<span title="${c.status}">${statusWords[c.status]}</span>`;

const partyTags = { SSC: 'govuk-tag--blue', User: 'govuk-tag--purple', SECAS: 'govuk-tag--orange' } as const;

/** Whose move it is, in words and as a tag class. */
const moveOf = (c: CaseRecord): { who: string; cls: string } => {
  if (isFinal(c.status)) return { who: 'ended', cls: 'govuk-tag--grey' };
  const party = waitingOn[c.status];
  if (party) return { who: party === 'User' ? 'the User' : `the ${party}`.replace('the SECAS', 'SECAS'), cls: partyTags[party] };
  if (c.status === 'DeferredToAnnualReview') return { who: 'the annual review', cls: 'govuk-tag--green' };
  return { who: 'the workflow', cls: 'govuk-tag--grey' };
};

/** The case's flags: late, and whether its execution stands stopped on a fault (so it waits for a redrive). */
const tags = (c: CaseRecord, stopped: boolean) =>
  html`${c.late ? html`<strong class="govuk-tag govuk-tag--red">late</strong> ` : html``}${stopped ? html`<strong class="govuk-tag govuk-tag--red">workflow stopped: redrive it</strong>` : html``}`;

export const casesPage = (cases: CaseRecord[], stopped: ReadonlySet<string>, sesUrl: string): string =>
  layout(
    'Cases — Second User System console',
    html`<h1 class="govuk-heading-l">Second User System notifications: all cases</h1>
<p class="govuk-body">${cases.length} ${cases.length === 1 ? 'case' : 'cases'}, newest first. Emails: <a class="govuk-link" href="${sesUrl}">the SES inbox</a>. SECAS acts on cases through the links in its emails. <a class="govuk-link" href="/users">SEC Users</a>: the register of who may file, and its forms. <a class="govuk-link" href="/reports">Report for the SSC and the Panel</a>: the notices of any range of days. <a class="govuk-link" href="/providers">Shared Resource Providers</a>: the register of their assessments, which triage checks. <a class="govuk-link" href="/meetings">SSC meeting papers</a>: the cases due at each meeting. <a class="govuk-link" href="/members">SSC members</a>: who receives the SSC's decision emails, and their Alternates.</p>
<table class="govuk-table"><caption class="govuk-table__caption govuk-visually-hidden">All cases</caption><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Case</th><th scope="col" class="govuk-table__header">SEC Party</th><th scope="col" class="govuk-table__header">New User System</th><th scope="col" class="govuk-table__header">Status</th><th scope="col" class="govuk-table__header">Whose move</th><th scope="col" class="govuk-table__header">Due by</th><th scope="col" class="govuk-table__header">Received</th><th scope="col" class="govuk-table__header">Flags</th></tr></thead><tbody class="govuk-table__body">
${cases.map((c) => {
  const move = moveOf(c);
  return html`<tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" href="/cases/${c.reference}">${c.reference}</a></td><td class="govuk-table__cell">${c.submission.party.name}</td><td class="govuk-table__cell">${c.submission.newUserSystem.name}</td><td class="govuk-table__cell">${status(c)}</td><td class="govuk-table__cell"><strong class="govuk-tag ${move.cls}">${move.who}</strong></td><td class="govuk-table__cell">${c.deadline && !isFinal(c.status) ? dateInWords(c.deadline.dueOn) : '—'}</td><td class="govuk-table__cell">${timeInWords(c.receivedAt)}</td><td class="govuk-table__cell">${tags(c, stopped.has(c.reference))}</td></tr>`;
})}
</tbody></table>`,
  );

export interface CasePageData {
  file: CaseFile;
  diagram: string;
  /** The execution as its history stands (AWS's events), when the case has one. */
  execution?: { status: string; arn: string; events: HistoryEvent[]; redriveCount: number };
  emails: SentEmail[];
  /** SECAS's form for what the case awaits, from the latest email that asked for it. */
  secasForm?: { label: string; url: string };
  sesUrl: string;
}

const eventDetail = (e: HistoryEvent): string => {
  const d = e.stateEnteredEventDetails ?? e.stateExitedEventDetails;
  if (d) return d.name ?? '';
  const failed = e.taskFailedEventDetails ?? e.taskTimedOutEventDetails ?? e.executionFailedEventDetails ?? e.executionAbortedEventDetails;
  if (failed) return truncate(`${failed.error ?? ''} ${failed.cause ?? ''}`.trim(), 200);
  const task = e.taskScheduledEventDetails ?? e.taskStartedEventDetails ?? e.taskSubmittedEventDetails ?? e.taskSucceededEventDetails;
  if (task) return `${task.resourceType}:${task.resource}`;
  if (e.executionRedrivenEventDetails) return `redrive ${e.executionRedrivenEventDetails.redriveCount}`;
  return '';
};

const table = (caption: string, headers: string[], rows: SafeHtml[][]) =>
  html`<table class="govuk-table"><caption class="govuk-table__caption govuk-visually-hidden">${caption}</caption><thead class="govuk-table__head"><tr class="govuk-table__row">${headers.map(
    (h) => html`<th scope="col" class="govuk-table__header">${h}</th>`,
  )}</tr></thead><tbody class="govuk-table__body">${rows.map((cells) => html`<tr class="govuk-table__row">${cells.map((cell) => html`<td class="govuk-table__cell">${cell}</td>`)}</tr>`)}</tbody></table>`;

const cell = (text: string | undefined) => html`${text ?? ''}`;

export const casePage = ({ file, diagram, execution, emails, secasForm, sesUrl }: CasePageData): string => {
  const c = file.record;
  const move = moveOf(c);
  const rows: Array<readonly [string, SafeHtml | string]> = [
    ['Status', html`${status(c)} ${tags(c, ['FAILED', 'TIMED_OUT', 'ABORTED'].includes(execution?.status ?? ''))}`],
    ['Whose move', html`<strong class="govuk-tag ${move.cls}">${move.who}</strong>`],
    ...(c.deadline && !isFinal(c.status)
      ? ([
          [
            'Due by',
            `${dueInWords(c.deadline)} (reminder ${c.deadline.reminderAt ? dayInWords(c.deadline.reminderAt) : '—'}, escalation ${dayInWords(c.deadline.escalationAt)}, ends overdue ${dayInWords(c.deadline.hardLimitAt)})`,
          ],
        ] as const)
      : []),
    ...(c.annualReview
      ? ([
          [
            'Annual review reminder',
            `${timeInWords(c.annualReview.remindAt)} (schedule ${c.annualReview.schedule}${c.status === 'DeferredToAnnualReview' ? '' : ', fired'})`,
          ],
        ] as const)
      : []),
    ...(c.late ? ([['Late', datesInWords(c.lateReasons.join(' '))]] as const) : []),
    ['Received', timeInWords(c.receivedAt)],
    ['Recommendation', decisionWords(c.triage.recommendation)],
    ...(c.sscDecision
      ? ([['SSC decision', `${decisionWords(c.sscDecision.kind)}, by ${takenByWords(c.sscDecision)} at ${timeInWords(c.sscDecision.decidedAt)}`]] as const)
      : []),
  ];
  return layout(
    `${c.reference} — Second User System console`,
    html`<p class="govuk-body"><a class="govuk-link" href="/">All cases</a></p>
<h1 class="govuk-heading-l">${c.reference}: ${c.submission.newUserSystem.name} (${c.submission.party.name})</h1>
${summaryList(rows)}
<p class="govuk-body"><a class="govuk-link" href="/cases/${c.reference}/file">Case file</a>: the complete record of the case with its history's verification, to print or save (the API's page, GET /notifications/${c.reference}/case-file).</p>
${secasForm ? html`<p class="govuk-body"><a class="govuk-button" href="${secasForm.url}">${secasForm.label}</a> <span class="app-muted">(SECAS's form, from its email)</span></p>` : html``}
<h2 class="govuk-heading-m">Workflow</h2>
<p class="govuk-body app-legend"><strong class="govuk-tag govuk-tag--blue">passed through</strong><strong class="govuk-tag govuk-tag--orange">waits here now</strong><strong class="govuk-tag govuk-tag--red">stopped here</strong> ${
      execution ? html`Execution ${execution.status}${execution.redriveCount ? `, redriven ${execution.redriveCount} times` : ''}.` : html`No execution yet.`
    }</p>
<div class="app-graph" tabindex="0" role="region" aria-label="The case's workflow, drawn (scroll with the arrow keys)"><pre class="mermaid">${diagram}</pre></div>
<h2 class="govuk-heading-m">Audit history</h2>
${table(
  'Audit history',
  ['#', 'When', 'What', 'Who', 'Note'],
  file.history.map((e) => [
    cell(String(e.seq)),
    cell(timeInWords(e.at)),
    html`${eventWords(e.type)}<br><span class="govuk-body-s app-muted">${e.type}</span>`,
    html`${e.actor.kind}${e.actor.name ? ` (${e.actor.name})` : ''}${e.actor.id ? html`<br><span class="govuk-body-s app-muted">${e.actor.id}</span>` : html``}`,
    cell(e.text && datesInWords(e.text)),
  ]),
)}
${
  file.informationExchanges.length
    ? html`<h2 class="govuk-heading-m">Questions and answers</h2>${table(
        'Questions and answers',
        ['Asked', 'Question', 'Answered', 'Answer'],
        file.informationExchanges.map((x) => [cell(dayInWords(x.askedAt)), cell(x.question), cell(dayInWords(x.answeredAt)), cell(x.answer)]),
      )}`
    : html``
}
<h2 class="govuk-heading-m">Emails</h2>
<p class="govuk-body">Read them in <a class="govuk-link" href="${sesUrl}">the SES inbox</a>.</p>
${table(
  'Emails',
  ['Sent', 'Notice', 'To', 'Subject', 'Delivery'],
  emails.map((m) => {
    const problem = file.deliveryProblems.find((p) => p.messageId === m.messageId);
    const tag = (name: string) => (m.request.EmailTags as Array<{ Name: string; Value: string }> | undefined)?.find((t) => t.Name === name)?.Value ?? '';
    return [
      cell(timeInWords(m.at)),
      cell(tag('notice')),
      cell((m.request.Destination?.ToAddresses ?? []).join(', ')),
      cell(m.request.Content?.Simple?.Subject?.Data ?? ''),
      problem ? html`<strong class="govuk-tag govuk-tag--red">${problem.kind}</strong>` : html`sent`,
    ];
  }),
)}
<h2 class="govuk-heading-m">Execution history</h2>
${
  execution
    ? html`<p class="govuk-body-s app-muted">${execution.arn}</p>${table(
        'Execution history',
        ['#', 'When', 'Event', 'State or detail'],
        execution.events.map((e) => [cell(String(e.id ?? '')), cell(e.timestamp ? timeInWords(e.timestamp) : ''), cell(e.type), cell(eventDetail(e))]),
      )}`
    : html`<p class="govuk-body">No execution.</p>`
}`,
  );
};

/** A page that only says something: a refusal, or what is not there. */
export const messagePage = (title: string, text: string): string =>
  layout(
    title,
    html`<p class="govuk-body"><a class="govuk-link" href="/">All cases</a></p><h1 class="govuk-heading-l">${title}</h1><p class="govuk-body">${text}</p>`,
  );

export const notFoundPage = (what: string): string => messagePage('Not found', what);
