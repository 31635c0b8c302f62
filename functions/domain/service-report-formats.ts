import { AssuranceStatus } from './case';
import { type SafeHtml, emailDocument, html, page } from './html';
import { PartyCategory } from './notification';
import type { ServiceReport } from './service-report';
import { assuranceWords, dateInWords, decisionWords, timeInWords } from './wording';

/**
 * The report as people read it: the same tables in CSV (for a spreadsheet), as a GOV.UK page and
 * as an email. Each table is a section of measures and their values, so all three say the same.
 */
interface Section {
  title: string;
  rows: Array<[string, string | number]>;
}

const categoryWords: Record<(typeof PartyCategory.options)[number], string> = {
  LargeSupplier: 'Large Supplier',
  SmallSupplier: 'Small Supplier',
  ElectricityNetwork: 'Electricity Network Party',
  GasNetwork: 'Gas Network Party',
  Other: 'Other SEC Party',
};

const days = (value: number | null): string => (value === null ? 'none measured' : `${value} Working ${value === 1 ? 'Day' : 'Days'}`);

const sections = (r: ServiceReport): Section[] => [
  {
    title: 'Notices received',
    rows: [
      ['All notices', r.notices.total],
      ['On time', r.notices.onTime],
      ['Late', r.notices.late],
      ...PartyCategory.options.flatMap((c): Array<[string, number]> => {
        const n = r.notices.byPartyCategory[c];
        return [
          [`${categoryWords[c]}: on time`, n.onTime],
          [`${categoryWords[c]}: late`, n.late],
        ];
      }),
    ],
  },
  {
    title: "Time from notice to the SSC's decision",
    rows: [
      ['Notices decided', r.timeToDecision.count],
      ['Median', days(r.timeToDecision.medianWorkingDays)],
      ['90th percentile', days(r.timeToDecision.p90WorkingDays)],
    ],
  },
  {
    title: "The SSC's decisions",
    rows: [
      ...(['DeferToAnnualReview', 'AdHocAssessment', 'OutOfScope'] as const).map((k): [string, number] => [decisionWords(k), r.decisions.byOutcome[k]]),
      ['No decision (awaited, withdrawn or ended overdue)', r.decisions.undecided],
    ],
  },
  {
    title: "The SSC's questions to Users",
    rows: [
      ['Questions asked', r.questions.asked],
      ['Answered', r.questions.answered],
      ['Not answered', r.questions.unanswered],
      ['Median time to answer', days(r.questions.answerTime.medianWorkingDays)],
      ['90th percentile time to answer', days(r.questions.answerTime.p90WorkingDays)],
    ],
  },
  {
    title: 'Cases ended overdue, by the wait',
    rows: [
      ["The SSC's decision", r.overdueEndings.SscDecision],
      ["The User's answer", r.overdueEndings.UserInformation],
      ['The assessment date', r.overdueEndings.AssessmentSchedule],
      ['The assessment outcome', r.overdueEndings.AssessmentOutcome],
    ],
  },
  {
    title: 'Ad-hoc User Security Assessments',
    rows: [
      ['Required by the SSC', r.adHocAssessments.total],
      ...AssuranceStatus.options.map((s): [string, number] => [assuranceWords[s], r.adHocAssessments.byAssuranceStatus[s]]),
      ['Awaiting the date or the outcome', r.adHocAssessments.awaitingOutcome],
      ['Ended with no outcome recorded', r.adHocAssessments.endedWithoutOutcome],
    ],
  },
  {
    title: 'Open cases, by whose move it is',
    rows: [
      ['All open cases', r.openCases.total],
      ['The SSC', r.openCases.byWhoseMove.SSC],
      ['The User', r.openCases.byWhoseMove.User],
      ['SECAS', r.openCases.byWhoseMove.SECAS],
      ['Deferred to the annual review', r.openCases.byWhoseMove.AnnualReview],
      ['The workflow (between steps)', r.openCases.byWhoseMove.Workflow],
    ],
  },
];

export const reportTitle = (r: ServiceReport): string => `Second User System notifications: ${dateInWords(r.range.from)} to ${dateInWords(r.range.to)}`;

const basis = (r: ServiceReport): string =>
  `Notices received from ${dateInWords(r.range.from)} to ${dateInWords(r.range.to)} (UK dates, both included), each case as it stood on ${timeInWords(r.generatedAt)}. Working Days are SEC Working Days: a time counts those after the first day, up to and including the last.`;

/**
 * RFC 4180 CSV: every field quoted, quotes doubled, CRLF line ends. Written here: the fields are
 * this report's own labels and numbers, and four lines do not justify a dependency in the bundle.
 */
const csvLine = (fields: ReadonlyArray<string | number>): string => fields.map((f) => `"${String(f).replaceAll('"', '""')}"`).join(',');

export const reportCsv = (r: ServiceReport): string =>
  `${[
    csvLine(['Section', 'Measure', 'Value']),
    csvLine(['Range', 'From', r.range.from]),
    csvLine(['Range', 'To', r.range.to]),
    csvLine(['Range', 'Generated at', r.generatedAt]),
    ...sections(r).flatMap((s) => s.rows.map(([measure, value]) => csvLine([s.title, measure, value]))),
  ].join('\r\n')}\r\n`;

const tables = (r: ServiceReport): SafeHtml[] =>
  sections(r).map(
    (s) =>
      html`<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">${s.title}</caption><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Measure</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Value</th></tr></thead><tbody class="govuk-table__body">${s.rows.map(
        ([measure, value]) =>
          html`<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${measure}</th><td class="govuk-table__cell govuk-table__cell--numeric">${value}</td></tr>`,
      )}</tbody></table>`,
  );

/** The report's body: its title, what it counts, its tables (the API's page, the console's and the email share it). */
export const reportBody = (r: ServiceReport, heading = 'h1'): SafeHtml =>
  html`${heading === 'h1' ? html`<h1 class="govuk-heading-l">${reportTitle(r)}</h1>` : html`<h2 class="govuk-heading-l">${reportTitle(r)}</h2>`}<p class="govuk-body">${basis(r)}</p>${tables(r)}`;

export const reportPage = (r: ServiceReport): string => page(reportTitle(r), reportBody(r));

/**
 * The quarterly email to SECAS: the report inline (HTML, with the same tables as text), not a CSV
 * attached. It holds counts only, no personal data; an inline report is read at once in any mail
 * client, with nothing to open or scan, and the CSV of any range is one call to GET /reports.
 */
export const reportEmail = (r: ServiceReport, quarter: string, to: string[]) => {
  const subject = `Second User System notifications: report for ${quarter.replace('-', ' ')}`;
  const text = [
    reportTitle(r),
    '',
    basis(r),
    ...sections(r).flatMap((s) => ['', s.title, ...s.rows.map(([measure, value]) => `  ${measure}: ${value}`)]),
    '',
    `The same report as CSV, or for any range: GET /reports?from=${r.range.from}&to=${r.range.to}&format=csv`,
    '',
  ].join('\n');
  return { to, subject, text, html: emailDocument(subject, reportBody(r)) };
};
