import { randomUUID } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, refuseTooLarge, serveSafely } from './http-kit';
import { wallClock } from '../../functions/domain/working-days';
import { longTimeout } from './local-step-functions';
import { exponentialBackoff, retrying } from './retry';

/**
 * EventBridge Scheduler's API (REST-JSON: `POST|GET|DELETE /schedules/{Name}`, `GET /schedules`)
 * for what the product and a person looking at the sandbox use — CreateSchedule, GetSchedule,
 * DeleteSchedule, ListSchedules — with AWS's shapes, error codes and validation, and one-time
 * `at(...)` schedules that fire: in their time zone, on the clock the sandbox gives (the case's
 * accelerated clock), then deleted when `ActionAfterCompletion` is DELETE. Recurring (`rate`,
 * `cron`) schedules are refused here: the product creates none, and the sandbox's own periodic
 * tasks run on timers. Written for the sandbox because no maintained local Scheduler exists that
 * runs without Docker.
 */

export interface ScheduleTarget {
  Arn: string;
  RoleArn: string;
  Input?: string;
  RetryPolicy?: { MaximumEventAgeInSeconds?: number; MaximumRetryAttempts?: number };
  DeadLetterConfig?: { Arn?: string };
}

export interface LocalSchedule {
  Arn: string;
  Name: string;
  GroupName: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone: string;
  State: 'ENABLED' | 'DISABLED';
  ActionAfterCompletion: 'NONE' | 'DELETE';
  FlexibleTimeWindow: { Mode: 'OFF' | 'FLEXIBLE'; MaximumWindowInMinutes?: number };
  Description?: string;
  Target: ScheduleTarget;
  CreationDate: Date;
  LastModificationDate: Date;
  /** When it fires (UTC). */
  fireAt: Date;
}

export interface LocalSchedulerOptions {
  /** The schedule groups that exist besides `default`. */
  groups: string[];
  /**
   * Delivers a fired schedule's input to its target; a rejection is a failed delivery, which is
   * retried. (A Lambda target takes the event asynchronously: its function's own failures are
   * Lambda's to retry, not the Scheduler's.)
   */
  deliver: (target: ScheduleTarget, input: string, schedule: LocalSchedule) => Promise<void>;
  /** Told of each delivery that failed after every retry, as it goes to the schedule's dead-letter queue. */
  onDeadLetter?: (schedule: LocalSchedule) => void;
  /** What time it is for this schedule (the sandbox: the clock of the case it belongs to). */
  clock?: (schedule: LocalSchedule) => Date;
  /** How many times faster than real time the clock runs. */
  timeScale?: number;
  region?: string;
  account?: string;
}

class SchedulerError extends Error {
  constructor(
    readonly code: 'ValidationException' | 'ConflictException' | 'ResourceNotFoundException' | 'InternalServerException',
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const invalid = (message: string) => new SchedulerError('ValidationException', 400, message);
const NAME = /^[0-9a-zA-Z-_.]+$/;
const AT = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** The instant a wall-clock time falls on in a time zone (the later one of a repeated hour). */
export const zonedInstant = (localTime: string, timeZone: string): Date => {
  const asUtc = Date.parse(`${localTime}Z`);
  const offsetAt = (t: number) => Date.parse(`${wallClock(new Date(t), timeZone)}Z`) - t;
  const first = asUtc - offsetAt(asUtc);
  return new Date(asUtc - offsetAt(first));
};

const name = (value: unknown, member: string): string => {
  if (typeof value !== 'string' || value.length < 1 || value.length > 64 || !NAME.test(value)) {
    throw invalid(`${member} must be 1 to 64 characters of letters, digits, '-', '_' and '.'`);
  }
  return value;
};

const epoch = (date: Date) => date.getTime() / 1000;

export class LocalScheduler {
  private readonly schedules = new Map<string, LocalSchedule>();
  private readonly timers = new Map<string, () => void>();
  private readonly timeScale: number;
  /** Deliveries that failed after every retry, as the schedules' dead-letter queue keeps them. */
  readonly deadLetters: Array<{ schedule: string; input: string; error: string }> = [];
  private stopped = false;

  constructor(private readonly options: LocalSchedulerOptions) {
    this.timeScale = options.timeScale ?? 1;
  }

  private key(group: string, scheduleName: string) {
    return `${group}/${scheduleName}`;
  }

  private group(value: unknown): string {
    const group = value === undefined || value === null || value === '' ? 'default' : name(value, 'GroupName');
    if (group !== 'default' && !this.options.groups.includes(group))
      throw new SchedulerError('ResourceNotFoundException', 404, `Schedule group ${group} does not exist.`);
    return group;
  }

  create(scheduleName: string, input: Record<string, unknown>): { ScheduleArn: string } {
    name(scheduleName, 'Name');
    const group = this.group(input.GroupName);
    const expression = input.ScheduleExpression;
    if (typeof expression !== 'string' || expression.length > 256) throw invalid('ScheduleExpression is required (at most 256 characters)');
    const at = AT.exec(expression);
    if (!at) {
      if (/^(rate|cron)\(/.test(expression)) throw invalid("The sandbox's Scheduler runs one-time at(...) schedules only");
      throw invalid(`Invalid Schedule Expression ${expression}.`);
    }
    const zone = input.ScheduleExpressionTimezone ?? 'UTC';
    if (typeof zone !== 'string' || !isTimeZone(zone)) throw invalid(`Invalid time zone: ${String(zone)}`);
    const window = input.FlexibleTimeWindow as LocalSchedule['FlexibleTimeWindow'] | undefined;
    if (!window || (window.Mode !== 'OFF' && window.Mode !== 'FLEXIBLE')) throw invalid('FlexibleTimeWindow.Mode must be OFF or FLEXIBLE');
    const target = input.Target as ScheduleTarget | undefined;
    if (!target || typeof target.Arn !== 'string' || !target.Arn || typeof target.RoleArn !== 'string' || !target.RoleArn)
      throw invalid('Target.Arn and Target.RoleArn are required');
    const retry = target.RetryPolicy;
    if (retry?.MaximumEventAgeInSeconds !== undefined && (retry.MaximumEventAgeInSeconds < 60 || retry.MaximumEventAgeInSeconds > 86_400))
      throw invalid('MaximumEventAgeInSeconds must be between 60 and 86400');
    if (retry?.MaximumRetryAttempts !== undefined && (retry.MaximumRetryAttempts < 0 || retry.MaximumRetryAttempts > 185))
      throw invalid('MaximumRetryAttempts must be between 0 and 185');
    const after = input.ActionAfterCompletion ?? 'NONE';
    if (after !== 'NONE' && after !== 'DELETE') throw invalid('ActionAfterCompletion must be NONE or DELETE');
    const state = input.State ?? 'ENABLED';
    if (state !== 'ENABLED' && state !== 'DISABLED') throw invalid('State must be ENABLED or DISABLED');
    const key = this.key(group, scheduleName);
    if (this.schedules.has(key)) throw new SchedulerError('ConflictException', 409, `Schedule ${scheduleName} already exists.`);
    const now = new Date();
    const schedule: LocalSchedule = {
      Arn: `arn:aws:scheduler:${this.options.region ?? 'eu-west-2'}:${this.options.account ?? '000000000000'}:schedule/${group}/${scheduleName}`,
      Name: scheduleName,
      GroupName: group,
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: zone,
      State: state,
      ActionAfterCompletion: after,
      FlexibleTimeWindow: window,
      ...(typeof input.Description === 'string' ? { Description: input.Description } : {}),
      Target: target,
      CreationDate: now,
      LastModificationDate: now,
      fireAt: zonedInstant(at[1] as string, zone),
    };
    this.schedules.set(key, schedule);
    if (state === 'ENABLED') this.arm(key, schedule);
    return { ScheduleArn: schedule.Arn };
  }

  get(scheduleName: string, groupName: unknown): LocalSchedule {
    const schedule = this.schedules.get(this.key(this.group(groupName), name(scheduleName, 'Name')));
    if (!schedule) throw new SchedulerError('ResourceNotFoundException', 404, `Schedule ${scheduleName} does not exist.`);
    return schedule;
  }

  delete(scheduleName: string, groupName: unknown): void {
    const schedule = this.get(scheduleName, groupName);
    const key = this.key(schedule.GroupName, schedule.Name);
    this.timers.get(key)?.();
    this.timers.delete(key);
    this.schedules.delete(key);
  }

  list(filter: { group?: string; prefix?: string; state?: string }): LocalSchedule[] {
    return [...this.schedules.values()]
      .filter(
        (s) =>
          (!filter.group || s.GroupName === filter.group) &&
          (!filter.prefix || s.Name.startsWith(filter.prefix)) &&
          (!filter.state || s.State === filter.state),
      )
      .sort((a, b) => (`${a.GroupName}/${a.Name}` < `${b.GroupName}/${b.Name}` ? -1 : 1));
  }

  stop(): void {
    this.stopped = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  private arm(key: string, schedule: LocalSchedule): void {
    const now = (this.options.clock ?? (() => new Date()))(schedule);
    const delay = Math.max(0, schedule.fireAt.getTime() - now.getTime()) / this.timeScale;
    this.timers.set(
      key,
      longTimeout(delay, () => void this.fire(key, schedule)),
    );
  }

  /** Hands the input to the target (its context attributes filled in), then deletes a DELETE schedule. */
  private async fire(key: string, schedule: LocalSchedule): Promise<void> {
    this.timers.delete(key);
    if (this.stopped) return;
    const executionId = randomUUID();
    const input = (attempt: number) =>
      (schedule.Target.Input ?? '{}')
        .replaceAll('<aws.scheduler.scheduled-time>', schedule.fireAt.toISOString().replace('.000Z', 'Z'))
        .replaceAll('<aws.scheduler.execution-id>', executionId)
        .replaceAll('<aws.scheduler.attempt-number>', String(attempt))
        .replaceAll('<aws.scheduler.schedule-arn>', schedule.Arn);
    if (schedule.ActionAfterCompletion === 'DELETE') this.schedules.delete(key);
    const attempts = 1 + (schedule.Target.RetryPolicy?.MaximumRetryAttempts ?? 185);
    const error = await retrying(
      attempts,
      exponentialBackoff(this.timeScale),
      (attempt) => this.options.deliver(schedule.Target, input(attempt), schedule),
      () => this.stopped,
    );
    if (error === undefined) return;
    this.deadLetters.push({ schedule: schedule.Arn, input: input(attempts), error });
    this.options.onDeadLetter?.(schedule);
  }
}

const view = (s: LocalSchedule) => ({
  Arn: s.Arn,
  Name: s.Name,
  GroupName: s.GroupName,
  ScheduleExpression: s.ScheduleExpression,
  ScheduleExpressionTimezone: s.ScheduleExpressionTimezone,
  State: s.State,
  ActionAfterCompletion: s.ActionAfterCompletion,
  FlexibleTimeWindow: s.FlexibleTimeWindow,
  ...(s.Description ? { Description: s.Description } : {}),
  Target: s.Target,
  CreationDate: epoch(s.CreationDate),
  LastModificationDate: epoch(s.LastModificationDate),
});

/** The REST-JSON front of a LocalScheduler, as the SDK's SchedulerClient speaks it. */
export const startSchedulerServer = async (scheduler: LocalScheduler, port = 0): Promise<{ server: Server; url: string }> => {
  const json = { 'Content-Type': 'application/json' };
  const server = createServer(
    serveSafely(
      async (req, res) => {
        const body = await readBody(req, 1024 * 1024);
        if (body === 'too-large')
          return refuseTooLarge(res, { ...json, 'x-amzn-errortype': 'ValidationException' }, JSON.stringify({ Message: 'Request body too large' }));
        const url = new URL(req.url ?? '/', 'http://localhost');
        const reply = (status: number, answer: unknown, errorType?: string) => {
          res.writeHead(status, { ...json, 'x-amzn-requestid': randomUUID(), ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
          res.end(JSON.stringify(answer));
        };
        try {
          let input: Record<string, unknown> = {};
          if (body.length) {
            try {
              input = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
            } catch {
              throw invalid('The request body is not valid JSON');
            }
          }
          const one = /^\/schedules\/([^/]+)$/.exec(url.pathname);
          const scheduleName = one ? decodeURIComponent(one[1] as string) : undefined;
          if (scheduleName !== undefined && req.method === 'POST') return reply(200, scheduler.create(scheduleName, input));
          if (scheduleName !== undefined && req.method === 'GET')
            return reply(200, view(scheduler.get(scheduleName, url.searchParams.get('groupName') ?? undefined)));
          if (scheduleName !== undefined && req.method === 'DELETE') {
            scheduler.delete(scheduleName, url.searchParams.get('groupName') ?? undefined);
            return reply(200, {});
          }
          if (url.pathname === '/schedules' && req.method === 'GET') return reply(200, listPage(scheduler, url.searchParams));
          return reply(404, { Message: `Unsupported operation: ${req.method} ${url.pathname}` }, 'UnknownOperationException');
        } catch (error) {
          if (error instanceof SchedulerError) return reply(error.status, { Message: error.message }, error.code);
          throw error;
        }
      },
      { headers: { ...json, 'x-amzn-errortype': 'InternalServerException' }, body: JSON.stringify({ Message: 'Unexpected error' }) },
    ),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

/** ListSchedules: by name, `MaxResults` (1–100, default 100) at a time, an opaque `NextToken` to go on. */
const listPage = (scheduler: LocalScheduler, query: URLSearchParams) => {
  const max = query.has('MaxResults') ? Number(query.get('MaxResults')) : 100;
  if (!Number.isInteger(max) || max < 1 || max > 100) throw invalid('MaxResults must be between 1 and 100');
  const state = query.get('State') ?? undefined;
  if (state !== undefined && state !== 'ENABLED' && state !== 'DISABLED') throw invalid('State must be ENABLED or DISABLED');
  const all = scheduler.list({ group: query.get('ScheduleGroup') ?? undefined, prefix: query.get('NamePrefix') ?? undefined, state });
  let start = 0;
  const token = query.get('NextToken');
  if (token !== null) {
    const after = /^after:(.+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'))?.[1];
    if (!after) throw invalid('Invalid NextToken');
    start = all.findIndex((s) => `${s.GroupName}/${s.Name}` > after);
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + max);
  const last = page.at(-1);
  return {
    Schedules: page.map((s) => ({
      Arn: s.Arn,
      Name: s.Name,
      GroupName: s.GroupName,
      State: s.State,
      CreationDate: epoch(s.CreationDate),
      LastModificationDate: epoch(s.LastModificationDate),
      Target: { Arn: s.Target.Arn },
    })),
    ...(last && start + max < all.length ? { NextToken: Buffer.from(`after:${last.GroupName}/${last.Name}`).toString('base64url') } : {}),
  };
};
