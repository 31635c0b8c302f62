import { RedriveExecutionCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { awsFaults } from '../../infra/local/fault-proxy';
import { confirmDecision, emailsTo, waitUntil } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * The recovery the fault alert prescribes, proven from every kind of state that can fail: a
 * Lambda task, a DynamoDB write, each waiting task, a task followed by a Choice, and an
 * execution stopped by hand while it waits; and a redrive of an execution already redriven.
 * Each is stopped there, recorded on its case and alerted to SECAS, redriven through the Step
 * Functions API, and carried on to its next wait or its end with nothing sent twice.
 */
const w = useWorkflow({ faultInjection: true, timeScale: 60 });
const faults = () => {
  const switches = w.ctx.sandbox.faults;
  if (!switches) throw new Error('the sandbox was started without fault injection');
  return switches;
};
const sfn = new SFNClient({});

/** Waits for the execution to stop for the n-th time (a redriven execution can stop again). */
const stops = async (reference: string, n = 1) =>
  waitUntil(
    async () => {
      const e = w.execution(reference);
      const faulted = (await w.getCase(reference, 'secas')).history.filter((h: { type: string }) => h.type === 'WorkflowFaulted').length;
      return e && e.status !== 'RUNNING' && faulted >= n ? e : undefined;
    },
    `${reference} to stop (${n})`,
    20_000,
  );

const failedIn = (reference: string) => {
  const entered = w.execution(reference)?.history.filter((h) => h.type.endsWith('StateEntered')) ?? [];
  return (entered.at(-1)?.stateEnteredEventDetails as { name: string } | undefined)?.name;
};

const redrive = async (reference: string) => {
  const executionArn = w.execution(reference)?.executionArn as string;
  await sfn.send(new RedriveExecutionCommand({ executionArn }));
  return executionArn;
};

/** How many times each state was entered, over every run of the execution. */
const entries = (reference: string, state: string) =>
  w.execution(reference)?.history.filter((h) => h.type.endsWith('StateEntered') && (h.stateEnteredEventDetails as { name: string }).name === state).length;

const alertsFor = async (reference: string) =>
  (await emailsTo(w.ctx.sandbox.sesUrl, w.ctx.secasAddress)).filter((e) => e.subject.startsWith('[WORKFLOW FAULT]') && e.subject.includes(reference));
/** The fault is recorded on the case a moment before its alert email goes: wait for the n-th alert. */
const alerted = (reference: string, n: number) =>
  waitUntil(async () => ((await alertsFor(reference)).length >= n ? alertsFor(reference) : undefined), `alert ${n} for ${reference}`);

describe('redrive from every kind of state that can fail', () => {
  it('a Lambda task (StartSscDecisionDeadline), then, redriven, a second one (AwaitSscDecision): two redrives reach the SSC', async () => {
    faults().lambda.crash('ManageDeadline');
    const { reference } = await w.submit();
    w.path('recovered twice: a crashed deadline task, then a crashed waiting task', reference);
    await stops(reference);
    expect(failedIn(reference)).toBe('StartSscDecisionDeadline');
    expect((await alerted(reference, 1))[0]?.body.text).toContain('Failed state: StartSscDecisionDeadline');

    faults().lambda.crash('RequestSscDecision');
    await redrive(reference);
    await stops(reference, 2);
    expect(failedIn(reference)).toBe('AwaitSscDecision');
    expect(w.execution(reference)?.redriveCount).toBe(1);

    await redrive(reference);
    const { link } = await w.sscEmail(reference);
    expect(w.execution(reference)).toMatchObject({ status: 'RUNNING', redriveCount: 2 });
    expect(entries(reference, 'AcknowledgeReceipt')).toBe(1);
    expect(entries(reference, 'StartSscDecisionDeadline')).toBe(2);
    expect(await alerted(reference, 2)).toHaveLength(2);
    expect((await confirmDecision(link('ad-hoc-assessment'))).status).toBe(200);
    await w.waitForDeadline(reference, 'AssessmentSchedule');
    expect(w.execution(reference)?.history.filter((h) => h.type === 'ExecutionRedriven')).toHaveLength(2);
    expect(w.execution(reference)?.history.filter((h) => h.type === 'ExecutionStarted')).toHaveLength(1);
  });

  it('a DynamoDB write refused for good (RecordDeferralDecision): the redrive records the decision and advises the User once', async () => {
    const { reference, user } = await w.submit();
    const { link } = await w.sscEmail(reference);
    faults().dynamodb.fail({
      match: /\.UpdateItem /,
      matchBody: /"DeferredToAnnualReview"/,
      times: 1,
      status: 400,
      headers: { 'Content-Type': 'application/x-amz-json-1.0' },
      body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ValidationException', message: 'Item size has exceeded the maximum allowed size' }),
    });
    expect((await confirmDecision(link('defer-to-annual-review'), 'In scope of the annual review.')).status).toBe(200);
    await stops(reference);
    faults().dynamodb.heal();
    expect(failedIn(reference)).toBe('RecordDeferralDecision');
    expect((await w.getCase(reference, 'secas')).status).toBe('AwaitingSscDecision');
    await redrive(reference);
    await w.waitForStatus(reference, 'DeferredToAnnualReview');
    await w.emailTo(user, `SSC advice on ${reference}`);
    expect((await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.includes('SSC advice'))).toHaveLength(1);
  });

  it('the waiting task for the User (AwaitUserInformation) and the DynamoDB write of the answer (RecordInformationExchange)', async () => {
    const { reference, user } = await w.submit();
    faults().lambda.crash('AskUserForInformation');
    await w.decide(reference, 'more-information', 'Which CIO assessed the provider?');
    await stops(reference);
    expect(failedIn(reference)).toBe('AwaitUserInformation');
    await redrive(reference);
    await w.emailTo(user, `SSC question on ${reference}`);
    faults().dynamodb.fail({
      match: /\.PutItem /,
      matchBody: /"EXCHANGE#/,
      times: 1,
      ...awsFaults.dynamodbInternal,
      status: 400,
      body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ValidationException', message: 'refused' }),
    });
    expect((await w.post(`/notifications/${reference}/information`, { answer: 'Acme CIO Ltd.' })).status).toBe(202);
    await stops(reference, 2);
    faults().dynamodb.heal();
    expect(failedIn(reference)).toBe('RecordInformationExchange');
    await redrive(reference);
    const { email, link } = await w.sscEmail(reference, 2);
    expect(email.body.text).toContain("The User has answered the SSC's question");
    expect(await (await fetch(link('ad-hoc-assessment'))).text()).toContain('Acme CIO Ltd.');
    expect((await w.getCase(reference)).informationExchanges).toHaveLength(1);
    expect((await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.includes('SSC question'))).toHaveLength(1);
  });

  it('both waiting tasks for SECAS, and a task followed by a Choice (NotifyUserOfAssessmentOutcome → RouteAssessmentOutcome)', async () => {
    const { reference, user } = await w.submit();
    w.path('ad-hoc assessment recovered at each of its waits, Rejected', reference);
    faults().lambda.crash('AwaitAssessmentRecord');
    await w.decide(reference, 'ad-hoc-assessment');
    await stops(reference);
    expect(failedIn(reference)).toBe('AwaitAssessmentSchedule');
    await redrive(reference);
    await w.emailTo(w.ctx.secasAddress, `Arrange an ad-hoc User Security Assessment: ${reference}`);
    await w.waitForDeadline(reference, 'AssessmentSchedule');

    faults().lambda.crash('AwaitAssessmentRecord');
    expect((await w.post(`/notifications/${reference}/assessment`, { scheduledOn: addWorkingDays(londonDate(new Date()), 1) }, 'secas')).status).toBe(202);
    await stops(reference, 2);
    expect(failedIn(reference)).toBe('AwaitAssessmentOutcome');
    await redrive(reference);
    await w.emailTo(w.ctx.secasAddress, `Record the outcome of an ad-hoc User Security Assessment: ${reference}`);
    await w.waitForDeadline(reference, 'AssessmentOutcome');
    await w.assessmentDayComes(reference);

    faults().lambda.crash('SendCaseEmail');
    expect(
      (await w.post(`/notifications/${reference}/assessment`, { outcome: { assuranceStatus: 'Rejected', completedOn: londonDate(new Date()) } }, 'secas'))
        .status,
    ).toBe(202);
    await stops(reference, 3);
    expect(failedIn(reference)).toBe('NotifyUserOfAssessmentOutcome');
    await redrive(reference);
    // The Choice after the redriven task routes on what the task's input carried: Rejected.
    await w.emailTo(w.ctx.secasAddress, `[ESCALATION] Assessment Rejected: ${reference}`);
    await w.waitForStatus(reference, 'Closed');
    expect(entries(reference, 'RouteAssessmentOutcome')).toBe(1);
    expect((await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.includes('Assessment outcome'))).toHaveLength(1);
    expect(w.execution(reference)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 3 });
  });

  it('an execution stopped by hand while it waits for the SSC: a decision taken meanwhile is kept, and the redrive carries it on', async () => {
    const { reference, user } = await w.submit();
    const { link } = await w.sscEmail(reference);
    const executionArn = w.execution(reference)?.executionArn as string;
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Operator', cause: 'stopped by hand' }));
    expect((await stops(reference)).status).toBe('ABORTED');
    expect((await confirmDecision(link('defer-to-annual-review'), 'Kept while stopped.')).status).toBe(200);
    expect((await w.getCase(reference)).status).toBe('AwaitingSscDecision');
    expect((await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.includes('SSC advice'))).toHaveLength(0);
    await redrive(reference);
    const c = await w.waitForStatus(reference, 'DeferredToAnnualReview');
    expect(c.sscDecision).toMatchObject({ kind: 'DeferToAnnualReview', advice: 'Kept while stopped.' });
    expect(entries(reference, 'AwaitSscDecision')).toBe(2);
    expect((await w.emailTo(user, `SSC advice on ${reference}`)).body.text).toContain('Kept while stopped.');
    expect((await emailsTo(w.ctx.sandbox.sesUrl, w.ctx.sscAddress)).filter((e) => e.subject.includes(`SSC decision needed: ${reference}`))).toHaveLength(1);
  });
});
