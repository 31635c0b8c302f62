import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  InvalidArn,
  InvalidExecutionInput,
  InvalidName,
  InvalidOutput,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  ListTagsForResourceCommand,
  RedriveExecutionCommand,
  ResourceNotFound,
  SFNClient,
  type SFNServiceException,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  paginateGetExecutionHistory,
  paginateListExecutions,
  paginateListStateMachines,
} from '@aws-sdk/client-sfn';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStepFunctions } from '../../infra/local/local-step-functions';
import { startStepFunctionsServer } from '../../infra/local/step-functions-server';
import { waitUntil } from '../support/sandbox';

/**
 * The local Step Functions endpoint against what AWS does, operation by operation, through the
 * SDK's own client and paginators. Each `describe` names an operation; each case states AWS's
 * behaviour (from the Step Functions API reference) and checks the endpoint shows the same. The
 * definition has each kind of state the product uses: a task that fails once and is retried, a
 * callback task whose timeout is caught, a Choice, a Wait, Succeed and Fail.
 */
const definition = {
  StartAt: 'Work',
  States: {
    Work: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'arn:aws:lambda:eu-west-2:000000000000:function:Work', Payload: { 'name.$': '$$.Execution.Name' } },
      ResultSelector: { 'done.$': '$.Payload.done' },
      ResultPath: '$.work',
      Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 0.01, MaxAttempts: 2, BackoffRate: 1 }],
      Next: 'Route',
    },
    Route: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.path', StringEquals: 'wait', Next: 'Ask' },
        { Variable: '$.path', StringEquals: 'fail', Next: 'Broken' },
      ],
      Default: 'Pause',
    },
    Pause: { Type: 'Wait', Seconds: 0, Next: 'Done' },
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: 'arn:aws:lambda:eu-west-2:000000000000:function:Ask',
        Payload: { 'token.$': '$$.Task.Token', 'name.$': '$$.Execution.Name' },
      },
      TimeoutSecondsPath: '$.timeout',
      ResultPath: '$.answer',
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: 'Done' }],
      Next: 'Done',
    },
    Broken: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'arn:aws:lambda:eu-west-2:000000000000:function:Broken' },
      End: true,
    },
    Done: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

const arn = 'arn:aws:states:eu-west-2:000000000000:stateMachine:Conformance';
const executionArnOf = (name: string) => `${arn.replace(':stateMachine:', ':execution:')}:${name}`;
const tokens = new Map<string, string>();
const failedOnce = new Set<string>();
let brokenFixed = false;
let runtime: LocalStepFunctions;
let sfn: SFNClient;
let close: () => void;

beforeAll(async () => {
  runtime = new LocalStepFunctions({
    definition,
    stateMachineArn: arn,
    resources: () => async (parameters) => {
      const fn = String(parameters.FunctionName).split(':').pop();
      if (fn === 'Work') {
        // Each execution's first attempt fails with an error its Retry names; the retry succeeds.
        const { name } = parameters.Payload as { name: string };
        if (!failedOnce.has(name)) {
          failedOnce.add(name);
          throw Object.assign(new Error('try again'), { name: 'Flaky' });
        }
        return { Payload: { done: true } };
      }
      if (fn === 'Ask') {
        const { token, name } = parameters.Payload as { token: string; name: string };
        tokens.set(name, token);
        return { Payload: null };
      }
      if (!brokenFixed) throw Object.assign(new Error('broken for good'), { name: 'Broken' });
      return { Payload: null };
    },
  });
  const server = await startStepFunctionsServer(runtime);
  close = () => server.server.close();
  sfn = new SFNClient({ endpoint: server.url, region: 'eu-west-2', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
});
afterAll(() => {
  runtime.stopAll();
  close();
});

const start = async (name: string, input: Record<string, unknown>) =>
  (await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify(input) }))).executionArn as string;
const stopped = (executionArn: string) =>
  waitUntil(async () => {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return d.status === 'RUNNING' ? undefined : d;
  }, `${executionArn} to stop`);
const history = async (executionArn: string, extra: Record<string, unknown> = {}) => {
  const events: HistoryEvent[] = [];
  for await (const p of paginateGetExecutionHistory({ client: sfn, pageSize: 3 }, { executionArn, ...extra })) events.push(...(p.events ?? []));
  return events;
};
const rejects = async (promise: Promise<unknown>, type: new (...args: never[]) => SFNServiceException, message?: RegExp) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected ${type.name}`).toBeInstanceOf(type);
  if (message) expect((error as Error).message).toMatch(message);
};
const validationError = async (promise: Promise<unknown>, member: string) => {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as SFNServiceException;
  expect(error?.name).toBe('ValidationException');
  expect(error.message).toContain(`Value at '${member}' failed to satisfy constraint`);
};

describe('StartExecution', () => {
  it('starts an execution named as asked, with a dot if need be, and returns its ARN and start date', async () => {
    const executionArn = await start('case.with.dots-1', { path: 'pass' });
    expect(executionArn).toBe(executionArnOf('case.with.dots-1'));
    expect((await stopped(executionArn)).status).toBe('SUCCEEDED');
  });

  it('names an unnamed execution with a UUID', async () => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"path":"pass"}' }));
    expect(executionArn?.split(':').pop()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('is idempotent for the same name and input while running; otherwise ExecutionAlreadyExists', async () => {
    const first = await start('twice', { path: 'wait', timeout: 3600 });
    expect(await start('twice', { path: 'wait', timeout: 3600 })).toBe(first);
    await rejects(start('twice', { path: 'wait', timeout: 60 }), ExecutionAlreadyExists);
    await sfn.send(new StopExecutionCommand({ executionArn: first }));
    await rejects(start('twice', { path: 'wait', timeout: 3600 }), ExecutionAlreadyExists);
  });

  it.each([
    ' space',
    'tab\t',
    'br<a>',
    'c{u}',
    'q?',
    'star*',
    'quote"',
    'hash#',
    'pct%',
    'bs\\',
    'car^',
    'pipe|',
    'tilde~',
    'tick`',
    'dollar$',
    'amp&',
    'comma,',
    'semi;',
    'colon:',
    'slash/',
    'ctl\u0007',
    'c1\u0085',
  ])('refuses the name %j with InvalidName', async (name) => {
    await rejects(start(name, {}), InvalidName);
  });

  it('refuses a name over 80 characters, or an input over 256 KiB, with a ValidationException', async () => {
    await validationError(start('n'.repeat(81), {}), 'name');
    expect(await start('n'.repeat(80), { path: 'pass' })).toBe(executionArnOf('n'.repeat(80)));
    await validationError(
      sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'big', input: JSON.stringify({ pad: 'é'.repeat(131_072) }) })),
      'input',
    );
  });

  it('refuses input that is not JSON with InvalidExecutionInput, a malformed ARN with InvalidArn, an unknown machine with StateMachineDoesNotExist', async () => {
    await rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'notjson', input: '{' })), InvalidExecutionInput);
    await rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: 'not-an-arn', name: 'x' })), InvalidArn);
    await rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: executionArnOf('x'), name: 'x' })), InvalidArn);
    await rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}Other`, name: 'x' })), StateMachineDoesNotExist);
  });
});

describe('DescribeExecution', () => {
  it('describes input, output, status and redrive fields; METADATA_ONLY leaves the data out', async () => {
    const executionArn = await start('described', { path: 'pass' });
    const d = await stopped(executionArn);
    expect(d).toMatchObject({
      status: 'SUCCEEDED',
      name: 'described',
      stateMachineArn: arn,
      input: '{"path":"pass"}',
      inputDetails: { included: true },
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
    });
    expect(JSON.parse(d.output as string).work).toEqual({ done: true });
    expect(d.startDate).toBeInstanceOf(Date);
    expect(d.stopDate).toBeInstanceOf(Date);
    const meta = await sfn.send(new DescribeExecutionCommand({ executionArn, includedData: 'METADATA_ONLY' }));
    expect(meta.input).toBeUndefined();
    expect(meta.output).toBeUndefined();
    expect(meta.inputDetails).toEqual({ included: false });
  });

  it('answers InvalidArn for a malformed ARN or a state machine ARN, ExecutionDoesNotExist for an unknown one', async () => {
    for (const bad of ['garbage', arn, 'arn:aws:states:eu-west-2:000000000000:execution:OnlyMachine', 'arn:aws:lambda:eu-west-2:000000000000:function:x']) {
      await rejects(sfn.send(new DescribeExecutionCommand({ executionArn: bad })), InvalidArn);
    }
    await rejects(sfn.send(new DescribeExecutionCommand({ executionArn: executionArnOf('never-started') })), ExecutionDoesNotExist);
  });
});

describe('ListExecutions', () => {
  it('pages with nextToken (the paginator sees every execution, newest first), filters by status and redrive', async () => {
    for (let i = 0; i < 5; i++) await start(`listed-${i}`, { path: 'pass' });
    const all: string[] = [];
    let pages = 0;
    for await (const p of paginateListExecutions({ client: sfn, pageSize: 2 }, { stateMachineArn: arn })) {
      pages++;
      expect(p.executions?.length).toBeLessThanOrEqual(2);
      all.push(...(p.executions ?? []).map((e) => e.name as string));
    }
    const single = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 1000 }));
    expect(single.nextToken).toBeUndefined();
    expect(all).toEqual(single.executions?.map((e) => e.name));
    expect(pages).toBe(Math.ceil(all.length / 2));
    const first = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }));
    expect(first.executions?.length).toBe(Math.min(100, all.length));
    const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'RUNNING' }));
    expect(running.executions?.every((e) => e.status === 'RUNNING')).toBe(true);
  });

  it('refuses a bogus or altered nextToken with InvalidToken, and one from another listing', async () => {
    await rejects(sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, nextToken: 'bogus' })), InvalidToken);
    const { nextToken } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 1 }));
    expect(nextToken).toBeDefined();
    await rejects(sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 1, nextToken: `${nextToken}x` })), InvalidToken);
    await rejects(sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'FAILED', nextToken })), InvalidToken);
  });

  it('refuses maxResults over 1000 with a ValidationException', async () => {
    await validationError(sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 1001 })), 'maxResults');
  });
});

describe('GetExecutionHistory', () => {
  it("records AWS's event types: tasks scheduled, started, failed and retried, succeeded; states entered and exited; no invented events", async () => {
    const executionArn = await start('history-pass', { path: 'pass' });
    await stopped(executionArn);
    const types = (await history(executionArn)).map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'WaitStateEntered',
      'WaitStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('records a callback task as TaskSubmitted, then TaskSucceeded when called back, and a caught timeout as TaskTimedOut then an exit', async () => {
    const answered = await start('history-callback', { path: 'wait', timeout: 3600 });
    const token = await waitUntil(async () => tokens.get('history-callback'), 'the task token');
    await waitUntil(async () => ((await history(answered)).some((e) => e.type === 'TaskSubmitted') ? true : undefined), 'TaskSubmitted');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"answer":42}' }));
    await stopped(answered);
    const events = await history(answered);
    const ask = events.slice(events.findIndex((e) => e.stateEnteredEventDetails?.name === 'Ask'));
    expect(ask.map((e) => e.type).slice(0, 6)).toEqual([
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
    ]);
    expect(ask[1]?.taskScheduledEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke.waitForTaskToken',
      region: 'eu-west-2',
      timeoutInSeconds: 3600,
    });
    expect(JSON.parse(ask[4]?.taskSucceededEventDetails?.output as string)).toEqual({ answer: 42 });

    const timedOut = await start('history-timeout', { path: 'wait', timeout: 1 });
    await stopped(timedOut);
    const late = (await history(timedOut)).map((e) => e.type);
    expect(late.slice(late.indexOf('TaskSubmitted'))).toEqual([
      'TaskSubmitted',
      'TaskTimedOut',
      'TaskStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('pages with nextToken, in either order, numbering events and linking each to the one before', async () => {
    const executionArn = executionArnOf('history-pass');
    const paged = await history(executionArn);
    const { events: whole } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    expect(paged.map((e) => e.id)).toEqual(whole?.map((e) => e.id));
    expect(paged.map((e) => e.id)).toEqual(paged.map((_, i) => i + 1));
    expect(paged.every((e) => e.previousEventId === (e.id as number) - 1 && e.timestamp instanceof Date)).toBe(true);
    const reversed = await history(executionArn, { reverseOrder: true });
    expect(reversed.map((e) => e.id)).toEqual([...paged.map((e) => e.id)].reverse());
    await rejects(sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken: 'bogus' })), InvalidToken);
    const { nextToken } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 2 }));
    await rejects(sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 2, reverseOrder: true, nextToken })), InvalidToken);
  });

  it('leaves out input, output and parameters when includeExecutionData is false', async () => {
    const executionArn = executionArnOf('history-pass');
    const withData = await history(executionArn);
    expect(JSON.stringify(withData)).toContain('"input"');
    const without = await history(executionArn, { includeExecutionData: false });
    expect(without.map((e) => e.type)).toEqual(withData.map((e) => e.type));
    expect(JSON.stringify(without)).not.toMatch(/"(input|output|parameters)"/);
    expect(without.find((e) => e.type === 'TaskStateEntered')?.stateEnteredEventDetails?.name).toBe('Work');
  });
});

describe('StopExecution, SendTask*', () => {
  it('stops with an error and cause (ExecutionAborted in the history); refuses an error over 256 or a cause over 32768 characters', async () => {
    const executionArn = await start('stopped', { path: 'wait', timeout: 3600 });
    await validationError(sfn.send(new StopExecutionCommand({ executionArn, error: 'e'.repeat(257) })), 'error');
    await validationError(sfn.send(new StopExecutionCommand({ executionArn, cause: 'c'.repeat(32_769) })), 'cause');
    const { stopDate } = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Operator', cause: 'by hand' }));
    expect(stopDate).toBeInstanceOf(Date);
    expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({
      status: 'ABORTED',
      error: 'Operator',
      cause: 'by hand',
      redriveStatus: 'REDRIVABLE',
    });
    expect((await history(executionArn)).at(-1)).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'Operator', cause: 'by hand' },
    });
  });

  it('answers a spent token TaskDoesNotExist, a malformed one InvalidToken, bad output InvalidOutput, an over-long error a ValidationException', async () => {
    const executionArn = await start('tokens', { path: 'wait', timeout: 3600 });
    const token = await waitUntil(async () => tokens.get('tokens'), 'the task token');
    await rejects(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: 'not json' })), InvalidOutput);
    await validationError(sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'e'.repeat(257) })), 'error');
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Declined', cause: 'no' }));
    await stopped(executionArn);
    await rejects(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })), TaskDoesNotExist);
    await validationError(sfn.send(new SendTaskSuccessCommand({ taskToken: 't'.repeat(1025), output: '{}' })), 'taskToken');
    await rejects(sfn.send(new SendTaskHeartbeatCommand({ taskToken: 'never-issued' })), TaskDoesNotExist);
  });
});

describe('RedriveExecution', () => {
  it('resumes a failed execution at the failed state; redriveCount, redriveDate and redriveStatus follow; a running or succeeded one is not redrivable', async () => {
    const executionArn = await start('redriven', { path: 'fail' });
    const failed = await stopped(executionArn);
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Broken', redriveCount: 0, redriveStatus: 'REDRIVABLE' });
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, redriveFilter: 'NOT_REDRIVEN', statusFilter: 'FAILED' }));
    expect(listed.executions?.map((e) => e.name)).toContain('redriven');
    brokenFixed = true;
    const { redriveDate } = await sfn.send(new RedriveExecutionCommand({ executionArn }));
    expect(redriveDate).toBeInstanceOf(Date);
    const done = await stopped(executionArn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1, redriveStatus: 'NOT_REDRIVABLE' });
    expect(done.redriveDate?.getTime()).toBe(redriveDate?.getTime());
    const types = (await history(executionArn)).map((e) => e.type);
    expect(types.filter((t) => t === 'ExecutionStarted')).toHaveLength(1);
    expect(types[types.indexOf('ExecutionRedriven') + 1]).toBe('TaskStateEntered');
    const redriven = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, redriveFilter: 'REDRIVEN' }));
    expect(redriven.executions).toEqual([expect.objectContaining({ name: 'redriven', redriveCount: 1, redriveDate })]);
    await rejects(sfn.send(new RedriveExecutionCommand({ executionArn })), ExecutionNotRedrivable);
  });
});

describe('ListStateMachines, DescribeStateMachine, DescribeStateMachineForExecution, ListTagsForResource', () => {
  it('lists the one state machine, a Standard one, through the paginator', async () => {
    const machines = [];
    for await (const p of paginateListStateMachines({ client: sfn, pageSize: 1 }, {})) machines.push(...(p.stateMachines ?? []));
    expect(machines).toEqual([{ stateMachineArn: arn, name: 'Conformance', type: 'STANDARD', creationDate: expect.any(Date) }]);
    await rejects(sfn.send(new ListStateMachinesCommand({ nextToken: 'bogus' })), InvalidToken);
  });

  it('describes the machine with its definition as deployed, its role, logging and tracing; the same for an execution', async () => {
    const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(d).toMatchObject({
      stateMachineArn: arn,
      name: 'Conformance',
      status: 'ACTIVE',
      type: 'STANDARD',
      roleArn: expect.stringMatching(/^arn:aws:iam::000000000000:role\//),
      tracingConfiguration: { enabled: true },
    });
    expect(JSON.parse(d.definition as string)).toEqual(definition);
    const forExecution = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: executionArnOf('history-pass') }));
    expect(forExecution).toMatchObject({ stateMachineArn: arn, name: 'Conformance', definition: d.definition, updateDate: expect.any(Date) });
    await rejects(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${arn}Other` })), StateMachineDoesNotExist);
    await rejects(sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: executionArnOf('never') })), ExecutionDoesNotExist);
    await rejects(sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: 'garbage' })), InvalidArn);
  });

  it('lists the tags of the state machine; an unknown resource is ResourceNotFound, a malformed ARN InvalidArn', async () => {
    expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([]);
    await rejects(sfn.send(new ListTagsForResourceCommand({ resourceArn: `${arn}Other` })), ResourceNotFound);
    await rejects(sfn.send(new ListTagsForResourceCommand({ resourceArn: 'garbage' })), InvalidArn);
  });
});

describe('UpdateStateMachine (a deploy): each execution keeps the definition it started with', () => {
  it('runs, describes and redrives an execution started before the update on the old definition; new executions take the new one', async () => {
    const machineArn = 'arn:aws:states:eu-west-2:000000000000:stateMachine:Updated';
    const asked = new Map<string, string>();
    const ask = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: 'arn:aws:lambda:eu-west-2:000000000000:function:Ask',
        Payload: { 'token.$': '$$.Task.Token', 'name.$': '$$.Execution.Name' },
      },
      ResultPath: '$.answer',
    };
    const before = { StartAt: 'Ask', States: { Ask: { ...ask, Next: 'Done' }, Done: { Type: 'Succeed' } } } as unknown as StateMachineDefinition;
    const after = {
      StartAt: 'Ask',
      States: { Ask: { ...ask, Next: 'Added' }, Added: { Type: 'Pass', Next: 'Done' }, Done: { Type: 'Succeed' } },
    } as unknown as StateMachineDefinition;
    const own = new LocalStepFunctions({
      definition: before,
      stateMachineArn: machineArn,
      resources: () => async (parameters) => {
        const { token, name } = parameters.Payload as { token: string; name: string };
        asked.set(name, token);
        return { Payload: null };
      },
    });
    const server = await startStepFunctionsServer(own);
    const client = new SFNClient({ endpoint: server.url, region: 'eu-west-2', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    try {
      const startOn = async (name: string) => {
        const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: machineArn, name, input: '{}' }));
        await waitUntil(async () => asked.get(name), `${name} to wait`);
        return executionArn as string;
      };
      const firstRevision = (await client.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn }))).revisionId;
      const old = await startOn('old');
      const failing = await startOn('old-failing');

      const newRevision = own.updateDefinition(after);
      expect(newRevision).not.toBe(firstRevision);
      const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn }));
      expect({ revisionId: described.revisionId, definition: JSON.parse(described.definition as string) }).toEqual({
        revisionId: newRevision,
        definition: after,
      });
      const created = await startOn('new');
      const forExecution = async (executionArn: string) => {
        const d = await client.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
        return { revisionId: d.revisionId, definition: JSON.parse(d.definition as string) };
      };
      expect(await forExecution(old)).toEqual({ revisionId: firstRevision, definition: before });
      expect(await forExecution(created)).toEqual({ revisionId: newRevision, definition: after });

      // A failure, then a redrive after the update: the redriven execution is still on its first definition.
      await client.send(new SendTaskFailureCommand({ taskToken: asked.get('old-failing') as string, error: 'Broken' }));
      await waitUntil(
        async () => ((await client.send(new DescribeExecutionCommand({ executionArn: failing }))).status === 'FAILED' ? true : undefined),
        'the failure',
      );
      asked.delete('old-failing');
      await client.send(new RedriveExecutionCommand({ executionArn: failing }));
      await waitUntil(async () => asked.get('old-failing'), 'the redriven task');

      for (const name of ['old', 'old-failing', 'new']) await client.send(new SendTaskSuccessCommand({ taskToken: asked.get(name) as string, output: '{}' }));
      const entered = async (executionArn: string) => {
        await waitUntil(
          async () => ((await client.send(new DescribeExecutionCommand({ executionArn }))).status === 'SUCCEEDED' ? true : undefined),
          executionArn,
        );
        const events = (await client.send(new GetExecutionHistoryCommand({ executionArn }))).events ?? [];
        return events.filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails?.name);
      };
      expect(await entered(old)).toEqual(['Ask', 'Done']);
      expect(await entered(failing)).toEqual(['Ask', 'Ask', 'Done']);
      expect(await entered(created)).toEqual(['Ask', 'Added', 'Done']);
      expect(await forExecution(failing)).toEqual({ revisionId: firstRevision, definition: before });
    } finally {
      own.stopAll();
      server.server.close();
    }
  });
});
