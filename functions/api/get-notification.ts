import { toCaseView } from '../domain/case';
import { visibleCaseFile } from '../use-cases/case-actions';
import { type HttpEvent, callerOf, json, jsonApi } from './http';

/** GET /notifications/{reference}: one case with its status, SSC decision and history (a User's own; SECAS any). */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    const caller = callerOf(event, ['User', 'SECAS']);
    return json(200, toCaseView(await visibleCaseFile(event.pathParameters?.reference ?? '', caller)));
  },
  { body: 'none' },
);
