import { describe, expect, it } from 'vitest';
import { apiConnection } from '../support/api-fetch';
import { uniqueNotification } from '../support/fixtures';
import { type SubmitNotificationRequest, getNotification, listNotifications, submitNotification } from '../support/generated/api-client';
import { useSandbox } from '../support/sandbox';

/**
 * An integrator's client, generated from the OpenAPI document by orval (test/support/generated/,
 * `npm run update:openapi`), type-checked with the code by `tsc`: it files a case, reads it and
 * lists it against the sandbox, each answer narrowed by its status to the type the document gives.
 */
const ctx = useSandbox();

describe('a client generated from the OpenAPI document', () => {
  it('files, reads and lists a case, and types API Gateway’s 401 as it is', async () => {
    apiConnection.baseUrl = ctx.sandbox.apiUrl;
    apiConnection.authorization = ctx.sandbox.credentials.user.authorization;
    const body = uniqueNotification() as SubmitNotificationRequest;
    const filed = await submitNotification(body);
    if (filed.status !== 201) throw new Error(`filing answered ${filed.status}: ${JSON.stringify(filed.data)}`);
    const { reference } = filed.data;
    expect(filed.headers.get('location')).toBe(`/notifications/${reference}`);

    const read = await getNotification(reference);
    if (read.status !== 200) throw new Error(`reading answered ${read.status}`);
    expect(read.data.notification.newUserSystem.name).toBe(body.newUserSystem.name);
    expect(read.data.history.map((e) => e.type)).toContain('NotificationReceived');

    const listed = await listNotifications({ limit: '5' });
    if (listed.status !== 200) throw new Error(`listing answered ${listed.status}`);
    expect(listed.data.items.map((i) => i.reference)).toContain(reference);

    const invalid = await submitNotification({ ...body, userRoles: [] });
    if (invalid.status !== 422) throw new Error(`an invalid filing answered ${invalid.status}`);
    expect(invalid.data.errors?.map((e) => e.pointer)).toEqual(['/userRoles']);

    apiConnection.authorization = '';
    const anonymous = await getNotification(reference);
    if (anonymous.status !== 401) throw new Error(`no token answered ${anonymous.status}`);
    expect(anonymous.data.message).toBe('Unauthorized');
  });
});
