import { readFileSync } from 'node:fs';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  HISTORY_COMPACT_AT,
  appendCaseEvent,
  getCase,
  isConflict,
  saveRetentionSchedule,
  storedRetentionSchedule,
} from '../../functions/adapters/cases-repository';
import { NotificationCase } from '../../functions/domain/case';
import { CaseFileDocument } from '../../functions/domain/case-file';
import type { ChainReport } from '../../functions/domain/history-chain';
import { defaultRetentionSchedule } from '../../functions/domain/retention';
import { addMonths, londonDate, londonInstant } from '../../functions/domain/working-days';
import type { ErasureRun } from '../../functions/use-cases/retention';
import { emailsTo, waitUntil } from '../support/sandbox';
import { type Item, caseItems } from '../support/case-items';
import { useWorkflow } from '../support/workflow';

/**
 * Retention and erasure by policy, on the sandbox with its accelerated clock: a case that ended
 * has, once each period has run out, that class of personal data erased from every item of its
 * partition, and its record still verifies; a case still open is untouched. The erasure task is
 * run as of days years ahead; the personal values are searched for in every attribute of every item.
 */
const w = useWorkflow();
const { documents, partition } = caseItems(() => w.ctx.sandbox);

/** Which of the values occur anywhere in the partition: in any attribute (keys included) of any item, whatever the case. */
const found = async (reference: string, values: string[]): Promise<string[]> => {
  const stored = JSON.stringify(await partition(reference)).toLowerCase();
  return values.filter((value) => stored.includes(value.toLowerCase()));
};

const verification = async (reference: string): Promise<ChainReport> => {
  const response = await w.ctx.api('secas').get(`/notifications/${reference}/verification`);
  expect(response.status).toBe(200);
  return (await response.json()) as ChainReport;
};

const erase = async (at: Date): Promise<ErasureRun> => (await w.ctx.sandbox.runScheduledTask('EraseExpiredPersonalData', at)) as ErasureRun;

// The SES mailbox simulator bounces every email to this address: each is a delivery problem on the case, its key naming the address.
const contact = { name: 'Zebedee Quintrell', email: 'bounce+quintrell@simulator.amazonses.com' };
const freeTexts = ['Has the provider named its CIO yet?', 'Quintrell Consulting assessed it in March.', 'Not a User System: a reporting feed.'];
const typedName = 'Priya Shah (SSC)';
// The contact's name as the User amended it before the decision: the amendment's item holds both.
const amendedName = 'Zebedee Quintrell-Ames';
const openContact = { name: 'Ottoline Vance', email: 'ottoline.vance@example.org' };

let ended = '';
let open = '';

beforeAll(async () => {
  ({ reference: ended } = await w.submit((b) => Object.assign(b.contact, contact)));
  await w.sscEmail(ended);
  const amended = await w.ctx.api('user').fetch(`/notifications/${ended}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/merge-patch+json', 'If-Match': '"1"' },
    body: JSON.stringify({ contact: { name: amendedName } }),
  });
  expect(amended.status).toBe(200);
  await w.decide(ended, 'more-information', freeTexts[0], 2);
  await w.waitForStatus(ended, 'AwaitingUserInformation');
  expect((await w.post(`/notifications/${ended}/information`, { answer: freeTexts[1] })).status).toBe(202);
  await w.sscEmail(ended, 3);
  // Enough events for the oldest (the first decision, with its typed name and advice) to move to a history page.
  for (let i = (await getCase(ended))?.history.length ?? 0; i <= HISTORY_COMPACT_AT; i++)
    await appendCaseEvent(ended, { at: new Date().toISOString(), type: 'Noted', actor: { kind: 'System', id: 'retention test' }, text: `note ${i}` });
  await w.decide(ended, 'out-of-scope', freeTexts[2], 3);
  await w.waitForStatus(ended, 'OutOfScope');
  await w.finished(ended);
  // Every email to the contact bounced and was recorded on the case, before the erasure runs.
  await waitUntil(async () => {
    const sent = (await emailsTo(w.ctx.sandbox.sesUrl, contact.email)).filter((e) => e.subject.includes(ended)).length;
    const problems = (await partition(ended)).filter((i) => String(i.sk).startsWith('DELIVERY#')).length;
    return sent >= 3 && problems === sent ? true : undefined;
  }, `every bounce of ${ended} recorded`);
  ({ reference: open } = await w.submit((b) => Object.assign(b.contact, openContact)));
  await w.sscEmail(open);
  await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories');
}, 120_000);

describe('retention and erasure by policy', () => {
  it('starts with the personal values stored in the items of the case, and its record verifying', async () => {
    expect(await found(ended, [contact.name, amendedName, contact.email, typedName, ...freeTexts])).toEqual([
      contact.name,
      amendedName,
      contact.email,
      typedName,
      ...freeTexts,
    ]);
    const kinds = new Set((await partition(ended)).map((i) => String(i.sk).split('#')[0]));
    expect([...kinds].sort()).toEqual(['AMENDMENT', 'CASE', 'DELIVERY', 'EXCHANGE', 'HISTORY']);
    const page = (await partition(ended)).find((i) => String(i.sk).startsWith('HISTORY#'));
    expect(JSON.stringify(page)).toContain(typedName);
    expect(await verification(ended)).toMatchObject({ ok: true, pending: 0, anchored: expect.anything() });
  });

  it('erases nothing before a period has run out', async () => {
    // The day before the first periods end, counted from the day the case ended (its last event).
    const caseItem = (await partition(ended)).find((i) => i.sk === 'CASE') as Item & { history: Array<{ at: string }> };
    const endedOn = londonDate(
      new Date(
        caseItem.history
          .map((e) => e.at)
          .sort()
          .at(-1) as string,
      ),
    );
    const dayBefore = new Date(londonInstant(addMonths(endedOn, defaultRetentionSchedule.contact), '12:00').getTime() - 24 * 3600_000);
    expect(await erase(dayBefore)).toMatchObject({ erased: 0 });
    expect(await found(ended, [contact.name, contact.email])).toEqual([contact.name, contact.email]);
  });

  it("erases the contact's data, free texts and emails' content once their periods end: the record verifies, the typed names stay", async () => {
    const run = await erase(londonInstant(addMonths(londonDate(new Date()), defaultRetentionSchedule.contact + 1), '03:00'));
    expect(run).toMatchObject({ erased: 1, classes: { contact: 1, freeTexts: 1, emails: 1 }, unsalted: 0 });
    expect(await found(ended, [contact.name, amendedName, contact.email, ...freeTexts])).toEqual([]);
    expect(await found(ended, [typedName])).toEqual([typedName]);
    const items = await partition(ended);
    expect(items.filter((i) => String(i.sk).startsWith('DELIVERY#')).every((i) => /#erased:[A-Za-z0-9_-]{43}$/.test(String(i.sk)))).toBe(true);
    const report = await verification(ended);
    expect(report).toMatchObject({ ok: true, pending: 0, anchored: expect.anything() });
    const caseItem = items.find((i) => i.sk === 'CASE') as Item & { history: Array<{ type: string; text?: string }> };
    expect(caseItem.history.at(-1)).toMatchObject({ type: 'PersonalDataErased', text: expect.stringContaining("the contact's name and email address") });
    expect(caseItem.personalSalt).toEqual(expect.any(String));
    // The record itself stays: what was decided and when.
    expect(caseItem).toMatchObject({ status: 'OutOfScope', sscDecision: { kind: 'OutOfScope' } });
  });

  it('erases the typed names once theirs ends, and destroys the salt: no personal value left in any item, and the record verifies', async () => {
    const run = await erase(londonInstant(addMonths(londonDate(new Date()), defaultRetentionSchedule.typedNames + 1), '03:00'));
    expect(run).toMatchObject({ erased: 1, classes: { typedNames: 1 } });
    expect(await found(ended, [contact.name, amendedName, contact.email, typedName, ...freeTexts, 'quintrell', 'zebedee', 'priya'])).toEqual([]);
    const caseItem = (await partition(ended)).find((i) => i.sk === 'CASE') as Item;
    expect(caseItem.personalSalt).toBeUndefined();
    expect(Object.keys(caseItem.erased as object).sort()).toEqual(['contact', 'emails', 'freeTexts', 'typedNames']);
    const report = await verification(ended);
    expect(report).toMatchObject({ ok: true, pending: 0, anchored: expect.anything() });
    expect(report.broken).toBeUndefined();
    // The case still reads as its schema says, as SECAS's case file, and says its record is intact.
    const view = await w.getCase(ended, 'secas');
    expect(NotificationCase.parse(view).notification.contact.email).toMatch(/^erased:/);
    const file = await w.ctx.api('secas').get(`/notifications/${ended}/case-file`);
    expect(file.status).toBe(200);
    const document = CaseFileDocument.parse(await file.json());
    expect(document.verification).toMatchObject({ ok: true });
    expect(JSON.stringify(document).toLowerCase()).not.toMatch(/quintrell|zebedee|priya/);
    // A later run has nothing left to do on it.
    expect(await erase(londonInstant(addMonths(londonDate(new Date()), defaultRetentionSchedule.typedNames + 2), '03:00'))).toMatchObject({ erased: 0 });
  });

  it('never touches an open case, however long ago it was received', async () => {
    expect(await found(open, [openContact.name, openContact.email, typedName])).toEqual([openContact.name, openContact.email]);
    const caseItem = (await partition(open)).find((i) => i.sk === 'CASE') as Item & { history: Array<{ type: string }> };
    expect(caseItem.erased).toBeUndefined();
    expect(caseItem.personalSalt).toEqual(expect.any(String));
    expect(caseItem.history.map((e) => e.type)).not.toContain('PersonalDataErased');
    expect(await verification(open)).toMatchObject({ ok: true });
  });
});

/**
 * A case stored by v1.1.0, before the chain, as that release stored it (its recorded fixtures),
 * under a reference of 2019 (none this test files): its chain hashes its values as they are.
 */
const legacyCase = (name: string, reference: string): Item[] => {
  const { cases } = JSON.parse(readFileSync(new URL('../fixtures/releases/v1.1.0/items.json', import.meta.url), 'utf8')) as { cases: Record<string, Item[]> };
  const items = cases[name] as Item[];
  const recorded = String(items.find((i) => i.sk === 'CASE')?.reference);
  return JSON.parse(JSON.stringify(items).replaceAll(recorded, reference)) as Item[];
};

/** The personal values a v1.1.0 case holds, by class: read from its items as stored. */
const personalValues = (items: Item[]) => {
  const caseItem = items.find((i) => i.sk === 'CASE') as Item & Record<string, any>;
  const exchanges = items.filter((i) => String(i.sk).startsWith('EXCHANGE#')) as Array<Item & { question: string; answer?: string }>;
  const present = (list: unknown[]) => list.filter((value): value is string => typeof value === 'string');
  return {
    erasedFirst: present([
      caseItem.submission.contact.name,
      caseItem.submission.contact.email,
      caseItem.submission.newUserSystem.purpose,
      caseItem.sscDecision?.advice,
      caseItem.withdrawal?.reason,
      ...exchanges.flatMap((e) => [e.question, e.answer]),
    ]),
    typedNames: present([caseItem.sscDecision?.decidedBy]),
  };
};

describe('retention of the cases v1.1.0 stored, whose chain hashed their values unsalted', () => {
  const paged = 'SUS-XGEKB-2019-0005';
  const bouncing = 'SUS-XGEKB-2019-0010';
  const tampered = 'SUS-XGEKB-2019-0011';
  // Stored after the anchor: no anchor holds it until the next.
  const unanchored = 'SUS-XGEKB-2019-0012';
  const stored: Record<string, Item[]> = {
    [paged]: legacyCase('five questions and answers (history pages), then out of scope', paged),
    [bouncing]: legacyCase("out of scope, the User's address bouncing", bouncing),
    [tampered]: legacyCase('withdrawn while the SSC decides', tampered),
    [unanchored]: legacyCase('assessment Rejected', unanchored),
  };
  const values = Object.fromEntries(Object.entries(stored).map(([reference, items]) => [reference, personalValues(items)]));

  beforeAll(async () => {
    const put = (items: Item[]) => Promise.all(items.map((item) => documents().send(new PutCommand({ TableName: w.ctx.sandbox.tableName, Item: item }))));
    await put([paged, bouncing, tampered].flatMap((reference) => stored[reference] as Item[]));
    // This release's first write on the bouncing case chains it, still without a salt: an event noted after it ended.
    await appendCaseEvent(bouncing, { at: new Date().toISOString(), type: 'Noted', actor: { kind: 'System', id: 'retention test' }, text: 'chained unsalted' });
    // The tampered case: its first event's type changed after the anchor, which its history no longer matches.
    await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories');
    await put(stored[unanchored] as Item[]);
    await documents().send(
      new UpdateCommand({
        TableName: w.ctx.sandbox.tableName,
        Key: { pk: `CASE#${tampered}`, sk: 'CASE' },
        UpdateExpression: 'SET history[0].#type = :type',
        ExpressionAttributeNames: { '#type': 'type' },
        ExpressionAttributeValues: { ':type': 'Rewritten' },
      }),
    );
  }, 60_000);

  it('starts with their values as stored, unsalted, and their histories verifying against the anchor (but the tampered one)', async () => {
    for (const reference of [paged, bouncing]) {
      const { erasedFirst, typedNames } = values[reference] as { erasedFirst: string[]; typedNames: string[] };
      expect(await found(reference, [...erasedFirst, ...typedNames])).toEqual([...erasedFirst, ...typedNames]);
      expect((await partition(reference)).find((i) => i.sk === 'CASE')?.personalSalt).toBeUndefined();
      expect(await verification(reference)).toMatchObject({ ok: true, anchored: expect.anything() });
    }
    expect((await partition(paged)).some((i) => String(i.sk).startsWith('HISTORY#'))).toBe(true);
    expect((await partition(bouncing)).find((i) => i.sk === 'CASE')?.chain).toEqual(expect.objectContaining({ hash: expect.any(String) }));
    expect(await verification(tampered)).toMatchObject({ ok: false });
  });

  it('re-bases each chain that verifies on a salt, and erases once an anchor holds the re-base: no value of the classes left, the record verifying', async () => {
    const at = londonInstant(addMonths(londonDate(new Date()), defaultRetentionSchedule.contact + 1), '03:00');
    // The tampered case is left as it is, its values and the evidence; so is the case no anchor holds yet (its legacy events carry no hash).
    expect(await erase(at)).toMatchObject({ rebased: 2, unverifiable: 1, unanchored: 1, unsalted: 0, erased: 0 });
    for (const reference of [paged, bouncing]) {
      const { erasedFirst } = values[reference] as { erasedFirst: string[] };
      const caseItem = (await partition(reference)).find((i) => i.sk === 'CASE') as Item & { history: Array<{ type: string }> };
      expect(caseItem.personalSalt).toEqual(expect.any(String));
      expect(caseItem.history.at(-1)?.type).toBe('HistoryChainRebased');
      // The latest anchor was taken before the re-base: the events before it, hashed as they were chained, give its head.
      expect(await verification(reference)).toMatchObject({ ok: true, pending: 0, anchored: expect.anything() });
      // Nothing is erased until an anchor holds the re-base.
      expect(await found(reference, erasedFirst)).toEqual(erasedFirst);
    }
    expect(await erase(at)).toMatchObject({ awaitingAnchor: 2, erased: 0 });
    // The next anchor holds both re-bases, and not the tampered case's change.
    expect(await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories')).toMatchObject({ broken: 1 });
    expect(await verification(tampered)).toMatchObject({ ok: false });
    expect(await erase(at)).toMatchObject({
      awaitingAnchor: 0,
      rebased: 1,
      unverifiable: 1,
      unanchored: 0,
      erased: 2,
      classes: { contact: 2, freeTexts: 2, emails: 2 },
    });
    for (const reference of [paged, bouncing]) {
      const { erasedFirst, typedNames } = values[reference] as { erasedFirst: string[]; typedNames: string[] };
      expect(await found(reference, erasedFirst)).toEqual([]);
      expect(await found(reference, typedNames)).toEqual(typedNames);
      const caseItem = (await partition(reference)).find((i) => i.sk === 'CASE') as Item & { history: Array<{ type: string }> };
      expect(caseItem.history.slice(-2).map((e) => e.type)).toEqual(['HistoryChainRebased', 'PersonalDataErased']);
      const report = await verification(reference);
      expect(report).toMatchObject({ ok: true, pending: 0 });
      expect(report.anchored?.seq).toBe((report.head?.seq as number) - 1);
    }
    for (const reference of [tampered, unanchored]) {
      const { erasedFirst } = values[reference] as { erasedFirst: string[] };
      expect(await found(reference, erasedFirst.slice(0, 2))).toEqual(erasedFirst.slice(0, 2));
    }
    expect((await partition(tampered)).find((i) => i.sk === 'CASE')?.personalSalt).toBeUndefined();
  });

  it('erases the typed names at the end of theirs: nothing personal left in any item, the salt destroyed, and the record verifies against a new anchor', async () => {
    expect(await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories')).toMatchObject({ broken: 1 });
    const run = await erase(londonInstant(addMonths(londonDate(new Date()), defaultRetentionSchedule.typedNames + 1), '03:00'));
    // The case anchored only later, re-based in the last run, is erased of every class at once.
    expect(run).toMatchObject({ rebased: 0, unverifiable: 1, erased: 3, classes: { contact: 1, typedNames: 3 } });
    for (const reference of [paged, bouncing, unanchored]) {
      const { erasedFirst, typedNames } = values[reference] as { erasedFirst: string[]; typedNames: string[] };
      expect(await found(reference, [...erasedFirst, ...typedNames, 'priya', 'raman', 'bounce@'])).toEqual([]);
      expect((await partition(reference)).find((i) => i.sk === 'CASE')?.personalSalt).toBeUndefined();
      const report = await verification(reference);
      expect(report).toMatchObject({ ok: true, pending: 0 });
      // Anchored before this erasure's event: the salted chain, held to its own hash.
      expect(report.anchored?.seq).toBe((report.head?.seq as number) - 1);
    }
    expect(await verification(tampered)).toMatchObject({ ok: false });
  });
});

describe("SECAS's retention schedule", () => {
  const change = (schedule: Record<string, unknown>, officer = 'Sam Okafor') =>
    w.ctx.api('secas').post('/retention-schedule', { schedule, officer, reason: "SECCo's data-retention policy, as reviewed" });

  it('is the documented default, with a reason for every class, until SECAS sets one', async () => {
    const response = await w.ctx.api('secas').get('/retention-schedule');
    expect(response.status).toBe(200);
    const view = (await response.json()) as Record<string, any>;
    expect(view).toMatchObject({ schedule: defaultRetentionSchedule, source: 'default', changes: [] });
    expect(Object.keys(view.reasons).sort()).toEqual(Object.keys(defaultRetentionSchedule).sort());
  });

  it('refuses, with the reason and the class, a period that would erase before a case could end, or never; and changes nothing', async () => {
    for (const [schedule, pointer, reason] of [
      [{ ...defaultRetentionSchedule, contact: 6 }, '/schedule/contact', /before a case could end/],
      [{ ...defaultRetentionSchedule, decisionRecord: 5000 }, '/schedule/decisionRecord', /never/],
      [{ ...defaultRetentionSchedule, emails: 36 }, '/schedule/emails', /longer than the contact's data/],
    ] as const) {
      const response = await change(schedule);
      expect(response.status, pointer).toBe(422);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(((await response.json()) as Record<string, any>).errors).toEqual([{ pointer, detail: expect.stringMatching(reason) }]);
    }
    const missing = await change({ contact: 24 });
    expect(missing.status).toBe(422);
    expect(((await (await w.ctx.api('secas').get('/retention-schedule')).json()) as Record<string, any>).source).toBe('default');
  });

  it('is set by SECAS, audited with the officer, the reason and the client', async () => {
    const longer = { ...defaultRetentionSchedule, contact: 36, emails: 30 };
    const response = await change(longer);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      schedule: longer,
      source: 'secas',
      changes: [{ schedule: longer, officer: 'Sam Okafor', reason: expect.stringContaining('SECCo'), client: expect.any(String), at: expect.any(String) }],
    });
    expect((await change(defaultRetentionSchedule, 'Ada Obi')).status).toBe(200);
    const view = (await (await w.ctx.api('secas').get('/retention-schedule')).json()) as Record<string, any>;
    expect(view.changes.map((c: { officer: string }) => c.officer)).toEqual(['Sam Okafor', 'Ada Obi']);
    expect(view.schedule).toEqual(defaultRetentionSchedule);
  });

  it('is changed only over the version read: a change made meanwhile wins, and the later one is refused', async () => {
    const stored = await storedRetentionSchedule();
    expect(stored?.version).toBe(2);
    const change = { at: new Date().toISOString(), schedule: defaultRetentionSchedule, officer: 'Late Officer', reason: 'Stale', client: 'test' };
    await expect(saveRetentionSchedule(change, 1)).rejects.toSatisfy(isConflict);
    expect(((await (await w.ctx.api('secas').get('/retention-schedule')).json()) as Record<string, any>).changes).toHaveLength(2);
  });

  it('is SECAS-only', async () => {
    expect((await w.ctx.api('user').get('/retention-schedule')).status).toBe(403);
    expect((await w.ctx.api('user').post('/retention-schedule', { schedule: defaultRetentionSchedule, officer: 'X', reason: 'Y' })).status).toBe(403);
  });
});
