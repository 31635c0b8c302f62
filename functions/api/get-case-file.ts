import { caseFilePage } from '../domain/case-file-page';
import { CaseFileQuery } from '../domain/requests';
import { validationProblem } from '../domain/problem';
import { readCaseFile } from '../use-cases/case-file';
import { type HttpEvent, callerOf, htmlResponse, json, jsonApi } from './http';

/** Whether the caller asked for the page: `format=html`, or, without a format, an Accept that names text/html before JSON. */
const wantsHtml = (format: 'json' | 'html' | undefined, accept: string): boolean => {
  if (format) return format === 'html';
  const html = accept.indexOf('text/html');
  const json = accept.indexOf('application/json');
  return html >= 0 && (json < 0 || html < json);
};

/**
 * GET /notifications/{reference}/case-file: the complete file of a case, with its history's
 * verification (SECAS: any case; a User: its own, without what it withholds), as JSON or as a
 * printable page. Problems stay problem documents whichever was asked for.
 */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    const caller = callerOf(event, ['User', 'SECAS']);
    const query = CaseFileQuery.safeParse(event.queryStringParameters ?? {});
    if (!query.success) throw validationProblem(query.error, 'The query is not valid');
    const file = await readCaseFile(event.pathParameters?.reference ?? '', caller, new Date());
    if (!wantsHtml(query.data.format, event.headers?.accept ?? '')) return json(200, file);
    const page = htmlResponse(200, caseFilePage(file));
    // The page's own style is inline; it loads nothing and runs nothing.
    page.headers = {
      ...page.headers,
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    };
    return page;
  },
  { body: 'none' },
);
