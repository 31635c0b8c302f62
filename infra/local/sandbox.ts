import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { definitionSubstitutions, substitutedDefinition } from '../workflow-definition';
import { startApiServer } from './api-server';
import { createNotificationsTable, startDynamoDbLocal } from './dynamodb-local';
import { LocalStepFunctions } from './local-step-functions';
import { startSecretsServer } from './secrets-server';
import { startSesLocal } from './ses-local';
import { startStepFunctionsServer } from './step-functions-server';
import { localTaskResources } from './task-resources';
import { type LocalClient, type TokenIssuer, createTokenIssuer, sandboxClients } from './token-issuer';

/**
 * The whole product on one machine: local DynamoDB, local SES with its web inbox, a local
 * Secrets Manager for the link keys, the real ASL file on a local Step Functions endpoint,
 * and the HTTP API — all wired to the same handler code through the SDK's standard endpoint
 * variables, exactly as Lambda's environment wires them in AWS.
 */
export interface SandboxOptions {
  ports?: Partial<Record<'api' | 'ses' | 'dynamodb' | 'stepFunctions' | 'secrets', number>>;
  /** Reuse running local servers instead of starting them (the test suite shares one of each). */
  dynamodbUrl?: string;
  sesUrl?: string;
  tableName?: string;
  /** Task timeouts run this many times faster (see LocalStepFunctions). */
  timeScale?: number;
  /** Extra environment for the handlers (deadline settings, addresses). */
  environment?: Record<string, string>;
}

export interface Sandbox {
  apiUrl: string;
  sesUrl: string;
  dynamodbUrl: string;
  stepFunctionsUrl: string;
  stateMachineArn: string;
  tableName: string;
  stepFunctions: LocalStepFunctions;
  /** The local user pool: its demo clients, and tokens on demand. */
  tokens: TokenIssuer;
  /** Ready-made credentials of the demo clients (tokens valid 12 hours). */
  credentials: Record<keyof typeof sandboxClients, SandboxCredential>;
  stop: () => Promise<void>;
}

export interface SandboxCredential extends LocalClient {
  /** The Authorization header value. */
  authorization: string;
}

const REGION = 'eu-west-2';
const ACCOUNT = '000000000000';
const KEYRING_SECRET = 'second-user-system/decision-link-keyring';

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

export const startSandbox = async (options: SandboxOptions = {}): Promise<Sandbox> => {
  const ports = options.ports ?? {};
  const stops: Array<() => Promise<void> | void> = [];
  const tableName = options.tableName ?? 'NotificationsTable';
  const stateMachineArn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:SscTriageWorkflow`;

  let dynamodbUrl = options.dynamodbUrl;
  if (!dynamodbUrl) {
    const dynamodb = await startDynamoDbLocal(ports.dynamodb);
    stops.push(dynamodb.stop);
    dynamodbUrl = dynamodb.url;
  }
  let sesUrl = options.sesUrl;
  if (!sesUrl) {
    const ses = await startSesLocal(ports.ses);
    stops.push(() => close(ses.server));
    sesUrl = ses.url;
  }
  const keyring = JSON.stringify({ currentKeyId: 'local-1', 'local-1': randomBytes(32).toString('base64url') });
  const secrets = await startSecretsServer({ [KEYRING_SECRET]: keyring }, ports.secrets);
  stops.push(() => close(secrets.server));
  const tokens = await createTokenIssuer(sandboxClients);
  const credentials = {} as Sandbox['credentials'];
  for (const [role, client] of Object.entries(tokens.clients) as Array<[keyof typeof sandboxClients, LocalClient]>) {
    credentials[role] = { ...client, authorization: `Bearer ${await tokens.issue(client, { validitySeconds: 12 * 3600 })}` };
  }
  const api = await startApiServer(tokens, ports.api);
  stops.push(() => close(api.server));

  // The handlers' environment: what the CDK stack sets on each Lambda, pointed at local servers.
  Object.assign(process.env, {
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamodbUrl,
    AWS_ENDPOINT_URL_SESV2: sesUrl,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    TABLE_NAME: tableName,
    STATE_MACHINE_ARN: stateMachineArn,
    SENDER_ADDRESS: 'ssc-notifications@secas.example.org',
    SSC_ADDRESSES: 'ssc@secas.example.org',
    SECAS_ADDRESSES: 'secas-operations@secas.example.org',
    PUBLIC_BASE_URL: api.url,
    LINK_KEYRING_SECRET_ID: KEYRING_SECRET,
    POWERTOOLS_TRACE_ENABLED: 'false',
    ...options.environment,
  });

  await createNotificationsTable(dynamodbUrl, tableName);
  const definition = substitutedDefinition(
    definitionSubstitutions((task) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${task}`, tableName),
  );
  const stepFunctions = new LocalStepFunctions({
    definition: definition as unknown as StateMachineDefinition,
    stateMachineArn,
    resources: localTaskResources(),
    ...(options.timeScale ? { timeScale: options.timeScale } : {}),
  });
  const sfn = await startStepFunctionsServer(stepFunctions, ports.stepFunctions);
  stops.push(() => close(sfn.server));
  stops.push(() => stepFunctions.stopAll());
  process.env.AWS_ENDPOINT_URL_SFN = sfn.url;

  return {
    apiUrl: api.url,
    sesUrl,
    dynamodbUrl,
    stepFunctionsUrl: sfn.url,
    stateMachineArn,
    tableName,
    stepFunctions,
    tokens,
    credentials,
    stop: async () => {
      for (const stop of stops.reverse()) await stop();
    },
  };
};
