import { getCase } from '../adapters/cases-repository';
import { toCaseView } from '../domain/case';
import { notFound } from '../domain/problem';
import { isReference } from '../domain/reference';
import { type HttpEvent, json, jsonApi } from './http';

/** GET /notifications/{reference}: one case with its status, SSC decision and history. */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    const reference = event.pathParameters?.reference ?? '';
    const record = isReference(reference) ? await getCase(reference) : undefined;
    if (!record) throw notFound(`Case ${reference}`);
    return json(200, toCaseView(record));
  },
  { body: 'none' },
);
