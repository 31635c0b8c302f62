import { describe, expect, it } from 'vitest';
import { awsFaults } from '../../infra/local/fault-proxy';
import { uniqueNotification } from '../support/fixtures';
import { caseCount, useSandbox, waitForEmail, waitUntil } from '../support/sandbox';

/**
 * The intake's ordering (reference → case → execution → 201) with a crash or outage between each
 * step, made real by failing the local DynamoDB or Step Functions endpoint under the handler:
 * nothing is orphaned, a case without a workflow is resumed by the sweep, and no execution ever
 * exists without its case.
 */
const ctx = useSandbox({ faultInjection: true });
const faults = () => {
  const switches = ctx.sandbox.faults;
  if (!switches) throw new Error('the sandbox was started without fault injection');
  return switches;
};
const sweep = (minutesAhead = 3) => ctx.sandbox.runScheduledTask('ResumeUnstartedCases', new Date(Date.now() + minutesAhead * 60_000));
const execution = (reference: string) => ctx.sandbox.stepFunctions.listExecutions().find((e) => e.name === reference);
const numberOf = (reference: string) => Number(reference.slice(-4));

const submit = async () => {
  const body = uniqueNotification();
  const response = await ctx.api().post('/notifications', body);
  return { body, response, created: (await response.json()) as Record<string, any> };
};

describe('a crash or outage at each point of the intake', () => {
  it('before the case is written: 503 with Retry-After, no case, no execution, the reference number skipped', async () => {
    const first = await submit();
    expect(first.response.status).toBe(201);
    const cases = await caseCount(ctx.sandbox.tableName);
    const executions = ctx.sandbox.stepFunctions.listExecutions().length;

    // The case's write: a Put, or a transaction with its entry under the provider it names (the sample names one).
    faults().dynamodb.fail({ match: /\.(PutItem|TransactWriteItems) /, ...awsFaults.dynamodbInternal });
    const failed = await submit();
    faults().dynamodb.heal();
    expect(failed.response.status).toBe(503);
    expect(failed.response.headers.get('retry-after')).toBe('30');
    expect(faults().dynamodb.injected).toBeGreaterThan(0);
    expect(await caseCount(ctx.sandbox.tableName)).toBe(cases);
    expect(ctx.sandbox.stepFunctions.listExecutions()).toHaveLength(executions);

    const next = await submit();
    expect(numberOf(next.created.reference)).toBe(numberOf(first.created.reference) + 2);
  });

  it('before the case is written, with an Idempotency-Key: the key is free again, and the retry with it files the case once', async () => {
    const body = uniqueNotification();
    const headers = { 'Idempotency-Key': `crash-${crypto.randomUUID()}` };
    // Only the case's own write fails: Powertools' in-progress record for the key is written, then deleted with the failure.
    faults().dynamodb.fail({ match: /\.(PutItem|TransactWriteItems) /, matchBody: /"sk":\{"S":"CASE"\}/, ...awsFaults.dynamodbInternal });
    const failed = await ctx.api().post('/notifications', body, headers);
    faults().dynamodb.heal();
    expect(failed.status).toBe(503);
    expect(faults().dynamodb.injected).toBeGreaterThan(0);
    const cases = await caseCount(ctx.sandbox.tableName);

    const retry = await ctx.api().post('/notifications', body, headers);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(await caseCount(ctx.sandbox.tableName)).toBe(cases + 1);
    const { reference } = (await retry.json()) as { reference: string };
    const replay = await ctx.api().post('/notifications', body, headers);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(((await replay.json()) as { reference: string }).reference).toBe(reference);
  });

  it('between the case write and the execution start: 201, then the sweep starts its workflow, once', async () => {
    faults().stepFunctions.fail({ match: /StartExecution/, ...awsFaults.stepFunctionsUnavailable });
    const { body, response, created } = await submit();
    expect(response.status).toBe(201);
    expect(created.status).toBe('Received');
    const { reference } = created;
    expect(execution(reference)).toBeUndefined();

    // Too young for the sweep: the intake may still be starting it.
    expect(await sweep(0)).toMatchObject({ started: [] });
    // Step Functions still down: the sweep reports the failure (its Lambda fails, for the alarm),
    // and the case records it, once however often the sweep finds the same error.
    await expect(sweep()).rejects.toThrow(reference);
    await expect(sweep()).rejects.toThrow(reference);
    const failed = (await (await ctx.api().get(`/notifications/${reference}`)).json()) as { history: Array<{ type: string; text?: string }> };
    expect(failed.history.filter((e) => e.type === 'WorkflowStartFailed')).toHaveLength(1);
    expect(failed.history.find((e) => e.type === 'WorkflowStartFailed')?.text).toContain('ServiceUnavailable');
    faults().stepFunctions.heal();

    const report = (await sweep()) as { started: string[] };
    expect(report.started).toEqual([reference]);
    const started = execution(reference);
    expect(JSON.parse(started?.input ?? '{}')).toEqual({ reference, late: false });
    const acknowledged = await waitForEmail(ctx.sandbox.sesUrl, body.contact.email, reference);
    expect(acknowledged.subject).toContain(reference);
    const view = await waitUntil(async () => {
      const c = (await (await ctx.api().get(`/notifications/${reference}`)).json()) as Record<string, any>;
      return c.status === 'AwaitingSscDecision' ? c : undefined;
    }, 'the resumed case to reach the SSC');
    expect(view.history.map((e: { type: string }) => e.type)).toContain('WorkflowStartedLate');

    expect(await sweep()).toMatchObject({ started: [] });
    expect(ctx.sandbox.stepFunctions.listExecutions().filter((e) => e.name === reference)).toHaveLength(1);
  });

  it('withdrawn before its workflow could start: the sweep starts it, and it ends Withdrawn, the SSC told', async () => {
    faults().stepFunctions.fail({ match: /StartExecution/, ...awsFaults.stepFunctionsUnavailable });
    const { created } = await submit();
    faults().stepFunctions.heal();
    const { reference } = created;
    expect(execution(reference)).toBeUndefined();
    expect((await ctx.api().post(`/notifications/${reference}/withdrawal`, { reason: 'Filed in error.' })).status).toBe(202);
    expect(((await sweep()) as { started: string[] }).started).toEqual([reference]);
    const ended = await waitUntil(async () => {
      const c = (await (await ctx.api().get(`/notifications/${reference}`)).json()) as Record<string, any>;
      return c.status === 'Withdrawn' ? c : undefined;
    }, 'the unstarted case to end withdrawn');
    expect(ended.withdrawal.reason).toBe('Filed in error.');
    await execution(reference)?.done;
    expect(execution(reference)?.status).toBe('SUCCEEDED');
    expect((await waitForEmail(ctx.sandbox.sesUrl, ctx.sscAddress, `Withdrawn: ${reference}`)).body.text).toContain('Filed in error.');
  });

  it('between the execution start and its answer: one execution, the case acknowledged, nothing for the sweep', async () => {
    // Every attempt starts (or finds) the execution, but the intake never hears back.
    faults().stepFunctions.fail({ match: /StartExecution/, mode: 'lose-response', ...awsFaults.stepFunctionsUnavailable });
    const { response, created } = await submit();
    faults().stepFunctions.heal();
    expect(response.status).toBe(201);
    expect(faults().stepFunctions.injected).toBeGreaterThan(1);
    expect(ctx.sandbox.stepFunctions.listExecutions().filter((e) => e.name === created.reference)).toHaveLength(1);
    expect(await sweep()).toMatchObject({ started: [] });
  });

  it('leaves no execution without its case, whatever happened above', async () => {
    const executions = ctx.sandbox.stepFunctions.listExecutions();
    expect(executions.length).toBeGreaterThan(3);
    for (const e of executions) expect((await ctx.api('secas').get(`/notifications/${e.name}`)).status, e.name).toBe(200);
  });
});
