import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { providerIdOf } from '../../functions/domain/shared-resources';
import { confirmDecision, emailsTo, linksIn, useSandbox, waitForEmail, waitUntil } from '../support/sandbox';
import { uniqueNotification } from '../support/fixtures';

/** PATCH /notifications/{reference} against the real local servers: what it takes, and what it refuses changing nothing. */
const ctx = useSandbox();

type Case = Record<string, any>;

const file = async () => {
  const body = uniqueNotification();
  const response = await ctx.api().post('/notifications', body);
  expect(response.status).toBe(201);
  const { reference } = (await response.json()) as { reference: string };
  return { reference, body, user: body.contact.email as string };
};

/** A case filed and its workflow waiting for the SSC: from here it holds still, unless a request moves it. */
const fileAndSettle = async () => {
  const filed = await file();
  await waitForEmail(ctx.sandbox.sesUrl, ctx.sscAddress, `SSC decision needed: ${filed.reference}`);
  await waitUntil(
    async () => ((await read(filed.reference)).body.history.some((e: Case) => e.type === 'SscDecisionRequested') ? true : undefined),
    'the SSC asked',
  );
  return filed;
};

const read = async (reference: string, as: 'user' | 'secas' = 'user') => {
  const response = await ctx.api(as).get(`/notifications/${reference}`);
  return { etag: response.headers.get('etag'), body: (await response.json()) as Case };
};

const patch = (reference: string, body: unknown, headers: Record<string, string> = {}, as: 'user' | 'secas' = 'user') =>
  ctx.api(as).fetch(`/notifications/${reference}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/merge-patch+json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const waitForStatus = (reference: string, status: string) =>
  waitUntil(async () => ((await read(reference)).body.status === status ? true : undefined), `${reference} to reach ${status}`, 15_000);

/** Every email the sandbox holds for these addresses. */
const mailCount = async (...addresses: string[]) => (await Promise.all(addresses.map((a) => emailsTo(ctx.sandbox.sesUrl, a)))).flat().length;

describe('PATCH /notifications/{reference}', () => {
  it('amends the notice at the version read: a new version, the field before and after, a chained event, a new ETag', async () => {
    const { reference, body } = await file();
    const before = await read(reference);
    expect(before.etag).toBe('"1"');
    expect(before.body.version).toBe(1);
    const response = await patch(reference, { newUserSystem: { name: 'Harbour Portal (second phase)' } }, { 'If-Match': '"1"' });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"2"');
    const amended = (await response.json()) as Case;
    expect(amended.version).toBe(2);
    expect(amended.notification.newUserSystem.name).toBe('Harbour Portal (second phase)');
    expect(amended.amendments).toEqual([
      {
        version: 2,
        at: expect.any(String),
        changes: [{ field: '/newUserSystem/name', before: body.newUserSystem.name, after: 'Harbour Portal (second phase)' }],
      },
    ]);
    // The workflow may chain its own events (the SSC's deadline) beside the amendment, so the event is found by type.
    expect(amended.history.filter((e: Case) => e.type === 'NotificationAmended')).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ kind: 'User' }), text: 'Version 2: /newUserSystem/name' }),
    ]);
    const again = await read(reference);
    expect(again.etag).toBe('"2"');
    expect(again.body.amendments).toEqual(amended.amendments);
    // The case's chain still verifies, the amendment's item covered by its event.
    const verification = (await (await ctx.api('secas').get(`/notifications/${reference}/verification`)).json()) as { ok: boolean; unchainedItems: string[] };
    expect(verification.ok).toBe(true);
    expect(verification.unchainedItems).toEqual([]);
  });

  it('records nothing for a patch that changes nothing', async () => {
    const { reference, body } = await fileAndSettle();
    const before = await read(reference);
    const response = await patch(reference, { party: body.party }, { 'If-Match': '"1"' });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"1"');
    expect((await read(reference)).body.history.length).toBe(before.body.history.length);
  });

  it('refuses hostile patches, each with a problem naming what is wrong, and nothing changes and nobody is emailed', async () => {
    const { reference, user } = await fileAndSettle();
    const before = await read(reference);
    const mails = await mailCount(user, ctx.sscAddress, ctx.secasAddress);
    const refusals: Array<[string, unknown, Record<string, string>, number, string | undefined]> = [
      ['an unknown field', { newUserSystem: { colour: 'blue' } }, { 'If-Match': '"1"' }, 422, '/newUserSystem/colour'],
      ['an unknown field removed', { nickname: null }, { 'If-Match': '"1"' }, 422, '/nickname'],
      ['a required field removed', { contact: { email: null } }, { 'If-Match': '"1"' }, 422, '/contact/email'],
      ['the whole notice removed', 'null', { 'If-Match': '"1"' }, 422, undefined],
      [
        'a text over its limit in multi-byte characters',
        { newUserSystem: { purpose: '𝔘'.repeat(2001) } },
        { 'If-Match': '"1"' },
        422,
        '/newUserSystem/purpose',
      ],
      ['a name over its limit in CJK', { party: { name: '電'.repeat(201) } }, { 'If-Match': '"1"' }, 422, '/party/name'],
      ['a live date the workflow cannot carry', { newUserSystem: { plannedLiveOn: '2099-01-01' } }, { 'If-Match': '"1"' }, 422, '/newUserSystem/plannedLiveOn'],
      ['a live date before procurement', { newUserSystem: { plannedLiveOn: '2000-01-03' } }, { 'If-Match': '"1"' }, 422, '/newUserSystem/plannedLiveOn'],
      [
        'an operator changed without its fields',
        { newUserSystem: { operator: { kind: 'InHouse' } } },
        { 'If-Match': '"1"' },
        422,
        '/newUserSystem/operator/providerName',
      ],
      ['no If-Match', { newUserSystem: { name: 'X' } }, {}, 428, undefined],
      ['If-Match: *', { newUserSystem: { name: 'X' } }, { 'If-Match': '*' }, 428, undefined],
      ['a stale If-Match', { newUserSystem: { name: 'X' } }, { 'If-Match': '"2"' }, 412, undefined],
      ['a weak If-Match', { newUserSystem: { name: 'X' } }, { 'If-Match': 'W/"1"' }, 412, undefined],
    ];
    for (const [what, body, headers, status, pointer] of refusals) {
      const response = await patch(reference, body, headers);
      expect(response.status, what).toBe(status);
      expect(response.headers.get('content-type'), what).toBe('application/problem+json');
      const problem = (await response.json()) as { errors?: Array<{ pointer: string }>; detail: string };
      if (pointer)
        expect(
          problem.errors?.map((e) => e.pointer),
          what,
        ).toContain(pointer);
    }
    // Another User's case is not found; SECAS may not amend.
    expect((await patch(reference, { newUserSystem: { name: 'X' } }, { 'If-Match': '"1"' }, 'secas')).status).toBe(403);
    expect((await read(reference)).body).toEqual(before.body);
    expect(await mailCount(user, ctx.sscAddress, ctx.secasAddress)).toBe(mails);
  });

  it('refuses a stale If-Match after another amendment, saying the current ETag', async () => {
    const { reference } = await fileAndSettle();
    expect((await patch(reference, { newUserSystem: { name: 'First' } }, { 'If-Match': '"1"' })).status).toBe(200);
    // The workflow restarts the SSC's wait on the amended notice: read the case once the SSC has been asked again.
    await waitForEmail(ctx.sandbox.sesUrl, ctx.sscAddress, `SSC decision needed: ${reference}`, 2);
    await waitUntil(
      async () => ((await read(reference)).body.history.filter((e: Case) => e.type === 'SscDecisionRequested').length === 2 ? true : undefined),
      'the SSC asked again',
    );
    const after = await read(reference);
    const response = await patch(reference, { newUserSystem: { name: 'Second' } }, { 'If-Match': '"1"' });
    expect(response.status).toBe(412);
    expect(response.headers.get('etag')).toBe('"2"');
    expect((await read(reference)).body).toEqual(after.body);
  });

  it("moves the case's entry under the provider it names (SEC G10.8: who employs it), in the amendment's own write", async () => {
    const { reference, body } = await fileAndSettle();
    const entry = async (providerName: string) =>
      (
        await new DynamoDBClient({}).send(
          new GetItemCommand({
            TableName: ctx.sandbox.tableName,
            Key: { pk: { S: `PROVIDER#${providerIdOf(providerName)}` }, sk: { S: `CASE#${reference}` } },
            ConsistentRead: true,
          }),
        )
      ).Item;
    const filedWith = body.newUserSystem.operator.providerName as string;
    expect(await entry(filedWith)).toBeDefined();
    const response = await patch(
      reference,
      { newUserSystem: { operator: { providerName: 'Estuary Hosting plc', priorAssessment: null } } },
      { 'If-Match': '"1"' },
    );
    expect(response.status).toBe(200);
    const amended = (await response.json()) as Case;
    expect(amended.triage.register).toMatchObject({ flagged: true });
    expect(await entry(filedWith)).toBeUndefined();
    expect(await entry('Estuary Hosting plc')).toBeDefined();
  });

  it('takes one of two amendments racing on the same version, and refuses the other', async () => {
    const { reference } = await file();
    const answers = await Promise.all(['One', 'Two'].map((name) => patch(reference, { newUserSystem: { name } }, { 'If-Match': '"1"' })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
    const c = (await read(reference)).body;
    expect(c.version).toBe(2);
    expect(c.amendments).toHaveLength(1);
  });

  it('refuses (409) to amend a withdrawn case or one the SSC has decided, and nothing changes', async () => {
    const withdrawn = await file();
    expect((await ctx.api().post(`/notifications/${withdrawn.reference}/withdrawal`, {})).status).toBe(202);
    await waitForStatus(withdrawn.reference, 'Withdrawn');
    const decided = await file();
    const email = await waitForEmail(ctx.sandbox.sesUrl, ctx.sscAddress, `SSC decision needed: ${decided.reference}`);
    const link = linksIn(email).find((l) => l.includes('decision=out-of-scope')) as string;
    expect((await confirmDecision(link)).status).toBe(200);
    await waitForStatus(decided.reference, 'OutOfScope');
    for (const { reference } of [withdrawn, decided]) {
      const before = await read(reference);
      const mails = await mailCount(ctx.sscAddress, ctx.secasAddress);
      const response = await patch(reference, { newUserSystem: { name: 'Too late' } }, { 'If-Match': '"1"' });
      expect(response.status).toBe(409);
      expect(((await response.json()) as { detail: string }).detail).toContain(reference);
      expect((await read(reference)).body).toEqual(before.body);
      expect(await mailCount(ctx.sscAddress, ctx.secasAddress)).toBe(mails);
    }
  });
});
