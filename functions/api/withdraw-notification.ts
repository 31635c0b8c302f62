import { WithdrawalRequest } from '../domain/requests';
import { withdrawNotification } from '../use-cases/case-actions';
import { type HttpEvent, accepted, callerOf, jsonApi, parseBody } from './http';

/** POST /notifications/{reference}/withdrawal: the User withdraws the notification before the SSC decides. */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    const caller = callerOf(event, ['User']);
    const reference = event.pathParameters?.reference ?? '';
    await withdrawNotification(reference, parseBody(WithdrawalRequest, event), caller);
    return accepted(reference, 'The notification is being withdrawn; the SSC will be told.');
  },
  { body: 'json' },
);
