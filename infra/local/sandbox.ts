import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Server } from 'node:http';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { type FunctionName, type ScheduledTaskName, triggeredBy } from '../../functions/catalogue';
import { ASYNC_RETRY_ATTEMPTS } from '../constructs/dead-letter-queue';
import { type AnsweredRequest, AuthorizerCache, startApiServer } from './api-server';
import { createNotificationsTable, startDynamoDbLocal } from './dynamodb-local';
import { type FaultProxy, startFaultProxy } from './fault-proxy';
import { startConsole } from './console/console-server';
import { startConcurrentRuntime } from './lambda-context';
import { type LocalSchedule, LocalScheduler, type ScheduleTarget, startSchedulerServer } from './local-scheduler';
import { type LocalExecution, LocalStepFunctions } from './local-step-functions';
import { startS3Server } from './s3-server';
import { startSecretsServer } from './secrets-server';
import { type EventBridgeEvent, simulatorEvents } from './mailbox-simulator';
import { type SentEmail, startSesFront, startSesLocal } from './ses-local';
import { named, observeSdkCalls, recordAwsCall, registerSandboxNames, registerTaskTokenOwner } from './aws-calls';
import { startStepFunctionsServer } from './step-functions-server';
import { retrying } from './retry';
import { scopeSettingsToFunctions } from './function-environment';
import { type SettingName, settings as contract } from '../../functions/adapters/config';
import { cachePerFunction } from './function-caches';
import { definitionSubstitutions } from '../workflow-definition';
import { LambdaFaults, localTaskResources } from './task-resources';
import { LocalLambda, type Release, currentRelease, releaseDefinition } from './release';
import { type SandboxClientKey, type SandboxRole, registerSandboxClients } from './sandbox-clients';
import { startLocalKms } from './kms-local';
import { requestAccessToken } from '../tools/token';

/**
 * The whole product on one machine: local DynamoDB, local SES with its web inbox, a local
 * Secrets Manager for the link keys, the real ASL file on a local Step Functions endpoint,
 * and the HTTP API — all wired to the same handler code through the SDK's standard endpoint
 * variables, exactly as Lambda's environment wires them in AWS.
 */
export interface SandboxOptions {
  ports?: Partial<Record<'api' | 'ses' | 'dynamodb' | 'stepFunctions' | 'secrets' | 'kms' | 'console' | 'scheduler' | 's3', number>>;
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
  /** The release deployed at the start: the working tree's by default, or a previous one (see previous-release.ts). */
  release?: Release;
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
  /** API Gateway's cache of the authorizer's answers (300 s): its clock can be moved on. */
  authorizerCache: AuthorizerCache;
  /** The local KMS key that signs the access tokens. */
  accessTokenKeyArn: string;
  /** Ready-made credentials of the demo clients (access tokens valid 12 hours), with the keys they sign with. */
  credentials: Record<SandboxRole, SandboxCredential>;
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
  /**
   * Delivers a scheduled task's event as its rule does (asynchronously: Lambda's retries, then its
   * dead letters), with the event time given: a run on a day the wall clock has not reached.
   */
  deliverScheduledEvent: (name: ScheduledTaskName, time: Date) => void;
  /** The history anchors' bucket (infra/local/s3-server.ts): every version of every anchor. */
  historyAnchors: Awaited<ReturnType<typeof startS3Server>>;
  /** Lambda: the release deployed, and how many times each of its functions ran. */
  lambda: LocalLambda;
  /**
   * Deploys a release while the sandbox runs, as a CloudFormation deploy updates the functions and
   * the state machine: every invocation from then on runs its handlers (those of executions
   * already running included: their task ARNs are unqualified), new executions run its ASL, and
   * running ones keep the definition they started with.
   */
  deploy: (release: Release) => void;
  stop: () => Promise<void>;
}

export interface DeadLetter {
  event: unknown;
  /** The last attempt's error. */
  error: string;
  /** How many times the handler ran: once, and Lambda's two retries. */
  attempts: number;
}

export interface SandboxCredential extends SandboxClientKey {
  /** The Authorization header value: `Bearer <access token>`. */
  authorization: string;
}

const REGION = 'eu-west-2';
const ACCOUNT = '000000000000';
const ANNUAL_REVIEW_GROUP = 'SecondUserSystem-AnnualReviews';
const KEYRING_SECRET = 'second-user-system/decision-link-keyring';
const HISTORY_ANCHOR_BUCKET = 'second-user-system-history-anchors';

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
  const historyAnchors = await startS3Server(HISTORY_ANCHOR_BUCKET, ports.s3);
  stops.push(historyAnchors.stop);
  const kms = await startLocalKms(ports.kms);
  stops.push(() => close(kms.server));
  const lambda = new LocalLambda(options.release ?? currentRelease());
  const authorizerCache = new AuthorizerCache();
  const api = await startApiServer(lambda, ports.api, (answer) => options.onEvent?.({ kind: 'answer', ...answer }), authorizerCache);
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
  cachePerFunction();
  // The contract's settings, typed by it (functions/adapters/config.ts): a name it does not know is a compile error.
  const settings: Partial<Record<SettingName, string>> = {
    TABLE_NAME: tableName,
    STATE_MACHINE_ARN: stateMachineArn,
    SENDER_ADDRESS: 'ssc-notifications@secas.example.org',
    SSC_ADDRESSES: 'ssc@secas.example.org',
    SECAS_ADDRESSES: 'secas-operations@secas.example.org',
    PUBLIC_BASE_URL: api.url,
    LINK_KEYRING_SECRET_ID: KEYRING_SECRET,
    HISTORY_ANCHOR_BUCKET,
    TOKEN_ENDPOINT: `${api.url}/oauth2/token`,
    ACCESS_TOKEN_KEY_ID: kms.keyArn,
    // The demo credentials' tokens last a working day (the stack's default is an hour).
    ACCESS_TOKEN_SECONDS: String(12 * 3600),
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
    AWS_ENDPOINT_URL_S3: historyAnchors.url,
    AWS_ENDPOINT_URL_KMS: kms.url,
    ...settings,
    ...options.environment,
  });

  await createNotificationsTable(dynamodbUrl, tableName);
  const clientKeys = await registerSandboxClients(dynamodbUrl, tableName);
  const definitionOf = (release: Release) =>
    releaseDefinition(release, (task) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${task}`, tableName) as unknown as StateMachineDefinition;
  // Every AWS call of the product is recorded, with the sandbox's names as the stack's settings name them (see aws-calls.ts).
  observeSdkCalls();
  registerSandboxNames({
    ...Object.fromEntries(Object.keys(contract).map((key) => [key, process.env[key]])),
    ...definitionSubstitutions((task) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${task}`, tableName),
  });
  const timeScale = options.timeScale ?? 1;
  // On a case clock running days a second, a handler's first import (up to seconds on a busy
  // machine) would be days of the case's time: a wait could time out before the task that opens it
  // had run, as no Lambda cold start could make it on AWS. So every handler is loaded first.
  if (timeScale > 1) await Promise.all(Object.keys(lambda.release.entries).map((name) => lambda.release.load(name)));
  let stopping = false;
  const deadLetters: Sandbox['deadLetters'] = {};
  const invokeAsync = asynchronousInvoker(lambda, timeScale, () => stopping, deadLetters);
  const lambdaFaults = new LambdaFaults();
  // Each release's states, to tell a person which steps wait on someone (the terminal's lines).
  const releaseStates = new WeakMap<Release, Record<string, { Type: string; Resource?: string }>>();
  const statesOf = (release: Release) => {
    const states = releaseStates.get(release) ?? (definitionOf(release) as unknown as { States: Record<string, { Type: string; Resource?: string }> }).States;
    releaseStates.set(release, states);
    return states;
  };
  const stepFunctions = new LocalStepFunctions({
    definition: definitionOf(lambda.release),
    stateMachineArn,
    resources: localTaskResources(lambdaFaults, lambda),
    timeScale,
    onStatusChange: (execution) => {
      if (!stopping) deliverStatusChange(execution, lambda.release, fromEventBridge(invokeAsync));
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
      options.onEvent?.({
        kind: 'step',
        reference: execution.name,
        state,
        waits: statesOf(lambda.release)[state]?.Resource?.endsWith('.waitForTaskToken') === true,
      });
    },
  });
  registerTaskTokenOwner((token) => stepFunctions.stateMachineOfTaskToken(token));
  const sentEmails: SentEmail[] = [];
  onSent = (email) => {
    sentEmails.push(email);
    options.onEvent?.({
      kind: 'email',
      to: (email.request.Destination?.ToAddresses as string[] | undefined) ?? [],
      subject: String(email.request.Content?.Simple?.Subject?.Data ?? ''),
    });
    if (!stopping) void deliverEmailEvents(email, () => lambda.release, fromEventBridge(invokeAsync));
  };
  const sfn = await startStepFunctionsServer(stepFunctions, ports.stepFunctions);
  stops.push(() => close(sfn.server));
  const secasConsole = await startConsole({
    port: ports.console,
    stepFunctionsUrl: sfn.url,
    stateMachineArn,
    sesUrl,
    sentEmails: () => sentEmails,
    api: { url: api.url, secas: clientKeys.secas },
  });
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
    deliver: async (target, input) => {
      recordAwsCall({ principal: `role:${named(target.RoleArn)}`, action: 'lambda:InvokeFunction', resource: named(target.Arn) });
      invokeAsync(scheduleTarget(target, lambda.release), JSON.parse(input));
    },
    // Its dead letters are sent to the schedule's queue as the schedule's role.
    onDeadLetter: (schedule) =>
      recordAwsCall({
        principal: `role:${named(schedule.Target.RoleArn)}`,
        action: 'sqs:SendMessage',
        resource: named(schedule.Target.DeadLetterConfig?.Arn ?? 'a schedule without a dead-letter queue'),
      }),
  });
  const schedulerServer = await startSchedulerServer(scheduler, ports.scheduler);
  stops.push(() => close(schedulerServer.server));
  stops.push(() => scheduler.stop());
  process.env.AWS_ENDPOINT_URL_SCHEDULER = schedulerServer.url;
  const { dynamodb, ses, stepFunctions: sfnProxy } = proxies;
  const faults = dynamodb && ses && sfnProxy ? { dynamodb, ses, stepFunctions: sfnProxy, lambda: lambdaFaults } : undefined;

  const runScheduledTask = (name: ScheduledTaskName, time = new Date()) => {
    recordEventBridgeInvocation(name);
    return lambda.invoke(name, scheduledEvent(time));
  };
  let timers: NodeJS.Timeout[] = [];
  const startTimers = (release: Release) => {
    for (const timer of timers) clearInterval(timer);
    // At the sandbox's pace, but never more than once a second; as EventBridge's rule does, asynchronously.
    timers = release.scheduled.map(({ name, minutes }) =>
      setInterval(() => fromEventBridge(invokeAsync)(name, scheduledEvent(new Date())), Math.max(1000, (minutes * 60_000) / timeScale)).unref(),
    );
  };
  startTimers(lambda.release);
  stops.push(() => {
    for (const timer of timers) clearInterval(timer);
  });
  const deploy = (release: Release) => {
    lambda.deploy(release);
    stepFunctions.updateDefinition(definitionOf(release));
    startTimers(release);
  };

  // The demo clients' tokens, from the token endpoint as any client gets them: a signed assertion each.
  const credentials = {} as Sandbox['credentials'];
  for (const [role, key] of Object.entries(clientKeys) as Array<[SandboxRole, SandboxClientKey]>) {
    const { accessToken } = await requestAccessToken(key, api.url);
    credentials[role] = { ...key, authorization: `Bearer ${accessToken}` };
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
    authorizerCache,
    accessTokenKeyArn: kms.keyArn,
    credentials,
    ...(faults ? { faults } : {}),
    runScheduledTask,
    deliverScheduledEvent: (name, time) => fromEventBridge(invokeAsync)(name, scheduledEvent(time)),
    historyAnchors,
    lambda,
    deploy,
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
  (lambda: LocalLambda, timeScale: number, stopped: () => boolean, deadLetters: Sandbox['deadLetters']) =>
  (name: string, event: unknown): void => {
    void (async () => {
      let attempts = 0;
      // Each attempt runs the function as deployed at that moment (a retry after a deploy runs the new code).
      const run = () => {
        attempts++;
        return lambda.invoke(name, event);
      };
      const error = await retrying(1 + ASYNC_RETRY_ATTEMPTS, (failures) => (60_000 * failures) / timeScale, run, stopped);
      if (error === undefined) return;
      // Lambda sends it to the on-failure destination with the function's own role.
      recordAwsCall({ principal: `function:${name}`, action: 'sqs:SendMessage', resource: `\${on-failure-destination:${name}}` });
      const letters = deadLetters[name as FunctionName] ?? [];
      letters.push({ event, error, attempts });
      deadLetters[name as FunctionName] = letters;
    })();
  };

/** EventBridge invokes a rule's target function on the function's resource policy, as the rule. */
const recordEventBridgeInvocation = (name: string): void =>
  recordAwsCall({
    principal: 'service:events.amazonaws.com',
    action: 'lambda:InvokeFunction',
    resource: `\${function:${name}}`,
    context: { 'aws:SourceArn': `\${events-rule-targeting:${name}}` },
  });

const fromEventBridge =
  (invokeAsync: (name: string, event: unknown) => void) =>
  (name: string, event: unknown): void => {
    recordEventBridgeInvocation(name);
    invokeAsync(name, event);
  };

const REMINDER = triggeredBy('annual-review-schedule')[0]?.name as FunctionName;

/** The function a schedule targets, by its ARN; an unknown one is refused, for the Scheduler to retry. */
const scheduleTarget = (target: ScheduleTarget, release: Release): string => {
  const functionName = target.Arn.split(':').pop() as string;
  if (!release.scheduleTargets.includes(functionName)) throw new Error(`Function not found: ${target.Arn}`);
  return functionName;
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
const deliverStatusChange = (execution: LocalExecution, release: Release, invokeAsync: (name: string, event: unknown) => void): void => {
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
  for (const { name, statuses, redriven } of release.statusHandlers) {
    if (!statuses.includes(execution.status)) continue;
    if (redriven && execution.redriveCount === 0) continue;
    invokeAsync(name, event);
  }
};

/**
 * SES's events about a sent email (the mailbox simulator's), to the functions of their detail types,
 * a second after the send as SES reports them (mail is not on the sandbox's accelerated clock): the
 * sender has recorded its send by then, as in AWS.
 */
const deliverEmailEvents = async (email: SentEmail, release: () => Release, invokeAsync: (name: string, event: unknown) => void): Promise<void> => {
  const events = simulatorEvents(email, { account: ACCOUNT, region: REGION });
  if (events.length) await sleep(1000);
  for (const event of events)
    for (const { name, detailTypes } of release().emailEventHandlers) if (detailTypes.includes(event['detail-type'])) invokeAsync(name, event);
};
