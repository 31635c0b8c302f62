import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { type Server, connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { assertPortFree, freePort } from '../../infra/local/net';
import { startSandbox } from '../../infra/local/sandbox';
import { useSandbox } from '../support/sandbox';

/**
 * No client can take the sandbox down: a hang-up mid-body or mid-answer, or an oversized body,
 * ends that request only, on every local server; and DynamoDB Local ends with the sandbox, however
 * the sandbox ends, so a new one never finds an old server in its place.
 */
const ctx = useSandbox({ faultInjection: true });

const urls = () => ({
  api: ctx.sandbox.apiUrl,
  ses: ctx.sandbox.sesUrl,
  stepFunctions: ctx.sandbox.stepFunctionsUrl,
  secrets: process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER as string,
  dynamodb: ctx.sandbox.dynamodbUrl,
  dynamodbFaultProxy: ctx.sandbox.faults?.dynamodb.url as string,
  sesFaultProxy: ctx.sandbox.faults?.ses.url as string,
  stepFunctionsFaultProxy: ctx.sandbox.faults?.stepFunctions.url as string,
});

/** Sends headers promising `length` bytes, a few of them, then hangs up. */
const hangUpMidBody = (url: string, length = 100_000) =>
  new Promise<void>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname, () => {
      socket.write(
        `POST /notifications HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Amz-Target: AWSStepFunctions.ListExecutions\r\nContent-Length: ${length}\r\n\r\n{"partial":`,
      );
      setTimeout(() => socket.destroy(), 50);
    });
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });

/** Sends a whole request, then hangs up before reading a byte of the answer. */
const hangUpBeforeAnswer = (url: string) =>
  new Promise<void>((resolve) => {
    const { hostname, port } = new URL(url);
    const body = '{}';
    const socket = connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname, () => {
      socket.end(
        `POST /v2/email/outbound-emails HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Amz-Target: AWSStepFunctions.ListExecutions\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      socket.destroy();
    });
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });

/** Each local service still answers its own kind of request, through the AWS SDK where it speaks AWS. */
const stillServing = async () => {
  const u = urls();
  expect((await fetch(`${u.api}/notifications`, { headers: { Authorization: ctx.sandbox.credentials.user.authorization } })).status).toBe(200);
  expect((await fetch(`${u.ses}/store`)).status).toBe(200);
  await new SFNClient({ endpoint: u.stepFunctions }).send(new ListExecutionsCommand({ stateMachineArn: ctx.sandbox.stateMachineArn }));
  await new SFNClient({ endpoint: u.stepFunctionsFaultProxy }).send(new ListExecutionsCommand({ stateMachineArn: ctx.sandbox.stateMachineArn }));
  await new SecretsManagerClient({ endpoint: u.secrets }).send(new GetSecretValueCommand({ SecretId: 'second-user-system/decision-link-keyring' }));
  for (const endpoint of [u.dynamodb, u.dynamodbFaultProxy]) await new DynamoDBClient({ endpoint }).send(new ListTablesCommand({}));
  expect((await fetch(`${u.sesFaultProxy}/store`)).status).toBe(200);
};

describe('clients that hang up', () => {
  it.each(['api', 'ses', 'stepFunctions', 'secrets', 'dynamodb', 'dynamodbFaultProxy', 'sesFaultProxy', 'stepFunctionsFaultProxy'] as const)(
    'a hang-up on %s ends that request only',
    async (server) => {
      await hangUpMidBody(urls()[server]);
      await hangUpBeforeAnswer(urls()[server]);
      await sleep(100);
      await stillServing();
    },
  );
});

describe('an oversized body', () => {
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
  afterAll(() => keepAlive.destroy());

  const post = (url: string, body: Buffer, headers: Record<string, string> = {}) =>
    new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', agent: keepAlive, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode as number));
      });
      req.on('error', reject);
      req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
      req.end(body);
    });

  it.each([
    ['api', () => `${urls().api}/notifications`, 11 * 1024 * 1024, () => ({ Authorization: ctx.sandbox.credentials.user.authorization })],
    [
      'stepFunctions',
      () => urls().stepFunctions,
      2 * 1024 * 1024,
      () => ({ 'X-Amz-Target': 'AWSStepFunctions.StartExecution', 'Content-Type': 'application/x-amz-json-1.0' }),
    ],
    ['ses', () => `${urls().ses}/v2/email/outbound-emails`, 41 * 1024 * 1024, () => ({})],
  ] as const)('on %s is refused with 413, and the next request on the same keep-alive agent is served', async (_, url, size, headers) => {
    expect(await post(url(), Buffer.alloc(size, 'x'), headers())).toBe(413);
    expect(await post(url(), Buffer.from('{}'), headers())).toBeLessThan(500);
    await stillServing();
  });
});

describe('the sandbox and its DynamoDB Local', () => {
  let child: ChildProcess | undefined;
  afterAll(() => child?.kill('SIGKILL'));

  it('ends DynamoDB Local when the sandbox process is killed outright', async () => {
    const port = await freePort();
    child = spawn('node_modules/.bin/tsx', ['test/support/run-sandbox.ts', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const ready = await new Promise<{ pid: number; dynamodbUrl: string }>((resolve, reject) => {
      child?.stdout?.on('data', (data: Buffer) => {
        const line = data
          .toString()
          .split('\n')
          .find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line));
      });
      child?.on('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
    });
    expect(ready.dynamodbUrl).toBe(`http://127.0.0.1:${port}`);
    await new DynamoDBClient({ endpoint: ready.dynamodbUrl }).send(new ListTablesCommand({}));
    process.kill(ready.pid, 'SIGKILL');
    child.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        await assertPortFree(port, 'DynamoDB Local');
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(200);
      }
    }
  }, 60_000);

  it('refuses to start over a server already on its port, and leaves nothing running', async () => {
    const leftover: Server = createServer((socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}'));
    const taken = await freePort();
    await new Promise<void>((resolve) => leftover.listen(taken, resolve));
    try {
      await expect(startSandbox({ ports: { dynamodb: taken } })).rejects.toThrow(`port ${taken} for DynamoDB Local is in use`);
      // A later part's port in use: DynamoDB Local, already started, is stopped again.
      const dynamodbPort = await freePort();
      await expect(startSandbox({ ports: { dynamodb: dynamodbPort, api: taken } })).rejects.toThrow(/EADDRINUSE/);
      await sleep(500);
      await assertPortFree(dynamodbPort, 'DynamoDB Local');
    } finally {
      leftover.close();
    }
  }, 60_000);
});
