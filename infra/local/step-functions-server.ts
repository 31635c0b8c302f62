import { AwsServiceError, type Operations, startAwsJsonServer } from './aws-json-server';
import { type ExecutionStatus, type LocalExecution, type LocalStepFunctions, StepFunctionsError } from './local-step-functions';

/** The Step Functions API subset the product uses, over HTTP, in front of the local runtime. */
const epoch = (date: Date | undefined) => (date ? date.getTime() / 1000 : undefined);

const summary = (e: LocalExecution) => ({
  executionArn: e.executionArn,
  stateMachineArn: e.stateMachineArn,
  name: e.name,
  status: e.status,
  startDate: epoch(e.startDate),
  stopDate: epoch(e.stopDate),
});

const guard =
  <T>(fn: (input: Record<string, unknown>) => T) =>
  (input: Record<string, unknown>): T => {
    try {
      return fn(input);
    } catch (error) {
      if (error instanceof StepFunctionsError) throw new AwsServiceError(error.code, error.message);
      throw error;
    }
  };

export const startStepFunctionsServer = (runtime: LocalStepFunctions, port = 0) => {
  const str = (value: unknown) => (typeof value === 'string' ? value : '');
  const machine = (input: Record<string, unknown>) => {
    if (input.stateMachineArn !== undefined && input.stateMachineArn !== runtime.stateMachineArn) {
      throw new AwsServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(input.stateMachineArn)}'`);
    }
  };
  const operations: Operations = {
    StartExecution: guard((input) => {
      machine(input);
      const e = runtime.startExecution(str(input.name), str(input.input) || '{}');
      return { executionArn: e.executionArn, startDate: epoch(e.startDate) };
    }),
    DescribeExecution: guard((input) => {
      const e = runtime.describeExecution(str(input.executionArn));
      return { ...summary(e), input: e.input, output: e.output, error: e.error, cause: e.cause, redriveCount: e.redriveCount };
    }),
    ListExecutions: guard((input) => {
      machine(input);
      const executions = runtime.listExecutions(input.statusFilter as ExecutionStatus | undefined);
      return { executions: executions.slice(0, Number(input.maxResults) || 1000).map(summary) };
    }),
    GetExecutionHistory: guard((input) => {
      const events = [...runtime.describeExecution(str(input.executionArn)).history];
      if (input.reverseOrder) events.reverse();
      return { events: events.slice(0, Number(input.maxResults) || 1000).map((ev) => ({ ...ev, timestamp: epoch(ev.timestamp) })) };
    }),
    RedriveExecution: guard((input) => ({ redriveDate: epoch(runtime.redriveExecution(str(input.executionArn))) })),
    StopExecution: guard((input) => ({
      stopDate: epoch(runtime.stopExecution(str(input.executionArn), str(input.error), str(input.cause))),
    })),
    SendTaskSuccess: guard((input) => runtime.sendTaskSuccess(str(input.taskToken), str(input.output))),
    SendTaskFailure: guard((input) => runtime.sendTaskFailure(str(input.taskToken), str(input.error), str(input.cause))),
    SendTaskHeartbeat: guard((input) => runtime.sendTaskHeartbeat(str(input.taskToken))),
  };
  return startAwsJsonServer('1.0', 'AWSStepFunctions', operations, port);
};
