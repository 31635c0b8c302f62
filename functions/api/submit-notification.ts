import type { Context } from 'aws-lambda';
import { fileOf, toCaseView } from '../domain/case';
import { NotificationSubmission } from '../domain/notification';
import { Problem } from '../domain/problem';
import { submitNotification, submitNotificationOnce } from '../use-cases/submit-notification';
import { IDEMPOTENCY_KEY_PATTERN, IDEMPOTENT_REPLAYED } from '../domain/responses';
import { type HttpEvent, callerOf, json, jsonApi, parseBody } from './http';

const IDEMPOTENCY_KEY = new RegExp(IDEMPOTENCY_KEY_PATTERN);

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
    const { record, replayed } = key
      ? await submitNotificationOnce(key, caller.id, submission, context)
      : { record: await submitNotification(submission, caller.id, new Date()), replayed: false };
    const view = toCaseView(fileOf(record));
    // A replay is the first request's answer, the case as it was then, and says so: GET Location for the case now.
    return json(201, view, { Location: view.links.self, ...(replayed ? { [IDEMPOTENT_REPLAYED]: 'true' } : {}) });
  },
  { body: 'json' },
);
