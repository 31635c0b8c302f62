import { cleanAdvice, confirmationPage, decisionRecordedPage, refusalPage, refusalStatus } from '../domain/decision-pages';
import type { LinkParameters } from '../domain/decision-link';
import { takeDecision } from '../use-cases/ssc-decision';
import { type HttpEvent, htmlPage, htmlResponse } from './http';

const field = (form: Record<string, unknown>, name: string): string | undefined =>
  typeof form[name] === 'string' ? form[name] : undefined;

/** POST /decisions/{decisionId}: the SSC confirms a decision from its confirmation page. */
export const handler = htmlPage(
  async (event: HttpEvent) => {
    const form = (event.body ?? {}) as Record<string, unknown>;
    const params: LinkParameters = { decision: field(form, 'decision'), expires: field(form, 'expires'), sig: field(form, 'sig') };
    const advice = cleanAdvice(form.advice);
    const outcome = await takeDecision(event.pathParameters?.decisionId ?? '', params, advice, new Date());
    if (outcome.ok) return htmlResponse(200, decisionRecordedPage(outcome.caseRecord, outcome.decision));
    if ('correction' in outcome) {
      const { caseRecord, claims } = outcome.check;
      return htmlResponse(422, confirmationPage(caseRecord, claims, params.sig ?? '', outcome.correction, advice));
    }
    return htmlResponse(refusalStatus(outcome.refusal), refusalPage(outcome.refusal, outcome.decided, outcome.caseRecord));
  },
  { body: 'form' },
);
