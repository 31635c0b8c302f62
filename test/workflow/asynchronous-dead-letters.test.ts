import { RedriveExecutionCommand, SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { triggeredBy } from '../../functions/catalogue';
import { firstWorkingDayOfQuarter, quarterOf } from '../../functions/domain/service-report';
import { defaultMeetingCalendar, requireNextMeeting } from '../../functions/domain/ssc-meetings';
import { addWorkingDays, londonDate, londonInstant } from '../../functions/domain/working-days';
import { awsFaults } from '../../infra/local/fault-proxy';
import { waitUntil } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * Every function invoked asynchronously (by EventBridge's rules or the Scheduler) that fails past
 * Lambda's retries leaves its event in its dead-letter queue, as Lambda's on-failure destination
 * does in AWS: three runs (the first and two retries), then the queue; nothing is retried by the
 * invoker once Lambda has accepted the event. The annual-review reminder's case is in faults.test.ts.
 * Time runs an hour a second, so Lambda's retry waits (a minute, then two) take milliseconds.
 */
const w = useWorkflow({ faultInjection: true, timeScale: 3600 });
const faults = () => {
  const switches = w.ctx.sandbox.faults;
  if (!switches) throw new Error('the sandbox was started without fault injection');
  return switches;
};
afterEach(() => {
  faults().dynamodb.heal();
  faults().ses.heal();
});

const deadLetter = (name: keyof typeof w.ctx.sandbox.deadLetters, matching: (event: Record<string, any>) => boolean, timeoutMs = 20_000) =>
  waitUntil(async () => w.ctx.sandbox.deadLetters[name]?.find((d) => matching(d.event as Record<string, any>)), `a dead letter of ${name}`, timeoutMs);

describe('asynchronous invocations that fail past their retries', () => {
  it('are the ten functions EventBridge and the Scheduler invoke', () => {
    const asynchronous = [...triggeredBy('every'), ...triggeredBy('workflow-status'), ...triggeredBy('email-events'), ...triggeredBy('annual-review-schedule')];
    expect(asynchronous.map((t) => t.name).sort()).toEqual([
      'AlertSecasOfWorkflowFault',
      'AnchorCaseHistories',
      'EraseExpiredPersonalData',
      'PublishCaseGauges',
      'RecordDeliveryProblem',
      'RecordWorkflowRedrive',
      'RemindOfAnnualReview',
      'ResumeUnstartedCases',
      'SendMeetingPapers',
      'SendQuarterlyReport',
    ]);
  });

  // It acts only on the first Working Day of a quarter: its event is delivered as of the next one.
  it('keep the quarterly report of a run that DynamoDB refused three times', async () => {
    const today = londonDate(new Date());
    const at = londonInstant(firstWorkingDayOfQuarter(addWorkingDays(quarterOf(today).to, 1)), '07:00');
    faults().dynamodb.fail({ match: /DynamoDB_20120810\.Query/, ...awsFaults.dynamodbInternal });
    w.ctx.sandbox.deliverScheduledEvent('SendQuarterlyReport', at);
    const dead = await deadLetter('SendQuarterlyReport', (event) => event.time === at.toISOString());
    faults().dynamodb.heal();
    expect(dead.attempts).toBe(3);
    expect(dead.error).toMatch(/Internal server error/);
  });

  // It acts only on a paper deadline from 09:00 UK time: its event is delivered as of the next one (the sandbox's calendar is the default rule).
  it("keep a run of the SSC's meeting papers whose claim DynamoDB refused three times", async () => {
    const { papersBy } = requireNextMeeting(defaultMeetingCalendar, addWorkingDays(londonDate(new Date()), 1));
    const at = londonInstant(papersBy, '09:00');
    faults().dynamodb.fail({ match: /DynamoDB_20120810\.PutItem/, ...awsFaults.dynamodbInternal });
    w.ctx.sandbox.deliverScheduledEvent('SendMeetingPapers', at);
    const dead = await deadLetter('SendMeetingPapers', (event) => event.time === at.toISOString());
    faults().dynamodb.heal();
    expect(dead.attempts).toBe(3);
    expect(dead.error).toMatch(/Internal server error/);
  });

  it('keep a run of the erasure by the retention schedule whose read of the schedule DynamoDB refused three times', async () => {
    const at = londonInstant(addWorkingDays(londonDate(new Date()), 1), '03:00');
    faults().dynamodb.fail({ match: /DynamoDB_20120810\.GetItem/, matchBody: /RETENTION_SCHEDULE/, ...awsFaults.dynamodbInternal });
    w.ctx.sandbox.deliverScheduledEvent('EraseExpiredPersonalData', at);
    const dead = await deadLetter('EraseExpiredPersonalData', (event) => event.time === at.toISOString());
    faults().dynamodb.heal();
    expect(dead.attempts).toBe(3);
    expect(dead.error).toMatch(/Internal server error/);
  });

  it.each(['PublishCaseGauges', 'ResumeUnstartedCases'] as const)('keep a scheduled run of %s that DynamoDB refused three times', async (name) => {
    faults().dynamodb.fail({ match: /DynamoDB_20120810\.Query/, ...awsFaults.dynamodbInternal });
    const dead = await deadLetter(name, (event) => event['detail-type'] === 'Scheduled Event');
    faults().dynamodb.heal();
    expect(dead.attempts).toBe(3);
    expect(dead.error).toMatch(/Internal server error/);
  });

  // Its daily rule fires every 24 seconds at this pace.
  it('keep a scheduled run of AnchorCaseHistories that DynamoDB refused three times', async () => {
    faults().dynamodb.fail({ match: /DynamoDB_20120810\.Query/, ...awsFaults.dynamodbInternal });
    const dead = await deadLetter('AnchorCaseHistories', (event) => event['detail-type'] === 'Scheduled Event', 50_000);
    faults().dynamodb.heal();
    expect(dead.attempts).toBe(3);
    expect(dead.error).toMatch(/Internal server error/);
  }, 60_000);

  it('keep the fault alert of a stopped execution that could not be recorded, and alert nothing twice', async () => {
    const { reference } = await w.submit();
    await w.waitForStatus(reference, 'AwaitingSscDecision');
    faults().dynamodb.fail({ match: /DynamoDB_20120810\.(UpdateItem|GetItem)/, ...awsFaults.dynamodbInternal });
    faults().ses.fail({ match: /outbound-emails/, ...awsFaults.sesUnavailable });
    await new SFNClient({}).send(
      new StopExecutionCommand({ executionArn: w.execution(reference)?.executionArn as string, error: 'Test', cause: 'stopped by hand' }),
    );
    const dead = await deadLetter('AlertSecasOfWorkflowFault', (event) => event.detail?.name === reference);
    expect(dead.attempts).toBe(3);
    expect(dead.event).toMatchObject({ 'detail-type': 'Step Functions Execution Status Change', detail: { status: 'ABORTED', name: reference } });
    expect(w.ctx.sandbox.deadLetters.AlertSecasOfWorkflowFault?.filter((d) => (d.event as Record<string, any>).detail?.name === reference)).toHaveLength(1);
  });

  it('keep the record of a redrive that could not be written to its case', async () => {
    const { reference } = await w.submit();
    await w.waitForStatus(reference, 'AwaitingSscDecision');
    const sfn = new SFNClient({});
    const executionArn = w.execution(reference)?.executionArn as string;
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Test', cause: 'stopped by hand' }));
    await waitUntil(
      async () => ((await w.getCase(reference, 'secas')).history.some((e: { type: string }) => e.type === 'WorkflowFaulted') ? true : undefined),
      'the fault to be recorded',
    );
    faults().dynamodb.fail({ match: /DynamoDB_20120810\.UpdateItem/, matchBody: /WorkflowRedriven/, ...awsFaults.dynamodbInternal });
    await sfn.send(new RedriveExecutionCommand({ executionArn }));
    const dead = await deadLetter('RecordWorkflowRedrive', (event) => event.detail?.name === reference);
    expect(dead.attempts).toBe(3);
    expect(dead.event).toMatchObject({ detail: { status: 'RUNNING', redriveCount: 1, name: reference } });
  });

  it("keep SES's report of a bounce that could not be recorded on its case", async () => {
    faults().dynamodb.fail({ match: /TransactWriteItems/, matchBody: /DELIVERY#/, ...awsFaults.dynamodbInternal });
    const { reference } = await w.submit((b) => {
      b.contact.email = 'bounce@simulator.amazonses.com';
    });
    const dead = await deadLetter('RecordDeliveryProblem', (event) => JSON.stringify(event).includes(reference));
    expect(dead.attempts).toBe(3);
    expect(dead.event).toMatchObject({ source: 'aws.ses', 'detail-type': 'Email Bounced' });
  });
});
