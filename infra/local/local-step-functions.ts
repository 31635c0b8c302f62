import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
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
 * - Task attempts: the runtime runs each Task state's attempts itself — its Retry (backoff,
 *   jitter, MaxDelaySeconds as written) and its timeout per attempt — so that the history shows
 *   them as AWS does (TaskScheduled, TaskStarted, TaskSubmitted for a callback, then
 *   TaskSucceeded, TaskFailed or TaskTimedOut; a retry is a new TaskScheduled); the interpreter
 *   keeps the states' flow, Catch included. The interpreter would read TimeoutSecondsPath after
 *   Parameters (AWS reads it from the state input), uses a single setTimeout (which overflows
 *   beyond 24.8 days) and defaults to 60 s where AWS has none: the runtime's timers do not.
 * - Time: with `timeScale` each execution's clock starts at its real start time and runs that
 *   many times faster. `$$.State.EnteredTime` reads it (the Lambdas compute deadlines from it),
 *   and task timeouts, Wait states and retry intervals take 1/timeScale of their real time: at
 *   86 400, a day passes in a second. Wait states therefore run as timed steps of this runtime
 *   (the interpreter's own sleep cannot be scaled); the history still shows them as Wait states.
 * - RedriveExecution, which the interpreter does not have: see redriveExecution.
 * - Definitions per execution: an update (a deploy) gives new executions the new definition,
 *   while each execution runs to its end, and is redriven, on the definition it started with,
 *   as a Standard execution does in AWS (see updateDefinition).
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
  /** Told of each event an execution's history records (what the sandbox's terminal tells a person). */
  onHistoryEvent?: (execution: LocalExecution, event: HistoryEvent) => void;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** One event of an execution's history, in the shape of GetExecutionHistory's events. */
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
  redriveDate?: Date;
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

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

/** How far the history has got: each Task visit's events wait for its TaskStateEntered. */
interface Track {
  entered: Map<string, number>;
  visits: Map<string, number>;
  waiters: Array<{ state: string; visit: number; resolve: () => void }>;
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
const CLOSING_EVENTS = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut']);
const INTERPRETER_TIMEOUT_CEILING = Math.floor(MAX_TIMER_MS / 1000);
const LOCAL_TIMEOUT_FIELD = '__localTimeoutSeconds';
const LOCAL_WAIT_RESOURCE = 'local:wait';

/** A setTimeout that also works beyond 24.8 days. */
export const longTimeout = (ms: number, fn: () => void): (() => void) => {
  let handle: NodeJS.Timeout;
  const schedule = (remaining: number) => {
    handle = setTimeout(() => (remaining > MAX_TIMER_MS ? schedule(remaining - MAX_TIMER_MS) : fn()), Math.min(remaining, MAX_TIMER_MS));
    handle.unref();
  };
  schedule(ms);
  return () => clearTimeout(handle);
};

type StateDefinition = Record<string, unknown> & { Type: string };
type States = Record<string, StateDefinition>;

/** Every state, nested Parallel branches and Map processors included. */
const eachState = (definition: { States: unknown }, visit: (name: string, state: StateDefinition, states: States) => void): void => {
  const walk = (states: States) => {
    for (const [name, state] of Object.entries(states)) {
      visit(name, state, states);
      if (state.Type === 'Parallel') for (const branch of state.Branches as Array<{ States: States }>) walk(branch.States);
      if (state.Type === 'Map') walk(((state.ItemProcessor ?? state.Iterator) as { States: States }).States);
    }
  };
  walk(definition.States as States);
};

/**
 * The definition the interpreter runs: the same states, with task timeouts and retries moved
 * from the interpreter to this runtime (see above), and Wait states as timed steps of it.
 */
const prepareDefinition = (definition: StateMachineDefinition, timeScale: number) => {
  const clone = structuredClone(definition) as unknown as { States: States };
  const retriers = new Map<string, Retrier[]>();
  eachState(clone, (name, state, states) => {
    if (state.Type === 'Wait') {
      const { Seconds, SecondsPath, Timestamp, TimestampPath, Type: _type, Comment: _comment, ...flow } = state;
      states[name] = {
        ...flow,
        Type: 'Task',
        Resource: LOCAL_WAIT_RESOURCE,
        Parameters: SecondsPath
          ? { 'seconds.$': SecondsPath }
          : TimestampPath
            ? { 'timestamp.$': TimestampPath }
            : Seconds !== undefined
              ? { seconds: Seconds }
              : { timestamp: Timestamp },
        ResultPath: null,
        TimeoutSeconds: INTERPRETER_TIMEOUT_CEILING,
      } as StateDefinition;
      return;
    }
    if (state.Type !== 'Task') return;
    retriers.set(
      name,
      ((state.Retry as Retrier[] | undefined) ?? []).map((r) => ({
        ...r,
        IntervalSeconds: Number(r.IntervalSeconds ?? 1) / timeScale,
        ...(r.MaxDelaySeconds !== undefined ? { MaxDelaySeconds: Number(r.MaxDelaySeconds) / timeScale } : {}),
      })),
    );
    delete state.Retry;
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
  });
  return { definition: clone as unknown as StateMachineDefinition, retriers };
};

/** `arn:aws:states:::lambda:invoke.waitForTaskToken` → resource type `lambda`, resource `invoke.waitForTaskToken`, as history events name them. */
const resourceOf = (arn: string): { resourceType: string; resource: string } => {
  const [, resourceType = 'unknown', resource = arn] = /^arn:aws:states:::([^:]+):(.+)$/.exec(arn) ?? [];
  return { resourceType, resource };
};

/**
 * One revision of the state machine, as CreateStateMachine or UpdateStateMachine leaves it: the
 * definition as deployed, and what this runtime runs of it.
 */
interface Revision {
  revisionId: string;
  updateDate: Date;
  deployed: StateMachineDefinition;
  prepared: StateMachineDefinition;
  retriers: Map<string, Retrier[]>;
  stateTypes: Map<string, string>;
  machine: StateMachine;
}

const newRevision = (definition: StateMachineDefinition, timeScale: number, updateDate: Date): Revision => {
  const stateTypes = new Map<string, string>();
  eachState(definition as unknown as { States: unknown }, (name, state) => stateTypes.set(name, state.Type));
  const { definition: prepared, retriers } = prepareDefinition(definition, timeScale);
  const machine = new StateMachine(prepared, { validationOptions: { checkArn: false } });
  return { revisionId: randomUUID(), updateDate, deployed: definition, prepared, retriers, stateTypes, machine };
};

/** Whether a Retry or Catch ErrorEquals name matches an error, by the ASL rules. */
const matchesError = (name: string, error: string): boolean =>
  name === error || name === 'States.ALL' || (name === 'States.TaskFailed' && error !== 'States.Timeout');

export class LocalStepFunctions {
  readonly stateMachineArn: string;
  /** When the state machine was "created": the runtime's start. */
  readonly creationDate = new Date();
  /** The revision new executions start on. */
  private revision: Revision;
  /** The revision each execution started on, which it keeps to its end. */
  private readonly revisions = new Map<string, Revision>();
  private readonly executions = new Map<string, LocalExecution>();
  private readonly tracks = new Map<string, Track>();
  private readonly tasks = new Map<string, PendingTask>();
  private readonly lastIssuedToken = new Map<string, string>();
  private readonly timeScale: number;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    this.stateMachineArn = options.stateMachineArn;
    this.timeScale = options.timeScale ?? 1;
    this.revision = newRevision(options.definition, this.timeScale, this.creationDate);
  }

  /** The definition as deployed (substituted, before this runtime's preparation), as DescribeStateMachine shows it. */
  get deployedDefinition(): StateMachineDefinition {
    return this.revision.deployed;
  }

  /** The current revision's id, as DescribeStateMachine gives it. */
  get revisionId(): string {
    return this.revision.revisionId;
  }

  /**
   * UpdateStateMachine, as a deploy makes it: executions started from now on run the new
   * definition; those already running keep theirs to their end (and a redrive keeps it too),
   * as Standard executions do in AWS. Returns the new revision's id.
   */
  updateDefinition(definition: StateMachineDefinition): string {
    this.revision = newRevision(definition, this.timeScale, new Date());
    return this.revision.revisionId;
  }

  /** The definition an execution runs, as DescribeStateMachineForExecution shows it. */
  definitionFor(executionArn: string): { definition: StateMachineDefinition; revisionId: string; updateDate: Date } {
    this.describeExecution(executionArn);
    const revision = this.revisionOf(executionArn);
    return { definition: revision.deployed, revisionId: revision.revisionId, updateDate: revision.updateDate };
  }

  private revisionOf(executionArn: string): Revision {
    return this.revisions.get(executionArn) as Revision;
  }

  /** StartExecution. Same name and same input as a running execution: the same execution (as AWS). */
  startExecution(name: string, input: string): LocalExecution {
    const executionArn = `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) return existing;
      throw new StepFunctionsError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    let parsedInput: unknown;
    try {
      parsedInput = JSON.parse(input);
    } catch {
      throw new StepFunctionsError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input is not valid JSON');
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
    this.revisions.set(executionArn, this.revision);
    this.launch(execution, this.revision.machine, parsedInput);
    return execution;
  }

  /**
   * RedriveExecution: a FAILED, TIMED_OUT or ABORTED execution carries on from the state that did
   * not complete, with that state's original input; the states before it are not run again.
   */
  redriveExecution(executionArn: string): Date {
    const execution = this.describeExecution(executionArn);
    if (execution.status === 'RUNNING' || execution.status === 'SUCCEEDED') {
      throw new StepFunctionsError('ExecutionNotRedrivable', `Execution is ${execution.status} and cannot be redriven: '${executionArn}'`);
    }
    // The state it stopped in is the last it entered: a failure ends the execution at once.
    const entered = [...execution.history].reverse().find((event) => event.type.endsWith('StateEntered'));
    const details = entered?.stateEnteredEventDetails as { name: string; input: string } | undefined;
    if (!details) throw new StepFunctionsError('ExecutionNotRedrivable', `Execution never entered a state: '${executionArn}'`);
    // The definition it started with (a redrive never takes a later one), validated in full when it
    // was deployed, starting where it stopped. The validator would refuse it (the states before
    // the new StartAt are unreachable), so it is not run again: nothing but StartAt differs.
    const definition = { ...this.revisionOf(executionArn).prepared, StartAt: details.name } as StateMachineDefinition;
    const machine = new StateMachine(definition, { validationOptions: { noValidate: true } });
    const redriveDate = new Date();
    execution.status = 'RUNNING';
    execution.redriveCount++;
    execution.redriveDate = redriveDate;
    delete execution.stopDate;
    delete execution.error;
    delete execution.cause;
    this.record(execution, 'ExecutionRedriven', { executionRedrivenEventDetails: { redriveCount: execution.redriveCount } }, redriveDate);
    this.launch(execution, machine, JSON.parse(details.input));
    // EventBridge hears of a redrive as a status change to RUNNING with its redriveCount.
    this.options.onStatusChange?.(execution);
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
    const handlers: Record<string, (parameters: unknown) => Promise<unknown>> = {};
    eachState(this.revisionOf(executionArn).prepared as unknown as { States: unknown }, (stateName, state) => {
      if (state.Type === 'Task')
        handlers[stateName] = (parameters) => this.runTask(execution, stateName, state.Resource as string, parameters as Record<string, unknown>);
    });
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
        // A Task visit still waiting for its entry to be recorded will never run.
        for (const waiter of this.trackOf(execution).waiters.splice(0)) waiter.resolve();
      })
      .then(() => recording)
      .then(() => this.options.onStatusChange?.(execution));
  }

  /** An execution's clock: real time at its start, sped up by the time scale since. */
  now(executionArn: string): Date {
    const started = this.describeExecution(executionArn).startDate.getTime();
    return new Date(started + (Date.now() - started) * this.timeScale);
  }

  private readonly closed = new WeakSet<LocalExecution>();

  private issueToken(executionArn: string): string {
    const token = randomBytes(96).toString('base64url');
    this.lastIssuedToken.set(executionArn, token);
    return token;
  }

  private trackOf(execution: LocalExecution): Track {
    let track = this.tracks.get(execution.executionArn);
    if (!track) {
      track = { entered: new Map(), visits: new Map(), waiters: [] };
      this.tracks.set(execution.executionArn, track);
    }
    return track;
  }

  /**
   * Appends an event. Nothing follows an execution's closing event until it is redriven, as in
   * AWS: an attempt that was in flight when the execution was stopped records nothing more.
   */
  private record(execution: LocalExecution, type: string, details: Record<string, unknown>, at = new Date()): void {
    if (type === 'ExecutionRedriven') this.closed.delete(execution);
    if (this.closed.has(execution)) return;
    if (CLOSING_EVENTS.has(type)) this.closed.add(execution);
    const id = execution.history.length + 1;
    const event: HistoryEvent = { id, previousEventId: id - 1, timestamp: at, type, ...details };
    execution.history.push(event);
    this.options.onHistoryEvent?.(execution, event);
  }

  /**
   * A Task state's visit: its attempts, each recorded as AWS records it, retried as its Retry
   * says. The visit's events follow its TaskStateEntered, which the interpreter's event log
   * brings a moment after the interpreter has already called the task.
   */
  private async runTask(execution: LocalExecution, stateName: string, resource: string, raw: Record<string, unknown>): Promise<unknown> {
    const { [LOCAL_TIMEOUT_FIELD]: timeoutSeconds, ...parameters } = raw;
    if (resource === LOCAL_WAIT_RESOURCE) return this.waitState(execution.executionArn, parameters);
    const track = this.trackOf(execution);
    const visit = (track.visits.get(stateName) ?? 0) + 1;
    track.visits.set(stateName, visit);
    if ((track.entered.get(stateName) ?? 0) < visit) await new Promise<void>((resolve) => track.waiters.push({ state: stateName, visit, resolve }));

    const named = resourceOf(resource);
    const retriers = this.revisionOf(execution.executionArn).retriers.get(stateName) ?? [];
    const attempts = retriers.map(() => 0);
    for (;;) {
      this.record(execution, 'TaskScheduled', {
        taskScheduledEventDetails: {
          ...named,
          region: this.stateMachineArn.split(':')[3],
          parameters: JSON.stringify(parameters),
          ...(typeof timeoutSeconds === 'number' ? { timeoutInSeconds: timeoutSeconds } : {}),
        },
      });
      this.record(execution, 'TaskStarted', { taskStartedEventDetails: named });
      try {
        const output = await this.attempt(execution, stateName, resource, parameters, timeoutSeconds, (submitted) =>
          this.record(execution, 'TaskSubmitted', {
            taskSubmittedEventDetails: { ...named, output: JSON.stringify(submitted ?? null), outputDetails: { truncated: false } },
          }),
        );
        this.record(execution, 'TaskSucceeded', {
          taskSucceededEventDetails: { ...named, output: JSON.stringify(output ?? null), outputDetails: { truncated: false } },
        });
        return output;
      } catch (error) {
        const e = error as Error;
        if (execution.status !== 'RUNNING') throw error;
        const timedOut = e.name === 'States.Timeout';
        this.record(execution, timedOut ? 'TaskTimedOut' : 'TaskFailed', {
          [timedOut ? 'taskTimedOutEventDetails' : 'taskFailedEventDetails']: { ...named, error: e.name, cause: e.message },
        });
        const i = retriers.findIndex((r) => r.ErrorEquals.some((name) => matchesError(name, e.name)));
        const retrier = retriers[i];
        if (!retrier || (attempts[i] as number) >= (retrier.MaxAttempts ?? 3)) throw error;
        const delay = Math.min(
          (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** (attempts[i] as number),
          retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY,
        );
        attempts[i] = (attempts[i] as number) + 1;
        await sleep((retrier.JitterStrategy === 'FULL' ? Math.random() * delay : delay) * 1000);
      }
    }
  }

  /** One attempt of a task: its invocation, and for `.waitForTaskToken` the callback, bounded by its timeout. */
  private async attempt(
    execution: LocalExecution,
    stateName: string,
    resource: string,
    parameters: Record<string, unknown>,
    timeoutSeconds: unknown,
    onSubmitted: (invocationOutput: unknown) => void,
  ): Promise<unknown> {
    const { executionArn } = execution;
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
    // As in AWS: the task fails if the invocation fails; otherwise it is submitted and waits for the callback.
    const invocation = run(parameters, { executionArn, stateName, taskToken }).then((output) => {
      onSubmitted(output);
      return callback;
    });
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
        reject(Object.assign(new Error('The task did not call back in time'), { name: 'States.Timeout' }));
      });
      work.then(resolve, reject).finally(cancel);
    });
  }

  private task(token: string): PendingTask {
    const task = this.tasks.get(token);
    if (!task)
      throw new StepFunctionsError(
        token.length === 0 || token.length > 1024 ? 'InvalidToken' : 'TaskDoesNotExist',
        token.length === 0 || token.length > 1024 ? 'Invalid Token' : 'Task does not exist anymore',
      );
    if (task.state === 'timed-out') throw new StepFunctionsError('TaskTimedOut', 'Task Timed Out');
    if (task.state !== 'waiting') throw new StepFunctionsError('TaskDoesNotExist', 'Task does not exist anymore');
    return task;
  }

  /** The state machine that issued a task token, if this runtime did (what AWS authorises a task's callback on). */
  stateMachineOfTaskToken(token: string): string | undefined {
    return this.tasks.has(token) ? this.stateMachineArn : undefined;
  }

  sendTaskSuccess(token: string, output: string): void {
    const task = this.task(token);
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch {
      throw new StepFunctionsError('InvalidOutput', 'Invalid output: it is not valid JSON');
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
      this.record(
        execution,
        'ExecutionAborted',
        { executionAbortedEventDetails: { ...(error ? { error } : {}), ...(cause ? { cause } : {}) } },
        execution.stopDate,
      );
      execution.abort();
    }
    return execution.stopDate ?? new Date();
  }

  describeExecution(executionArn: string): LocalExecution {
    const execution = this.executions.get(executionArn);
    if (!execution) throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  }

  /** Newest first, as ListExecutions lists them. */
  listExecutions(statusFilter?: ExecutionStatus): LocalExecution[] {
    return [...this.executions.values()]
      .filter((e) => !statusFilter || e.status === statusFilter)
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  }

  /** Stops every running execution: for shutting the sandbox down. */
  stopAll(): void {
    for (const execution of this.executions.values()) if (execution.status === 'RUNNING') this.stopExecution(execution.executionArn);
  }

  /** The interpreter's event log, as the state-level events of GetExecutionHistory (the task-level ones come from runTask). */
  private async recordHistory(execution: LocalExecution, events: AsyncGenerator<Record<string, unknown>>): Promise<void> {
    const track = this.trackOf(execution);
    const { stateTypes } = this.revisionOf(execution.executionArn);
    for await (const event of events) {
      const at = new Date(event.timestamp as number);
      const reported = event.state as { name: string; input: unknown; output?: unknown } | undefined;
      const type = reported ? (stateTypes.get(reported.name) ?? 'Task') : '';
      switch (event.type) {
        case 'ExecutionStarted':
          // A redrive's run starts the interpreter again; the history has its ExecutionRedriven instead.
          if (execution.redriveCount === 0) {
            this.record(
              execution,
              'ExecutionStarted',
              {
                executionStartedEventDetails: {
                  input: JSON.stringify(event.input),
                  inputDetails: { truncated: false },
                  roleArn: roleArnOf(this.stateMachineArn),
                },
              },
              at,
            );
          }
          break;
        case 'ExecutionSucceeded':
          this.record(
            execution,
            'ExecutionSucceeded',
            { executionSucceededEventDetails: { output: JSON.stringify(event.output), outputDetails: { truncated: false } } },
            at,
          );
          break;
        case 'ExecutionFailed': {
          if (execution.status === 'ABORTED') break;
          const cause = typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause);
          this.record(execution, 'ExecutionFailed', { executionFailedEventDetails: { error: event.Error, cause } }, at);
          break;
        }
        case 'StateEntered':
          this.record(
            execution,
            `${type}StateEntered`,
            { stateEnteredEventDetails: { name: reported?.name, input: JSON.stringify(reported?.input), inputDetails: { truncated: false } } },
            at,
          );
          if (type === 'Task' && reported) {
            track.entered.set(reported.name, (track.entered.get(reported.name) ?? 0) + 1);
            const entered = track.entered.get(reported.name) as number;
            for (const waiter of track.waiters.filter((w) => w.state === reported.name && w.visit <= entered)) {
              track.waiters.splice(track.waiters.indexOf(waiter), 1);
              waiter.resolve();
            }
          }
          break;
        // A caught error is followed by the state's exit, as in AWS, which has no "caught" event.
        case 'StateExited':
          this.record(
            execution,
            `${type}StateExited`,
            { stateExitedEventDetails: { name: reported?.name, output: JSON.stringify(reported?.output ?? null), outputDetails: { truncated: false } } },
            at,
          );
          break;
        default:
          break;
      }
    }
  }
}

/** The role the state machine runs as, as ExecutionStarted and DescribeStateMachine name it. */
export const roleArnOf = (stateMachineArn: string): string => {
  const [, , , , account, , name] = stateMachineArn.split(':');
  return `arn:aws:iam::${account}:role/${name}-Role`;
};
