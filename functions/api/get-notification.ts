import { etagOf } from '../domain/amendment';
import { toCaseView, versionOf } from '../domain/case';
import { visibleCaseFile } from '../use-cases/case-actions';
import { type HttpEvent, callerOf, json, jsonApi } from './http';

/** GET /notifications/{reference}: one case with its status, SSC decision and history (a User's own; SECAS any); its ETag is the notice's version. */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    const caller = callerOf(event, ['User', 'SECAS']);
    const file = await visibleCaseFile(event.pathParameters?.reference ?? '', caller);
    return json(200, toCaseView(file), { ETag: etagOf(versionOf(file.record)) });
  },
  { body: 'none' },
);
