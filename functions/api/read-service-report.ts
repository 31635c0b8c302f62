import { invalidFields, validationProblem } from '../domain/problem';
import { type ReportFormat, ReportQuery, rangeErrors } from '../domain/service-report';
import { reportCsv, reportPage } from '../domain/service-report-formats';
import { serviceReport } from '../use-cases/service-report';
import { type HttpEvent, type HttpResult, callerOf, json, jsonApi } from './http';

/** The format asked for: `format` first, then the Accept header's first type the report comes in, JSON otherwise. */
const formatOf = (format: ReportFormat | undefined, accept: string | undefined): ReportFormat => {
  if (format) return format;
  for (const type of (accept ?? '').split(',').map((t) => t.split(';')[0]?.trim().toLowerCase())) {
    if (type === 'text/csv') return 'csv';
    if (type === 'text/html') return 'html';
    if (type === 'application/json') return 'json';
  }
  return 'json';
};

/** GET /reports?from&to: SECAS's report of the notices received in a range, as JSON, CSV or a page. */
export const handler = jsonApi(
  async (event: HttpEvent): Promise<HttpResult> => {
    callerOf(event, ['SECAS']);
    const query = ReportQuery.safeParse(event.queryStringParameters ?? {});
    if (!query.success) throw validationProblem(query.error, 'The query is not valid');
    const now = new Date();
    const errors = rangeErrors(query.data, now);
    if (errors.length) throw invalidFields(errors, 'The range is not one the data can answer');
    const report = await serviceReport(query.data, now);
    const format = formatOf(query.data.format, event.headers?.accept);
    if (format === 'json') return json(200, report);
    const name = `second-user-system-report-${report.range.from}-to-${report.range.to}`;
    return {
      statusCode: 200,
      headers:
        format === 'csv'
          ? { 'Content-Type': 'text/csv; charset=utf-8; header=present', 'Content-Disposition': `attachment; filename="${name}.csv"` }
          : { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'" },
      body: format === 'csv' ? reportCsv(report) : reportPage(report),
    };
  },
  { body: 'none' },
);
