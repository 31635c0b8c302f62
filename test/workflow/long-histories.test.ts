import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../functions/adapters/aws-clients';
import { HISTORY_COMPACT_AT, appendCaseEvent, getCase } from '../../functions/adapters/cases-repository';
import { type StoredEvent, plainEvent } from '../../functions/domain/history-chain';
import { itemSize } from '../support/item-size';
import { type FunctionName, specOf } from '../../functions/catalogue';
import type { CaseRecord } from '../../functions/domain/case';
import type { WaitKind } from '../../functions/domain/deadlines';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { invoke } from '../../infra/local/lambda-context';
import { loadHandler } from '../../infra/local/load-handler';
import { linksIn, recordByLink, waitUntil } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * A case's history grows with every step, and each writer that appends to it moves the older
 * events to a history page once it is long (cases-repository.ts): so each of them does so here,
 * at the step it takes — the SSC's decision, the User's withdrawal, SECAS's date and outcome, the
 * annual-review schedule and reminder, the fault alert — and the case still reads back whole.
 * (Each such move is a PutItem of the page: the permission check finds each writer granted it.)
 */
const w = useWorkflow();
const today = () => londonDate(new Date());

/** The case once it waits on a person, and the workflow has told them (nothing else is writing to it). */
const waitingOn = (reference: string, kind: WaitKind) =>
  waitUntil(async () => {
    const c = await getCase(reference);
    return c?.pendingWait?.kind === kind && c.pendingWait.notified && c.pendingWait.taskToken ? c : undefined;
  }, `${reference} to wait on ${kind}`);

/** Notes on the case until one more event moves the older ones to a page; the pages it had. */
const lengthen = async (reference: string): Promise<{ pages: number; notes: string[] }> => {
  const record = (await getCase(reference)) as CaseRecord;
  const notes: string[] = [];
  for (let i = record.history.length; i < HISTORY_COMPACT_AT; i++) {
    notes.push(`note ${i} on ${reference}`);
    await appendCaseEvent(reference, { at: new Date().toISOString(), type: 'Noted', actor: { kind: 'System', id: 'long-histories test' }, text: notes.at(-1) });
  }
  expect((await getCase(reference))?.history).toHaveLength(HISTORY_COMPACT_AT);
  return { pages: record.historyPages ?? 0, notes };
};

/** The step's own writer moved the history to a new page, and the case reads back with every note, in order, before the step's event. */
const movedOnce = async (reference: string, before: { pages: number; notes: string[] }, stepEvent: string) => {
  const record = (await getCase(reference)) as CaseRecord;
  expect(record.historyPages).toBe(before.pages + 1);
  expect(record.history.length).toBeLessThan(HISTORY_COMPACT_AT);
  const history = (await w.getCase(reference, 'secas')).history as Array<{ type: string; text?: string }>;
  expect(history.filter((e) => e.type === 'Noted').map((e) => e.text)).toEqual(expect.arrayContaining(before.notes));
  const step = history.findLastIndex((e) => e.type === stepEvent);
  expect(step).toBeGreaterThan(history.findLastIndex((e) => e.type === 'Noted'));
};

/** A function invoked as its trigger invokes it (a task of the workflow, the annual-review schedule). */
const run = async (name: FunctionName, event: unknown) =>
  invoke(await loadHandler<(e: unknown, c: unknown) => Promise<unknown>>(specOf(name).entry), event, name);

describe('a long history moved to pages by the writer of each step', () => {
  it('the SSC decides, SECAS records the date through the API and the outcome through its form', async () => {
    const { reference } = await w.submit();
    await waitingOn(reference, 'SscDecision');
    let before = await lengthen(reference);
    await w.decide(reference, 'ad-hoc-assessment');
    await movedOnce(reference, before, 'SscDecisionConfirmed');

    await waitingOn(reference, 'AssessmentSchedule');
    before = await lengthen(reference);
    const scheduledOn = addWorkingDays(today(), 5);
    expect((await w.post(`/notifications/${reference}/assessment`, { scheduledOn }, 'secas')).status).toBe(202);
    await movedOnce(reference, before, 'AssessmentScheduleRecorded');

    await waitingOn(reference, 'AssessmentOutcome');
    const [outcomeLink] = linksIn(await w.emailTo(w.ctx.secasAddress, `Record the outcome of an ad-hoc User Security Assessment: ${reference}`));
    await w.assessmentDayComes(reference);
    before = await lengthen(reference);
    const recorded = await recordByLink(outcomeLink as string, { assuranceStatus: 'Approved', completedOn: today(), recordedBy: 'Grace Hopper' });
    expect(recorded.status).toBe(200);
    await movedOnce(reference, before, 'AssessmentOutcomeRecorded');
    await w.waitForStatus(reference, 'Closed');
  });

  it('the User withdraws', async () => {
    const { reference } = await w.submit();
    await waitingOn(reference, 'SscDecision');
    const before = await lengthen(reference);
    expect((await w.post(`/notifications/${reference}/withdrawal`, { reason: 'Procurement cancelled.' })).status).toBe(202);
    await movedOnce(reference, before, 'WithdrawalRequested');
    await w.waitForStatus(reference, 'Withdrawn');
  });

  it('the annual-review schedule is recorded by a retried task, and its reminder closes the case', async () => {
    const { reference } = await w.submit();
    await waitingOn(reference, 'SscDecision');
    await w.decide(reference, 'defer-to-annual-review');
    expect((await w.finished(reference)).status).toBe('SUCCEEDED');
    const deferred = (await getCase(reference)) as CaseRecord;
    expect(deferred.status).toBe('DeferredToAnnualReview');

    // A retry of the task that made the schedule but was stopped before recording it on the case. The
    // record is taken off as the workflow's own writes change a case (an event appended, unchained, which
    // the next function write chains): a bare change of the item would be tampering, and the chain says so.
    await new DynamoDBClient({ endpoint: w.ctx.sandbox.dynamodbUrl }).send(
      new UpdateItemCommand({
        TableName: w.ctx.sandbox.tableName,
        Key: { pk: { S: `CASE#${reference}` }, sk: { S: 'CASE' } },
        UpdateExpression: 'REMOVE annualReview SET history = list_append(history, :lost)',
        ExpressionAttributeValues: {
          ':lost': {
            L: [
              {
                M: {
                  at: { S: new Date().toISOString() },
                  type: { S: 'Noted' },
                  actor: { M: { kind: { S: 'System' }, id: { S: 'long-histories test' } } },
                  text: { S: 'the annual-review schedule made but not recorded, as a stopped task leaves it' },
                },
              },
            ],
          },
        },
      }),
    );
    let before = await lengthen(reference);
    await run('ScheduleAnnualReviewReminder', { reference, now: new Date().toISOString() });
    await movedOnce(reference, before, 'AnnualReviewReminderScheduled');
    expect((await getCase(reference))?.annualReview).toEqual(deferred.annualReview);

    // The schedule's delivery, as the Scheduler makes it.
    before = await lengthen(reference);
    expect(await run('RemindOfAnnualReview', { reference, scheduledTime: new Date().toISOString() })).toEqual({ outcome: 'reminded' });
    await movedOnce(reference, before, 'CaseClosed');
    expect((await getCase(reference))?.status).toBe('Closed');
  });

  it('measures what the tamper-evident chain adds: bytes per event and for a long case, pages included', async () => {
    const { reference } = await w.submit();
    await waitingOn(reference, 'SscDecision');
    for (let round = 0; round < 3; round++) await lengthen(reference);
    await w.decide(reference, 'out-of-scope', 'Not a User System.');
    await w.finished(reference);
    const { Items = [] } = await documentClient().send(
      new QueryCommand({ TableName: w.ctx.sandbox.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `CASE#${reference}` } }),
    );
    const events = Items.flatMap((i) => (i.sk === 'CASE' ? i.history : String(i.sk).startsWith('HISTORY#') ? i.events : [])) as StoredEvent[];
    const added = events.map((e) => itemSize(e) - itemSize(plainEvent(e)));
    const head = itemSize({ chain: Items.find((i) => i.sk === 'CASE')?.chain }) - itemSize({});
    const total = added.reduce((a, b) => a + b, 0) + head;
    process.stdout.write(
      `the chain adds ${Math.min(...added)}–${Math.max(...added)} bytes an event (${(total / events.length).toFixed(0)} on average) and ${head} for the head: ${total} bytes over this case's ${events.length} events, on ${Items.length} items\n`,
    );
    expect(Items.some((i) => String(i.sk).startsWith('HISTORY#'))).toBe(true);
    // seq and a 43-character hash on each event; on the last event of each write the digests of the
    // recorded fields after it (state) and as it found them (before), 43 characters and a name each.
    expect(Math.min(...added)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...added)).toBeLessThanOrEqual(165);
  });

  it('a stopped workflow is recorded on the case by the fault alert', async () => {
    const { reference } = await w.submit();
    await waitingOn(reference, 'SscDecision');
    const before = await lengthen(reference);
    w.ctx.sandbox.stepFunctions.stopExecution(w.execution(reference)?.executionArn as string, 'Test', 'Stopped by the long-histories test');
    await w.emailTo(w.ctx.secasAddress, `[WORKFLOW FAULT] ${reference}`);
    await movedOnce(reference, before, 'WorkflowFaulted');
  });
});
