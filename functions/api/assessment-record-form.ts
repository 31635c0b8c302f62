import { assessmentFormPage, assessmentRefusalPage, assessmentRefusalStatus } from '../domain/assessment-pages';
import { checkAssessmentLink } from '../use-cases/assessment-links';
import { type HttpEvent, htmlPage, htmlResponse } from './http';

/**
 * GET and HEAD /assessments/{recordId}: the form behind a SECAS assessment link. It only reads:
 * a mail scanner that prefetches the link records nothing.
 */
export const handler = htmlPage(
  async (event: HttpEvent) => {
    const query = event.queryStringParameters ?? {};
    const check = await checkAssessmentLink(event.pathParameters?.recordId ?? '', query, new Date());
    const response = check.ok
      ? htmlResponse(200, assessmentFormPage(check.caseRecord, check.claims, query.sig ?? '', check.bounds))
      : htmlResponse(
          assessmentRefusalStatus(check.refusal),
          assessmentRefusalPage(check.refusal, { ...check.request, ...(check.caseRecord ? { caseRecord: check.caseRecord } : {}) }),
        );
    return event.requestContext.http.method === 'HEAD' ? { ...response, body: '' } : response;
  },
  { body: 'none' },
);
