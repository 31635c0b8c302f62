import { type SafeHtml, html } from '../../../functions/domain/html';
import { type MeetingPapers, type Move, type PaperLine, endedAt } from '../../../functions/domain/meeting-papers';
import { takenByWords } from '../../../functions/domain/ssc-members';
import type { SscMeeting } from '../../../functions/domain/ssc-meetings';
import { dateInWords, dayInWords, decisionWords, dueInWords, timeInWords } from '../../../functions/domain/wording';
import { layout } from './pages';

/**
 * SECAS's console page of an SSC meeting's papers: the same assembly the email is made of
 * (meeting-papers.ts), as the cases stand now, each case linking to its console page rather than
 * carrying the SSC's signed links; and the meetings around it, each a link to its own papers.
 */
const moveWords: Record<Move, string> = {
  SSC: 'the SSC',
  User: 'the User',
  SECAS: 'SECAS',
  'annual review': 'the annual review',
  'nobody: ended': 'nobody: the case has ended',
  workflow: 'the workflow',
};

const headers = (names: string[]) =>
  html`<thead class="govuk-table__head"><tr class="govuk-table__row">${names.map((n) => html`<th scope="col" class="govuk-table__header">${n}</th>`)}</tr></thead>`;

const cell = (value: SafeHtml | string) => html`<td class="govuk-table__cell">${value}</td>`;

const caseCells = (c: PaperLine) =>
  html`${cell(html`<a class="govuk-link" href="/cases/${c.reference}">${c.reference}</a>`)}${cell(c.party)}${cell(c.system)}${cell(decisionWords(c.recommendation))}${cell(
    c.late ? html`<strong class="govuk-tag govuk-tag--red">late</strong>` : 'No',
  )}${cell(moveWords[c.whoseMove])}`;

const table = (id: string, caption: string, last: string, lines: PaperLine[], lastCell: (c: PaperLine) => SafeHtml | string) =>
  html`<h2 class="govuk-heading-m" id="${id}">${caption} (${String(lines.length)})</h2>${
    lines.length
      ? html`<table class="govuk-table" aria-labelledby="${id}">${headers(['Case', 'SEC Party', 'New User System', 'Recommendation', 'Late notice', 'Whose move', last])}<tbody class="govuk-table__body">${lines.map(
          (c) => html`<tr class="govuk-table__row">${caseCells(c)}${cell(lastCell(c))}</tr>`,
        )}</tbody></table>`
      : html`<p class="govuk-body">None.</p>`
  }`;

const due = (c: PaperLine) =>
  html`${c.deadline ? dueInWords(c.deadline) : '—'}${c.pastDue ? html` <strong class="govuk-tag govuk-tag--red">past due</strong>` : html``}`;

export const meetingPapersPage = (papers: MeetingPapers, meetings: SscMeeting[]): string => {
  const { meeting } = papers;
  return layout(
    `SSC meeting papers: ${dateInWords(meeting.on)} — Second User System console`,
    html`<p class="govuk-body"><a class="govuk-link" href="/">All cases</a></p>
<h1 class="govuk-heading-l">Papers for the SSC meeting on ${dateInWords(meeting.on)}</h1>
<p class="govuk-body">Paper deadline: ${dateInWords(meeting.papersBy)}, 09:00 UK time, when the SSC and SECAS are emailed these papers. Shown as the cases stand at ${timeInWords(papers.assembledAt)}.</p>
${table('due', 'Cases due at this meeting', 'Due', papers.due, due)}
${table('overdue', 'Overdue: undecided past their due date', 'Due', papers.overdue, due)}
${table('later', 'Received after the paper deadline: going to a later meeting', 'Goes to', papers.later, (c) => dateInWords(c.deadline?.meeting?.on as string))}
${table(
  'decided',
  papers.previous ? `Decided since the last meeting (${dateInWords(papers.previous.on)})` : `Decided since ${dayInWords(papers.since)}`,
  'Decided',
  papers.decided,
  (c) => (c.decision ? `${decisionWords(c.decision.kind)}, ${timeInWords(c.decision.decidedAt)}, by ${takenByWords(c.decision)}` : '—'),
)}
${table('ended-overdue', 'Ended undecided since the last meeting: the wait ran out', 'Ended', papers.endedOverdue, (c) => timeInWords(endedAt(c)))}
<h2 class="govuk-heading-m">Other meetings</h2>
<ul class="govuk-list">${meetings.map((m) =>
      m.on === meeting.on
        ? html`<li><strong>${dateInWords(m.on)}</strong> (shown)</li>`
        : html`<li><a class="govuk-link" href="/meetings/${m.on}">${dateInWords(m.on)}</a> (papers by ${dateInWords(m.papersBy)})</li>`,
    )}</ul>`,
  );
};
