import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { currentFunctionName } from './lambda-context';

/**
 * Every AWS call the product makes in the sandbox, with who makes it, the IAM action and the
 * resource it is authorised on, so that a test can hold each against the deployed stack's
 * policies (test/support/permissions.ts). The sandbox's own names are written as the deployed
 * stack knows them: `${TABLE_NAME}`, `${STATE_MACHINE_ARN}`… stand for the sandbox's value of a
 * setting (or of an ASL substitution), which the check replaces with the stack's value; `${AWS::…}`
 * for the account, region and partition. A name the sandbox did not give (a typo, a hard-coded
 * table) stays as it is, and the check finds no grant for it.
 *
 * Principals: `function:<Name>` (the function's execution role), `state-machine:<arn>` (its role),
 * `role:<arn>` (a role a service assumes, e.g. the Scheduler's), `service:<principal>` (a service
 * acting on a resource policy, e.g. EventBridge invoking a function, with `aws:SourceArn`).
 * `${function:<Name>}`, `${events-rule-targeting:<Name>}` and `${on-failure-destination:<Name>}`
 * name a catalogue function's ARN, the rule that targets it and its on-failure queue.
 *
 * Observation only: nothing here changes what a call does, and nothing in functions/ knows of it.
 */
export interface AwsCall {
  principal: string;
  action: string;
  resource: string;
  context?: Record<string, string>;
}

export const arn = (service: string, rest: string, region = true): string =>
  `arn:\${AWS::Partition}:${service}:${region ? `\${AWS::Region}` : ''}:\${AWS::AccountId}:${rest}`;

const calls = new Map<string, AwsCall & { count: number }>();

export const recordAwsCall = (call: AwsCall): void => {
  const key = JSON.stringify([call.principal, call.action, call.resource, call.context ?? {}]);
  const seen = calls.get(key);
  if (seen) seen.count++;
  else calls.set(key, { ...call, count: 1 });
};

/** What this process recorded, each distinct call once with how many times it was made. */
export const recordedAwsCalls = (): Array<AwsCall & { count: number }> => [...calls.values()];

// ---- the sandbox's names ------------------------------------------------------------------------

/** Sandbox value → `${KEY}`; from every sandbox this process started (each test file has its own table). */
const names = new Map<string, string>();
const arnPrefixes = new Map<string, string>();
const taskTokenOwners: Array<(token: string) => string | undefined> = [];

/**
 * The sandbox's settings and ASL substitutions, by name. An address also names its domain
 * (`${KEY#domain}`: the SES identity); a state machine's ARN its executions (`${KEY#execution}:<name>`).
 */
export const registerSandboxNames = (values: Record<string, string | undefined>): void => {
  for (const [key, value] of Object.entries(values)) {
    if (!value || names.has(value)) continue;
    names.set(value, `\${${key}}`);
    const domain = /^[^@,\s]+@([^@,\s]+)$/.exec(value)?.[1];
    if (domain && !names.has(domain)) names.set(domain, `\${${key}#domain}`);
    if (value.includes(':stateMachine:')) arnPrefixes.set(`${value.replace(':stateMachine:', ':execution:')}:`, `\${${key}#execution}:`);
  }
};

/** Which state machine issued a task token (the resource SendTaskSuccess and SendTaskFailure are authorised on). */
export const registerTaskTokenOwner = (owner: (token: string) => string | undefined): void => {
  taskTokenOwners.push(owner);
};

export const named = (value: string): string => {
  const name = names.get(value);
  if (name) return name;
  for (const [prefix, replacement] of arnPrefixes) if (value.startsWith(prefix)) return replacement + value.slice(prefix.length);
  return value;
};

// ---- who is calling -----------------------------------------------------------------------------

const principals = new AsyncLocalStorage<string>();

/** Runs `work` as `principal` (e.g. the state machine's own DynamoDB integration): its SDK calls are recorded as made by it. */
export const asPrincipal = <T>(principal: string, work: () => Promise<T>): Promise<T> => principals.run(principal, work);

const currentPrincipal = (): string | undefined => {
  const principal = principals.getStore();
  if (principal) return principal;
  const fn = currentFunctionName();
  return fn ? `function:${fn}` : undefined;
};

// ---- what each SDK operation is authorised as ---------------------------------------------------

type Input = Record<string, unknown>;
type Authorised = Omit<AwsCall, 'principal'>;
type TableNamed = { TableName?: string };

const TRANSACT_WRITE_ACTIONS: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' };

const table = (name: unknown) => arn('dynamodb', `table/${named(String(name))}`);

const dynamodb = (operation: string, input: Input): Authorised[] => {
  switch (operation) {
    // A transaction is authorised item by item, as the item action each one is.
    case 'TransactWriteItems':
      return (input.TransactItems as Array<Record<string, TableNamed>>).flatMap((item) =>
        Object.entries(item).map(([kind, body]) => ({ action: `dynamodb:${TRANSACT_WRITE_ACTIONS[kind] ?? kind}`, resource: table(body.TableName) })),
      );
    case 'TransactGetItems':
      return (input.TransactItems as Array<{ Get?: TableNamed }>).map((item) => ({ action: 'dynamodb:GetItem', resource: table(item.Get?.TableName) }));
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys(input.RequestItems ?? {}).map((name) => ({ action: `dynamodb:${operation}`, resource: table(name) }));
    default:
      if (!input.TableName) return [{ action: `dynamodb:${operation}`, resource: '*' }];
      return [{ action: `dynamodb:${operation}`, resource: input.IndexName ? `${table(input.TableName)}/index/${input.IndexName}` : table(input.TableName) }];
  }
};

/** SES authorises a send on the identity of its From address and on the configuration set it names. */
const ses = (operation: string, input: Input): Authorised[] => {
  if (operation !== 'SendEmail' && operation !== 'SendBulkEmail') return [{ action: `ses:${operation}`, resource: '*' }];
  const from = String(input.FromEmailAddress ?? '');
  const address = /<([^>]+)>\s*$/.exec(from)?.[1] ?? from;
  const identity = input.FromEmailAddressIdentityArn
    ? named(String(input.FromEmailAddressIdentityArn))
    : arn('ses', `identity/${named(address.split('@').pop() ?? '')}`);
  const configurationSet = input.ConfigurationSetName ? [arn('ses', `configuration-set/${named(String(input.ConfigurationSetName))}`)] : [];
  return [identity, ...configurationSet].map((resource) => ({ action: `ses:${operation}`, resource }));
};

const tokenOwner = (token: string): string => {
  for (const owner of taskTokenOwners) {
    const stateMachineArn = owner(token);
    if (stateMachineArn) return named(stateMachineArn);
  }
  return 'a task token no state machine of the sandbox issued';
};

const states = (operation: string, input: Input): Authorised[] => {
  const { taskToken, executionArn, stateMachineArn } = input as Record<string, string | undefined>;
  const resource = taskToken ? tokenOwner(taskToken) : executionArn ? named(executionArn) : stateMachineArn ? named(stateMachineArn) : '*';
  return [{ action: `states:${operation}`, resource }];
};

/** A secret by the id the code gives (the sandbox's keyring setting, which the stack sets to an ARN), or by a name of its own. */
const secretsmanager = (operation: string, input: Input): Authorised[] => {
  if (input.SecretId === undefined) return [{ action: `secretsmanager:${operation}`, resource: '*' }];
  const id = String(input.SecretId);
  const resource = named(id) !== id || id.startsWith('arn:') ? named(id) : arn('secretsmanager', `secret:${id}`);
  return [{ action: `secretsmanager:${operation}`, resource }];
};

/** A schedule is authorised in its group; creating one passes its target's role to the Scheduler. */
const scheduler = (operation: string, input: Input): Authorised[] => {
  if (!input.Name) return [{ action: `scheduler:${operation}`, resource: '*' }];
  const schedule = { action: `scheduler:${operation}`, resource: arn('scheduler', `schedule/${named(String(input.GroupName ?? 'default'))}/${input.Name}`) };
  const role = (input.Target as { RoleArn?: string } | undefined)?.RoleArn;
  return role ? [schedule, { action: 'iam:PassRole', resource: named(role), context: { 'iam:PassedToService': 'scheduler.amazonaws.com' } }] : [schedule];
};

/** An object's actions on the object (bucket/key); a listing is s3:ListBucket on the bucket. S3's ARNs name no region or account. */
const s3 = (operation: string, input: Input): Authorised[] => {
  if (input.Bucket === undefined) return [{ action: `s3:${operation}`, resource: '*' }];
  const bucket = `arn:\${AWS::Partition}:s3:::${named(String(input.Bucket))}`;
  if (operation === 'ListObjectsV2' || operation === 'ListObjects') return [{ action: 's3:ListBucket', resource: bucket }];
  return [{ action: `s3:${operation}`, resource: `${bucket}/${String(input.Key ?? '')}` }];
};
/** A KMS key by the id the code gives (the sandbox's ACCESS_TOKEN_KEY_ID setting, which the stack sets to the key's ARN). */
const kms = (operation: string, input: Input): Authorised[] => [
  { action: `kms:${operation}`, resource: input.KeyId === undefined ? '*' : named(String(input.KeyId)) },
];

const SERVICES: Record<string, (operation: string, input: Input) => Authorised[]> = {
  KMSClient: kms,
  DynamoDBClient: dynamodb,
  SESv2Client: ses,
  SFNClient: states,
  SecretsManagerClient: secretsmanager,
  SchedulerClient: scheduler,
  S3Client: s3,
};

/** What one SDK command is authorised as (an operation of a client not known here: its action on '*', which no grant names). */
export const authorisedAs = (clientName: string, operation: string, input: Input): Authorised[] =>
  (SERVICES[clientName] ?? ((op: string) => [{ action: `${clientName.replace(/Client$/, '').toLowerCase()}:${op}`, resource: '*' }]))(operation, input);

const observe = (clientName: string, commandName: string, input: Input): void => {
  const principal = currentPrincipal();
  // Outside any invocation: the tests' and the sandbox's own calls, not the product's.
  if (!principal) return;
  for (const call of authorisedAs(clientName, commandName.replace(/Command$/, ''), input)) recordAwsCall({ principal, ...call });
};

// ---- the SDK hook -------------------------------------------------------------------------------

type Stack = { add: (middleware: unknown, options: Record<string, unknown>) => void };
type SendOwner = { prototype: { send: (this: { middlewareStack: Stack }, ...args: unknown[]) => unknown } };
const HOOK = Symbol.for('second-user-system.observeAwsCall');
const PATCHED = Symbol.for('second-user-system.sendObserved');
const globals = globalThis as unknown as Record<symbol, unknown>;

/**
 * Observes every SDK v3 client of the product: the `send` that every client class inherits
 * (Smithy's Client, one copy in node_modules) gets a middleware on each client's stack, at
 * `initialize`, where the command's name and input are as the code gave them. At this level, and
 * not in functions/adapters/aws-clients.ts, because it sees every client, ours and the ones the
 * libraries make (Powertools Parameters' own Secrets Manager client) and any added later, with no
 * module having to opt in. Every client package the product depends on is checked to reach a patched
 * `send`, so a second copy of Smithy (a version skew) is patched too rather than missed. Once per
 * process; the module instance of the latest sandbox records (test files may share a process).
 */
export const observeSdkCalls = (): void => {
  globals[HOOK] = observe;
  const require = createRequire(import.meta.url);
  const { dependencies } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
  for (const name of Object.keys(dependencies).filter((d) => /^@aws-sdk\/(client|lib)-/.test(d))) {
    for (const exported of Object.values(require(name) as Record<string, unknown>)) {
      if (typeof exported !== 'function' || !/Client$/.test(exported.name) || typeof exported.prototype?.send !== 'function') continue;
      let owner = exported as unknown as SendOwner;
      while (!Object.hasOwn(owner.prototype, 'send')) owner = Object.getPrototypeOf(owner) as SendOwner;
      patchSend(owner);
    }
  }
};

const patchSend = (owner: SendOwner): void => {
  const prototype = owner.prototype as SendOwner['prototype'] & { [PATCHED]?: true };
  if (prototype[PATCHED]) return;
  const observed = new WeakSet<Stack>();
  const send = prototype.send;
  const middleware =
    (next: (args: { input: Input }) => Promise<unknown>, context: { clientName?: string; commandName?: string }) => async (args: { input: Input }) => {
      (globals[HOOK] as typeof observe | undefined)?.(context.clientName ?? '', context.commandName ?? '', args.input ?? {});
      return next(args);
    };
  prototype.send = function (this: { middlewareStack: Stack }, ...args: unknown[]) {
    // A document client shares its client's stack: one middleware per stack.
    if (!observed.has(this.middlewareStack)) {
      this.middlewareStack.add(middleware, { step: 'initialize', priority: 'high', name: 'observeAwsCall' });
      observed.add(this.middlewareStack);
    }
    return send.apply(this, args);
  };
  prototype[PATCHED] = true;
};
