import { InformationAnswer } from '../domain/requests';
import { answerInformationRequest } from '../use-cases/case-actions';
import { type HttpEvent, accepted, callerOf, jsonApi, parseBody } from './http';

/** POST /notifications/{reference}/information: the User answers the SSC's question. */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    const caller = callerOf(event, ['User']);
    const reference = event.pathParameters?.reference ?? '';
    await answerInformationRequest(reference, parseBody(InformationAnswer, event), caller);
    return accepted(reference, 'Your answer has gone to the SSC.');
  },
  { body: 'json' },
);
