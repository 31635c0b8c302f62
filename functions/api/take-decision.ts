import { MAX_ADVICE_LENGTH, cleanAdvice, decisionRecordedPage, refusalPage, refusalStatus } from '../domain/decision-pages';
import type { LinkParameters } from '../domain/decision-link';
import { Problem } from '../domain/problem';
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
    if (advice.length > MAX_ADVICE_LENGTH) {
      throw new Problem(413, 'advice-too-long', 'Advice too long', `Advice may be at most ${MAX_ADVICE_LENGTH} characters. Nothing has been changed.`);
    }
    const outcome = await takeDecision(event.pathParameters?.decisionId ?? '', params, advice, new Date());
    return outcome.ok
      ? htmlResponse(200, decisionRecordedPage(outcome.caseRecord, outcome.decision))
      : htmlResponse(refusalStatus(outcome.refusal), refusalPage(outcome.refusal, outcome.decided));
  },
  { body: 'form' },
);
