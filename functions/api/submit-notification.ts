import type { Context } from 'aws-lambda';
import { fileOf, toCaseView } from '../domain/case';
import { NotificationSubmission } from '../domain/notification';
import { Problem } from '../domain/problem';
import { submitNotification, submitNotificationOnce } from '../use-cases/submit-notification';
import { type HttpEvent, callerOf, json, jsonApi, parseBody } from './http';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,128}$/;

/** POST /notifications: files a notification of a second or subsequent User System. */
export const handler = jsonApi(
  async (event: HttpEvent, context: Context) => {
    const caller = callerOf(event, ['User']);
    const submission = parseBody(NotificationSubmission, event);
    const key = event.headers['idempotency-key'];
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new Problem(400, 'invalid-idempotency-key', 'Invalid Idempotency-Key', 'An Idempotency-Key is 8 to 128 characters: letters, digits, and . _ : -');
    }
    // Keys are per User: two Users may happen to choose the same one.
    const record = key ? await submitNotificationOnce(key, caller.id, submission, context) : await submitNotification(submission, caller.id, new Date());
    const view = toCaseView(fileOf(record));
    return json(201, view, { Location: view.links.self });
  },
  { body: 'json' },
);
