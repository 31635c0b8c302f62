import { confirmationPage, decisionFormValues, decisionRecordedPage, refusalPage, refusalStatus } from '../domain/decision-pages';
import type { LinkParameters } from '../domain/decision-link';
import { takeDecision } from '../use-cases/ssc-decision';
import { type HttpEvent, htmlPage, htmlResponse } from './http';

const field = (form: Record<string, unknown>, name: string): string | undefined => (typeof form[name] === 'string' ? form[name] : undefined);

/** POST /decisions/{decisionId}: the SSC confirms a decision from its confirmation page. */
export const handler = htmlPage(
  async (event: HttpEvent) => {
    const form = (event.body ?? {}) as Record<string, unknown>;
    const params: LinkParameters = {
      decision: field(form, 'decision'),
      expires: field(form, 'expires'),
      sig: field(form, 'sig'),
      member: field(form, 'member'),
      alternate: field(form, 'alternate'),
    };
    const values = decisionFormValues(form);
    const outcome = await takeDecision(event.pathParameters?.decisionId ?? '', params, values, new Date(), field(form, 'version'));
    if (outcome.ok) return htmlResponse(200, decisionRecordedPage(outcome.caseRecord, outcome.decision));
    if ('corrections' in outcome) {
      const { file, claims, decidedAs } = outcome.check;
      return htmlResponse(422, confirmationPage(file, claims, params.sig ?? '', outcome.corrections, values, decidedAs));
    }
    return htmlResponse(refusalStatus(outcome.refusal), refusalPage(outcome.refusal, outcome.decided, outcome.caseRecord));
  },
  { body: 'form' },
);
