import { verifyCaseHistory } from '../use-cases/verify-history';
import { type HttpEvent, callerOf, json, jsonApi } from './http';

/** GET /notifications/{reference}/verification: SECAS checks a case's tamper-evident history; a broken chain is a 200 report naming the event. */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    callerOf(event, ['SECAS']);
    return json(200, await verifyCaseHistory(event.pathParameters?.reference ?? ''));
  },
  { body: 'none' },
);
