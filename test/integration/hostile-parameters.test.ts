import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Route, routes } from '../../functions/catalogue';
import { GATEWAY_REQUEST_LINE_AND_HEADERS } from '../../infra/local/api-server';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { uniqueNotification } from '../support/fixtures';
import { caseCount, useSandbox } from '../support/sandbox';

/**
 * No input to any route gives a 5xx: every route of the catalogue, called by the caller it admits,
 * with hostile path parameters, query strings and list cursors (and hostile form fields on the
 * SSC's pages). What each answers is a problem (or, for the SSC's pages, an HTML page), and no
 * hostile call changes a case.
 */
// Its 150-odd cases are filed alike, and no hostile call moves one (checked below): the mail sweep
// takes ten of each kind of email, where the rest would open the same pages in the same state.
const ctx = useSandbox({ mailSweep: { emailsPerSubject: 10 } });

const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '..',
    '../../etc/passwd',
    '%00',
    '%E0%A4%A',
    '%2F%2E%2E',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile input that looks like a template on purpose
    '${jndi:ldap://x}',
    '\u0000\r\nX: y',
    '🦄'.repeat(300),
    '9'.repeat(3000),
    `SUS-NF29F-2026-${'0'.repeat(2000)}1`,
    `SUS-NF29F-2026-${'9'.repeat(3000)}`, // past DynamoDB's 2,048-byte key
    'SUS-NF29F-2026-9999',
    'SUS-9999-99999999999',
    'SUS-nf29f-2026-0001', // lower-case filer code
    'SUS-IL0OU-2026-0001', // letters Crockford's alphabet leaves out
    'SUS-2026-0001', // the old global form
    'CASE#SUS-NF29F-2026-0001',
    'A'.repeat(24),
  ),
);

const encode = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return encodeURIComponent(value.replace(/[\uD800-\uDFFF]/g, '?'));
  }
};

/**
 * Cursors: random strings; base64url JSON with random keys and values; and, most telling, a real
 * position in one of the two listings (the caller's own client id, or a status) with one bend: an
 * attribute of the other listing or an unknown one added, one dropped, or one replaced. Only such
 * a cursor gets past every check but one.
 */
const cursorFor = (ownerIds: string[]) => {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const at = new Date().toISOString();
  const position = fc.oneof(
    fc.constantFrom(...ownerIds).map((ownerId): Record<string, unknown> => ({ pk: 'CASE#SUS-NF29F-2026-0001', sk: 'CASE', receivedAt: at, ownerId })),
    fc
      .constantFrom('Received', 'AwaitingSscDecision')
      .map((status): Record<string, unknown> => ({ pk: 'CASE#SUS-NF29F-2026-0001', sk: 'CASE', receivedAt: at, status })),
  );
  const plausible = fc.oneof(fc.constantFrom('Received', 'Closed', ...ownerIds), hostile, fc.jsonValue({ maxDepth: 2 }));
  const bend = fc.oneof(
    fc.tuple(fc.constantFrom('status', 'ownerId', 'extra', 'sk2'), plausible).map(([key, v]) => (o: Record<string, unknown>) => ({ ...o, [key]: v })),
    fc
      .constantFrom('pk', 'sk', 'receivedAt', 'ownerId', 'status')
      .map((key) => (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key))),
    fc.tuple(fc.constantFrom('pk', 'sk', 'receivedAt', 'ownerId', 'status'), plausible).map(
      ([key, v]) =>
        (o: Record<string, unknown>) =>
          key in o ? { ...o, [key]: v } : o,
    ),
  );
  const bent = fc.tuple(position, bend).map(([p, f]) => b64(f(p)));
  const random = fc
    .record({ pk: hostile, sk: hostile, receivedAt: hostile, ownerId: hostile, status: hostile, extra: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] })
    .map(b64);
  return { any: fc.oneof(hostile, random, bent), bent };
};

const knownKey = fc.constantFrom('limit', 'cursor', 'status', 'owner', 'decision', 'record', 'expires', 'sig');
const queryWith = (cursor: fc.Arbitrary<string>) =>
  fc.oneof(
    fc.constant(''),
    // One parameter alone, so that no other one is refused first.
    fc.tuple(knownKey, fc.oneof(fc.constant(''), hostile, cursor)).map(([k, v]) => `${k}=${encode(v)}`),
    fc
      .array(
        fc.tuple(
          fc.oneof({ arbitrary: knownKey, weight: 4 }, { arbitrary: hostile, weight: 1 }),
          fc.oneof(
            { arbitrary: fc.constant(''), weight: 2 },
            { arbitrary: hostile, weight: 3 },
            { arbitrary: cursor, weight: 3 },
            { arbitrary: fc.integer().map(String), weight: 1 },
          ),
        ),
        { maxLength: 4 },
      )
      .map((pairs) => pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')),
  );

const callerOf = (route: Route) =>
  route.access === 'secas'
    ? 'secas'
    : route.access === 'signed-link' || route.access === 'public'
      ? 'anonymous'
      : route.access === 'user-or-secas'
        ? Math.random() < 0.5
          ? 'user'
          : 'secas'
        : 'user';

/** A body each route takes as valid, so that what answers is the parameter, not the body. */
const validBodies: Record<string, unknown> = {
  SubmitNotification: null,
  AnswerInformationRequest: { answer: 'An answer.' },
  WithdrawNotification: { reason: 'No longer needed.' },
  // A Working Day ahead of the sandbox's day, whatever that is: a fixed date would be in the past one day.
  RecordAssessment: { scheduledOn: addWorkingDays(londonDate(new Date()), 10) },
};
const bodyFor = (route: Route, hostileValue: string) => {
  if (route.access === 'signed-link')
    return {
      type: 'application/x-www-form-urlencoded',
      body: new URLSearchParams({ decision: hostileValue, expires: hostileValue, sig: hostileValue, advice: hostileValue }).toString(),
    };
  return { type: 'application/json', body: JSON.stringify(validBodies[route.name] ?? uniqueNotification()) };
};

const references: string[] = [];
beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    const response = await ctx.api('user').post('/notifications', uniqueNotification());
    references.push(((await response.json()) as { reference: string }).reference);
  }
});

const statuses: Record<string, Record<number, number>> = {};
const count = (key: string, status: number) => {
  statuses[key] ??= {};
  (statuses[key] as Record<number, number>)[status] = ((statuses[key] as Record<number, number>)[status] ?? 0) + 1;
};

/** One call as its route's caller, and what must hold of any answer. */
const call = async (route: Route, value: string, search: string): Promise<number> => {
  const path = route.path.replace(/\{\w+\}/, encode(value));
  const url = `${path}${search ? `?${search}` : ''}`;
  const { type, body } = bodyFor(route, value);
  // A route that takes any method is tried with each, chosen by the value.
  const method = route.method === 'ANY' ? (['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'] as const)[value.length % 6] : route.method;
  const response = await ctx.api(callerOf(route)).fetch(url, { method, headers: { 'Content-Type': type }, ...(method === 'POST' ? { body } : {}) });
  count(`${route.method} ${route.path}`, response.status);
  expect(response.status, `${route.method} ${url}`).toBeLessThan(500);
  // A request line longer than an HTTP API admits with its headers (10,240 bytes: API Gateway's quota)
  // reaches no route: the gateway refuses it (and, with the headers, one a little shorter).
  if (Buffer.byteLength(`${method} ${url} HTTP/1.1`) > GATEWAY_REQUEST_LINE_AND_HEADERS)
    expect(response.status, `${route.method} ${url.slice(0, 200)}…`).toBe(431);
  if (response.status === 431) {
    expect(await response.json()).toEqual({ message: 'HTTP header is larger than 10240 bytes.' });
    return response.status;
  }
  const contentType = response.headers.get('content-type') ?? '';
  if (method === 'HEAD') return response.status;
  // The token endpoint answers OAuth's errors (RFC 6749 §5.2), never a problem document.
  if (route.access === 'client-assertion') expect(await response.json(), url).toHaveProperty('error');
  // API Gateway's own answers, before any Lambda: a malformed path (400), a path no route matches (404).
  else if (contentType === 'application/json' && (response.status === 400 || response.status === 404))
    expect(await response.json()).toEqual({ message: response.status === 400 ? 'Bad Request' : 'Not Found' });
  else if (route.access === 'signed-link') expect(contentType, url).toContain('text/html');
  else if (response.status >= 400) expect(contentType, url).toBe('application/problem+json');
  return response.status;
};

describe('hostile path, query and cursor parameters on every route', () => {
  let before = 0;
  let created = 0;
  beforeAll(async () => {
    before = await caseCount(ctx.sandbox.tableName);
  });
  afterAll(async () => {
    // Only POST /notifications (whose body is valid; its query is ignored) creates cases.
    expect(await caseCount(ctx.sandbox.tableName)).toBe(before + created);
    for (const reference of references)
      expect(((await (await ctx.api('user').get(`/notifications/${reference}`)).json()) as { status: string }).status).not.toBe('Withdrawn');
    const calls = Object.values(statuses).reduce((n, s) => n + Object.values(s).reduce((a, b) => a + b, 0), 0);
    const lines = Object.entries(statuses).map(
      ([route, s]) =>
        `  ${route.padEnd(48)} ${Object.entries(s)
          .map(([code, n]) => `${code}×${n}`)
          .join(' ')}`,
    );
    process.stdout.write(`hostile parameters: ${calls} calls, 0 server errors\n${lines.join('\n')}\n`);
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s never answers 5xx, and answers a problem or a page',
    async (_, route) => {
      const ids = () => [ctx.sandbox.credentials.user.clientId, ctx.sandbox.credentials.secas.clientId];
      await fc.assert(
        fc.asyncProperty(hostile, queryWith(cursorFor(ids()).any), async (value, search) => {
          if ((await call(route, value, search)) === 201) created++;
        }),
        { numRuns: 150 },
      );
    },
    120_000,
  );

  it('GET /notifications never answers 5xx to a real position bent by one attribute, alone or with a filter', async () => {
    const route = routes.find((r) => r.name === 'ListNotifications') as Route;
    const { bent } = cursorFor([ctx.sandbox.credentials.user.clientId, ctx.sandbox.credentials.secas.clientId]);
    const filter = fc.oneof(fc.constant(''), fc.constantFrom('&status=Received', '&limit=1', `&owner=${ctx.sandbox.credentials.user.clientId}`, '&owner='));
    await fc.assert(
      fc.asyncProperty(bent, filter, async (cursor, more) => {
        await call(route, '', `cursor=${cursor}${more}`);
      }),
      { numRuns: 400 },
    );
  }, 120_000);
});
