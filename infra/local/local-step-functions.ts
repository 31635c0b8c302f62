import { randomBytes } from 'node:crypto';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

/**
 * A local Step Functions service: runs the real ASL file with aws-local-stepfunctions (a
 * maintained ASL interpreter) and keeps what the Step Functions API needs around it —
 * executions by name, task tokens, history. AWS's own "Step Functions Local" is no longer
 * supported, and the interpreter is a library, not a service, hence this thin layer.
 *
 * What this layer adds, and why:
 * - The Context object: `$$.Task.Token` (one new token per task entry) and
 *   `$$.State.EnteredTime` are getters, because the interpreter has no Context of its own.
 * - Task timeouts: the interpreter reads TimeoutSecondsPath after Parameters (AWS reads it
 *   from the state input) and uses a single setTimeout (which overflows beyond 24.8 days),
 *   and defaults to 60 s where AWS has none. So the runtime evaluates the timeout from the
 *   state input itself, runs it on an overflow-safe timer, and lifts the interpreter's own.
 * - Time: with `timeScale` each execution's clock starts at its real start time and runs that
 *   many times faster. `$$.State.EnteredTime` reads it (the Lambdas compute deadlines from it),
 *   and task timeouts and Wait states take 1/timeScale of their real time: at 86 400, a day
 *   passes in a second. Wait states therefore run as timed steps of this runtime (the interpreter's own
 *   sleep cannot be scaled); the history still shows them as Wait states. Retry intervals and
 *   their MaxDelaySeconds shrink by the same factor (backoff and jitter as written).
 * - RedriveExecution, which the interpreter does not have: see redriveExecution.
 */

export type TaskResource = (parameters: Record<string, unknown>, context: TaskContext) => Promise<unknown>;

export interface TaskContext {
  executionArn: string;
  stateName: string;
  /** For `.waitForTaskToken` resources: the token `$$.Task.Token` issued on entry. */
  taskToken?: string;
}

export interface LocalStepFunctionsOptions {
  definition: StateMachineDefinition;
  stateMachineArn: string;
  /** Runs a Task state's Resource (after `.waitForTaskToken` is stripped) with its Parameters. */
  resources: (resource: string) => TaskResource;
  timeScale?: number;
  /** Told when an execution stops, as EventBridge's "Execution Status Change" events are. */
  onStatusChange?: (execution: LocalExecution) => void;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: Date;
  type: string;
  [details: string]: unknown;
}

export interface LocalExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  history: HistoryEvent[];
  redriveCount: number;
  /** Settles when the execution ends, whatever the outcome. */
  done: Promise<void>;
  abort: () => void;
}

interface PendingTask {
  executionArn: string;
  state: 'waiting' | 'succeeded' | 'failed' | 'timed-out';
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

export class StepFunctionsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

const MAX_TIMER_MS = 2_147_483_647;
const INTERPRETER_TIMEOUT_CEILING = Math.floor(MAX_TIMER_MS / 1000);
const LOCAL_TIMEOUT_FIELD = '__localTimeoutSeconds';
const LOCAL_WAIT_RESOURCE = 'local:wait';

/** A setTimeout that also works beyond 24.8 days. */
const longTimeout = (ms: number, fn: () => void): (() => void) => {
  let handle: NodeJS.Timeout;
  const schedule = (remaining: number) => {
    handle = setTimeout(() => (remaining > MAX_TIMER_MS ? schedule(remaining - MAX_TIMER_MS) : fn()), Math.min(remaining, MAX_TIMER_MS));
    handle.unref();
  };
  schedule(ms);
  return () => clearTimeout(handle);
};

type StateDefinition = Record<string, unknown> & { Type: string };

/**
 * The definition the interpreter runs: the same states, with task timeouts moved from the
 * interpreter to this runtime (see above). Nested Parallel branches and Map processors too.
 */
const prepareDefinition = (definition: StateMachineDefinition, timeScale: number): StateMachineDefinition => {
  const clone = structuredClone(definition) as unknown as { States: Record<string, StateDefinition> };
  const visit = (states: Record<string, StateDefinition>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Parallel') for (const branch of state.Branches as Array<{ States: Record<string, StateDefinition> }>) visit(branch.States);
      if (state.Type === 'Map') visit(((state.ItemProcessor ?? state.Iterator) as { States: Record<string, StateDefinition> }).States);
      if (state.Type === 'Wait') {
        const { Seconds, SecondsPath, Timestamp, TimestampPath, Type: _type, Comment: _comment, ...flow } = state;
        states[name] = {
          ...flow,
          Type: 'Task',
          Resource: LOCAL_WAIT_RESOURCE,
          Parameters: SecondsPath ? { 'seconds.$': SecondsPath } : TimestampPath ? { 'timestamp.$': TimestampPath } : { seconds: Seconds, timestamp: Timestamp },
          ResultPath: null,
          TimeoutSeconds: INTERPRETER_TIMEOUT_CEILING,
        } as StateDefinition;
        continue;
      }
      if (state.Type !== 'Task') continue;
      if (Array.isArray(state.Retry)) {
        state.Retry = (state.Retry as Array<Record<string, unknown>>).map((retrier) => ({
          ...retrier,
          IntervalSeconds: Number(retrier.IntervalSeconds ?? 1) / timeScale,
          ...(retrier.MaxDelaySeconds !== undefined ? { MaxDelaySeconds: Number(retrier.MaxDelaySeconds) / timeScale } : {}),
        }));
      }
      const path = state.TimeoutSecondsPath as string | undefined;
      const seconds = state.TimeoutSeconds as number | undefined;
      if (path !== undefined || seconds !== undefined) {
        if (typeof state.Parameters !== 'object' || state.Parameters === null) {
          throw new Error(`local runtime: Task state ${name} has a timeout but no Parameters`);
        }
        (state.Parameters as Record<string, unknown>)[path ? `${LOCAL_TIMEOUT_FIELD}.$` : LOCAL_TIMEOUT_FIELD] = path ?? seconds;
      }
      delete state.TimeoutSecondsPath;
      state.TimeoutSeconds = INTERPRETER_TIMEOUT_CEILING;
    }
  };
  visit(clone.States);
  return clone as unknown as StateMachineDefinition;
};

/** Every Wait state's name, so the history can still call them Wait states. */
const waitStatesOf = (definition: StateMachineDefinition): Set<string> => {
  const names = new Set<string>();
  const visit = (states: Record<string, StateDefinition>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Wait') names.add(name);
      if (state.Type === 'Parallel') for (const branch of state.Branches as Array<{ States: Record<string, StateDefinition> }>) visit(branch.States);
      if (state.Type === 'Map') visit(((state.ItemProcessor ?? state.Iterator) as { States: Record<string, StateDefinition> }).States);
    }
  };
  visit(definition.States as unknown as Record<string, StateDefinition>);
  return names;
};

const tasksOf = (definition: StateMachineDefinition): Array<[string, StateDefinition]> => {
  const out: Array<[string, StateDefinition]> = [];
  const visit = (states: Record<string, StateDefinition>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Task') out.push([name, state]);
      if (state.Type === 'Parallel') for (const branch of state.Branches as Array<{ States: Record<string, StateDefinition> }>) visit(branch.States);
      if (state.Type === 'Map') visit(((state.ItemProcessor ?? state.Iterator) as { States: Record<string, StateDefinition> }).States);
    }
  };
  visit(definition.States as unknown as Record<string, StateDefinition>);
  return out;
};

const stateEventPrefix = (type: string) => `${type}State`;

export class LocalStepFunctions {
  readonly stateMachineArn: string;
  private readonly machine: StateMachine;
  private readonly definition: StateMachineDefinition;
  private readonly executions = new Map<string, LocalExecution>();
  private readonly tasks = new Map<string, PendingTask>();
  private readonly lastIssuedToken = new Map<string, string>();
  private readonly timeScale: number;
  private readonly waitStates: Set<string>;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    this.stateMachineArn = options.stateMachineArn;
    this.timeScale = options.timeScale ?? 1;
    this.waitStates = waitStatesOf(options.definition);
    this.definition = prepareDefinition(options.definition, this.timeScale);
    this.machine = new StateMachine(this.definition, { validationOptions: { checkArn: false } });
  }

  /** StartExecution. Same name and same input as a running execution: the same execution (as AWS). */
  startExecution(name: string, input: string): LocalExecution {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new StepFunctionsError('InvalidName', `invalid execution name: ${name}`);
    const executionArn = this.stateMachineArn.replace(':stateMachine:', ':execution:') + `:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return existing;
      throw new StepFunctionsError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    let parsedInput: unknown;
    try {
      parsedInput = JSON.parse(input);
    } catch {
      throw new StepFunctionsError('InvalidExecutionInput', 'execution input is not JSON');
    }

    // Registered before the interpreter starts: its first state already reads the execution's clock.
    const execution: LocalExecution = {
      executionArn,
      stateMachineArn: this.stateMachineArn,
      name,
      status: 'RUNNING',
      startDate: new Date(),
      input,
      history: [],
      redriveCount: 0,
      done: Promise.resolve(),
      abort: () => undefined,
    };
    this.executions.set(executionArn, execution);
    this.launch(execution, this.machine, parsedInput);
    return execution;
  }

  /**
   * RedriveExecution: a FAILED, TIMED_OUT or ABORTED execution carries on from the state that did
   * not complete, with that state's original input; the states before it are not run again.
   */
  redriveExecution(executionArn: string): Date {
    const execution = this.describeExecution(executionArn);
    if (execution.status === 'RUNNING' || execution.status === 'SUCCEEDED') {
      throw new StepFunctionsError('ExecutionNotRedrivable', `Execution is ${execution.status}: '${executionArn}'`);
    }
    // The state it stopped in is the last it entered: a failure ends the execution at once.
    const entered = [...execution.history].reverse().find((event) => event.type.endsWith('StateEntered'));
    const details = entered?.stateEnteredEventDetails as { name: string; input: string } | undefined;
    if (!details) throw new StepFunctionsError('ExecutionNotRedrivable', `Execution never entered a state: '${executionArn}'`);
    // The same definition, validated in full when this runtime was built, starting where it stopped.
    // The validator would refuse it (the states before the new StartAt are unreachable), so it is
    // not run again: nothing but StartAt differs.
    const definition = { ...this.definition, StartAt: details.name } as StateMachineDefinition;
    const machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
    const redriveDate = new Date();
    execution.status = 'RUNNING';
    execution.redriveCount++;
    delete execution.stopDate;
    delete execution.error;
    delete execution.cause;
    const id = execution.history.length + 1;
    execution.history.push({ id, previousEventId: id - 1, timestamp: redriveDate, type: 'ExecutionRedriven', executionRedrivenEventDetails: { redriveCount: execution.redriveCount } });
    this.launch(execution, machine, JSON.parse(details.input));
    return redriveDate;
  }

  private launch(execution: LocalExecution, machine: StateMachine, input: unknown): void {
    const { executionArn, name } = execution;
    const runtime = this;
    const context = {
      Execution: { Id: executionArn, Name: name },
      StateMachine: { Id: this.stateMachineArn },
      Task: {
        get Token(): string {
          return runtime.issueToken(executionArn);
        },
      },
      State: {
        get EnteredTime(): string {
          return runtime.now(executionArn).toISOString();
        },
      },
    };
    const handlers = Object.fromEntries(
      tasksOf(this.definition).map(([stateName, state]) => [
        stateName,
        (parameters: unknown) => this.runTask(executionArn, stateName, state.Resource as string, parameters as Record<string, unknown>),
      ]),
    );
    const run = machine.run(input as never, {
      context: context as never,
      overrides: { taskResourceLocalHandlers: handlers as never },
    });
    execution.abort = run.abort;
    const recording = this.recordHistory(execution, run.eventLogs as unknown as AsyncGenerator<Record<string, unknown>>);
    execution.done = run.result
      .then((output) => {
        execution.status = 'SUCCEEDED';
        execution.output = JSON.stringify(output);
      })
      .catch((error: Error & { cause?: unknown }) => {
        if (execution.status !== 'RUNNING') return;
        const root = (error.cause as Error | undefined) ?? error;
        execution.status = error.name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : 'FAILED';
        execution.error = root.name;
        execution.cause = root.message;
      })
      .finally(() => {
        execution.stopDate ??= new Date();
        this.lastIssuedToken.delete(executionArn);
        for (const task of this.tasks.values()) if (task.executionArn === executionArn && task.state === 'waiting') task.state = 'failed';
      })
      .then(() => recording)
      .then(() => this.options.onStatusChange?.(execution));
  }

  /** An execution's clock: real time at its start, sped up by the time scale since. */
  now(executionArn: string): Date {
    const started = this.describeExecution(executionArn).startDate.getTime();
    return new Date(started + (Date.now() - started) * this.timeScale);
  }

  private issueToken(executionArn: string): string {
    const token = randomBytes(96).toString('base64url');
    this.lastIssuedToken.set(executionArn, token);
    return token;
  }

  private async runTask(executionArn: string, stateName: string, resource: string, raw: Record<string, unknown>): Promise<unknown> {
    const { [LOCAL_TIMEOUT_FIELD]: timeoutSeconds, ...parameters } = raw;
    if (resource === LOCAL_WAIT_RESOURCE) return this.waitState(executionArn, parameters);
    const waitsForToken = resource.endsWith('.waitForTaskToken');
    const run = this.options.resources(resource.replace(/\.(waitForTaskToken|sync(:2)?)$/, ''));
    if (!waitsForToken) return this.withTimeout(run(parameters, { executionArn, stateName }), timeoutSeconds);

    const taskToken = this.lastIssuedToken.get(executionArn);
    if (!taskToken) throw new Error(`local runtime: ${stateName} waits for a task token but its Parameters never read $$.Task.Token`);
    let pending!: PendingTask;
    const callback = new Promise<unknown>((resolve, reject) => {
      pending = { executionArn, state: 'waiting', resolve, reject };
    });
    // The callback can come (SendTaskFailure on a withdrawal, say) while the invocation is still
    // running, before anything awaits it: that is not an unhandled rejection, it is read below.
    callback.catch(() => undefined);
    this.tasks.set(taskToken, pending);
    // As in AWS: the task fails if the invocation fails; otherwise it waits for the callback.
    const invocation = run(parameters, { executionArn, stateName, taskToken }).then(() => callback);
    try {
      return await this.withTimeout(invocation, timeoutSeconds, () => {
        if (pending.state === 'waiting') pending.state = 'timed-out';
      });
    } finally {
      if (pending.state === 'waiting') pending.state = 'failed';
    }
  }

  /** A Wait state: until its timestamp on the sandbox clock, or for its seconds, scaled. */
  private waitState(executionArn: string, parameters: Record<string, unknown>): Promise<unknown> {
    const { seconds, timestamp } = parameters as { seconds?: number; timestamp?: string };
    const virtualMs = timestamp !== undefined ? Date.parse(timestamp) - this.now(executionArn).getTime() : Number(seconds ?? 0) * 1000;
    if (Number.isNaN(virtualMs)) return Promise.reject(Object.assign(new Error('invalid Wait timestamp'), { name: 'States.Runtime' }));
    return new Promise((resolve) => longTimeout(Math.max(0, virtualMs) / this.timeScale, () => resolve({})));
  }

  private withTimeout(work: Promise<unknown>, timeoutSeconds: unknown, onTimeout?: () => void): Promise<unknown> {
    if (typeof timeoutSeconds !== 'number' || !Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) {
      if (timeoutSeconds === undefined) return work;
      return Promise.reject(Object.assign(new Error('TimeoutSecondsPath must select a positive integer'), { name: 'States.Runtime' }));
    }
    return new Promise((resolve, reject) => {
      const cancel = longTimeout((timeoutSeconds * 1000) / this.timeScale, () => {
        onTimeout?.();
        reject(Object.assign(new Error('States.Timeout'), { name: 'States.Timeout' }));
      });
      work.then(resolve, reject).finally(cancel);
    });
  }

  private task(token: string): PendingTask {
    if (!token || token.length > 1024) throw new StepFunctionsError('InvalidToken', 'Invalid Token');
    const task = this.tasks.get(token);
    if (!task) throw new StepFunctionsError('TaskDoesNotExist', 'Task does not exist anymore');
    if (task.state === 'timed-out') throw new StepFunctionsError('TaskTimedOut', 'Task Timed Out');
    if (task.state !== 'waiting') throw new StepFunctionsError('TaskDoesNotExist', 'Task does not exist anymore');
    return task;
  }

  sendTaskSuccess(token: string, output: string): void {
    const task = this.task(token);
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch {
      throw new StepFunctionsError('InvalidOutput', 'output is not JSON');
    }
    task.state = 'succeeded';
    task.resolve(parsed);
  }

  sendTaskFailure(token: string, error = '', cause = ''): void {
    const task = this.task(token);
    task.state = 'failed';
    task.reject(Object.assign(new Error(cause), { name: error || 'States.TaskFailed' }));
  }

  sendTaskHeartbeat(token: string): void {
    this.task(token);
  }

  stopExecution(executionArn: string, error?: string, cause?: string): Date {
    const execution = this.describeExecution(executionArn);
    if (execution.status === 'RUNNING') {
      execution.status = 'ABORTED';
      execution.stopDate = new Date();
      if (error) execution.error = error;
      if (cause) execution.cause = cause;
      execution.abort();
    }
    return execution.stopDate ?? new Date();
  }

  describeExecution(executionArn: string): LocalExecution {
    const execution = this.executions.get(executionArn);
    if (!execution) throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  }

  listExecutions(statusFilter?: ExecutionStatus): LocalExecution[] {
    return [...this.executions.values()]
      .filter((e) => !statusFilter || e.status === statusFilter)
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  }

  /** Stops every running execution: for shutting the sandbox down. */
  stopAll(): void {
    for (const execution of this.executions.values()) if (execution.status === 'RUNNING') this.stopExecution(execution.executionArn);
  }

  /** The interpreter's event log, in the shape of GetExecutionHistory's events. */
  private async recordHistory(execution: LocalExecution, events: AsyncGenerator<Record<string, unknown>>): Promise<void> {
    const add = (type: string, details: Record<string, unknown>, at: number) => {
      const id = execution.history.length + 1;
      execution.history.push({ id, previousEventId: id - 1, timestamp: new Date(at), type, ...details });
    };
    for await (const event of events) {
      const at = event.timestamp as number;
      const reported = event.state as { name: string; type: string; input: unknown; output?: unknown } | undefined;
      const state = reported && this.waitStates.has(reported.name) ? { ...reported, type: 'Wait' } : reported;
      const error = { error: event.Error, cause: typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause) };
      switch (event.type) {
        case 'ExecutionStarted':
          // A redrive's run starts the interpreter again; the history has its ExecutionRedriven instead.
          if (execution.redriveCount === 0) add('ExecutionStarted', { executionStartedEventDetails: { input: JSON.stringify(event.input) } }, at);
          break;
        case 'ExecutionSucceeded':
          add('ExecutionSucceeded', { executionSucceededEventDetails: { output: JSON.stringify(event.output) } }, at);
          break;
        case 'ExecutionFailed':
          add('ExecutionFailed', { executionFailedEventDetails: error }, at);
          break;
        case 'ExecutionAborted':
          add('ExecutionAborted', { executionAbortedEventDetails: {} }, at);
          break;
        case 'ExecutionTimeout':
          add('ExecutionTimedOut', { executionTimedOutEventDetails: {} }, at);
          break;
        case 'StateEntered':
          add(`${stateEventPrefix(state!.type)}Entered`, { stateEnteredEventDetails: { name: state!.name, input: JSON.stringify(state!.input) } }, at);
          break;
        case 'StateExited':
          add(`${stateEventPrefix(state!.type)}Exited`, { stateExitedEventDetails: { name: state!.name, output: JSON.stringify(state!.output) } }, at);
          break;
        case 'StateFailed':
          add(state!.type === 'Task' ? (event.Error === 'States.Timeout' ? 'TaskTimedOut' : 'TaskFailed') : 'ExecutionFailed', { taskFailedEventDetails: { resource: state!.name, ...error } }, at);
          break;
        case 'StateRetried':
          add('TaskStateRetried', { stateRetriedEventDetails: { name: state!.name, attempt: (event.retry as { attempt: number }).attempt } }, at);
          break;
        case 'StateCaught':
          add('TaskStateCaught', { stateCaughtEventDetails: { name: state!.name } }, at);
          break;
        default:
          break;
      }
    }
  }
}
