import type { Server } from 'node:http';
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  ValidationException,
  paginateListSchedules,
} from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalScheduler, startSchedulerServer, zonedInstant } from '../../infra/local/local-scheduler';

/**
 * The sandbox's EventBridge Scheduler, as the SDK's SchedulerClient sees it: what AWS does, per
 * operation the product or a person uses, and one-time schedules that fire in their time zone.
 */
const GROUP = 'SecondUserSystem-AnnualReviews';
const TIME_SCALE = 864_000;
const delivered: Array<{ arn: string; input: string; at: Date }> = [];
let failTarget = false;
const started = Date.now();
const clock = () => new Date(Date.UTC(2027, 10, 24, 9, 0, 0) + (Date.now() - started) * TIME_SCALE);
const scheduler = new LocalScheduler({
  groups: [GROUP],
  deliver: async (target, input) => {
    if (failTarget) throw new Error('target unavailable');
    delivered.push({ arn: target.Arn, input, at: clock() });
  },
  // A clock a year ahead of real time, ten days a second: schedules fire on it, not on the machine's.
  clock: () => clock(),
  timeScale: TIME_SCALE,
});
let server: Server;
let client: SchedulerClient;

const schedule = (name: string, at: string, extra: Partial<CreateScheduleCommandInput> = {}): CreateScheduleCommandInput => ({
  Name: name,
  GroupName: GROUP,
  ScheduleExpression: `at(${at})`,
  ScheduleExpressionTimezone: 'Europe/London',
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  Target: {
    Arn: 'arn:aws:lambda:eu-west-2:000000000000:function:RemindOfAnnualReview',
    RoleArn: 'arn:aws:iam::000000000000:role/AnnualReviewScheduler',
    Input: JSON.stringify({ reference: name, scheduledTime: '<aws.scheduler.scheduled-time>', attempt: '<aws.scheduler.attempt-number>' }),
    RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 2 },
  },
  ...extra,
});

beforeAll(async () => {
  const started = await startSchedulerServer(scheduler);
  server = started.server;
  client = new SchedulerClient({ endpoint: started.url, region: 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});
afterAll(() => {
  scheduler.stop();
  server.close();
});

describe('local EventBridge Scheduler', () => {
  it('converts UK wall-clock times to instants in GMT and in BST', () => {
    expect(zonedInstant('2027-01-15T09:00:00', 'Europe/London').toISOString()).toBe('2027-01-15T09:00:00.000Z');
    expect(zonedInstant('2027-07-15T09:00:00', 'Europe/London').toISOString()).toBe('2027-07-15T08:00:00.000Z');
    expect(zonedInstant('2027-07-15T09:00:00', 'UTC').toISOString()).toBe('2027-07-15T09:00:00.000Z');
  });

  it('CreateSchedule, then GetSchedule returns it as created; a second of the same name is a ConflictException', async () => {
    const { ScheduleArn } = await client.send(new CreateScheduleCommand(schedule('kept', '2029-03-01T09:00:00')));
    expect(ScheduleArn).toBe(`arn:aws:scheduler:eu-west-2:000000000000:schedule/${GROUP}/kept`);
    const got = await client.send(new GetScheduleCommand({ Name: 'kept', GroupName: GROUP }));
    expect(got).toMatchObject({
      Name: 'kept',
      GroupName: GROUP,
      ScheduleExpression: 'at(2029-03-01T09:00:00)',
      ScheduleExpressionTimezone: 'Europe/London',
      State: 'ENABLED',
      ActionAfterCompletion: 'DELETE',
    });
    expect(got.CreationDate).toBeInstanceOf(Date);
    await expect(client.send(new CreateScheduleCommand(schedule('kept', '2029-03-01T09:00:00')))).rejects.toBeInstanceOf(ConflictException);
  });

  it.each([
    ['a malformed name', schedule('bad name', '2029-03-01T09:00:00'), ValidationException],
    [
      'a recurring expression (the sandbox runs one-time schedules only)',
      schedule('rate', '2029-03-01T09:00:00', { ScheduleExpression: 'rate(5 minutes)' }),
      ValidationException,
    ],
    ['an unknown time zone', schedule('zone', '2029-03-01T09:00:00', { ScheduleExpressionTimezone: 'Europe/Atlantis' }), ValidationException],
    [
      'a retry policy beyond its bounds',
      schedule('retry', '2029-03-01T09:00:00', { Target: { Arn: 'arn:x', RoleArn: 'arn:y', RetryPolicy: { MaximumRetryAttempts: 186 } } }),
      ValidationException,
    ],
    ['a group that does not exist', schedule('group', '2029-03-01T09:00:00', { GroupName: 'nope' }), ResourceNotFoundException],
  ])('refuses %s', async (_, input, error) => {
    await expect(client.send(new CreateScheduleCommand(input))).rejects.toBeInstanceOf(error);
  });

  it('GetSchedule and DeleteSchedule of an unknown schedule: ResourceNotFoundException', async () => {
    await expect(client.send(new GetScheduleCommand({ Name: 'never', GroupName: GROUP }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new DeleteScheduleCommand({ Name: 'never', GroupName: GROUP }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('ListSchedules pages through every schedule with NextToken, in the paginator', async () => {
    for (let i = 0; i < 7; i++) await client.send(new CreateScheduleCommand(schedule(`page-${i}`, '2030-01-01T09:00:00')));
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListSchedules({ client, pageSize: 3 }, { NamePrefix: 'page-', GroupName: GROUP })) {
      pages++;
      names.push(...(page.Schedules ?? []).map((s) => s.Name as string));
    }
    expect(pages).toBe(3);
    expect(names).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `page-${i}`));
    await client.send(new DeleteScheduleCommand({ Name: 'page-3', GroupName: GROUP }));
    await expect(client.send(new GetScheduleCommand({ Name: 'page-3', GroupName: GROUP }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('fires a one-time schedule at its time on the given clock, fills in the context attributes, then deletes it', async () => {
    // Twelve days after the clock's start (about a second of real time at this scale), 09:00 in London.
    await client.send(new CreateScheduleCommand(schedule('fires', '2027-12-06T09:00:00')));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(delivered.find((d) => JSON.parse(d.input).reference === 'fires')).toBeUndefined();
    await expect.poll(() => delivered.find((d) => JSON.parse(d.input).reference === 'fires'), { timeout: 5_000 }).toBeDefined();
    const fired = delivered.find((d) => JSON.parse(d.input).reference === 'fires');
    expect(fired?.at.getTime()).toBeGreaterThanOrEqual(Date.parse('2027-12-06T09:00:00Z'));
    const input = JSON.parse(fired?.input as string);
    expect(input).toEqual({ reference: 'fires', scheduledTime: '2027-12-06T09:00:00Z', attempt: '1' });
    await expect(client.send(new GetScheduleCommand({ Name: 'fires', GroupName: GROUP }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('retries a delivery that fails, then keeps it as a dead letter', async () => {
    failTarget = true;
    await client.send(new CreateScheduleCommand(schedule('undeliverable', '2027-11-24T09:00:00')));
    await expect
      .poll(() => scheduler.deadLetters.find((d) => JSON.parse(d.input).reference === 'undeliverable'), { timeout: 5_000 })
      .toMatchObject({ error: 'target unavailable' });
    failTarget = false;
    expect(JSON.parse(scheduler.deadLetters.at(-1)?.input as string).attempt).toBe('3');
  });
});
