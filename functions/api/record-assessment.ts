import { AssessmentRecord } from '../domain/requests';
import { recordAssessment } from '../use-cases/case-actions';
import { type HttpEvent, accepted, callerOf, jsonApi, parseBody } from './http';

/** POST /notifications/{reference}/assessment: SECAS records an ad-hoc assessment's date, then its outcome. */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    const caller = callerOf(event, ['SECAS']);
    const reference = event.pathParameters?.reference ?? '';
    await recordAssessment(reference, parseBody(AssessmentRecord, event), caller, new Date());
    return accepted(reference, 'Recorded.');
  },
  { body: 'json' },
);
