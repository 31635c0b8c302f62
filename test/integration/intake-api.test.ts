import { describe, expect, it } from 'vitest';
import { addMonths, londonDate } from '../../functions/domain/working-days';
import { uniqueNotification } from '../support/fixtures';
import { caseCount as countCases, useSandbox, waitForEmail } from '../support/sandbox';

/** POST /notifications and GET /notifications/{reference} over HTTP, against the real local servers. */
const ctx = useSandbox();

const caseCount = () => countCases(ctx.sandbox.tableName);

const expectNothingWritten = async (before: { cases: number; executions: number }) => {
  expect(await caseCount()).toBe(before.cases);
  expect(ctx.sandbox.stepFunctions.listExecutions()).toHaveLength(before.executions);
};

const snapshot = async () => ({ cases: await caseCount(), executions: ctx.sandbox.stepFunctions.listExecutions().length });

describe('POST /notifications', () => {
  it('files a case: 201 with its reference, stored, acknowledged, its workflow named after it', async () => {
    const body = uniqueNotification();
    const response = await ctx.api().post('/notifications', body);
    expect(response.status).toBe(201);
    const created = (await response.json()) as Record<string, any>;
    expect(created.reference).toMatch(/^SUS-[0-9A-Z]{5}-\d{4}-\d{4}$/);
    expect(response.headers.get('location')).toBe(`/notifications/${created.reference}`);
    expect(created).toMatchObject({ status: 'Received', late: false, notification: body });

    const fetched = (await (await ctx.api().get(`/notifications/${created.reference}`)).json()) as Record<string, any>;
    expect(fetched.reference).toBe(created.reference);
    expect(fetched.history[0]).toMatchObject({ type: 'NotificationReceived', actor: { kind: 'User' } });

    const execution = ctx.sandbox.stepFunctions.listExecutions().find((e) => e.name === created.reference);
    expect(execution?.executionArn).toMatch(new RegExp(`:execution:SscTriageWorkflow:${created.reference}$`));
    const ack = await waitForEmail(ctx.sandbox.sesUrl, body.contact.email);
    expect(ack.subject).toContain(created.reference);
  });

  it("numbers each User's notifications in its own sequence, so a reference says nothing of other Users' filings", async () => {
    const file = async (as: 'user' | 'otherUser') => {
      const response = await ctx.api(as).post('/notifications', uniqueNotification());
      expect(response.status).toBe(201);
      const [, filer, year, sequence] = ((await response.json()) as { reference: string }).reference.split('-');
      return { filer, year, sequence: Number(sequence) };
    };
    const first = await file('user');
    const between = await Promise.all(Array.from({ length: 3 }, () => file('otherUser')));
    const second = await file('user');
    expect(second).toEqual({ ...first, sequence: first.sequence + 1 });
    for (const other of between) expect(other.filer).not.toBe(first.filer);
  });

  it('accepts a retrospective notice and flags it late, never refusing it', async () => {
    // Live for a year and a half already, as the sandbox's day has it (a fixed date would leave the ten-year window one day).
    const today = londonDate(new Date());
    const body = uniqueNotification((b) => {
      b.newUserSystem.alreadyInUse = true;
      b.newUserSystem.plannedProcurementOn = addMonths(today, -23);
      b.newUserSystem.plannedLiveOn = addMonths(today, -18);
    });
    const response = await ctx.api().post('/notifications', body);
    expect(response.status).toBe(201);
    const created = (await response.json()) as Record<string, any>;
    expect(created.late).toBe(true);
    expect(created.lateReasons).toHaveLength(2);
    const sscEmail = await waitForEmail(ctx.sandbox.sesUrl, ctx.sscAddress, created.reference);
    expect(sscEmail.subject).toMatch(/^\[LATE\]/);
  });

  it.each([
    ['malformed JSON', { body: '{"party": ', type: 'application/json' }, 400, 'malformed-json'],
    ['a non-JSON content type', { body: 'party=x', type: 'application/x-www-form-urlencoded' }, 415, 'unsupported-media-type'],
    ['no content type', { body: '{}', type: '' }, 415, 'unsupported-media-type'],
    ['an empty object', { body: '{}', type: 'application/json' }, 422, 'validation'],
    ['a JSON array', { body: '[]', type: 'application/json' }, 422, 'validation'],
    ['a prototype-pollution key', { body: '{"__proto__": {"admin": true}}', type: 'application/json' }, 422, 'forbidden-key'],
  ])('answers %s with a problem, storing nothing and starting nothing', async (_, request, status, slug) => {
    const before = await snapshot();
    const response = await ctx.api().fetch('/notifications', {
      method: 'POST',
      headers: request.type ? { 'Content-Type': request.type } : {},
      body: request.body,
    });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await response.json()) as Record<string, any>;
    expect(problem.status).toBe(status);
    expect(problem.type).toMatch(new RegExp(`/problems/${slug}$`));
    expect(JSON.stringify(problem)).not.toMatch(/at .*\.ts:\d+|node_modules/);
    await expectNothingWritten(before);
  });

  it('names each bad field in a 422, including unknown ones', async () => {
    const before = await snapshot();
    const body = uniqueNotification((b) => {
      delete b.contact.email;
      b.newUserSystem.plannedLiveOn = 'soon';
      b.unexpected = true;
    });
    const response = await ctx.api().post('/notifications', body);
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: Array<{ pointer: string }> };
    expect(problem.errors.map((e) => e.pointer)).toEqual(expect.arrayContaining(['/contact/email', '/newUserSystem/plannedLiveOn', '/unexpected']));
    await expectNothingWritten(before);
  });
});

describe('GET /notifications/{reference}', () => {
  it.each(['SUS-NF29F-2026-9999', 'not-a-reference', 'SUS-NF29F-2026-0001%2F..'])('answers 404 problem for %s', async (reference) => {
    const response = await ctx.api().get(`/notifications/${reference}`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('every JSON answer', () => {
  it('is never cached and never sniffed: successes and problems alike', async () => {
    const created = await ctx.api().post('/notifications', uniqueNotification());
    const { reference } = (await created.clone().json()) as { reference: string };
    const answers = [
      created,
      await ctx.api().get(`/notifications/${reference}`),
      await ctx.api('secas').get('/notifications?status=Received'),
      await ctx.api().post('/notifications', {}),
      await ctx.api().get('/notifications/SUS-NF29F-2026-9999'),
      await ctx.api().post(`/notifications/${reference}/withdrawal`, { reason: 'Filed twice.' }),
      await ctx.api().post(`/notifications/${reference}/withdrawal`, { reason: 'Filed twice.' }),
      await fetch(`${ctx.sandbox.apiUrl}/notifications`, {
        method: 'POST',
        headers: { Authorization: ctx.sandbox.credentials.user.authorization, 'Content-Type': 'text/plain' },
        body: 'x',
      }),
    ];
    expect(answers.map((r) => r.status)).toEqual([201, 200, 200, 422, 404, 202, 409, 415]);
    // (A request without a token, or without the route's scope, never reaches a function: API Gateway's JWT authorizer answers its 401 or 403, which an HTTP API cannot add headers to.)
    for (const answer of answers) {
      expect(answer.headers.get('content-type'), String(answer.status)).toMatch(/^application\/(problem\+)?json/);
      expect(answer.headers.get('cache-control'), String(answer.status)).toBe('no-store');
      expect(answer.headers.get('x-content-type-options'), String(answer.status)).toBe('nosniff');
    }
  });
});

describe('user text in the emails', () => {
  it('arrives escaped in the SSC email, and CR/LF never reaches a subject', async () => {
    const script = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const body = uniqueNotification((b) => {
      b.newUserSystem.name = `Portal\r\nBcc: attacker@evil.example ${script}`;
      b.newUserSystem.purpose = `${script} & more`;
      b.party.name = 'Northwold <b>Energy</b>';
    });
    const response = await ctx.api().post('/notifications', body);
    expect(response.status).toBe(201);
    const { reference } = (await response.json()) as { reference: string };
    const email = await waitForEmail(ctx.sandbox.sesUrl, ctx.sscAddress, reference);
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.subject).toContain('Portal Bcc: attacker@evil.example');
    expect(email.destination.to).toEqual([ctx.sscAddress]);
    expect(email.body.html).not.toMatch(/<script|<img|<b>Energy/);
    expect(email.body.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; more');
    expect(email.body.html).toContain('Northwold &lt;b&gt;Energy&lt;/b&gt;');
  });
});
