import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStepFunctions } from '../../infra/local/local-step-functions';
import { startStepFunctionsServer } from '../../infra/local/step-functions-server';
import { waitUntil } from '../support/sandbox';

/**
 * The local Step Functions service, through the real SDK client over HTTP, on a small
 * definition that waits for a callback the way RequestSscDecision does.
 */
const definition = {
  StartAt: 'WaitForPerson',
  States: {
    WaitForPerson: {
      Type: 'Task',
      Resource: 'arn:aws:states:::test:ask.waitForTaskToken',
      Parameters: { 'token.$': '$$.Task.Token', 'enteredAt.$': '$$.State.EnteredTime', 'who.$': '$.who' },
      TimeoutSecondsPath: '$.wait.seconds',
      ResultPath: '$.answer',
      Catch: [
        { ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'TimedOut' },
        { ErrorEquals: ['PersonDeclined'], ResultPath: '$.declined', Next: 'Declined' },
      ],
      Next: 'Answered',
    },
    Answered: { Type: 'Succeed' },
    TimedOut: { Type: 'Succeed' },
    Declined: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

const asked: Array<{ token: string; enteredAt: string; who: string }> = [];
let runtime: LocalStepFunctions;
let close: () => void;
let sfn: SFNClient;
const arn = 'arn:aws:states:eu-west-2:000000000000:stateMachine:Test';

beforeAll(async () => {
  runtime = new LocalStepFunctions({
    definition,
    stateMachineArn: arn,
    resources: () => async (parameters) => {
      asked.push(parameters as (typeof asked)[number]);
      // A slow invocation: the callback can arrive before it returns.
      if (String(parameters.who).startsWith('slow')) await new Promise((resolve) => setTimeout(resolve, 300));
      return {};
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

let n = 0;
const start = async (seconds: number, slow = false) => {
  const name = `${slow ? 'slow' : 'case'}-${++n}`;
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify({ who: name, wait: { seconds } }) }));
  const ask = await waitUntil(async () => asked.find((a) => a.who === name), `${name} to ask`);
  return { executionArn: executionArn as string, ask };
};
const finished = (executionArn: string) =>
  waitUntil(async () => {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return d.status === 'RUNNING' ? undefined : d;
  }, 'the execution to finish');

describe('local Step Functions endpoint', () => {
  it('issues a fresh task token per entry, and resumes on SendTaskSuccess with the output', async () => {
    const a = await start(3600);
    const b = await start(3600);
    expect(a.ask.token).not.toBe(b.ask.token);
    expect(a.ask.token.length).toBeGreaterThan(100);
    expect(Date.now() - Date.parse(a.ask.enteredAt)).toBeLessThan(5000);
    await sfn.send(new SendTaskSuccessCommand({ taskToken: a.ask.token, output: '{"decision":"yes"}' }));
    const done = await finished(a.executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string).answer).toEqual({ decision: 'yes' });
    // The token is spent.
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: a.ask.token, output: '{}' }))).rejects.toBeInstanceOf(TaskDoesNotExist);
    await sfn.send(new StopExecutionCommand({ executionArn: b.executionArn }));
  });

  it('records nothing after ExecutionAborted: an invocation still running when the execution is stopped adds no event', async () => {
    const { executionArn } = await start(3600, true);
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Operator', cause: 'mid-invocation' }));
    // The slow invocation returns 300 ms after it began.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const history = runtime.describeExecution(executionArn).history;
    expect(history.at(-1)).toMatchObject({ type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'Operator', cause: 'mid-invocation' } });
    expect(history.filter((e) => e.type === 'TaskSubmitted')).toEqual([]);
  });

  it('reads TimeoutSecondsPath from the state input and times out into Catch; a late callback gets TaskTimedOut', async () => {
    const { executionArn, ask } = await start(1);
    const done = await finished(executionArn);
    expect(JSON.parse(done.output as string).timeout).toMatchObject({ Error: 'States.Timeout' });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: ask.token, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
  });

  it('waits beyond 24.8 days without the timer overflowing', async () => {
    // 40 days in ms is beyond setTimeout's 2^31 - 1: a naive timer would fire at once.
    const { executionArn, ask } = await start(40 * 86_400);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: ask.token }));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: ask.token, output: '{}' }));
    expect((await finished(executionArn)).status).toBe('SUCCEEDED');
  });

  it('routes SendTaskFailure into the matching Catch', async () => {
    const { executionArn, ask } = await start(3600);
    await sfn.send(new SendTaskFailureCommand({ taskToken: ask.token, error: 'PersonDeclined', cause: 'no' }));
    const done = await finished(executionArn);
    expect(JSON.parse(done.output as string).declined).toEqual({ Error: 'PersonDeclined', Cause: 'no' });
  });

  it('takes a SendTaskFailure that arrives while the invocation is still running, without an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const { executionArn, ask } = await start(3600, true);
      await sfn.send(new SendTaskFailureCommand({ taskToken: ask.token, error: 'PersonDeclined', cause: 'early' }));
      const done = await finished(executionArn);
      expect(JSON.parse(done.output as string).declined).toEqual({ Error: 'PersonDeclined', Cause: 'early' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('stops an execution, lists by status, and refuses a second execution of the same name', async () => {
    const { executionArn, ask } = await start(3600);
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Withdrawn', cause: 'test' }));
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('ABORTED');
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: ask.token, output: '{}' }))).rejects.toBeInstanceOf(TaskDoesNotExist);
    const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'ABORTED' }));
    expect(executions?.map((e) => e.executionArn)).toContain(executionArn);
    expect(executions?.every((e) => e.status === 'ABORTED')).toBe(true);
    const name = executionArn.split(':').pop();
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name, input: '{"who":"again","wait":{"seconds":1}}' }))).rejects.toBeInstanceOf(
      ExecutionAlreadyExists,
    );
  });
});
