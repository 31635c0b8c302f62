import { type Correction, type DatePart, dateField, errorSummary, html } from '../../../functions/domain/html';
import type { ProblemDocument } from '../../../functions/domain/problem';
import { type ReportRange, type ServiceReport, quarterBefore } from '../../../functions/domain/service-report';
import { reportBody } from '../../../functions/domain/service-report-formats';
import { londonDate } from '../../../functions/domain/working-days';
import { layout } from './pages';
import { type RegisterApi, apiCaller } from './sec-users-console';

/**
 * The console's page of the service report: a range chosen as two GOV.UK date inputs (the last
 * quarter when none is given), and the report for it as GET /reports answers it to SECAS's
 * client. The console computes nothing itself: a range the API refuses (its 422) comes back with
 * an error summary linking to the date it names.
 */
type Typed = Record<'from' | 'to', Partial<Record<DatePart, string>>>;

const FIELDS = { '/from': 'from', '/to': 'to' } as const;

const typedOf = (query: URLSearchParams): Typed | undefined => {
  const part = (name: string, p: DatePart) => (query.get(`${name}-${p}`) ?? '').trim();
  const given = ['from', 'to'].some((n) => (['day', 'month', 'year'] as const).some((p) => part(n, p)));
  if (!given) return undefined;
  const field = (name: string) => ({ day: part(name, 'day'), month: part(name, 'month'), year: part(name, 'year') });
  return { from: field('from'), to: field('to') };
};

const asDate = (d: Partial<Record<DatePart, string>>): string => `${d.year ?? ''}-${(d.month ?? '').padStart(2, '0')}-${(d.day ?? '').padStart(2, '0')}`;

const partsOf = (date: string): Partial<Record<DatePart, string>> => {
  const [year, month, day] = date.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year: year ?? '' };
};

const reportPage = (typed: Typed, corrections: Correction[], report?: ServiceReport): string =>
  layout(
    `${corrections.length ? 'Error: ' : ''}Report for the SSC and the Panel — Second User System console`,
    html`${errorSummary(corrections, FIELDS)}<p class="govuk-body"><a class="govuk-link" href="/">All cases</a></p><h1 class="govuk-heading-l">Report for the SSC and the SEC Panel</h1>
<p class="govuk-body">The notices received in a range of days, each case as it stands now. SECAS is emailed the last quarter's on the first Working Day of each quarter.</p>
<form method="get" action="/reports" novalidate>
${dateField({ id: 'from', name: 'from', label: 'From', hint: 'The first day notices were received, for example 1 10 2026', pointer: '/from', corrections, value: typed.from })}
${dateField({ id: 'to', name: 'to', label: 'To', hint: 'The last day, not after today', pointer: '/to', corrections, value: typed.to })}
<button type="submit" class="govuk-button">Show the report</button>
</form>
${report ? html`${reportBody(report, 'h2')}<p class="govuk-body">The API gives the same report as CSV: <code>GET /reports</code> with this range and <code>format=csv</code>.</p>` : html``}`,
  );

export const reportConsole = (register: RegisterApi) => {
  const call = apiCaller(register);
  return async (query: URLSearchParams): Promise<{ status: number; html: string }> => {
    const quarter = quarterBefore(londonDate(new Date()));
    const typed = typedOf(query) ?? { from: partsOf(quarter.from), to: partsOf(quarter.to) };
    const range: ReportRange = { from: asDate(typed.from), to: asDate(typed.to) };
    const answer = await call<ServiceReport | ProblemDocument>('GET', `/reports?${new URLSearchParams({ from: range.from, to: range.to })}`);
    if (answer.status === 200) return { status: 200, html: reportPage(typed, [], answer.body as ServiceReport) };
    const problem = answer.body as ProblemDocument;
    if (answer.status !== 422) throw new Error(`the API answered ${answer.status} to the console's report`);
    // The whole date is marked (the API names the field, not a part): the summary links to its day.
    const corrections = (problem.errors ?? []).map(
      (e): Correction => ({
        pointer: e.pointer in FIELDS ? e.pointer : '/from',
        detail: `${e.pointer === '/to' ? 'To' : 'From'}: ${e.detail}`,
        parts: ['day', 'month', 'year'],
      }),
    );
    return { status: 422, html: reportPage(typed, corrections) };
  };
};
