import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { uniqueNotification } from '../support/fixtures';
import { confirmDecision, emailsTo, linksIn, postJson, useSandbox, waitForEmail, waitUntil } from '../support/sandbox';

/**
 * One notification the whole way: API → DynamoDB → SscTriageWorkflow (the real ASL file) →
 * SSC email → confirmation page → decision → advice email → closed case.
 */
const ctx = useSandbox();

const getCase = async (reference: string) =>
  (await (await fetch(`${ctx.sandbox.apiUrl}/notifications/${reference}`)).json()) as Record<string, any>;

const submit = async () => {
  const body = uniqueNotification();
  const response = await postJson(ctx.sandbox.apiUrl, '/notifications', body);
  const { reference } = (await response.json()) as { reference: string };
  const sscEmail = await waitForEmail(ctx.sandbox.sesUrl, ctx.sscAddress, reference);
  const links = linksIn(sscEmail);
  const link = (slug: string) => links.find((l) => l.includes(`decision=${slug}`)) as string;
  return { body, reference, sscEmail, link };
};

describe('SscTriageWorkflow, walking skeleton', () => {
  it('runs a notification from intake to the User receiving the SSC advice', async () => {
    const { body, reference, sscEmail, link } = await submit();
    expect(sscEmail.subject).toContain(reference);
    expect(linksIn(sscEmail)).toHaveLength(3);
    // The task token never leaves the server: the links carry an opaque id and a signature.
    for (const l of linksIn(sscEmail)) {
      expect([...new URL(l).searchParams.keys()]).toEqual(['decision', 'expires', 'sig']);
      expect(new URL(l).pathname).toMatch(/^\/decisions\/[A-Za-z0-9_-]{24}$/);
    }

    const adHoc = link('ad-hoc-assessment');
    // Mail scanners: HEAD and GET render, and change nothing.
    expect((await fetch(adHoc, { method: 'HEAD' })).status).toBe(200);
    const page = await fetch(adHoc);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post"');
    expect(html).toContain('name="advice"');
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect((await getCase(reference)).status).toBe('AwaitingSscDecision');

    const advice = 'Please arrange the assessment with your User CIO.\nShare the architecture pack.';
    const confirmed = await confirmDecision(adHoc, advice);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Decision recorded');

    const adviceEmail = await waitForEmail(ctx.sandbox.sesUrl, body.contact.email, 'SSC advice');
    expect(adviceEmail.subject).toContain(reference);
    expect(adviceEmail.body.text).toContain(advice);

    const closed = await waitUntil(async () => {
      const c = await getCase(reference);
      return c.status === 'Closed' ? c : undefined;
    }, 'the case to close');
    expect(closed.sscDecision).toMatchObject({ kind: 'AdHocAssessment', advice });
    expect(closed.history.map((e: { type: string }) => e.type)).toEqual([
      'NotificationReceived',
      'AcknowledgementSent',
      'SscDecisionRequested',
      'SscDecisionTaken',
      'AdviceSent',
      'CaseClosed',
    ]);
    expect(closed.history.find((e: { type: string }) => e.type === 'SscDecisionTaken')).toMatchObject({
      actor: { kind: 'SSC', id: expect.stringMatching(/^decision link /) },
      text: advice,
    });

    // SECAS's view: the execution, named after the reference, through the Step Functions API.
    const sfn = new SFNClient({});
    const executionArn = `${ctx.sandbox.stateMachineArn.replace(':stateMachine:', ':execution:')}:${reference}`;
    const described = await waitUntil(async () => {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return d.status === 'SUCCEEDED' ? d : undefined;
    }, 'the execution to succeed');
    expect(described.name).toBe(reference);
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const entered = events?.filter((e) => e.stateEnteredEventDetails).map((e) => e.stateEnteredEventDetails?.name);
    expect(entered).toEqual(['AcknowledgeReceipt', 'RequestSscDecision', 'RecordSscDecision', 'SendAdviceToUser', 'RecordCaseClosed', 'CaseClosed']);
  });

  it('takes a decision once: a second confirmation, another decision on the same email, all change nothing', async () => {
    const { body, reference, link } = await submit();
    expect((await confirmDecision(link('defer-to-annual-review'))).status).toBe(200);
    await waitForEmail(ctx.sandbox.sesUrl, body.contact.email, 'SSC advice');

    const replay = await confirmDecision(link('defer-to-annual-review'));
    expect(replay.status).toBe(409);
    expect(await replay.text()).toContain('already been decided');
    const other = await confirmDecision(link('more-information'), 'changed my mind');
    expect(other.status).toBe(409);
    expect((await fetch(link('ad-hoc-assessment'))).status).toBe(409);

    const c = await waitUntil(async () => {
      const x = await getCase(reference);
      return x.status === 'Closed' ? x : undefined;
    }, 'the case to close');
    expect(c.sscDecision.kind).toBe('DeferToAnnualReview');
    expect((await emailsTo(ctx.sandbox.sesUrl, body.contact.email)).filter((e) => e.subject.includes('SSC advice'))).toHaveLength(1);
  });

  it.each([
    ['an altered decision', (u: URL) => u.searchParams.set('decision', 'ad-hoc-assessment'), 403],
    ['an extended expiry', (u: URL) => u.searchParams.set('expires', String(Number(u.searchParams.get('expires')) + 86_400)), 403],
    ['a forged signature', (u: URL) => u.searchParams.set('sig', 'local-1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), 403],
    ['another decision id', (u: URL) => (u.pathname = '/decisions/AAAAAAAAAAAAAAAAAAAAAAAA'), 403],
    ['no signature', (u: URL) => u.searchParams.delete('sig'), 403],
  ])('refuses %s on both page and confirmation, changing nothing', async (_, tamper, status) => {
    const { body, reference, link } = await submit();
    const url = new URL(link('defer-to-annual-review'));
    tamper(url);
    const page = await fetch(url);
    expect(page.status).toBe(status);
    expect(await page.text()).toContain('not valid');
    expect((await confirmDecision(url.toString(), 'forged')).status).toBe(status);
    expect((await getCase(reference)).status).toBe('AwaitingSscDecision');
    expect((await emailsTo(ctx.sandbox.sesUrl, body.contact.email)).filter((e) => e.subject.includes('SSC advice'))).toHaveLength(0);
  });
});
