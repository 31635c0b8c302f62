import { assessmentFormPage, assessmentRecordedPage, assessmentRefusalPage, assessmentRefusalStatus } from '../domain/assessment-pages';
import { formValues, recordAssessmentByLink } from '../use-cases/assessment-links';
import { type HttpEvent, htmlPage, htmlResponse } from './http';

const field = (form: Record<string, unknown>, name: string): string | undefined => (typeof form[name] === 'string' ? form[name] : undefined);

/** POST /assessments/{recordId}: SECAS records the assessment's date or outcome from its form. */
export const handler = htmlPage(
  async (event: HttpEvent) => {
    const form = (event.body ?? {}) as Record<string, unknown>;
    const params = { record: field(form, 'record'), expires: field(form, 'expires'), sig: field(form, 'sig') };
    const outcome = await recordAssessmentByLink(event.pathParameters?.recordId ?? '', params, form, new Date());
    if (outcome.ok) return htmlResponse(200, assessmentRecordedPage(outcome.caseRecord, outcome.stage, outcome.resolution, outcome.recordedBy));
    if ('corrections' in outcome) {
      const { caseRecord, claims, bounds } = outcome.check;
      return htmlResponse(422, assessmentFormPage(caseRecord, claims, params.sig ?? '', bounds, outcome.corrections, formValues(form)));
    }
    return htmlResponse(
      assessmentRefusalStatus(outcome.refusal),
      assessmentRefusalPage(outcome.refusal, { ...outcome.request, ...(outcome.caseRecord ? { caseRecord: outcome.caseRecord } : {}) }),
    );
  },
  { body: 'form' },
);
