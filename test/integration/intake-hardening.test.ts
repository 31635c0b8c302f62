import { type AttributeValue, DynamoDBClient, GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sendEmail } from '../../functions/adapters/mailer';
import { filerCode, referenceYear } from '../../functions/domain/reference';
import { fixtureForToday, uniqueNotification } from '../support/fixtures';
import { type Mutation, applied, hostileString, mutations } from '../support/hostile-bodies';
import { caseCount as countCases, useSandbox, waitForEmail } from '../support/sandbox';

/** Retries, concurrency, oversized and hostile bodies, against the real local servers. */
// Its four hundred-odd cases are filed alike and all wait for the SSC: the mail sweep takes ten of
// each kind of email, where the rest would open the same pages in the same state (45 s of sweep).
const ctx = useSandbox({ mailSweep: { emailsPerSubject: 10 } });

const dynamodb = new DynamoDBClient({});

const caseCount = () => countCases(ctx.sandbox.tableName);

/** The last reference number issued to the User this year: a case cannot exist without one. */
const lastReferenceNumber = async () => {
  const filer = filerCode(ctx.sandbox.credentials.user.clientId);
  const { Item } = await dynamodb.send(
    new GetItemCommand({
      TableName: ctx.sandbox.tableName,
      Key: { pk: { S: `REFERENCE_SEQUENCE#${filer}#${referenceYear(new Date())}` }, sk: { S: 'SEQUENCE' } },
      ConsistentRead: true,
    }),
  );
  return Number(Item?.lastNumber?.N ?? 0);
};
const executionCount = () => ctx.sandbox.stepFunctions.listExecutions().length;
const key = () => `test-${crypto.randomUUID()}`;

describe('Idempotency-Key on POST /notifications', () => {
  it('gives a retry with the same key and body the same case, once', async () => {
    const body = uniqueNotification();
    const k = key();
    const [cases, executions] = [await caseCount(), executionCount()];
    const first = await ctx.api().post('/notifications', body, { 'Idempotency-Key': k });
    const retry = await ctx.api().post('/notifications', body, { 'Idempotency-Key': k });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(((await retry.json()) as { reference: string }).reference).toBe(((await first.json()) as { reference: string }).reference);
    expect(await caseCount()).toBe(cases + 1);
    expect(executionCount()).toBe(executions + 1);
  });

  it('says a retry is a replay (Idempotent-Replayed: true) and answers it with the first answer, the case as it was filed', async () => {
    const body = uniqueNotification();
    const k = key();
    const first = await ctx.api().post('/notifications', body, { 'Idempotency-Key': k });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const filed = (await first.json()) as { reference: string; status: string };
    // The case moves on (its workflow starts, the SSC is asked); the replay still gives the first answer.
    await waitForEmail(ctx.sandbox.sesUrl, body.contact.email, 'Received');
    const now = (await (await ctx.api().get(`/notifications/${filed.reference}`)).json()) as { status: string; history: unknown[] };
    expect(now.history.length).toBeGreaterThan(1);
    const retry = await ctx.api().post('/notifications', body, { 'Idempotency-Key': k });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.headers.get('location')).toBe(`/notifications/${filed.reference}`);
    expect(await retry.json()).toEqual(filed);
    // Without a key, nothing is a replay.
    expect((await ctx.api().post('/notifications', uniqueNotification())).headers.get('idempotent-replayed')).toBeNull();
  });

  it('reads a replay stored before answers said so (the bare case) as a replay', async () => {
    const body = uniqueNotification();
    const k = key();
    const first = (await (await ctx.api().post('/notifications', body, { 'Idempotency-Key': k })).json()) as { reference: string };
    // Rewrite the stored answer in the shape it had before: the case record alone.
    const scan = await dynamodb.send(
      new ScanCommand({
        TableName: ctx.sandbox.tableName,
        FilterExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: 'IDEMPOTENCY#SubmitNotification' } },
      }),
    );
    const stored = (scan.Items ?? []).find((item) => item.data && unmarshall({ data: item.data }).data?.record?.reference === first.reference);
    expect(stored).toBeDefined();
    const { record } = unmarshall({ data: stored?.data as AttributeValue }).data as { record: Record<string, unknown> };
    await dynamodb.send(
      new PutItemCommand({
        TableName: ctx.sandbox.tableName,
        Item: { ...stored, data: marshall({ data: record }, { removeUndefinedValues: true }).data as AttributeValue },
      }),
    );
    const retry = await ctx.api().post('/notifications', body, { 'Idempotency-Key': k });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(((await retry.json()) as { reference: string }).reference).toBe(first.reference);
  });

  it('answers 409 when the same key comes with a different body', async () => {
    const k = key();
    expect((await ctx.api().post('/notifications', uniqueNotification(), { 'Idempotency-Key': k })).status).toBe(201);
    const cases = await caseCount();
    const reused = await ctx.api().post('/notifications', uniqueNotification(), { 'Idempotency-Key': k });
    expect(reused.status).toBe(409);
    expect(((await reused.json()) as { type: string }).type).toMatch(/idempotency-key-reused$/);
    expect(await caseCount()).toBe(cases);
  });

  it('makes one case of 20 simultaneous requests with one key', async () => {
    const body = uniqueNotification();
    const k = key();
    const cases = await caseCount();
    const responses = await Promise.all(Array.from({ length: 20 }, () => ctx.api().post('/notifications', body, { 'Idempotency-Key': k })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const references = new Set(
      await Promise.all(responses.filter((r) => r.status === 201).map(async (r) => ((await r.json()) as { reference: string }).reference)),
    );
    expect(references.size).toBe(1);
    expect(await caseCount()).toBe(cases + 1);
  });

  it('refuses a malformed key', async () => {
    expect((await ctx.api().post('/notifications', uniqueNotification(), { 'Idempotency-Key': 'x' })).status).toBe(400);
  });
});

describe('concurrency and size', () => {
  it('makes exactly 200 cases with distinct references from 200 simultaneous submissions', async () => {
    const [cases, executions] = [await caseCount(), executionCount()];
    const responses = await Promise.all(Array.from({ length: 200 }, () => ctx.api().post('/notifications', uniqueNotification())));
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(201));
    const references = await Promise.all(responses.map(async (r) => ((await r.json()) as { reference: string }).reference));
    expect(new Set(references).size).toBe(200);
    expect(await caseCount()).toBe(cases + 200);
    expect(executionCount()).toBe(executions + 200);
    // Not a performance bound (the bench holds those): 200 filings, their executions' first steps
    // and their emails, in one process beside two other test files, take 20 to 30 s.
  }, 90_000);

  it('answers 413 to a body over 256 KiB, storing nothing', async () => {
    const body = uniqueNotification((b) => (b.newUserSystem.securityArchitectureSummary = 'x'.repeat(300 * 1024)));
    const cases = await caseCount();
    const response = await ctx.api().post('/notifications', body);
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await caseCount()).toBe(cases);
  });
});

describe('text that is not Unicode', () => {
  it('refuses half a surrogate pair in a value or a key (422 at its pointer), storing nothing', async () => {
    const cases = await caseCount();
    const inValue = JSON.stringify(uniqueNotification()).replace('"name":"Harbour Non-Domestic Portal"', '"name":"Harbour \\ud83e Portal"');
    const inKey = JSON.stringify({ ...uniqueNotification(), 'x\ud800': 1 }).replace('x\ud800', 'x\\ud800');
    for (const [body, pointer] of [
      [inValue, '/newUserSystem/name'],
      [inKey, '/x\ufffd'],
    ] as const) {
      expect(body).toMatch(/\\ud8/);
      const response = await ctx.api().fetch('/notifications', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      expect(response.status).toBe(422);
      expect(((await response.json()) as { errors: Array<{ pointer: string }> }).errors).toEqual([expect.objectContaining({ pointer })]);
    }
    expect(await caseCount()).toBe(cases);
  });

  it('refuses a body that is not UTF-8 (400), as API Gateway passes it: as text for application/json, base64-encoded for other JSON types', async () => {
    const cases = await caseCount();
    const json = Buffer.from(JSON.stringify(uniqueNotification((b) => (b.newUserSystem.name = 'Harbour XX Portal'))));
    const at = json.indexOf('XX');
    json[at] = 0xff;
    json[at + 1] = 0xfe;
    for (const type of ['application/json', 'application/json; charset=utf-8', 'application/vnd.sec+json']) {
      const response = await ctx.api().fetch('/notifications', { method: 'POST', headers: { 'Content-Type': type }, body: json });
      expect(response.status, type).toBe(400);
      const problem = (await response.json()) as { type: string; detail: string };
      expect(problem.type).toMatch(/invalid-encoding$/);
      expect(problem.detail).toMatch(/UTF-8/);
    }
    // A replacement character sent as such is one a decoder made; sent as an escape, it is meant.
    const raw = JSON.stringify(uniqueNotification((b) => (b.newUserSystem.name = 'Harbour \ufffd Portal')));
    expect((await ctx.api().fetch('/notifications', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: raw })).status).toBe(400);
    expect(await caseCount()).toBe(cases);
    const escaped = raw.replace('\ufffd', '\\ufffd');
    expect((await ctx.api().fetch('/notifications', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: escaped })).status).toBe(201);
  });

  it('refuses a key given twice in one object, at any depth and however spelled (400 naming it), storing nothing', async () => {
    const cases = await caseCount();
    const body = JSON.stringify(uniqueNotification());
    for (const [twice, key] of [
      [body.replace('{"party":', '{"withheldDetails":"a","withheldDetails":"b","party":'), 'withheldDetails'],
      [body.replace('"name":"Harbour Non-Domestic Portal"', '"name":"Harbour Non-Domestic Portal","name":"Other Portal"'), 'name'],
      [body.replace('"kind":"SharedResourceProvider"', '"kind":"SharedResourceProvider","\\u006bind":"InHouse"'), 'kind'],
    ] as const) {
      const response = await ctx.api().fetch('/notifications', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: twice });
      expect(response.status, twice.slice(0, 80)).toBe(400);
      const problem = (await response.json()) as { type: string; detail: string };
      expect(problem.type).toMatch(/duplicate-key$/);
      expect(problem.detail).toContain(`"${key}"`);
      expect(problem.detail).toMatch(/line 1, column \d+/);
    }
    expect(await caseCount()).toBe(cases);
  });

  it('keeps whole emoji in a subject cut to length', async () => {
    const body = uniqueNotification((b) => (b.newUserSystem.name = '🦄'.repeat(200)));
    expect((await ctx.api().post('/notifications', body)).status).toBe(201);
    const { subject } = await waitForEmail(ctx.sandbox.sesUrl, body.contact.email, 'Received');
    expect(subject.isWellFormed()).toBe(true);
    expect(subject.endsWith('🦄…')).toBe(true);
  });
});

describe('invisible formatting characters', () => {
  it('refuses them in one-line fields (422 naming the field and the character), storing nothing; longer texts keep them', async () => {
    const cases = await caseCount();
    for (const [path, value] of [
      ['/newUserSystem/name', 'Portal \u202eexe.txt'],
      ['/party/name', 'Northwold\u200b Energy'],
      ['/contact/name', 'Alex\ufeffMorgan'],
    ] as const) {
      const body = uniqueNotification((b) => {
        const [, head, tail] = path.split('/') as [string, string, string];
        b[head][tail] = value;
      });
      const response = await ctx.api().post('/notifications', body);
      expect(response.status).toBe(422);
      const { errors } = (await response.json()) as { errors: Array<{ pointer: string; detail: string }> };
      expect(errors).toEqual([{ pointer: path, detail: expect.stringMatching(/invisible formatting characters.*U\+(202E|200B|FEFF)/) }]);
    }
    expect(await caseCount()).toBe(cases);
    const kept = uniqueNotification((b) => (b.newUserSystem.purpose = 'A portal for \u2067العربية\u2069 customers'));
    expect((await ctx.api().post('/notifications', kept)).status).toBe(201);
  });

  it('never reach an email header: the mailer strips them from the subject whoever composed it', async () => {
    const to = `formatting+${crypto.randomUUID().slice(0, 8)}@example.org`;
    await sendEmail(
      { notice: 'Acknowledgement', to: [to], subject: 'Case \u202eexe.txt\u200b\u2066 \u00adready\ufeff', text: 'x', html: '<p>x</p>' },
      'SUS-NF29F-2026-0001',
    );
    const { subject } = await waitForEmail(ctx.sandbox.sesUrl, to);
    expect(subject).toBe('Case exe.txt ready');
  });
});

/** Bodies a client might send: valid, one part dropped, one field broken, an extra field, or raw text. */
const mutation = mutations(['party', 'contact', 'newUserSystem', 'userRoles', 'existingUserSystem'], hostileString(), [
  'party.name',
  'contact.email',
  'newUserSystem.plannedLiveOn',
  'newUserSystem.operator',
  'userRoles',
  'newUserSystem.alreadyInUse',
  'newUserSystem.userIds',
]);

/** The notice for today with a fresh contact address (no two bodies' cases alike), the mutation applied. */
const bodyFor = (m: Mutation): string => {
  const body = fixtureForToday();
  body.contact.email = `fuzz+${crypto.randomUUID().slice(0, 8)}@example.org`;
  return applied(body, m);
};

describe('hostile input', () => {
  it('never answers 5xx and never half-writes, over 1,000 generated bodies', async () => {
    const seen = { created: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const [numbered, executions] = [await lastReferenceNumber(), executionCount()];
        const response = await ctx.api().fetch('/notifications', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: bodyFor(m) });
        expect(response.status).toBeLessThan(500);
        if (response.status === 201) {
          seen.created++;
          const { reference } = (await response.json()) as { reference: string };
          expect((await ctx.api().get(`/notifications/${reference}`)).status).toBe(200);
          expect(ctx.sandbox.stepFunctions.listExecutions().some((e) => e.name === reference)).toBe(true);
          expect(executionCount()).toBe(executions + 1);
        } else {
          seen.refused++;
          expect(response.headers.get('content-type')).toBe('application/problem+json');
          expect(await lastReferenceNumber()).toBe(numbered);
          expect(executionCount()).toBe(executions);
        }
      }),
      { numRuns: 1000 },
    );
    // The generator must exercise both sides, or the property says little.
    expect(seen.created).toBeGreaterThan(50);
    expect(seen.refused).toBeGreaterThan(500);
    process.stdout.write(`hostile input: ${seen.created} accepted, ${seen.refused} refused, 0 server errors\n`);
  }, 240_000);
});
