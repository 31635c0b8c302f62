import { toCaseView } from '../domain/case';
import { NotificationSubmission } from '../domain/notification';
import { submitNotification } from '../use-cases/submit-notification';
import { type HttpEvent, json, jsonApi, parseBody } from './http';

/** POST /notifications: files a notification of a second or subsequent User System. */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    const view = toCaseView(await submitNotification(parseBody(NotificationSubmission, event), new Date()));
    return json(201, view, { Location: view.links.self });
  },
  { body: 'json' },
);
