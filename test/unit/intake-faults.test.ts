import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { handler } from '../../functions/api/submit-notification';
import { lambdaContext } from '../../infra/local/lambda-context';
import { fixture } from '../support/fixtures';

/**
 * The intake when its dependencies fail: a retryable 503 while nothing is stored; once the case
 * is stored it is accepted, and a workflow that could not start is left to the sweep.
 */
const dynamodb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);

Object.assign(process.env, {
  AWS_REGION: 'eu-west-2',
  AWS_ACCESS_KEY_ID: 'x',
  AWS_SECRET_ACCESS_KEY: 'x',
  TABLE_NAME: 'NotificationsTable',
  STATE_MACHINE_ARN: 'arn:aws:states:eu-west-2:000000000000:stateMachine:SscTriageWorkflow',
  SENDER_ADDRESS: 'ssc-notifications@secas.example.org',
  SSC_ADDRESSES: 'ssc@secas.example.org',
  SECAS_ADDRESSES: 'secas@secas.example.org',
  LINK_KEYRING_SECRET_ID: 'keyring',
});

const verifiedUser = { lambda: { clientId: 'northwold-energy-client', kind: 'User' } };

/** POST /notifications as API Gateway hands it over, with the authorizer's verified claims (or none). */
const post = (authorizer: object | null = verifiedUser) =>
  handler(
    {
      version: '2.0',
      routeKey: 'POST /notifications',
      rawPath: '/notifications',
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      requestContext: { http: { method: 'POST', path: '/notifications' }, ...(authorizer ? { authorizer } : {}) },
      body: JSON.stringify(fixture('2026-11-24')),
      isBase64Encoded: false,
    } as never,
    lambdaContext('SubmitNotification'),
  ) as Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;

// The handler reads the clock; the fixture is filed on the day the clock is pinned to.
vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-24T10:00:00Z') });
afterAll(() => {
  vi.useRealTimers();
});

beforeEach(() => {
  dynamodb.reset();
  sfn.reset();
  // The register of Shared Resource assessments holds no provider of the sample's name.
  dynamodb.on(GetCommand).resolves({});
});

describe('POST /notifications when a dependency fails', () => {
  it('answers 503 with Retry-After when DynamoDB throttles, writing nothing', async () => {
    dynamodb.on(UpdateCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    const response = await post();
    expect(response.statusCode).toBe(503);
    expect(response.headers['Retry-After']).toBe('30');
    expect(response.headers['Content-Type']).toBe('application/problem+json');
    expect(dynamodb.commandCalls(PutCommand)).toHaveLength(0);
    expect(dynamodb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('accepts a stored case when its workflow cannot start now (201), keeping it for the sweep, never deleting it', async () => {
    dynamodb.on(UpdateCommand).resolves({ Attributes: { lastNumber: 7 } });
    // The case, with its entry under the provider the sample names, in one transaction.
    dynamodb.on(TransactWriteCommand).resolves({});
    sfn
      .on(StartExecutionCommand)
      .rejects(Object.assign(new Error('Service Unavailable'), { name: 'ServiceUnavailable', $fault: 'server', $metadata: { httpStatusCode: 503 } }));
    const response = await post();
    expect(response.statusCode).toBe(201);
    const [caseWrite, entry] = dynamodb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    const stored = caseWrite?.Put?.Item as { reference: string; status: string; ownerId: string };
    expect(entry?.Put?.Item).toEqual({ pk: 'PROVIDER#harbour-shared-services-plc', sk: `CASE#${stored.reference}`, reference: stored.reference });
    expect(stored).toMatchObject({ reference: 'SUS-NF29F-2026-0007', status: 'Received', ownerId: 'northwold-energy-client' });
    expect(JSON.parse(response.body)).toMatchObject({ reference: stored.reference, status: 'Received' });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(1);
    expect(dynamodb.commandCalls(DeleteCommand)).toHaveLength(0);
  });

  it('answers 401 without the claims of a verified token, touching nothing', async () => {
    const response = await post(null);
    expect(response.statusCode).toBe(401);
    expect(response.headers['WWW-Authenticate']).toBe('Bearer');
    expect(dynamodb.calls()).toHaveLength(0);
  });

  it('answers an unexpected failure with a 500 problem that reveals nothing', async () => {
    dynamodb.on(UpdateCommand).rejects(new TypeError("Cannot read properties of undefined (reading 'secret')"));
    const response = await post();
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toMatch(/secret|TypeError|at .*\.ts/);
    expect(JSON.parse(response.body)).toMatchObject({ status: 500, title: 'Internal error' });
  });
});
