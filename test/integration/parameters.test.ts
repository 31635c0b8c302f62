import { beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { uniqueNotification } from '../support/fixtures';
import { useSandbox } from '../support/sandbox';

/** Path and query parameters that once reached DynamoDB as they came and answered 500. */
const ctx = useSandbox();

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
const cursorOf = (next: string) => new URL(next, 'http://x').searchParams.get('cursor') as string;

beforeAll(async () => {
  for (let i = 0; i < 3; i++) expect((await ctx.api('user').post('/notifications', uniqueNotification())).status).toBe(201);
});

describe('a reference longer than a DynamoDB key allows', () => {
  const long = `SUS-NF29F-2026-${'9'.repeat(3000)}`;
  it.each([
    ['GET', `/notifications/${long}`, 'user', undefined],
    ['POST', `/notifications/${long}/information`, 'user', { answer: 'x' }],
    ['POST', `/notifications/${long}/withdrawal`, 'user', {}],
    ['POST', `/notifications/${long}/assessment`, 'secas', { scheduledOn: addWorkingDays(londonDate(new Date()), 10) }],
  ] as const)('%s %s… is a 404 problem', async (method, path, as, body) => {
    const response = method === 'GET' ? await ctx.api(as).get(path) : await ctx.api(as).post(path, body);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('list parameters', () => {
  it('refuses an empty owner from SECAS with a 422 naming it', async () => {
    const response = await ctx.api('secas').get('/notifications?owner=');
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: Array<{ pointer: string }> };
    expect(problem.errors.map((e) => e.pointer)).toEqual(['/owner']);
  });

  it('takes limit only in plain decimal digits: hexadecimal, exponents, signs, spaces and fractions are a 422 naming it', async () => {
    for (const limit of ['0x10', '1e2', '%2B7', '%207', '7.0', '0b11', '', '1000']) {
      const response = await ctx.api('user').get(`/notifications?limit=${limit}`);
      expect(response.status, limit).toBe(422);
      const problem = (await response.json()) as { errors: Array<{ pointer: string; detail: string }> };
      expect(problem.errors, limit).toEqual([{ pointer: '/limit', detail: expect.stringMatching(/decimal digits/) }]);
    }
    for (const limit of ['7', '007', '100']) expect((await ctx.api('user').get(`/notifications?limit=${limit}`)).status, limit).toBe(200);
  });

  it("refuses a cursor with the caller's own keys plus an attribute its index does not have", async () => {
    const first = (await (await ctx.api('user').get('/notifications?limit=1')).json()) as { links: { next: string } };
    const cursor = decode(cursorOf(first.links.next));
    expect(Object.keys(cursor).sort()).toEqual(['ownerId', 'pk', 'receivedAt', 'sk']);
    // The same cursor unchanged continues the listing.
    expect((await ctx.api('user').get(`/notifications?limit=1&cursor=${cursorOf(first.links.next)}`)).status).toBe(200);
    for (const bent of [
      { ...cursor, status: 'Received' },
      { ...cursor, ownerId: undefined, status: 'Received' },
    ]) {
      const response = await ctx.api('user').get(`/notifications?limit=1&cursor=${b64(bent)}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { type: string }).type).toMatch(/invalid-cursor$/);
    }
  });

  it("refuses SECAS's status cursor with an owner added", async () => {
    const first = (await (await ctx.api('secas').get('/notifications?status=Received&limit=1')).json()) as { links: { next?: string } };
    const page = first.links.next ? decode(cursorOf(first.links.next)) : undefined;
    const cursor = page ?? { pk: 'CASE#SUS-NF29F-2026-0001', sk: 'CASE', status: 'Received', receivedAt: new Date().toISOString() };
    const response = await ctx.api('secas').get(`/notifications?status=Received&cursor=${b64({ ...cursor, ownerId: 'x' })}`);
    expect(response.status).toBe(400);
  });
});
