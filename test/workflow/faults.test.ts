import { RedriveExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { londonDate } from '../../functions/domain/working-days';
import { awsFaults } from '../../infra/local/fault-proxy';
import { confirmDecision, emailsTo, waitUntil } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * Failing dependencies under the running workflow: SES throttled or down, DynamoDB throttled,
 * a Lambda task crashing. Passing faults are ridden out by the states' retries (backoff with
 * full jitter); a fault that outlasts them stops the execution at the failing state, SECAS is
 * alerted and the case keeps everything, and a redrive carries on from that state.
 * Time runs 60 times faster, so the retries' waits take seconds.
 */
const w = useWorkflow({ faultInjection: true, timeScale: 60 });
const faults = () => {
  const switches = w.ctx.sandbox.faults;
  if (!switches) throw new Error('the sandbox was started without fault injection');
  return switches;
};
/** Retries, as AWS's history shows them: attempts (TaskScheduled) of a state beyond one per visit (TaskStateEntered). */
const retriesOf = (reference: string, state: string) => {
  let current = '';
  let attempts = 0;
  let visits = 0;
  for (const h of w.execution(reference)?.history ?? []) {
    if (h.type.endsWith('StateEntered')) current = (h.stateEnteredEventDetails as { name: string }).name;
    if (current !== state) continue;
    if (h.type === 'TaskStateEntered') visits++;
    if (h.type === 'TaskScheduled') attempts++;
  }
  return attempts - visits;
};
const redrive = (reference: string) => new SFNClient({}).send(new RedriveExecutionCommand({ executionArn: w.execution(reference)?.executionArn as string }));
const stopped = (reference: string) =>
  waitUntil(
    async () => {
      const e = w.execution(reference);
      return e && e.status !== 'RUNNING' ? e : undefined;
    },
    `${reference} to stop`,
    20_000,
  );

describe('SscTriageWorkflow under faults', () => {
  it('rides out SES throttling: the acknowledgement is retried and sent once', async () => {
    faults().ses.fail({ match: /outbound-emails/, times: 4, ...awsFaults.sesThrottling });
    const { reference, user } = await w.submit();
    await w.waitForStatus(reference, 'AwaitingSscDecision');
    faults().ses.heal();
    expect(faults().ses.injected).toBe(4);
    expect(retriesOf(reference, 'AcknowledgeReceipt')).toBeGreaterThanOrEqual(1);
    expect((await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.includes(reference))).toHaveLength(1);
  });

  it("rides out DynamoDB throttling in the workflow's own writes", async () => {
    const { reference } = await w.submit();
    const { link } = await w.sscEmail(reference);
    // Only the workflow's own write of the decision: a handler's update still in flight must not take the throttles.
    faults().dynamodb.fail({ match: /\.UpdateItem /, matchBody: /"S":"DeferredToAnnualReview"/, times: 4, ...awsFaults.dynamodbThrottling });
    expect((await confirmDecision(link('defer-to-annual-review'))).status).toBe(200);
    await w.waitForStatus(reference, 'DeferredToAnnualReview');
    faults().dynamodb.heal();
    expect(faults().dynamodb.injected).toBe(4);
    expect(retriesOf(reference, 'RecordDeferralDecision')).toBeGreaterThanOrEqual(1);
    // Carried on to its end: the reminder left to its schedule.
    expect((await w.finished(reference)).status).toBe('SUCCEEDED');
    expect((await w.getCase(reference)).annualReview?.reminderAt).toEqual(expect.any(String));
  });

  it('stops at a crashed Lambda task, alerts SECAS once, keeps the case, and carries on when redriven', async () => {
    faults().lambda.crash('SendCaseEmail');
    const { reference, user } = await w.submit();
    const execution = await stopped(reference);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Runtime.ExitError');

    const alert = await w.emailTo(w.ctx.secasAddress, `[WORKFLOW FAULT]`);
    expect(alert.subject).toContain(reference);
    expect(alert.body.text).toContain('Failed state: AcknowledgeReceipt');
    expect(alert.body.text).toContain('redrive');
    const faulted = await w.getCase(reference, 'secas');
    expect(faulted.status).toBe('Received');
    expect(faulted.history.filter((e: { type: string }) => e.type === 'WorkflowFaulted')).toHaveLength(1);

    // EventBridge delivers at least once: the same event again records and sends nothing more.
    const again = await w.ctx.sandbox.lambda.invoke('AlertSecasOfWorkflowFault', {
      'detail-type': 'Step Functions Execution Status Change',
      detail: {
        executionArn: execution.executionArn,
        name: reference,
        status: 'FAILED',
        stopDate: execution.stopDate?.getTime(),
        error: execution.error,
        cause: execution.cause,
      },
    });
    expect(again).toEqual({ outcome: 'already-alerted' });
    expect(
      (await emailsTo(w.ctx.sandbox.sesUrl, w.ctx.secasAddress)).filter((e) => e.subject.includes(`[WORKFLOW FAULT]`) && e.subject.includes(reference)),
    ).toHaveLength(1);
    expect((await w.getCase(reference, 'secas')).history.filter((e: { type: string }) => e.type === 'WorkflowFaulted')).toHaveLength(1);

    await redrive(reference);
    await w.waitForStatus(reference, 'AwaitingSscDecision');
    expect(w.execution(reference)).toMatchObject({ status: 'RUNNING', redriveCount: 1 });
    expect((await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.includes(reference))).toHaveLength(1);
    // The redrive resumed at the failed state: the states before it ran once.
    const entered = w
      .execution(reference)
      ?.history.filter((h) => h.type.endsWith('StateEntered'))
      .map((h) => (h.stateEnteredEventDetails as { name: string }).name);
    expect(entered?.filter((n) => n === 'AcknowledgeReceipt')).toHaveLength(2);
    // The case's history tells the recovery too: the redrive, once, after the fault.
    const recovered = await waitUntil(async () => {
      const c = await w.getCase(reference, 'secas');
      return c.history.some((e: { type: string }) => e.type === 'WorkflowRedriven') ? c : undefined;
    }, 'the redrive to be recorded');
    const types = recovered.history.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t === 'WorkflowRedriven')).toHaveLength(1);
    expect(types.indexOf('WorkflowRedriven')).toBeGreaterThan(types.indexOf('WorkflowFaulted'));
    expect(recovered.history.find((e: { type: string }) => e.type === 'WorkflowRedriven')).toMatchObject({
      actor: { kind: 'System', id: 'RecordWorkflowRedrive' },
    });
    // EventBridge delivers at least once: the same redrive again records nothing more.
    const redriven = w.execution(reference);
    const replay = await w.ctx.sandbox.lambda.invoke('RecordWorkflowRedrive', {
      'detail-type': 'Step Functions Execution Status Change',
      detail: { name: reference, status: 'RUNNING', redriveCount: 1, redriveDate: redriven?.redriveDate?.getTime() },
    });
    expect(replay).toEqual({ outcome: 'already-recorded' });
  });

  it('stops when the annual-review reminder cannot be scheduled, keeps the deferral, and schedules it once redriven', async () => {
    const { reference, user } = await w.submit();
    w.path('deferral whose reminder schedule crashed, redriven', reference);
    const { link } = await w.sscEmail(reference);
    faults().lambda.crash('ScheduleAnnualReviewReminder');
    expect((await confirmDecision(link('defer-to-annual-review'))).status).toBe(200);
    const execution = await stopped(reference);
    expect(execution.status).toBe('FAILED');
    const alert = await w.emailTo(w.ctx.secasAddress, new RegExp(`^\\[WORKFLOW FAULT\\] .*${reference}`));
    expect(alert.body.text).toContain('Failed state: ScheduleAnnualReviewReminder');
    const faulted = await w.getCase(reference, 'secas');
    expect(faulted.status).toBe('DeferredToAnnualReview');
    expect(faulted.annualReview).toBeUndefined();
    await w.emailTo(user, `SSC advice on ${reference}`);

    await redrive(reference);
    expect((await w.finished(reference)).status).toBe('SUCCEEDED');
    const scheduled = await w.getCase(reference, 'secas');
    expect(scheduled.annualReview?.reminderAt).toEqual(expect.any(String));
    expect(scheduled.history.filter((e: { type: string }) => e.type === 'AnnualReviewReminderScheduled')).toHaveLength(1);
    expect(w.ctx.sandbox.scheduler.list({ prefix: `annual-review-${reference}` })).toHaveLength(1);
    // The advice went once: the redrive resumed at the failed state.
    expect((await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.startsWith(`SSC advice on ${reference}`))).toHaveLength(1);
  });

  it('keeps an annual-review reminder that cannot be sent in the dead-letter queue, the case still deferred, and reminds once it is invoked again', async () => {
    const { reference, user } = await w.submit((b) => {
      b.existingUserSystem.nextAnnualReviewOn = londonDate(new Date());
    });
    await w.decide(reference, 'defer-to-annual-review');
    expect((await w.finished(reference)).status).toBe('SUCCEEDED');
    // The schedule fires two minutes on (two seconds here): SES is down by then.
    faults().ses.fail({ match: /outbound-emails/, ...awsFaults.sesUnavailable });
    // Lambda retries the failed reminder twice, then sends it to the function's dead-letter queue.
    const dead = await waitUntil(
      async () => w.ctx.sandbox.deadLetters.RemindOfAnnualReview?.find((d) => JSON.stringify(d.event).includes(reference)),
      'the undelivered reminder',
      20_000,
    );
    faults().ses.heal();
    expect((await w.getCase(reference)).status).toBe('DeferredToAnnualReview');
    // The runbook: fix the cause, then invoke RemindOfAnnualReview with the dead letter's input.
    expect(w.ctx.sandbox.scheduler.deadLetters).toEqual([]);
    expect(await w.ctx.sandbox.lambda.invoke('RemindOfAnnualReview', dead.event)).toEqual({ outcome: 'reminded' });
    expect(await w.ctx.sandbox.lambda.invoke('RemindOfAnnualReview', dead.event)).toEqual({ outcome: 'already-closed' });
    expect((await w.getCase(reference)).status).toBe('Closed');
    expect((await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.startsWith('Annual review') && e.subject.includes(reference))).toHaveLength(1);
  });

  it('stops when SES stays down past every retry; the alert waits for SES, then the redrive sends what was missed', async () => {
    faults().ses.fail({ match: /outbound-emails/, ...awsFaults.sesUnavailable });
    const { reference, user } = await w.submit();
    const execution = await stopped(reference);
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('DependencyUnavailable');
    expect(retriesOf(reference, 'AcknowledgeReceipt')).toBe(6);
    // The fault is on the case at once, though the alert email cannot go yet.
    const faulted = await waitUntil(async () => {
      const c = await w.getCase(reference, 'secas');
      return c.history.some((e: { type: string }) => e.type === 'WorkflowFaulted') ? c : undefined;
    }, 'the fault to be recorded');
    expect(faulted.status).toBe('Received');
    // 7 task attempts of 3 SDK attempts each were refused; beyond them, the alert's own tries.
    await waitUntil(async () => (faults().ses.injected > 7 * 3 ? true : undefined), 'the alert to try SES');
    faults().ses.heal();
    const alert = await w.emailTo(w.ctx.secasAddress, `[WORKFLOW FAULT] ${reference}`, 1, 20_000);
    expect(alert.subject).toContain('FAILED in AcknowledgeReceipt');

    await redrive(reference);
    await w.waitForStatus(reference, 'AwaitingSscDecision');
    expect((await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.includes(reference))).toHaveLength(1);
  });
});
