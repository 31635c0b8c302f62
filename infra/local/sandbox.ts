import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Server } from 'node:http';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { type FunctionName, type ScheduledTaskName, specOf, triggeredBy } from '../../functions/catalogue';
import { ASYNC_RETRY_ATTEMPTS } from '../constructs/dead-letter-queue';
import { definitionSubstitutions, substitutedDefinition } from '../workflow-definition';
import { type AnsweredRequest, startApiServer } from './api-server';
import { createNotificationsTable, startDynamoDbLocal } from './dynamodb-local';
import { type FaultProxy, startFaultProxy } from './fault-proxy';
import { startConsole } from './console/console-server';
import { invoke, startConcurrentRuntime } from './lambda-context';
import { loadHandler } from './load-handler';
import { type LocalSchedule, LocalScheduler, type ScheduleTarget, startSchedulerServer } from './local-scheduler';
import { type LocalExecution, LocalStepFunctions } from './local-step-functions';
import { startSecretsServer } from './secrets-server';
import { type EventBridgeEvent, simulatorEvents } from './mailbox-simulator';
import { type SentEmail, startSesFront, startSesLocal } from './ses-local';
import { startStepFunctionsServer } from './step-functions-server';
import { retrying } from './retry';
import { scopeSettingsToFunctions } from './function-environment';
import type { SettingName } from '../../functions/adapters/config';
import { LambdaFaults, localTaskResources } from './task-resources';
import { type LocalClient, type TokenIssuer, createTokenIssuer, sandboxClients } from './token-issuer';

/**
 * The whole product on one machine: local DynamoDB, local SES with its web inbox, a local
 * Secrets Manager for the link keys, the real ASL file on a local Step Functions endpoint,
 * and the HTTP API — all wired to the same handler code through the SDK's standard endpoint
 * variables, exactly as Lambda's environment wires them in AWS.
 */
export interface SandboxOptions {
  ports?: Partial<Record<'api' | 'ses' | 'dynamodb' | 'stepFunctions' | 'secrets' | 'console' | 'scheduler', number>>;
  /** Reuse running local servers instead of starting them (the test suite shares one of each). */
  dynamodbUrl?: string;
  sesUrl?: string;
  tableName?: string;
  /** Task timeouts run this many times faster (see LocalStepFunctions). */
  timeScale?: number;
  /** Extra environment for the handlers (deadline settings, addresses). */
  environment?: Record<string, string>;
  /** Puts a switchable fault proxy in front of DynamoDB, SES and Step Functions (see fault-proxy.ts). */
  faultInjection?: boolean;
  /** Told of each notable event, as it happens: what `npm start` shows a person, a line each. */
  onEvent?: (event: SandboxEvent) => void;
}

/** What happens in the sandbox that a person following a case wants to see. */
export type SandboxEvent =
  /** The API answered a request (by a function, or API Gateway's own answer when `functionName` is absent). */
  | ({ kind: 'answer' } & AnsweredRequest)
  /** SES accepted an email. */
  | { kind: 'email'; to: string[]; subject: string }
  /** A case's workflow entered a Task state; `waits` when it waits there for a person. */
  | { kind: 'step'; reference: string; state: string; waits: boolean }
  /** A case's workflow ended, in the state it ended in (a fault: the error). */
  | { kind: 'ended'; reference: string; status: string; state?: string; error?: string };

export interface Sandbox {
  apiUrl: string;
  sesUrl: string;
  /** SECAS's console: every case, its workflow drawn, its histories (read-only, localhost only). */
  consoleUrl: string;
  /** Every email the sandbox's SES has sent, newest last. */
  sentEmails: readonly SentEmail[];
  dynamodbUrl: string;
  stepFunctionsUrl: string;
  stateMachineArn: string;
  tableName: string;
  stepFunctions: LocalStepFunctions;
  /** EventBridge Scheduler: the one-time schedules the workflow leaves behind (annual-review reminders), firing on their case's clock. */
  scheduler: LocalScheduler;
  schedulerUrl: string;
  /** The local user pool: its demo clients, and tokens on demand. */
  tokens: TokenIssuer;
  /** Ready-made credentials of the demo clients (tokens valid 12 hours). */
  credentials: Record<keyof typeof sandboxClients, SandboxCredential>;
  /** With `faultInjection`: the switches in front of each service the handlers call. */
  faults?: Record<'dynamodb' | 'ses' | 'stepFunctions', FaultProxy> & { lambda: LambdaFaults };
  /** The decision-link keyring secret as it stands, and a way to change it (key rotation). */
  linkKeyring: { get: () => Record<string, string>; set: (keyring: Record<string, string>) => void };
  /**
   * What each asynchronously invoked function could not do: the events Lambda gave up on after its
   * two retries (its on-failure destination in AWS), by function.
   */
  deadLetters: Partial<Record<FunctionName, DeadLetter[]>>;
  /** Runs a scheduled task now, as its schedule would, with the event time given. */
  runScheduledTask: (name: ScheduledTaskName, time?: Date) => Promise<unknown>;
  stop: () => Promise<void>;
}

export interface DeadLetter {
  event: unknown;
  /** The last attempt's error. */
  error: string;
  /** How many times the handler ran: once, and Lambda's two retries. */
  attempts: number;
}

export interface SandboxCredential extends LocalClient {
  /** The Authorization header value. */
  authorization: string;
}

const REGION = 'eu-west-2';
const ACCOUNT = '000000000000';
const ANNUAL_REVIEW_GROUP = 'SecondUserSystem-AnnualReviews';
const KEYRING_SECRET = 'second-user-system/decision-link-keyring';

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

/**
 * Starts everything, or nothing: if any part fails to start (a port in use, Java missing), what
 * had started is stopped again before the error is thrown.
 */
export const startSandbox = async (options: SandboxOptions = {}): Promise<Sandbox> => {
  const stops: Array<() => Promise<void> | void> = [];
  try {
    return await startParts(options, stops);
  } catch (error) {
    for (const stop of stops.reverse()) await stop();
    throw error;
  }
};

const startParts = async (options: SandboxOptions, stops: Array<() => Promise<void> | void>): Promise<Sandbox> => {
  const ports = options.ports ?? {};
  // The sandbox runs every function's invocations concurrently in one process, as Lambda Managed
  // Instances do; the runtime then scopes per-invocation state (see lambda-context.ts).
  await startConcurrentRuntime();
  const tableName = options.tableName ?? 'NotificationsTable';
  const stateMachineArn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:SscTriageWorkflow`;

  let dynamodbUrl = options.dynamodbUrl;
  if (!dynamodbUrl) {
    const dynamodb = await startDynamoDbLocal(ports.dynamodb);
    stops.push(dynamodb.stop);
    dynamodbUrl = dynamodb.url;
  }
  let inboxUrl = options.sesUrl;
  if (!inboxUrl) {
    const inbox = await startSesLocal();
    stops.push(() => close(inbox.server));
    inboxUrl = inbox.url;
  }
  // SES and its inbox are reached through the sandbox's own front (see ses-local.ts), which plays
  // SES's mailbox simulator once the rest of the sandbox is up.
  let onSent: ((email: SentEmail) => void) | undefined;
  const sesFront = await startSesFront({ port: ports.ses, inboxUrl, onSent: (email) => onSent?.(email) });
  stops.push(() => close(sesFront.server));
  const sesUrl = sesFront.url;
  const secretValues = { [KEYRING_SECRET]: JSON.stringify({ currentKeyId: 'local-1', 'local-1': randomBytes(32).toString('base64url') }) };
  const secrets = await startSecretsServer(secretValues, ports.secrets);
  stops.push(() => close(secrets.server));
  const tokens = await createTokenIssuer(sandboxClients);
  const credentials = {} as Sandbox['credentials'];
  for (const [role, client] of Object.entries(tokens.clients) as Array<[keyof typeof sandboxClients, LocalClient]>) {
    credentials[role] = { ...client, authorization: `Bearer ${await tokens.issue(client, { validitySeconds: 12 * 3600 })}` };
  }
  const api = await startApiServer(tokens, ports.api, (answer) => options.onEvent?.({ kind: 'answer', ...answer }));
  stops.push(() => close(api.server));

  // With fault injection the handlers reach each service through its switchable proxy.
  const proxies: Partial<Record<'dynamodb' | 'ses' | 'stepFunctions', FaultProxy>> = {};
  const endpoint = async (service: keyof typeof proxies, url: string): Promise<string> => {
    if (!options.faultInjection) return url;
    const proxy = await startFaultProxy(url);
    stops.push(() => close(proxy.server));
    proxies[service] = proxy;
    return proxy.url;
  };

  // The handlers' environment: what the CDK stack sets on each Lambda, pointed at local servers.
  // Every setting of the contract is here; each function sees only those its catalogue entry implies.
  scopeSettingsToFunctions();
  // The contract's settings, typed by it (functions/adapters/config.ts): a name it does not know is a compile error.
  const settings: Partial<Record<SettingName, string>> = {
    TABLE_NAME: tableName,
    STATE_MACHINE_ARN: stateMachineArn,
    SENDER_ADDRESS: 'ssc-notifications@secas.example.org',
    SSC_ADDRESSES: 'ssc@secas.example.org',
    SECAS_ADDRESSES: 'secas-operations@secas.example.org',
    PUBLIC_BASE_URL: api.url,
    LINK_KEYRING_SECRET_ID: KEYRING_SECRET,
    // As in AWS, every email goes through the configuration set whose events reach RecordDeliveryProblem.
    SES_CONFIGURATION_SET: 'SecondUserSystem-sandbox',
    ANNUAL_REVIEW_SCHEDULE_GROUP: ANNUAL_REVIEW_GROUP,
    ANNUAL_REVIEW_REMINDER_ARN: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${REMINDER}`,
    ANNUAL_REVIEW_SCHEDULER_ROLE_ARN: `arn:aws:iam::${ACCOUNT}:role/AnnualReviewScheduler`,
    ANNUAL_REVIEW_DEAD_LETTER_ARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:AnnualReviewReminderDeadLetters`,
  };
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    POWERTOOLS_SERVICE_NAME: 'second-user-system-sandbox',
    AWS_ENDPOINT_URL_DYNAMODB: await endpoint('dynamodb', dynamodbUrl),
    AWS_ENDPOINT_URL_SESV2: await endpoint('ses', sesUrl),
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    ...settings,
    ...options.environment,
  });

  await createNotificationsTable(dynamodbUrl, tableName);
  const definition = substitutedDefinition(definitionSubstitutions((task) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${task}`, tableName));
  const timeScale = options.timeScale ?? 1;
  let stopping = false;
  const deadLetters: Sandbox['deadLetters'] = {};
  const invokeAsync = asynchronousInvoker(timeScale, () => stopping, deadLetters);
  const lambdaFaults = new LambdaFaults();
  const states = (definition as { States: Record<string, { Type: string; Resource?: string }> }).States;
  const stepFunctions = new LocalStepFunctions({
    definition: definition as unknown as StateMachineDefinition,
    stateMachineArn,
    resources: localTaskResources(lambdaFaults),
    timeScale,
    onStatusChange: (execution) => {
      if (!stopping) deliverStatusChange(execution, invokeAsync);
      if (execution.status !== 'RUNNING') {
        const entered = [...execution.history].reverse().find((e) => e.type.endsWith('StateEntered'));
        const state = (entered?.stateEnteredEventDetails as { name?: string } | undefined)?.name;
        options.onEvent?.({
          kind: 'ended',
          reference: execution.name,
          status: execution.status,
          ...(state ? { state } : {}),
          ...(execution.error ? { error: execution.error } : {}),
        });
      }
    },
    onHistoryEvent: (execution, event) => {
      if (event.type !== 'TaskStateEntered') return;
      const state = String((event.stateEnteredEventDetails as { name?: string } | undefined)?.name);
      options.onEvent?.({ kind: 'step', reference: execution.name, state, waits: states[state]?.Resource?.endsWith('.waitForTaskToken') === true });
    },
  });
  const sentEmails: SentEmail[] = [];
  onSent = (email) => {
    sentEmails.push(email);
    options.onEvent?.({
      kind: 'email',
      to: (email.request.Destination?.ToAddresses as string[] | undefined) ?? [],
      subject: String(email.request.Content?.Simple?.Subject?.Data ?? ''),
    });
    if (!stopping) void deliverEmailEvents(email, invokeAsync);
  };
  const sfn = await startStepFunctionsServer(stepFunctions, ports.stepFunctions);
  stops.push(() => close(sfn.server));
  const secasConsole = await startConsole({ port: ports.console, stepFunctionsUrl: sfn.url, stateMachineArn, sesUrl, sentEmails: () => sentEmails });
  stops.push(() => close(secasConsole.server));
  stops.push(() => {
    stopping = true;
    stepFunctions.stopAll();
  });
  process.env.AWS_ENDPOINT_URL_SFN = await endpoint('stepFunctions', sfn.url);

  // A schedule fires on the clock of the case it names (its execution's), as that case's waits do.
  const caseClock = (schedule: LocalSchedule): Date => {
    const reference = parseOrUndefined(schedule.Target.Input)?.reference;
    const execution = stepFunctions.listExecutions().find((e) => e.name === reference);
    return execution ? stepFunctions.now(execution.executionArn) : new Date();
  };
  const scheduler: LocalScheduler = new LocalScheduler({
    groups: [ANNUAL_REVIEW_GROUP],
    region: REGION,
    account: ACCOUNT,
    timeScale,
    clock: caseClock,
    // The Scheduler hands the event to Lambda (an unknown function it retries, then dead-letters itself).
    deliver: async (target, input) => invokeAsync(scheduleTarget(target), JSON.parse(input)),
  });
  const schedulerServer = await startSchedulerServer(scheduler, ports.scheduler);
  stops.push(() => close(schedulerServer.server));
  stops.push(() => scheduler.stop());
  process.env.AWS_ENDPOINT_URL_SCHEDULER = schedulerServer.url;
  const { dynamodb, ses, stepFunctions: sfnProxy } = proxies;
  const faults = dynamodb && ses && sfnProxy ? { dynamodb, ses, stepFunctions: sfnProxy, lambda: lambdaFaults } : undefined;

  const runScheduledTask = async (name: ScheduledTaskName, time = new Date()) => {
    const handler = await loadHandler<(event: unknown, context: unknown) => Promise<unknown>>(specOf(name).entry);
    return invoke(handler, scheduledEvent(time), name);
  };
  for (const { name, trigger } of triggeredBy('every')) {
    // At the sandbox's pace, but never more than once a second; as EventBridge's rule does, asynchronously.
    const timer = setInterval(() => invokeAsync(name, scheduledEvent(new Date())), Math.max(1000, (trigger.minutes * 60_000) / timeScale));
    timer.unref();
    stops.push(() => clearInterval(timer));
  }

  return {
    apiUrl: api.url,
    sesUrl,
    dynamodbUrl,
    stepFunctionsUrl: sfn.url,
    consoleUrl: secasConsole.url,
    sentEmails,
    stateMachineArn,
    tableName,
    stepFunctions,
    scheduler,
    schedulerUrl: schedulerServer.url,
    tokens,
    credentials,
    ...(faults ? { faults } : {}),
    runScheduledTask,
    deadLetters,
    linkKeyring: {
      get: () => JSON.parse(secretValues[KEYRING_SECRET] as string) as Record<string, string>,
      set: (keyring) => {
        secretValues[KEYRING_SECRET] = JSON.stringify(keyring);
      },
    },
    stop: async () => {
      for (const stop of stops.splice(0).reverse()) await stop();
    },
  };
};

const parseOrUndefined = (text: string | undefined): Record<string, unknown> | undefined => {
  try {
    return JSON.parse(text ?? '') as Record<string, unknown>;
  } catch {
    return undefined;
  }
};

/**
 * Lambda's asynchronous invocation, as EventBridge and the Scheduler use it: the event is accepted
 * at once; the handler runs and, when it fails, Lambda retries it twice (a minute, then two, at
 * the sandbox's pace), then sends it to the function's on-failure destination (its dead-letter
 * queue). A delivery that Lambda accepted is never retried by its invoker.
 */
const asynchronousInvoker =
  (timeScale: number, stopped: () => boolean, deadLetters: Sandbox['deadLetters']) =>
  (name: FunctionName, event: unknown): void => {
    void (async () => {
      const handler = await loadHandler<(event: unknown, context: unknown) => Promise<unknown>>(specOf(name).entry);
      let attempts = 0;
      const run = () => {
        attempts++;
        return invoke(handler, event, name);
      };
      const error = await retrying(1 + ASYNC_RETRY_ATTEMPTS, (failures) => (60_000 * failures) / timeScale, run, stopped);
      if (error === undefined) return;
      deadLetters[name] ??= [];
      deadLetters[name].push({ event, error, attempts });
    })();
  };

const REMINDER = triggeredBy('annual-review-schedule')[0]?.name as FunctionName;

/** The function a schedule targets, by its ARN; an unknown one is refused, for the Scheduler to retry. */
const scheduleTarget = (target: ScheduleTarget): FunctionName => {
  const functionName = target.Arn.split(':').pop() as string;
  const known = triggeredBy('annual-review-schedule').find((t) => t.name === functionName);
  if (!known) throw new Error(`Function not found: ${target.Arn}`);
  return known.name;
};

const scheduledEvent = (time: Date) => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: ACCOUNT,
  time: time.toISOString(),
  region: REGION,
  resources: [],
  detail: {},
});

/** EventBridge's "Step Functions Execution Status Change" event, to the functions of that status. */
const deliverStatusChange = (execution: LocalExecution, invokeAsync: (name: FunctionName, event: unknown) => void): void => {
  const event: EventBridgeEvent = {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: ACCOUNT,
    time: (execution.stopDate ?? new Date()).toISOString(),
    region: REGION,
    resources: [execution.executionArn],
    detail: {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate.getTime(),
      stopDate: execution.stopDate?.getTime() ?? null,
      input: execution.input,
      output: execution.output ?? null,
      error: execution.error ?? null,
      cause: execution.cause ?? null,
      redriveCount: execution.redriveCount,
      redriveDate: execution.redriveDate?.getTime() ?? null,
    },
  };
  for (const { name, trigger } of triggeredBy('workflow-status')) {
    if (!(trigger.statuses as string[]).includes(execution.status)) continue;
    if (trigger.redriven && execution.redriveCount === 0) continue;
    invokeAsync(name, event);
  }
};

/**
 * SES's events about a sent email (the mailbox simulator's), to the functions of their detail types,
 * a second after the send as SES reports them (mail is not on the sandbox's accelerated clock): the
 * sender has recorded its send by then, as in AWS.
 */
const deliverEmailEvents = async (email: SentEmail, invokeAsync: (name: FunctionName, event: unknown) => void): Promise<void> => {
  const events = simulatorEvents(email, { account: ACCOUNT, region: REGION });
  if (events.length) await sleep(1000);
  for (const event of events)
    for (const { name, trigger } of triggeredBy('email-events')) if (trigger.detailTypes.includes(event['detail-type'])) invokeAsync(name, event);
};
