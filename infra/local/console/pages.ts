import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { type CaseFile, type CaseRecord, type CaseStatus, isFinal, waitingOn } from '../../../functions/domain/case';
import { dueText } from '../../../functions/domain/emails';
import { type SafeHtml, html } from '../../../functions/domain/html';
import type { SentEmail } from '../ses-local';
import { truncate } from '../../../functions/domain/text';
import { londonWallClock } from '../../../functions/domain/working-days';

/**
 * The sandbox's console for SECAS, as HTML: every case with whose move it is, and a case page
 * with the workflow drawn from its ASL file (Mermaid), the execution history, the audit history
 * and the emails the case sent. Read-only: it acts through nothing but the links SECAS's emails
 * already carry.
 */
const STYLE = `body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b1b1b;line-height:1.4}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#f5f5f5}
.tag{display:inline-block;padding:0 .4rem;border-radius:3px;font-size:.8rem}.late{background:#ffebee;color:#b71c1c}
.ssc{background:#e3f2fd}.user{background:#f3e5f5}.secas{background:#fff3e0}.done{background:#e8f5e9}.fault{background:#ffebee;color:#b71c1c}
.legend span{margin-right:1rem}.graph{overflow:auto;border:1px solid #ddd;padding:.5rem}a.button{display:inline-block;padding:.4rem .8rem;background:#1565c0;color:#fff;border-radius:4px;text-decoration:none}
dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}`;

export const layout = (title: string, body: SafeHtml): string =>
  html`<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><link rel="stylesheet" href="/assets/console.css"></head><body>${body}<script src="/assets/mermaid.min.js"></script><script src="/assets/console.js"></script></body></html>`
    .value;

export const consoleStyle = STYLE;

/** Statuses as an administrator reads them. */
const statusWords: Record<CaseStatus, string> = {
  Received: 'Received',
  AwaitingSscDecision: "Awaiting the SSC's decision",
  AwaitingUserInformation: "Awaiting the User's answer",
  DeferredToAnnualReview: 'Deferred to the annual review',
  AwaitingAssessmentSchedule: 'Awaiting the assessment date',
  AwaitingAssessmentOutcome: 'Awaiting the assessment outcome',
  AssessmentOutcomeRecorded: 'Assessment outcome recorded',
  Closed: 'Closed',
  OutOfScope: 'Ended: out of scope (not a new User System)',
  Withdrawn: 'Withdrawn',
  SscDecisionOverdue: "Ended overdue: the SSC's decision",
  UserInformationOverdue: "Ended overdue: the User's answer",
  AssessmentScheduleOverdue: 'Ended overdue: the assessment date',
  AssessmentOutcomeOverdue: 'Ended overdue: the assessment outcome',
};
const status = (c: CaseRecord) => html`<span title="${c.status}">${statusWords[c.status]}</span>`;

/** Whose move it is, in words and as a tag class. */
const moveOf = (c: CaseRecord): { who: string; cls: string } => {
  if (isFinal(c.status)) return { who: 'ended', cls: 'done' };
  const party = waitingOn[c.status];
  if (party) return { who: party === 'User' ? 'the User' : `the ${party}`.replace('the SECAS', 'SECAS'), cls: party.toLowerCase() };
  if (c.status === 'DeferredToAnnualReview') return { who: 'the annual review', cls: 'done' };
  return { who: 'the workflow', cls: '' };
};

/** The case's flags: late, and whether its execution stands stopped on a fault (so it waits for a redrive). */
const tags = (c: CaseRecord, stopped: boolean) =>
  html`${c.late ? html`<span class="tag late">late</span> ` : html``}${stopped ? html`<span class="tag fault">workflow stopped: redrive it</span>` : html``}`;

export const casesPage = (cases: CaseRecord[], stopped: ReadonlySet<string>, sesUrl: string): string =>
  layout(
    'Cases — Second User System console',
    html`<h1>Second User System notifications — all cases</h1>
<p>${cases.length} ${cases.length === 1 ? 'case' : 'cases'}, newest first. Emails: <a href="${sesUrl}">the SES inbox</a>. This console reads the sandbox; SECAS acts through the links in its emails.</p>
<table><thead><tr><th>Case</th><th>SEC Party</th><th>New User System</th><th>Status</th><th>Whose move</th><th>Due by</th><th>Received</th><th></th></tr></thead><tbody>
${cases.map((c) => {
  const move = moveOf(c);
  return html`<tr><td><a href="/cases/${c.reference}">${c.reference}</a></td><td>${c.submission.party.name}</td><td>${c.submission.newUserSystem.name}</td><td>${status(c)}</td><td><span class="tag ${move.cls}">${move.who}</span></td><td>${c.deadline && !isFinal(c.status) ? c.deadline.dueOn : '—'}</td><td>${c.receivedAt.slice(0, 16).replace('T', ' ')}</td><td>${tags(c, stopped.has(c.reference))}</td></tr>`;
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

export const casePage = ({ file, diagram, execution, emails, secasForm, sesUrl }: CasePageData): string => {
  const c = file.record;
  const move = moveOf(c);
  return layout(
    `${c.reference} — Second User System console`,
    html`<p><a href="/">All cases</a></p>
<h1>${c.reference}: ${c.submission.newUserSystem.name} (${c.submission.party.name})</h1>
<dl><dt>Status</dt><dd>${status(c)} ${tags(c, ['FAILED', 'TIMED_OUT', 'ABORTED'].includes(execution?.status ?? ''))}</dd><dt>Whose move</dt><dd><span class="tag ${move.cls}">${move.who}</span></dd>
${c.deadline && !isFinal(c.status) ? html`<dt>Due by</dt><dd>${dueText(c.deadline)} (reminder ${c.deadline.reminderAt?.slice(0, 10) ?? '—'}, escalation ${c.deadline.escalationAt.slice(0, 10)}, ends overdue ${c.deadline.hardLimitAt.slice(0, 10)})</dd>` : html``}
${c.annualReview ? html`<dt>Annual review reminder</dt><dd>${londonWallClock(new Date(c.annualReview.remindAt)).replace('T', ' ').slice(0, 16)} UK time (schedule ${c.annualReview.schedule}${c.status === 'DeferredToAnnualReview' ? '' : ', fired'})</dd>` : html``}
${c.late ? html`<dt>Late</dt><dd>${c.lateReasons.join(' ')}</dd>` : html``}
<dt>Received</dt><dd>${c.receivedAt}</dd><dt>Recommendation</dt><dd>${c.triage.recommendation}</dd>
${c.sscDecision ? html`<dt>SSC decision</dt><dd>${c.sscDecision.kind}, by ${c.sscDecision.decidedBy} at ${c.sscDecision.decidedAt.replace('T', ' ').slice(0, 16)}</dd>` : html``}</dl>
${secasForm ? html`<p><a class="button" href="${secasForm.url}">${secasForm.label}</a> (SECAS's form, from its email)</p>` : html``}
<h2>Workflow</h2>
<p class="legend"><span class="tag ssc">passed through</span><span class="tag secas">waits here now</span><span class="tag fault">stopped here</span> ${
      execution ? html`Execution ${execution.status}${execution.redriveCount ? `, redriven ${execution.redriveCount} times` : ''}.` : html`No execution yet.`
    }</p>
<div class="graph"><pre class="mermaid">${diagram}</pre></div>
<h2>Audit history</h2>
<table><thead><tr><th>#</th><th>When</th><th>What</th><th>Who</th><th>Note</th></tr></thead><tbody>
${file.history.map((e) => html`<tr><td>${e.seq}</td><td>${e.at.replace('T', ' ').slice(0, 19)}</td><td>${e.type}</td><td>${e.actor.kind}${e.actor.name ? ` (${e.actor.name})` : ''}${e.actor.id ? html`<br><small>${e.actor.id}</small>` : html``}</td><td>${e.text ?? ''}</td></tr>`)}
</tbody></table>
${file.informationExchanges.length ? html`<h2>Questions and answers</h2><table><thead><tr><th>Asked</th><th>Question</th><th>Answered</th><th>Answer</th></tr></thead><tbody>${file.informationExchanges.map((x) => html`<tr><td>${x.askedAt.slice(0, 10)}</td><td>${x.question}</td><td>${x.answeredAt.slice(0, 10)}</td><td>${x.answer}</td></tr>`)}</tbody></table>` : html``}
<h2>Emails</h2>
<p>Read them in <a href="${sesUrl}">the SES inbox</a>.</p>
<table><thead><tr><th>Sent</th><th>Notice</th><th>To</th><th>Subject</th><th>Delivery</th></tr></thead><tbody>
${emails.map((m) => {
  const problem = file.deliveryProblems.find((p) => p.messageId === m.messageId);
  const tag = (name: string) => (m.request.EmailTags as Array<{ Name: string; Value: string }> | undefined)?.find((t) => t.Name === name)?.Value ?? '';
  return html`<tr><td>${m.at.toISOString().replace('T', ' ').slice(0, 19)}</td><td>${tag('notice')}</td><td>${(m.request.Destination?.ToAddresses ?? []).join(', ')}</td><td>${m.request.Content?.Simple?.Subject?.Data ?? ''}</td><td>${problem ? html`<span class="tag fault">${problem.kind}</span>` : html`sent`}</td></tr>`;
})}
</tbody></table>
<h2>Execution history</h2>
${
  execution
    ? html`<p><small>${execution.arn}</small></p><table><thead><tr><th>#</th><th>When</th><th>Event</th><th>State or detail</th></tr></thead><tbody>${execution.events.map(
        (e) =>
          html`<tr><td>${e.id ?? ''}</td><td>${e.timestamp?.toISOString().replace('T', ' ').slice(0, 19) ?? ''}</td><td>${e.type ?? ''}</td><td>${eventDetail(e)}</td></tr>`,
      )}</tbody></table>`
    : html`<p>No execution.</p>`
}`,
  );
};

export const notFoundPage = (what: string): string => layout('Not found', html`<p><a href="/">All cases</a></p><h1>Not found</h1><p>${what}</p>`);
