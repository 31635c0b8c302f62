import { NotificationPatch, etagOf } from '../domain/amendment';
import { toCaseView, versionOf } from '../domain/case';
import { amendNotification } from '../use-cases/amend-notification';
import { type HttpEvent, callerOf, json, jsonApi, parseBody } from './http';

/** PATCH /notifications/{reference}: the filing User amends its notice (a JSON merge patch) at the version it read (If-Match). */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    const caller = callerOf(event, ['User']);
    const reference = event.pathParameters?.reference ?? '';
    const file = await amendNotification(reference, parseBody(NotificationPatch, event), event.headers['if-match'], caller, new Date());
    return json(200, toCaseView(file), { ETag: etagOf(versionOf(file.record)) });
  },
  { body: 'json' },
);
