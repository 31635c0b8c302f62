import { validationProblem } from '../domain/problem';
import { ListQuery } from '../domain/requests';
import { listCases } from '../use-cases/list-cases';
import { type HttpEvent, callerOf, json, jsonApi } from './http';

/** GET /notifications: the caller's cases (SECAS: one User's, or one status), newest first. */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    const caller = callerOf(event, ['User', 'SECAS']);
    const query = ListQuery.safeParse(event.queryStringParameters ?? {});
    if (!query.success) throw validationProblem(query.error, 'The query is not valid');
    return json(200, await listCases(caller, query.data));
  },
  { body: 'none' },
);
