import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { confirmDecision, emailsTo, linksIn } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * One notification through intake, triage and the SSC's decision by signed link, over the
 * real ASL file; and everything a decision link must refuse.
 */
const w = useWorkflow();

describe('SscTriageWorkflow: intake to the SSC decision', () => {
  it('runs a notification to the SSC decision and the User advice, with a full history', async () => {
    const { reference, user } = await w.submit((b) => (b.newUserSystem.operator = { kind: 'InHouse' }));
    w.path('ad-hoc decision, up to the wait for the assessment date', reference);
    const { email, link } = await w.sscEmail(reference);
    expect(email.body.text).toContain('Recommendation from the facts given: Require an ad-hoc User Security Assessment');
    expect(linksIn(email)).toHaveLength(4);
    // The task token never leaves the server: the links carry an opaque id and a signature.
    for (const l of linksIn(email)) {
      expect([...new URL(l).searchParams.keys()]).toEqual(['decision', 'expires', 'sig']);
      expect(new URL(l).pathname).toMatch(/^\/decisions\/[A-Za-z0-9_-]{24}$/);
    }
    const awaiting = await w.getCase(reference);
    expect(awaiting.status).toBe('AwaitingSscDecision');
    expect(awaiting.triage).toMatchObject({
      recommendation: 'AdHocAssessment',
      recommendationReasons: [expect.stringContaining('in-house'), expect.stringContaining('G8.13')],
    });
    expect(awaiting.deadline).toMatchObject({ wait: 'SscDecision', dueOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });

    const adHoc = link('ad-hoc-assessment');
    // Mail scanners: HEAD and GET render, and change nothing.
    expect((await fetch(adHoc, { method: 'HEAD' })).status).toBe(200);
    const page = await fetch(adHoc);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post"');
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect((await w.getCase(reference)).status).toBe('AwaitingSscDecision');

    const advice = 'Please arrange the assessment with your User CIO.\nShare the architecture pack.';
    const confirmed = await confirmDecision(adHoc, advice);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Decision recorded');

    const adviceEmail = await w.emailTo(user, `SSC advice on ${reference}`);
    expect(adviceEmail.body.text).toContain(advice);
    expect(adviceEmail.body.text).toMatch(/target date no later than \d{4}-\d{2}-\d{2}/);
    const c = await w.waitForStatus(reference, 'AwaitingAssessmentSchedule');
    expect(c.sscDecision).toMatchObject({ kind: 'AdHocAssessment', advice });
    await w.emailTo(w.ctx.secasAddress, `Arrange an ad-hoc User Security Assessment: ${reference}`);
    const types = (await w.getCase(reference)).history.map((e: { type: string }) => e.type);
    expect(types).toEqual([
      'NotificationReceived',
      'AcknowledgementSent',
      'SscDecisionDeadlineSet',
      'SscDecisionRequested',
      'SscDecisionConfirmed',
      'SscDecisionTaken',
      'AssessmentScheduleDeadlineSet',
      'AdviceSent',
      'AssessmentScheduleRequestedFromSecas',
    ]);

    // SECAS's view: the execution, named after the reference, through the Step Functions API.
    const sfn = new SFNClient({});
    const executionArn = `${w.ctx.sandbox.stateMachineArn.replace(':stateMachine:', ':execution:')}:${reference}`;
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const entered = events?.filter((e) => e.stateEnteredEventDetails).map((e) => e.stateEnteredEventDetails?.name);
    expect(entered).toEqual([
      'AcknowledgeReceipt',
      'IsNoticeLate',
      'StartSscDecisionDeadline',
      'AwaitSscDecision',
      'RouteSscDecision',
      'RecordAdHocAssessmentDecision',
      'StartAssessmentScheduleDeadline',
      'AdviseUserOfAdHocAssessment',
      'AwaitAssessmentSchedule',
    ]);
  });

  it('copies a late notice to SECAS and marks it urgent to the SSC', async () => {
    const { reference } = await w.submit((b) => (b.newUserSystem.alreadyInUse = true));
    w.path('late notice, up to the SSC decision', reference);
    const secas = await w.emailTo(w.ctx.secasAddress, `[LATE] Second User System notified late: ${reference}`);
    expect(secas.body.text).toContain('already in use');
    const { email } = await w.sscEmail(reference);
    expect(email.subject).toMatch(/^\[LATE\]/);
    expect((await w.getCase(reference)).history[0].type).toBe('LateNotificationReceived');
  });

  it('takes a decision once: a second confirmation, another decision on the same email, all change nothing', async () => {
    const { reference, user } = await w.submit();
    const { link } = await w.sscEmail(reference);
    expect((await confirmDecision(link('defer-to-annual-review'))).status).toBe(200);
    await w.emailTo(user, `SSC advice on ${reference}`);
    const replay = await confirmDecision(link('defer-to-annual-review'));
    expect(replay.status).toBe(409);
    expect(await replay.text()).toContain('already been decided');
    expect((await confirmDecision(link('more-information'), 'changed my mind')).status).toBe(409);
    expect((await fetch(link('ad-hoc-assessment'))).status).toBe(409);
    const c = await w.waitForStatus(reference, 'DeferredToAnnualReview');
    expect(c.sscDecision.kind).toBe('DeferToAnnualReview');
    expect((await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.includes('SSC advice'))).toHaveLength(1);
  });

  it.each([
    ['an altered decision', (u: URL) => u.searchParams.set('decision', 'ad-hoc-assessment')],
    ['an extended expiry', (u: URL) => u.searchParams.set('expires', String(Number(u.searchParams.get('expires')) + 86_400))],
    ['a forged signature', (u: URL) => u.searchParams.set('sig', 'local-1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')],
    ['another decision id', (u: URL) => (u.pathname = '/decisions/AAAAAAAAAAAAAAAAAAAAAAAA')],
    ['no signature', (u: URL) => u.searchParams.delete('sig')],
  ])('refuses %s on both page and confirmation, changing nothing', async (_, tamper) => {
    const { reference, user } = await w.submit();
    const { link } = await w.sscEmail(reference);
    const url = new URL(link('defer-to-annual-review'));
    tamper(url);
    const page = await fetch(url);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('not valid');
    expect((await confirmDecision(url.toString(), 'forged')).status).toBe(403);
    expect((await w.getCase(reference)).status).toBe('AwaitingSscDecision');
    expect((await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.includes('SSC advice'))).toHaveLength(0);
  });
});
