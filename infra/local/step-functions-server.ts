import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { AwsServiceError, type Operations, startAwsJsonServer } from './aws-json-server';
import { type ExecutionStatus, type HistoryEvent, type LocalExecution, type LocalStepFunctions, StepFunctionsError, roleArnOf } from './local-step-functions';

/**
 * The Step Functions API (JSON 1.0, `AWSStepFunctions.<Operation>`) in front of the local runtime:
 * every operation the product's code, the Step Functions console and the AWS CLI use, with AWS's
 * shapes, paging, error codes and limits, so a client cannot tell it from the service for them.
 * The conformance suite (test/integration/step-functions-conformance.test.ts) states, per
 * operation, what AWS does and checks it through the SDK's own client and paginators.
 */

const epoch = (date: Date | undefined) => (date ? date.getTime() / 1000 : undefined);

/** The documented limits of the API's string members (UTF-8 bytes for data, characters otherwise). */
const LIMITS = { name: 80, data: 262_144, error: 256, cause: 32_768, arn: 256, token: 1024 } as const;

const validation = (member: string, constraint: string) =>
  new AwsServiceError('ValidationException', `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must ${constraint}`);

const str = (input: Record<string, unknown>, member: string): string | undefined => {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new AwsServiceError('SerializationException', `${member} must be a string`);
  return value;
};
const required = (input: Record<string, unknown>, member: string): string => {
  const value = str(input, member);
  if (value === undefined) throw validation(member, 'not be null');
  return value;
};
const maxLength = (value: string | undefined, member: string, max: number, unit: 'characters' | 'bytes' = 'characters'): void => {
  if (value !== undefined && (unit === 'bytes' ? Buffer.byteLength(value, 'utf8') : [...value].length) > max)
    throw validation(member, `have length less than or equal to ${max}`);
};

/** `maxResults`: 0 to 1000, 0 meaning the default of 100. */
const pageSize = (input: Record<string, unknown>): number => {
  const value = input.maxResults;
  if (value === undefined || value === null || value === 0) return 100;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 1000) throw validation('maxResults', 'have value less than or equal to 1000');
  return value as number;
};

/**
 * An execution name: at most 80 characters, and none of white space, brackets, wildcards, the
 * listed special characters, control characters or surrogates (a dot is fine).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this pattern exists to find
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f\ufffe\uffff\ud800-\udfff]/;

const ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):(stateMachine|execution):([^:]+)(?::([^:]+))?$/;

/** A Step Functions ARN of the kind expected, or InvalidArn, as AWS answers a malformed or wrong-kind ARN. */
const arnOf = (value: string, kind: 'stateMachine' | 'execution', member: string): string => {
  maxLength(value, member, LIMITS.arn);
  const m = ARN.exec(value);
  if (!m || m[3] !== kind || (kind === 'execution') !== (m[5] !== undefined)) {
    throw new AwsServiceError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${m?.[3] ?? value}'`);
  }
  return value;
};

/**
 * Page tokens: opaque, signed, bound to the listing's arguments, and valid for 24 hours, as AWS's
 * are; any other token is InvalidToken.
 */
const pageTokens = () => {
  const key = randomBytes(32);
  const sign = (body: string) => createHmac('sha256', key).update(body).digest('base64url');
  return {
    issue: (scope: string, offset: number) => {
      const body = Buffer.from(JSON.stringify({ scope, offset, issued: Date.now() })).toString('base64url');
      return `${body}.${sign(body)}`;
    },
    offset: (token: string | undefined, scope: string): number => {
      if (token === undefined) return 0;
      const invalid = () => new AwsServiceError('InvalidToken', `Invalid Token: '${token.slice(0, 64)}'`);
      const [body = '', mac = ''] = token.split('.');
      const expected = Buffer.from(sign(body));
      if (Buffer.byteLength(mac) !== expected.length || !timingSafeEqual(Buffer.from(mac), expected)) throw invalid();
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as { scope: string; offset: number; issued: number };
      if (claims.scope !== scope || Date.now() - claims.issued > 24 * 3_600_000) throw invalid();
      return claims.offset;
    },
  };
};

const page = <T>(items: T[], input: Record<string, unknown>, scope: string, tokens: ReturnType<typeof pageTokens>) => {
  const size = pageSize(input);
  const offset = tokens.offset(str(input, 'nextToken'), scope);
  const slice = items.slice(offset, offset + size);
  return { slice, ...(offset + size < items.length ? { nextToken: tokens.issue(scope, offset + size) } : {}) };
};

const REDRIVE_WINDOW_MS = 14 * 86_400_000;

/** Whether, and why not, an execution can be redriven: AWS's redriveStatus and redriveStatusReason. */
const redrive = (e: LocalExecution) => {
  if (e.status === 'RUNNING' || e.status === 'SUCCEEDED')
    return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: `Execution is ${e.status} and cannot be redriven` };
  if (e.stopDate && Date.now() - e.stopDate.getTime() > REDRIVE_WINDOW_MS)
    return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution can be redriven only within 14 days of its stop' };
  return { redriveStatus: 'REDRIVABLE' };
};

const listItem = (e: LocalExecution) => ({
  executionArn: e.executionArn,
  stateMachineArn: e.stateMachineArn,
  name: e.name,
  status: e.status,
  startDate: epoch(e.startDate),
  ...(e.stopDate ? { stopDate: epoch(e.stopDate) } : {}),
  ...(e.redriveCount ? { redriveCount: e.redriveCount, redriveDate: epoch(e.redriveDate) } : {}),
});

/** History events as GetExecutionHistory returns them; without execution data, their input, output and parameters are left out. */
const EXECUTION_DATA = new Set(['input', 'output', 'parameters']);
const withoutData = (event: HistoryEvent): HistoryEvent =>
  Object.fromEntries(
    Object.entries(event).map(([k, v]) =>
      k.endsWith('EventDetails') && v && typeof v === 'object'
        ? [k, Object.fromEntries(Object.entries(v).filter(([field]) => !EXECUTION_DATA.has(field)))]
        : [k, v],
    ),
  ) as HistoryEvent;

export const startStepFunctionsServer = (runtime: LocalStepFunctions, port = 0) => {
  const tokens = pageTokens();
  const machineName = runtime.stateMachineArn.split(':').pop() as string;
  const execution = (input: Record<string, unknown>) => runtime.describeExecution(arnOf(required(input, 'executionArn'), 'execution', 'executionArn'));
  const machine = (input: Record<string, unknown>, member = 'stateMachineArn') => {
    const arn = arnOf(required(input, member), 'stateMachine', member);
    if (arn !== runtime.stateMachineArn) throw new AwsServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  };
  const machineDescription = (definition = runtime.deployedDefinition) => ({
    stateMachineArn: runtime.stateMachineArn,
    name: machineName,
    definition: JSON.stringify(definition),
    roleArn: roleArnOf(runtime.stateMachineArn),
    loggingConfiguration: { level: 'ALL', includeExecutionData: false },
    tracingConfiguration: { enabled: true },
  });
  const taskToken = (input: Record<string, unknown>) => {
    const token = required(input, 'taskToken');
    if (token.length === 0 || token.length > LIMITS.token) throw validation('taskToken', `have length less than or equal to ${LIMITS.token}`);
    return token;
  };
  const failure = (input: Record<string, unknown>) => {
    const error = str(input, 'error');
    const cause = str(input, 'cause');
    maxLength(error, 'error', LIMITS.error);
    maxLength(cause, 'cause', LIMITS.cause);
    return { error, cause };
  };

  const operations: Operations = {
    StartExecution: (input) => {
      machine(input);
      const name = str(input, 'name') ?? randomUUID();
      if (name.length === 0) throw validation('name', 'have length greater than or equal to 1');
      maxLength(name, 'name', LIMITS.name);
      if (INVALID_NAME.test(name)) throw new AwsServiceError('InvalidName', `Invalid Name: '${name}'`);
      const data = str(input, 'input') ?? '{}';
      maxLength(data, 'input', LIMITS.data, 'bytes');
      const e = runtime.startExecution(name, data);
      return { executionArn: e.executionArn, startDate: epoch(e.startDate) };
    },
    DescribeExecution: (input) => {
      const e = execution(input);
      const data = str(input, 'includedData') !== 'METADATA_ONLY';
      return {
        ...listItem(e),
        ...(data ? { input: e.input, inputDetails: { included: true } } : { inputDetails: { included: false } }),
        ...(e.output !== undefined ? (data ? { output: e.output, outputDetails: { included: true } } : { outputDetails: { included: false } }) : {}),
        ...(e.error ? { error: e.error } : {}),
        ...(e.cause ? { cause: e.cause } : {}),
        redriveCount: e.redriveCount,
        ...(e.redriveDate ? { redriveDate: epoch(e.redriveDate) } : {}),
        ...redrive(e),
      };
    },
    ListExecutions: (input) => {
      machine(input);
      const status = str(input, 'statusFilter') as ExecutionStatus | undefined;
      if (status && !['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'].includes(status))
        throw validation('statusFilter', 'satisfy enum value set');
      const redriveFilter = str(input, 'redriveFilter');
      const all = runtime.listExecutions(status).filter((e) => !redriveFilter || (redriveFilter === 'REDRIVEN') === e.redriveCount > 0);
      const { slice, nextToken } = page(all, input, `ListExecutions ${status ?? ''} ${redriveFilter ?? ''}`, tokens);
      return { executions: slice.map(listItem), ...(nextToken ? { nextToken } : {}) };
    },
    GetExecutionHistory: (input) => {
      const e = execution(input);
      const reverse = input.reverseOrder === true;
      const events = reverse ? [...e.history].reverse() : e.history;
      const { slice, nextToken } = page(events, input, `GetExecutionHistory ${e.executionArn} ${reverse}`, tokens);
      const data = input.includeExecutionData !== false;
      return { events: slice.map((ev) => ({ ...(data ? ev : withoutData(ev)), timestamp: epoch(ev.timestamp) })), ...(nextToken ? { nextToken } : {}) };
    },
    StopExecution: (input) => {
      const { error, cause } = failure(input);
      const e = execution(input);
      return { stopDate: epoch(runtime.stopExecution(e.executionArn, error, cause)) };
    },
    RedriveExecution: (input) => ({ redriveDate: epoch(runtime.redriveExecution(execution(input).executionArn)) }),
    SendTaskSuccess: (input) => {
      const output = required(input, 'output');
      maxLength(output, 'output', LIMITS.data, 'bytes');
      runtime.sendTaskSuccess(taskToken(input), output);
      return {};
    },
    SendTaskFailure: (input) => {
      const { error, cause } = failure(input);
      runtime.sendTaskFailure(taskToken(input), error, cause);
      return {};
    },
    SendTaskHeartbeat: (input) => {
      runtime.sendTaskHeartbeat(taskToken(input));
      return {};
    },
    ListStateMachines: (input) => {
      const { slice, nextToken } = page([runtime], input, 'ListStateMachines', tokens);
      return {
        stateMachines: slice.map((r) => ({ stateMachineArn: r.stateMachineArn, name: machineName, type: 'STANDARD', creationDate: epoch(r.creationDate) })),
        ...(nextToken ? { nextToken } : {}),
      };
    },
    DescribeStateMachine: (input) => {
      machine(input);
      return { ...machineDescription(), revisionId: runtime.revisionId, status: 'ACTIVE', type: 'STANDARD', creationDate: epoch(runtime.creationDate) };
    },
    // The definition the execution started with: a later update (a deploy) does not change it.
    DescribeStateMachineForExecution: (input) => {
      const { definition, revisionId, updateDate } = runtime.definitionFor(execution(input).executionArn);
      return { ...machineDescription(definition), revisionId, updateDate: epoch(updateDate) };
    },
    ListTagsForResource: (input) => {
      const arn = required(input, 'resourceArn');
      const m = ARN.exec(arn);
      if (!m) throw new AwsServiceError('InvalidArn', `Invalid Arn: '${arn}'`);
      if (m[3] !== 'stateMachine' || arn !== runtime.stateMachineArn) throw new AwsServiceError('ResourceNotFound', `Resource not found: '${arn}'`);
      return { tags: [] };
    },
  };
  const guarded = Object.fromEntries(
    Object.entries(operations).map(([name, op]) => [
      name,
      (input: Record<string, unknown>) => {
        try {
          return op(input);
        } catch (error) {
          if (error instanceof StepFunctionsError) throw new AwsServiceError(error.code, error.message);
          throw error;
        }
      },
    ]),
  );
  return startAwsJsonServer('1.0', 'AWSStepFunctions', guarded, port, 2 * LIMITS.data);
};
