import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_COMPACT_AT, appendCaseEvent, getCase } from '../../functions/adapters/cases-repository';
import { type ChainReport, type StoredEvent, eventHash } from '../../functions/domain/history-chain';
import { type Item, caseItems } from '../support/case-items';
import { useWorkflow } from '../support/workflow';

/**
 * Each kind of tampering, done straight on DynamoDB Local as anyone with write access to the
 * table could, is caught by the verifier (GET /notifications/{reference}/verification) and named;
 * each is then undone, and the case verifies again (the sandbox's own check at the end of the file
 * verifies every case of its table). The case: a question and its answer (an item of its own, written
 * by the workflow), a history long enough for a page, the SSC's decision, its end out of scope.
 */
const w = useWorkflow();
const { documents, table, partition } = caseItems(() => w.ctx.sandbox);

/** Puts the partition back exactly as it was. */
const restore = async (reference: string, items: Item[]) => {
  for (const item of await partition(reference)) await documents().send(new DeleteCommand({ TableName: table(), Key: { pk: item.pk, sk: item.sk } }));
  for (const item of items) await documents().send(new PutCommand({ TableName: table(), Item: item }));
};

const verification = async (reference: string): Promise<ChainReport> => {
  const response = await w.ctx.api('secas').get(`/notifications/${reference}/verification`);
  expect(response.status).toBe(200);
  return (await response.json()) as ChainReport;
};

const setItem = async (reference: string, sk: string, change: (item: Item) => Item) => {
  const item = (await partition(reference)).find((i) => i.sk === sk) as Item;
  await documents().send(new PutCommand({ TableName: table(), Item: change(structuredClone(item)) }));
};
const setHistory = (reference: string, change: (history: StoredEvent[]) => StoredEvent[]) =>
  setItem(reference, 'CASE', (item) => ({ ...item, history: change(item.history) }));

let reference = '';
let original: Item[] = [];
let caseItem: Item = {};
/** The case item as it was before the SSC's last decision. */
let earlierItem: Item = {};

beforeAll(async () => {
  ({ reference } = await w.submit());
  await w.decide(reference, 'more-information', 'Which CIO assessed the provider?');
  await w.waitForStatus(reference, 'AwaitingUserInformation');
  expect((await w.post(`/notifications/${reference}/information`, { answer: 'Acme CIO Ltd.' })).status).toBe(202);
  await w.sscEmail(reference, 2);
  // Enough events for the oldest to move to a history page.
  for (let i = (await getCase(reference))?.history.length ?? 0; i <= HISTORY_COMPACT_AT; i++)
    await appendCaseEvent(reference, { at: new Date().toISOString(), type: 'Noted', actor: { kind: 'System', id: 'tampering test' }, text: `note ${i}` });
  earlierItem = (await partition(reference)).find((i) => i.sk === 'CASE') as Item;
  await w.decide(reference, 'out-of-scope', 'Not a User System.', 2);
  await w.waitForStatus(reference, 'OutOfScope');
  await w.finished(reference);
  original = await partition(reference);
  caseItem = original.find((i) => i.sk === 'CASE') as Item;
  expect(original.some((i) => String(i.sk).startsWith('HISTORY#'))).toBe(true);
  expect(original.some((i) => String(i.sk).startsWith('EXCHANGE#'))).toBe(true);
}, 120_000);

describe("a case's tamper-evident history", () => {
  it('verifies as the workflow and the functions left it, every event chained', async () => {
    const report = await verification(reference);
    expect(report).toMatchObject({ ok: true, chainedFrom: 1, pending: 0, unchainedItems: [] });
    expect(report.head?.seq).toBe(report.events);
    expect(caseItem.chain).toMatchObject({ seq: report.events, hash: report.head?.hash });
  });

  const tamperings: Array<{ name: string; tamper: () => Promise<void>; caught: Partial<NonNullable<ChainReport['broken']>> }> = [
    {
      name: "an event's field changed",
      tamper: () => setHistory(reference, (h) => h.map((e, i) => (i === 2 ? { ...e, actor: { ...e.actor, name: 'Someone Else' } } : e))),
      caught: { what: expect.stringContaining('changed') },
    },
    {
      name: 'an event deleted',
      tamper: () => setHistory(reference, (h) => h.filter((_, i) => i !== 2)),
      caught: { what: expect.stringContaining('deleted') },
    },
    {
      name: 'an event inserted',
      tamper: () =>
        setHistory(reference, (h) => [
          ...h.slice(0, 2),
          { at: h[1]?.at as string, type: 'SscDecisionTaken', actor: { kind: 'SSC', name: 'Forger' } },
          ...h.slice(2),
        ]),
      caught: { type: 'SscDecisionTaken', what: expect.stringContaining('inserted') },
    },
    {
      name: 'two events reordered',
      tamper: () => setHistory(reference, (h) => [...h.slice(0, 2), h[3] as StoredEvent, h[2] as StoredEvent, ...h.slice(4)]),
      caught: { what: expect.stringContaining('reordered') },
    },
    {
      name: 'an old head replayed on the case item',
      tamper: () => setItem(reference, 'CASE', (item) => ({ ...item, chain: { seq: item.history[1].seq, hash: item.history[1].hash } })),
      caught: { what: expect.stringContaining('older head') },
    },
    {
      name: 'the last events cut off, with the head put back to match',
      tamper: () =>
        setItem(reference, 'CASE', (item) => {
          const history = item.history.slice(0, -2);
          return { ...item, history, chain: { seq: history.at(-1).seq, hash: history.at(-1).hash } };
        }),
      caught: { what: expect.stringContaining('recorded fields') },
    },
    {
      name: "the case's decision changed on its item",
      tamper: () => setItem(reference, 'CASE', (item) => ({ ...item, sscDecision: { ...item.sscDecision, decidedBy: 'Someone Else' } })),
      caught: { what: expect.stringContaining('recorded fields') },
    },
    {
      name: 'an event on a compacted history page changed',
      tamper: () =>
        setItem(reference, 'HISTORY#000001', (page) => ({
          ...page,
          events: page.events.map((e: StoredEvent, i: number) => (i === 0 ? { ...e, at: '2020-01-01T00:00:00.000Z' } : e)),
        })),
      caught: { seq: 1, what: expect.stringContaining('changed') },
    },
    {
      name: 'an answer changed on its question-and-answer item',
      tamper: async () => {
        const sk = original.find((i) => String(i.sk).startsWith('EXCHANGE#'))?.sk as string;
        await setItem(reference, sk, (item) => ({ ...item, answer: 'Nobody assessed it.' }));
      },
      caught: { item: expect.stringMatching(/^EXCHANGE#/), what: expect.stringContaining('changed') },
    },
    {
      name: 'a question-and-answer item deleted',
      tamper: async () => {
        const sk = original.find((i) => String(i.sk).startsWith('EXCHANGE#'))?.sk as string;
        await documents().send(new DeleteCommand({ TableName: table(), Key: { pk: `CASE#${reference}`, sk } }));
      },
      caught: { seq: expect.any(Number), what: expect.stringContaining('deleted') },
    },
    {
      name: 'a question-and-answer item inserted',
      tamper: async () => {
        await documents().send(
          new PutCommand({
            TableName: table(),
            Item: {
              pk: `CASE#${reference}`,
              sk: 'EXCHANGE#2026-01-01T00:00:00.000Z#forged',
              question: 'Q?',
              askedAt: '2026-01-01T00:00:00.000Z',
              answer: 'A.',
              answeredAt: '2026-01-02T00:00:00.000Z',
            },
          }),
        );
      },
      caught: { item: 'EXCHANGE#2026-01-01T00:00:00.000Z#forged', what: expect.stringContaining('inserted') },
    },
    {
      name: 'an event with its chain fields removed',
      tamper: () =>
        setHistory(reference, (h) => h.map((e, i) => (i === 2 ? { at: e.at, type: e.type, actor: e.actor, ...(e.text ? { text: e.text } : {}) } : e))),
      caught: { what: expect.stringContaining('no hash') },
    },
  ];

  for (const { name, tamper, caught } of tamperings)
    it(`catches and names ${name}, and verifies again once it is undone`, async () => {
      await tamper();
      const report = await verification(reference);
      expect(report.ok).toBe(false);
      expect(report.broken).toMatchObject(caught);
      await restore(reference, original);
      expect((await verification(reference)).ok).toBe(true);
    });

  it("catches the case's recorded fields changed between two writes, which the second write does not attest", async () => {
    await setItem(reference, 'CASE', (item) => ({ ...item, sscDecision: { ...item.sscDecision, decidedBy: 'Someone Else' } }));
    const events = (await verification(reference)).events;
    await appendCaseEvent(reference, { at: new Date().toISOString(), type: 'Noted', actor: { kind: 'System', id: 'tampering test' }, text: 'a later write' });
    const report = await verification(reference);
    expect(report.ok).toBe(false);
    expect(report.broken).toMatchObject({ seq: events + 1, type: 'Noted', what: expect.stringContaining(`changed after event ${events}`) });
    await restore(reference, original);
    expect((await verification(reference)).ok).toBe(true);
  });

  it('anchors every head outside the table, and catches a whole older case item put back, which the chain alone cannot', async () => {
    // Without an anchor, an older case item put back is a consistent, shorter history.
    await setItem(reference, 'CASE', () => earlierItem);
    expect((await verification(reference)).ok).toBe(true);
    await restore(reference, original);

    const anchored = (await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories')) as { key: string; cases: number };
    expect(anchored.cases).toBeGreaterThanOrEqual(1);
    const report = await verification(reference);
    expect(report).toMatchObject({ ok: true, anchored: { seq: report.events, hash: report.head?.hash } });

    await setItem(reference, 'CASE', () => earlierItem);
    expect((await verification(reference)).broken).toMatchObject({ seq: report.events, what: expect.stringContaining('older history put back') });
    await restore(reference, original);
    expect((await verification(reference)).ok).toBe(true);
  });

  it('catches a history rewritten with every hash recomputed, against its anchor', async () => {
    await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories');
    await setItem(reference, 'CASE', (item) => {
      const history = item.history as StoredEvent[];
      const from = history.length - 3;
      let prev = history[from - 1]?.hash as string;
      const forged = history.map((e, i) => {
        if (i < from) return e;
        const content = i === from ? { ...e, text: 'The SSC found it in scope.' } : e;
        // A table writer can read the case's salt as well as its events: the forgery is as good as the writers' own.
        const hash = eventHash(reference, e.seq as number, prev, content, item.personalSalt as string);
        prev = hash;
        return { ...content, hash };
      });
      return { ...item, history: forged, chain: { ...item.chain, hash: prev } };
    });
    expect((await verification(reference)).broken).toMatchObject({ what: expect.stringContaining('anchored') });
    // The next day's anchor does not take the forgery in: it anchors the head it held again, and says so.
    const before = await verification(reference);
    expect(await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories')).toMatchObject({ broken: 1 });
    const after = await verification(reference);
    expect(after.anchored?.at).not.toBe(before.anchored?.at);
    expect(after).toMatchObject({ ok: false, anchored: { seq: before.anchored?.seq, hash: before.anchored?.hash } });
    await restore(reference, original);
    expect((await verification(reference)).ok).toBe(true);
    expect(await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories')).toMatchObject({ broken: 0 });
  });

  it('catches a whole case deleted, at the next anchor, which holds its head again; a forged disposal record does not hide it', async () => {
    await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories');
    const anchored = (await verification(reference)).anchored;
    await restore(reference, []);
    expect((await w.ctx.api('secas').get(`/notifications/${reference}/verification`)).status).toBe(404);
    expect(await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories')).toMatchObject({ broken: 1 });
    // A disposal record naming another head: the next anchor still holds the case's and still says so.
    const forged = {
      pk: `CASE#${reference}`,
      sk: 'DISPOSED',
      ownerId: original.find((i) => i.sk === 'CASE')?.ownerId,
      reference,
      finalStatus: 'OutOfScope',
      endedAt: '2019-01-02T10:00:00.000Z',
      disposedAt: new Date().toISOString(),
      retention: { months: 84, source: 'default' },
      finalHead: { seq: 1, hash: 'forged', events: 1 },
      anchored: { seq: 1, hash: 'forged', at: new Date().toISOString() },
    };
    await documents().send(new PutCommand({ TableName: table(), Item: forged }));
    expect(await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories')).toMatchObject({ broken: 1 });
    await restore(reference, original);
    const report = await verification(reference);
    expect(report).toMatchObject({ ok: true, anchored: { seq: anchored?.seq, hash: anchored?.hash } });
    expect(await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories')).toMatchObject({ broken: 0 });
  });

  it('checks by key a case taken out of the status index, its status removed: its last event cut off is still named at the next anchor', async () => {
    await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories');
    await setItem(reference, 'CASE', ({ status: _status, ...item }) => {
      const history = (item.history as StoredEvent[]).slice(0, -1);
      const last = history.at(-1) as StoredEvent;
      return { ...item, history, chain: { ...(item.chain as object), seq: last.seq, hash: last.hash } };
    });
    expect(await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories')).toMatchObject({ broken: 1 });
    await restore(reference, original);
    expect(await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories')).toMatchObject({ broken: 0 });
    expect((await verification(reference)).ok).toBe(true);
  });

  it('verifies a case stored by the release before the chain (v1.1.0, with a history page), anchored over all its events, then chained after them', async () => {
    const { reference: legacy } = await w.submit();
    await w.sscEmail(legacy);
    // As v1.1.0 stored it: no chain head, no chain fields, its oldest events on a page.
    const item = (await partition(legacy)).find((i) => i.sk === 'CASE') as Item;
    const events = (item.history as StoredEvent[]).map(({ seq: _s, hash: _h, state: _st, before: _b, covers: _c, caughtUp: _u, ...e }) => e);
    const { chain: _chain, ...stored } = item;
    await documents().send(new PutCommand({ TableName: table(), Item: { pk: item.pk, sk: 'HISTORY#000001', events: events.slice(0, 1) } }));
    await documents().send(new PutCommand({ TableName: table(), Item: { ...stored, history: events.slice(1), historyPages: 1 } }));
    expect(await verification(legacy)).toMatchObject({ ok: true, events: events.length });

    await w.ctx.sandbox.runScheduledTask('AnchorCaseHistories');
    expect(await verification(legacy)).toMatchObject({ ok: true, anchored: { seq: events.length } });
    await appendCaseEvent(legacy, { at: new Date().toISOString(), type: 'Noted', actor: { kind: 'System', id: 'tampering test' } });
    const chained = await verification(legacy);
    expect(chained).toMatchObject({ ok: true, chainedFrom: events.length + 1, anchored: { seq: events.length } });

    const before = await partition(legacy);
    await setItem(legacy, 'HISTORY#000001', (page) => ({ ...page, events: [{ ...page.events[0], type: 'Forged' }] }));
    expect((await verification(legacy)).broken).toMatchObject({ seq: events.length + 1, what: expect.stringContaining('changed') });
    await restore(legacy, before);
  });

  it('serialises concurrent writers on the head: none of twenty simultaneous events is lost, and the chain holds', async () => {
    const { reference: other } = await w.submit();
    await w.sscEmail(other);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        appendCaseEvent(other, { at: new Date().toISOString(), type: 'Noted', actor: { kind: 'System', id: 'race' }, text: `race ${i}` }),
      ),
    );
    const report = await verification(other);
    expect(report.ok).toBe(true);
    const notes = (await w.getCase(other, 'secas')).history.filter((e: { type: string }) => e.type === 'Noted');
    expect(notes.map((e: { text: string }) => e.text).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `race ${i}`).sort());
  });

  it('answers 404 for an unknown case and 403 to a User', async () => {
    expect((await w.ctx.api('secas').get('/notifications/SUS-NF29F-2026-9999/verification')).status).toBe(404);
    expect((await w.ctx.api('secas').get('/notifications/not-a-reference/verification')).status).toBe(404);
    expect((await w.ctx.api('user').get(`/notifications/${reference}/verification`)).status).toBe(403);
  });
});
