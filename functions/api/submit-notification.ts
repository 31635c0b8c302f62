import { toCaseView } from '../domain/case';
import { NotificationSubmission } from '../domain/notification';
import { validationProblem } from '../domain/problem';
import { submitNotification } from '../use-cases/submit-notification';
import { type HttpEvent, json, jsonApi } from './http';

/** POST /notifications: files a notification of a second or subsequent User System. */
export const handler = jsonApi(
  async (event: HttpEvent) => {
    const parsed = NotificationSubmission.safeParse(event.body);
    if (!parsed.success) throw validationProblem(parsed.error);
    const view = toCaseView(await submitNotification(parsed.data, new Date()));
    return json(201, view, { Location: view.links.self });
  },
  { body: 'json' },
);
