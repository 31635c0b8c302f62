import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordDisposal } from '../../functions/adapters/case-disposal';
import { HISTORY_COMPACT_AT, appendCaseEvent, getCase } from '../../functions/adapters/cases-repository';
import { CaseDisposal } from '../../functions/domain/disposal';
import type { ChainReport } from '../../functions/domain/history-chain';
import { PROBLEM_TYPE_BASE } from '../../functions/domain/problem';
import { caseEndedAt, defaultRetentionSchedule } from '../../functions/domain/retention';
import { dateInWords } from '../../functions/domain/wording';
import { addMonths, londonDate, londonInstant } from '../../functions/domain/working-days';
import type { ErasureRun } from '../../functions/use-cases/retention';
import { describeReport, verifyTable } from '../../infra/tools/verify-history';
import { itemSize } from '../support/item-size';
import { emailsTo, waitUntil } from '../support/sandbox';
import { type Item, caseItems } from '../support/case-items';
import { useWorkflow } from '../support/workflow';

/**
 * Disposal at the end of the decision record's period, on the sandbox with its accelerated clock:
 * the daily EraseExpiredPersonalData run, as of days years ahead, destroys each ended case whose
 * period has run out once its history verifies against the latest anchor, leaving only its disposal
 * record; its owner and SECAS are told it is gone (410), anyone else that it is not found. An open
 * case, and every case before its period ends, are untouched; a tampered case is left whole and
 * counted; a run cut short is finished by the next.
 */
const w = useWorkflow();
const { documents, table, partition } = caseItems(() => w.ctx.sandbox);

const kinds = async (reference: string) => (await partition(reference)).map((i) => String(i.sk).split('#')[0]);

const providerId = 'tarn-hosting-ltd';
const employment = async (reference: string) =>
  (await documents().send(new GetCommand({ TableName: table(), Key: { pk: `PROVIDER#${providerId}`, sk: `CASE#${reference}` }, ConsistentRead: true }))).Item;

const run = async (monthsAhead: number): Promise<ErasureRun> =>
  (await w.ctx.sandbox.runScheduledTask('EraseExpiredPersonalData', londonInstant(addMonths(londonDate(new Date()), monthsAhead), '03:00'))) as ErasureRun;

// The SES mailbox simulator bounces every email to this address: each is a delivery problem on the case.
const contact = { name: 'Isolde Pemberton', email: 'bounce+pemberton@simulator.amazonses.com' };
const advice = 'Pemberton Assurance assessed the feed last spring.';
const answer = 'The provider is Tarn Hosting Ltd, assessed by Pemberton Assurance.';

let closed = '';
let interrupted = '';
let tampered = '';
let open = '';
let closedItems = 0;

/** Files a case with a history long enough for a page, and ends it out of scope at the SSC's first decision. */
const endedCase = async () => {
  const { reference } = await w.submit();
  await w.sscEmail(reference);
  for (let i = (await getCase(reference))?.history.length ?? 0; i <= HISTORY_COMPACT_AT; i++)
    await appendCaseEvent(reference, { at: new Date().toISOString(), type: 'Noted', actor: { kind: 'System', id: 'disposal test' }, text: `note ${i}` });
  await w.decide(reference, 'out-of-scope', 'Not a User System.');
  await w.waitForStatus(reference, 'OutOfScope');
  await w.finished(reference);
  return reference;
};

beforeAll(async () => {
  // The case to dispose of: every kind of item a case has, and an entry under its Shared Resource Provider.
  ({ reference: closed } = await w.submit((b) => {
    Object.assign(b.contact, contact);
    b.newUserSystem.operator = { kind: 'SharedResourceProvider', providerName: 'Tarn Hosting Ltd', priorAssessment: b.newUserSystem.operator.priorAssessment };
  }));
  await w.sscEmail(closed);
  const amended = await w.ctx.api('user').fetch(`/notifications/${closed}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/merge-patch+json', 'If-Match': '"1"' },
    body: JSON.stringify({ contact: { name: 'Isolde Pemberton-Hale' } }),
  });
  expect(amended.status).toBe(200);
  await w.decide(closed, 'more-information', advice, 2);
  await w.waitForStatus(closed, 'AwaitingUserInformation');
  expect((await w.post(`/notifications/${closed}/information`, { answer })).status).toBe(202);
  await w.sscEmail(closed, 3);
  for (let i = (await getCase(closed))?.history.length ?? 0; i <= HISTORY_COMPACT_AT; i++)
    await appendCaseEvent(closed, { at: new Date().toISOString(), type: 'Noted', actor: { kind: 'System', id: 'disposal test' }, text: `note ${i}` });
  await w.decide(closed, 'out-of-scope', 'Not a User System: a reporting feed.', 3);
  await w.waitForStatus(closed, 'OutOfScope');
  await w.finished(closed);
  await waitUntil(async () => {
    const sent = (await emailsTo(w.ctx.sandbox.sesUrl, contact.email)).filter((e) => e.subject.includes(closed)).length;
    const problems = (await partition(closed)).filter((i) => String(i.sk).startsWith('DELIVERY#')).length;
    return sent >= 3 && problems === sent ? true : undefined;
  }, `every bounce of ${closed} recorded`);
  interrupted = await endedCase();
  tampered = await endedCase();
  ({ reference: open } = await w.submit());
  await w.sscEmail(open);
  await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories');
}, 180_000);

const problemOf = async (response: Response) => {
  expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
  return (await response.json()) as Record<string, any>;
};

describe("disposal at the end of the decision record's period", () => {
  it('starts with every kind of item in the case, and its entry under its provider', async () => {
    expect([...new Set(await kinds(closed))].sort()).toEqual(['AMENDMENT', 'CASE', 'DELIVERY', 'EXCHANGE', 'HISTORY']);
    expect(await employment(closed)).toMatchObject({ reference: closed });
    closedItems = (await partition(closed)).length;
  });

  it('touches no case before its period has run out: at 83 months the personal data is erased, every item stays', async () => {
    const before = await partition(interrupted);
    const result = await run(defaultRetentionSchedule.decisionRecord - 1);
    expect(result).toMatchObject({ erased: 3, disposed: 0, unverifiable: 0 });
    expect(await partition(closed)).toHaveLength(closedItems);
    expect((await partition(interrupted)).map((i) => i.sk)).toEqual(before.map((i) => i.sk));
    expect(await employment(closed)).toBeDefined();
    for (const reference of [closed, interrupted, tampered]) expect((await w.ctx.api('secas').get(`/notifications/${reference}`)).status).toBe(200);
  });

  it('leaves a case whose history does not verify whole, counted, and disposes of the others, finishing one a run cut short', async () => {
    // A run cut short: the disposal record written (with the head the route verifies), then part of the case destroyed.
    const verified = (await (await w.ctx.api('secas').get(`/notifications/${interrupted}/verification`)).json()) as ChainReport;
    expect(verified).toMatchObject({ ok: true, head: expect.anything(), anchored: expect.anything() });
    const caseItem = (await partition(interrupted)).find((i) => i.sk === 'CASE') as Item;
    const endedAt = caseEndedAt(caseItem as never) as string;
    await recordDisposal({
      ownerId: caseItem.ownerId,
      disposal: {
        reference: interrupted,
        finalStatus: 'OutOfScope',
        endedAt,
        disposedAt: londonInstant(addMonths(londonDate(new Date()), defaultRetentionSchedule.decisionRecord), '03:00').toISOString(),
        retention: { months: defaultRetentionSchedule.decisionRecord, source: 'default' },
        finalHead: { ...(verified.head as { seq: number; hash: string }), events: verified.events },
        anchored: verified.anchored as CaseDisposal['anchored'],
      },
    });
    // Its history page goes first, as the destruction deletes it before the case item.
    const page = (await partition(interrupted)).find((i) => String(i.sk).startsWith('HISTORY#'));
    expect(page).toBeDefined();
    await documents().send(new DeleteCommand({ TableName: table(), Key: { pk: page?.pk, sk: page?.sk } }));
    // Its chain no longer holds the anchored head, and that is no break: the next anchor says none.
    expect(await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories')).toMatchObject({ broken: 0 });
    const underWay = (await verifyTable(documents(), table())).find((r) => r.reference === interrupted);
    expect(underWay && describeReport(underWay)).toMatch(/disposal under way since .* final head event \d+/);
    // Gone from the moment its record is written, though the case item is still there.
    for (const path of [`/notifications/${interrupted}`, `/notifications/${interrupted}/case-file`])
      expect((await w.ctx.api('user').get(path)).status).toBe(410);
    expect((await w.ctx.api('secas').get(`/notifications/${interrupted}/verification`)).status).toBe(410);

    // Tampering, straight on DynamoDB Local: an event's content changed.
    const tamperedItem = (await partition(tampered)).find((i) => i.sk === 'CASE') as Item;
    const original = structuredClone(tamperedItem);
    tamperedItem.history[0].type = 'NotificationWithdrawn';
    await documents().send(new PutCommand({ TableName: table(), Item: tamperedItem }));
    const tamperedKeys = (await partition(tampered)).map((i) => i.sk);

    const result = await run(defaultRetentionSchedule.decisionRecord + 1);
    expect(result).toMatchObject({ disposed: 2, unverifiable: 1 });
    expect((await partition(tampered)).map((i) => i.sk)).toEqual(tamperedKeys);
    expect((await w.ctx.api('secas').get(`/notifications/${tampered}`)).status).toBe(200);
    // A later run disposes of nothing more; the tampered case is still counted until SECAS has dealt with it.
    expect(await run(defaultRetentionSchedule.decisionRecord + 2)).toMatchObject({ disposed: 0, unverifiable: 1 });
    await documents().send(new PutCommand({ TableName: table(), Item: original }));
    expect(await run(defaultRetentionSchedule.decisionRecord + 3)).toMatchObject({ disposed: 1, unverifiable: 0 });
    expect(await kinds(tampered)).toEqual(['DISPOSED']);
    expect(await run(defaultRetentionSchedule.decisionRecord + 4)).toMatchObject({ disposed: 0, unverifiable: 0 });
  });

  it('leaves only the disposal record in the partition, nothing under the provider, and no personal data', async () => {
    for (const reference of [closed, interrupted]) expect(await kinds(reference)).toEqual(['DISPOSED']);
    expect(await employment(closed)).toBeUndefined();
    const [record] = await partition(closed);
    const { pk, sk, ownerId, ...disposal } = record as Item;
    expect({ pk, sk }).toEqual({ pk: `CASE#${closed}`, sk: 'DISPOSED' });
    expect(ownerId).toBe(w.ctx.sandbox.credentials.user.clientId);
    expect(CaseDisposal.parse(disposal)).toMatchObject({
      reference: closed,
      finalStatus: 'OutOfScope',
      retention: { months: 84, source: 'default' },
      finalHead: { seq: expect.any(Number), hash: expect.any(String), events: expect.any(Number) },
      anchored: { seq: expect.any(Number), at: expect.any(String) },
    });
    // No status or receivedAt: neither index holds it.
    expect(record).not.toHaveProperty('status');
    expect(record).not.toHaveProperty('receivedAt');
    expect(JSON.stringify(record).toLowerCase()).not.toMatch(/pemberton|isolde|tarn-hosting|tarn hosting|reporting feed/);
    expect(itemSize(record)).toBeLessThan(600);
    const list = (await (await w.ctx.api('user').get('/notifications')).json()) as { items: Array<{ reference: string }> };
    expect(list.items.map((c) => c.reference)).not.toContain(closed);
  });

  it('is gone (410) to its owner and SECAS, saying when and under what, whatever they ask; not found to another User', async () => {
    const disposal = CaseDisposal.parse((({ pk: _pk, sk: _sk, ownerId: _owner, ...rest }) => rest)((await partition(closed))[0] as Item));
    const ended = dateInWords(londonDate(new Date(disposal.endedAt)));
    for (const role of ['user', 'secas'] as const) {
      for (const path of [`/notifications/${closed}`, `/notifications/${closed}/case-file`, `/notifications/${closed}/case-file?format=html`]) {
        const response = await w.ctx.api(role).get(path);
        expect(response.status, `${role} ${path}`).toBe(410);
        const problem = await problemOf(response);
        expect(problem).toMatchObject({ type: `${PROBLEM_TYPE_BASE}gone`, status: 410, disposal });
        expect(problem.detail).toContain(`84 months after it ended on ${ended}`);
        expect(problem.detail).toContain(`disposed of on ${dateInWords(londonDate(new Date(disposal.disposedAt)))}`);
      }
    }
    const verification = await w.ctx.api('secas').get(`/notifications/${closed}/verification`);
    expect(verification.status).toBe(410);
    expect((await problemOf(verification)).disposal).toMatchObject({ finalHead: disposal.finalHead, anchored: disposal.anchored });
    // The actions on it: 410 too, and nothing written.
    const patched = await w.ctx.api('user').fetch(`/notifications/${closed}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json', 'If-Match': '"2"' },
      body: JSON.stringify({ contact: { name: 'Someone Else' } }),
    });
    expect(patched.status).toBe(410);
    expect((await w.post(`/notifications/${closed}/withdrawal`, { reason: 'No longer needed' })).status).toBe(410);
    expect((await w.post(`/notifications/${closed}/information`, { answer: 'Late answer' })).status).toBe(410);
    expect(await kinds(closed)).toEqual(['DISPOSED']);
    // Only a disposal record makes a 410: a reference never issued is still a 404, to SECAS too.
    expect((await w.ctx.api('secas').get(`/notifications/${closed.replace(/-\d+$/, '-987654321')}`)).status).toBe(404);
    // Another User learns nothing: the same 404 as a reference never issued.
    for (const path of [`/notifications/${closed}`, `/notifications/${closed}/case-file`]) {
      const response = await w.ctx.api('otherUser').get(path);
      expect(response.status).toBe(404);
      expect(await problemOf(response)).not.toHaveProperty('disposal');
    }
  });

  it('reports a disposed case in the verifier as disposed of, with its final head, and not broken', async () => {
    const reports = await verifyTable(documents(), table());
    const report = reports.find((r) => r.reference === closed);
    expect(report).toMatchObject({ ok: true, underWay: false });
    expect(report && describeReport(report)).toMatch(new RegExp(`^${closed}: disposed of on \\d{1,2} \\w+ \\d{4}, final head event \\d+$`));
    expect(reports.filter((r) => !r.ok)).toEqual([]);
    // The next anchor leaves it out, held by its disposal record: not a case deleted outside the product.
    expect(await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories')).toMatchObject({ broken: 0 });
  });

  it('ignores a disposal record put beside a case it does not record: the case reads and verifies as any other', async () => {
    const report = (await (await w.ctx.api('secas').get(`/notifications/${open}/verification`)).json()) as ChainReport;
    const head = report.head as { seq: number; hash: string };
    const forged = {
      pk: `CASE#${open}`,
      sk: 'DISPOSED',
      ownerId: (await partition(open)).find((i) => i.sk === 'CASE')?.ownerId,
      reference: open,
      finalStatus: 'OutOfScope',
      endedAt: new Date().toISOString(),
      disposedAt: new Date().toISOString(),
      retention: { months: defaultRetentionSchedule.decisionRecord, source: 'default' },
      finalHead: { ...head, events: report.events },
      anchored: { ...head, at: new Date().toISOString() },
    };
    await documents().send(new PutCommand({ TableName: table(), Item: forged }));
    // The case is open, not the OutOfScope the record says: it is read and verified, not gone.
    expect((await w.ctx.api('user').get(`/notifications/${open}`)).status).toBe(200);
    const verified = await w.ctx.api('secas').get(`/notifications/${open}/verification`);
    expect(verified.status).toBe(200);
    expect(await verified.json()).toMatchObject({ ok: true });
    const listed = (await verifyTable(documents(), table())).find((r) => r.reference === open);
    expect(listed && describeReport(listed)).toMatch(new RegExp(`^${open}: ok`));
    await documents().send(new DeleteCommand({ TableName: table(), Key: { pk: forged.pk, sk: forged.sk } }));
  });

  it('never touches an open case', async () => {
    expect(await kinds(open)).toContain('CASE');
    expect(await kinds(open)).not.toContain('DISPOSED');
    const view = await w.getCase(open, 'user');
    expect(view.status).toBe('AwaitingSscDecision');
    const verification = (await (await w.ctx.api('secas').get(`/notifications/${open}/verification`)).json()) as ChainReport;
    expect(verification.ok).toBe(true);
  });
});
