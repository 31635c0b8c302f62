import { confirmationPage, refusalPage, refusalStatus } from '../domain/decision-pages';
import { checkDecisionLink } from '../use-cases/ssc-decision';
import { type HttpEvent, htmlPage, htmlResponse } from './http';

/**
 * GET and HEAD /decisions/{decisionId}: the confirmation page behind an SSC decision link.
 * It only reads: a mail scanner that prefetches the link decides nothing.
 */
export const handler = htmlPage(
  async (event: HttpEvent) => {
    const decisionId = event.pathParameters?.decisionId ?? '';
    const query = event.queryStringParameters ?? {};
    const check = await checkDecisionLink(decisionId, query, new Date());
    const response = check.ok
      ? htmlResponse(200, confirmationPage(check.file, check.claims, query.sig ?? '', [], {}, check.decidedAs))
      : htmlResponse(refusalStatus(check.refusal), refusalPage(check.refusal, check.decided, check.caseRecord));
    return event.requestContext.http.method === 'HEAD' ? { ...response, body: '' } : response;
  },
  { body: 'none' },
);
