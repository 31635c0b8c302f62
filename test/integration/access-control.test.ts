import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { InvokeStore } from '@aws/lambda-invoke-store';
import { SignJWT, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamodbClient } from '../../functions/adapters/aws-clients';
import { signWithAccessTokenKey } from '../../functions/adapters/access-token-key';
import { routeScopes, routes } from '../../functions/catalogue';
import { scopes } from '../../functions/domain/caller';
import { filerCode } from '../../functions/domain/reference';
import { FUNCTION_NAME } from '../../infra/local/lambda-context';
import { uniqueNotification } from '../support/fixtures';
import { caseCount, useSandbox } from '../support/sandbox';

/** Who may do what, over HTTP against the sandbox's API Gateway, the Lambda authorizer and the real handlers. */
const ctx = useSandbox();

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const withToken = (token: string) => ({ Authorization: `Bearer ${token}` });
const userToken = () => ctx.sandbox.credentials.user.authorization.slice('Bearer '.length);

const file = async (as: 'user' | 'otherUser' = 'user') => {
  const response = await ctx.api(as).post('/notifications', uniqueNotification());
  expect(response.status).toBe(201);
  return ((await response.json()) as { reference: string }).reference;
};

let reference: string;
beforeAll(async () => {
  reference = await file('user');
});

describe('authentication', () => {
  const protectedRoutes = routes.filter((r) => routeScopes(r).length > 0);
  const pathOf = (route: (typeof routes)[number]) =>
    route.path.replace('{reference}', reference).replace('{clientId}', ctx.sandbox.credentials.user.clientId).replace('{kid}', 'user-sandbox-1');

  it.each(protectedRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    "%s without a token: API Gateway's 401, the authorizer never invoked, nothing written",
    async (_, route) => {
      const before = await caseCount(ctx.sandbox.tableName);
      const invoked = ctx.sandbox.lambda.release.invocations.get('AuthorizeRequest') ?? 0;
      const response = await fetch(`${ctx.sandbox.apiUrl}${pathOf(route)}`, {
        method: route.method,
        headers: { 'Content-Type': 'application/json' },
        ...(route.method === 'POST' ? { body: JSON.stringify(uniqueNotification()) } : {}),
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: 'Unauthorized' });
      expect(ctx.sandbox.lambda.release.invocations.get('AuthorizeRequest') ?? 0).toBe(invoked);
      expect(await caseCount(ctx.sandbox.tableName)).toBe(before);
    },
  );

  it("refuses forged, altered, expired, unsigned and foreign tokens with the authorizer's 403", async () => {
    const claims = JSON.parse(Buffer.from(userToken().split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>;
    const { privateKey } = await generateKeyPair('ES256');
    // Our claims, our header, someone else's key.
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' }).sign(privateKey);
    const [header, payload, signature] = userToken().split('.');
    const altered = [
      header,
      b64({ ...claims, sub: ctx.sandbox.credentials.otherUser.clientId, client_id: ctx.sandbox.credentials.otherUser.clientId }),
      signature,
    ].join('.');
    const unsigned = [b64({ alg: 'none', typ: 'at+jwt' }), payload, ''].join('.');
    const signedByTheApi = async (changes: Record<string, unknown>, head: Record<string, unknown> = { alg: 'ES256', typ: 'at+jwt' }) => {
      const input = `${b64(head)}.${b64({ ...claims, ...changes })}`;
      return `${input}.${await signWithAccessTokenKey(input)}`;
    };
    const now = Math.floor(Date.now() / 1000);
    const tokens = {
      forged,
      altered,
      unsigned,
      expired: await signedByTheApi({ iat: now - 7200, exp: now - 3600 }),
      'another issuer': await signedByTheApi({ iss: 'https://elsewhere.example' }),
      'a SECAS scope claimed by a User': await signedByTheApi({ scope: scopes.secas }),
      'a kid the User never had': await signedByTheApi({ cnf_kid: 'not-registered' }),
      'an HS256 token keyed with the public key': await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
        .sign(new TextEncoder().encode(ctx.sandbox.accessTokenKeyArn)),
      garbage: 'not-a-jwt',
    };
    for (const [what, token] of Object.entries(tokens)) {
      const response = await fetch(`${ctx.sandbox.apiUrl}/notifications/${reference}`, { headers: withToken(token) });
      expect(response.status, what).toBe(403);
      expect(await response.json(), what).toEqual({ message: 'Forbidden' });
    }
    expect((await fetch(`${ctx.sandbox.apiUrl}/notifications/${reference}`, { headers: { Authorization: `Basic ${b64('x')}` } })).status).toBe(403);
  });

  it("caches the authorizer's answer per token and route, never across routes", async () => {
    const secasRoute = `${ctx.sandbox.apiUrl}/notifications/${reference}/assessment`;
    // The User's token is allowed on its own route, then refused on SECAS's: the cached allow is not reused.
    expect((await ctx.api('user').get(`/notifications/${reference}`)).status).toBe(200);
    const refused = await fetch(secasRoute, { method: 'POST', headers: { ...withToken(userToken()), 'Content-Type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(403);
  });
});

it('answers a malformed percent-encoding in the path with 400, and keeps serving', async () => {
  expect((await fetch(`${ctx.sandbox.apiUrl}/decisions/%E0%A4%A`)).status).toBe(400);
  expect((await ctx.api().get(`/notifications/%E0%A4%A`)).status).toBe(400);
  expect((await ctx.api().get(`/notifications/${reference}`)).status).toBe(200);
});

describe('authorisation', () => {
  it("keeps a User's case from another User: 404 to read, answer or withdraw, and nothing changes", async () => {
    const other = ctx.api('otherUser');
    const read = await other.get(`/notifications/${reference}`);
    expect(read.status).toBe(404);
    expect(read.headers.get('content-type')).toBe('application/problem+json');
    expect((await other.post(`/notifications/${reference}/withdrawal`, { reason: 'not mine' })).status).toBe(404);
    expect((await other.post(`/notifications/${reference}/information`, { answer: 'not mine' })).status).toBe(404);
    const own = (await (await ctx.api('user').get(`/notifications/${reference}`)).json()) as Record<string, any>;
    expect(own.owner).toBe(ctx.sandbox.credentials.user.clientId);
    expect(own.withdrawal).toBeUndefined();
    expect(own.history.map((e: { type: string }) => e.type)).not.toContain('WithdrawalRequested');
  });

  it("reads nothing of another User's case before its 404 but, when the two Users' filer codes clash, its key and owner", async () => {
    // Every DynamoDB request the case routes' handlers make, as the SDK sends it.
    const sent: Array<{ fn: string; command: string; input: Record<string, unknown> }> = [];
    const watched = new Set(['GetNotification', 'AnswerInformationRequest', 'WithdrawNotification']);
    const name = `watch-${Date.now()}`;
    dynamodbClient().middlewareStack.add(
      (next: (args: any) => Promise<any>, context: { commandName?: string }) => async (args: any) => {
        const fn = (await InvokeStore.getInstanceAsync(true)).get<string>(FUNCTION_NAME) ?? '';
        if (watched.has(fn)) sent.push({ fn, command: context.commandName ?? '', input: args.input });
        return next(args);
      },
      { step: 'initialize', name },
    );
    try {
      // The case under the other User's own filer code, owned by the User: what a clash of the two
      // codes would make (at a number the other User's own filings never reach).
      const { Item } = await dynamodbClient().send(
        new GetItemCommand({ TableName: ctx.sandbox.tableName, Key: { pk: { S: `CASE#${reference}` }, sk: { S: 'CASE' } } }),
      );
      const clashing = reference.replace(/^SUS-[^-]+/, `SUS-${filerCode(ctx.sandbox.credentials.otherUser.clientId)}`).replace(/-\d+$/, '-987654321');
      await dynamodbClient().send(
        new PutItemCommand({ TableName: ctx.sandbox.tableName, Item: { ...Item, pk: { S: `CASE#${clashing}` }, reference: { S: clashing } } }),
      );
      sent.length = 0;
      const other = ctx.api('otherUser');
      for (const ref of [reference, clashing]) {
        expect((await other.get(`/notifications/${ref}`)).status).toBe(404);
        expect((await other.post(`/notifications/${ref}/information`, { answer: 'not mine' })).status).toBe(404);
        expect((await other.post(`/notifications/${ref}/withdrawal`, {})).status).toBe(404);
      }
      // The reference as filed carries the User's filer code: no read at all. The clashing one: one
      // consistent GetItem of the key and owner per request, never the case's texts.
      expect(sent.map((s) => s.fn)).toEqual(['GetNotification', 'AnswerInformationRequest', 'WithdrawNotification']);
      for (const { command, input } of sent) {
        expect(command).toBe('GetItemCommand');
        expect(input).toMatchObject({ Key: { pk: `CASE#${clashing}`, sk: 'CASE' }, ProjectionExpression: 'pk, ownerId', ConsistentRead: true });
      }
      // The owner still reads the case: one read of its owner, then the whole case.
      sent.length = 0;
      expect((await ctx.api('user').get(`/notifications/${reference}`)).status).toBe(200);
      expect(sent.map((s) => s.command)).toEqual(['GetItemCommand', 'QueryCommand']);
      // A copy made by hand, not a case the product stored: its history's chain names the reference it was filed under.
      await dynamodbClient().send(new DeleteItemCommand({ TableName: ctx.sandbox.tableName, Key: { pk: { S: `CASE#${clashing}` }, sk: { S: 'CASE' } } }));
    } finally {
      dynamodbClient().middlewareStack.remove(name);
    }
  });

  it('lets SECAS read any case, and keeps SECAS from filing and Users from recording assessments (403)', async () => {
    const seen = await ctx.api('secas').get(`/notifications/${reference}`);
    expect(seen.status).toBe(200);
    const before = await caseCount(ctx.sandbox.tableName);
    const filed = await ctx.api('secas').post('/notifications', uniqueNotification());
    expect(filed.status).toBe(403);
    expect(await caseCount(ctx.sandbox.tableName)).toBe(before);
    const recorded = await ctx.api('user').post(`/notifications/${reference}/assessment`, { scheduledOn: '2099-01-05' });
    expect(recorded.status).toBe(403);
    const after = (await (await ctx.api('secas').get(`/notifications/${reference}`)).json()) as Record<string, any>;
    expect(after.assessment).toBeUndefined();
  });

  it('keeps Idempotency-Keys per User: the same key from two Users files two cases', async () => {
    const key = `shared-key-${Date.now()}`;
    const a = await ctx.api('user').post('/notifications', uniqueNotification(), { 'Idempotency-Key': key });
    const b = await ctx.api('otherUser').post('/notifications', uniqueNotification(), { 'Idempotency-Key': key });
    expect([a.status, b.status]).toEqual([201, 201]);
    const [ra, rb] = [(await a.json()) as { reference: string }, (await b.json()) as { reference: string }];
    expect(ra.reference).not.toBe(rb.reference);
  });
});

describe('GET /notifications', () => {
  it("lists only the caller's own cases, newest first, a page at a time", async () => {
    const mine = [await file('otherUser'), await file('otherUser'), await file('otherUser')];
    const other = ctx.api('otherUser');
    const seen: string[] = [];
    let next: string | undefined = '/notifications?limit=2';
    let pages = 0;
    while (next) {
      const response = await other.get(next);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { items: Array<{ reference: string; owner: string; receivedAt: string }>; links: { next?: string } };
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const item of page.items) expect(item.owner).toBe(ctx.sandbox.credentials.otherUser.clientId);
      seen.push(...page.items.map((i) => i.reference));
      next = page.links.next;
      pages++;
    }
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(seen).not.toContain(reference);
    // Newest first: the last filed comes before the first.
    expect(seen.indexOf(mine[2] as string)).toBeLessThan(seen.indexOf(mine[0] as string));
    for (const r of mine) expect(seen).toContain(r);
  });

  it("refuses a cursor bent towards another User's cases, and bad or unknown parameters, as problems", async () => {
    const first = (await (await ctx.api('user').get('/notifications?limit=1')).json()) as { links: { next?: string } };
    const cursor = new URL(first.links.next as string, 'http://x').searchParams.get('cursor') as string;
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Record<string, unknown>;
    const bent = b64({ ...decoded, ownerId: ctx.sandbox.credentials.user.clientId });
    expect((await ctx.api('otherUser').get(`/notifications?cursor=${bent}`)).status).toBe(400);
    expect((await ctx.api('otherUser').get(`/notifications?cursor=${cursor}`)).status).toBe(400);
    expect((await ctx.api('user').get('/notifications?cursor=%7B%7D')).status).toBe(400);
    const bad = await ctx.api('user').get('/notifications?limit=1000&colour=red');
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await bad.json()) as { errors: Array<{ pointer: string }> };
    expect(problem.errors.map((e) => e.pointer).sort()).toEqual(['/colour', '/limit']);
    expect((await ctx.api('user').get(`/notifications?owner=${ctx.sandbox.credentials.otherUser.clientId}`)).status).toBe(403);
  });

  it('lets SECAS list one User, or one status across Users, and asks it to say which', async () => {
    const secas = ctx.api('secas');
    const byOwner = (await (await secas.get(`/notifications?owner=${ctx.sandbox.credentials.user.clientId}&limit=100`)).json()) as {
      items: Array<{ reference: string; owner: string }>;
    };
    expect(byOwner.items.map((i) => i.reference)).toContain(reference);
    expect(new Set(byOwner.items.map((i) => i.owner))).toEqual(new Set([ctx.sandbox.credentials.user.clientId]));
    const byStatus = (await (await secas.get('/notifications?status=AwaitingSscDecision&limit=100')).json()) as {
      items: Array<{ status: string; owner: string }>;
    };
    expect(byStatus.items.length).toBeGreaterThan(1);
    expect(new Set(byStatus.items.map((i) => i.status))).toEqual(new Set(['AwaitingSscDecision']));
    expect(new Set(byStatus.items.map((i) => i.owner)).size).toBe(2);
    expect((await secas.get('/notifications')).status).toBe(400);
  });
});
