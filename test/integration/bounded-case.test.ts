import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  HISTORY_COMPACT_AT,
  HISTORY_KEPT,
  allocateReference,
  appendCaseEvent,
  createCase,
  getCase,
  loadCase,
  updateCase,
} from '../../functions/adapters/cases-repository';
import { type CaseEvent, type CaseRecord, MAX_EVENT_TEXT } from '../../functions/domain/case';
import { startDeadline, defaultDeadlineSettings } from '../../functions/domain/deadlines';
import { type ChainHead, type StoredEvent, planAppend } from '../../functions/domain/history-chain';
import { NotificationSubmission } from '../../functions/domain/notification';
import { characters } from '../../functions/domain/text';
import { caseRecord, fixtureForToday } from '../support/fixtures';
import { itemSize as sizeOf } from '../support/item-size';
import { useSandbox } from '../support/sandbox';

/**
 * No valid sequence of actions can push a case item past DynamoDB's 400 KB: its growing parts
 * (questions and answers, history) live in items of their own, and every other field is bounded.
 */
const ctx = useSandbox();
const dynamodb = new DynamoDBClient({});
const ITEM_LIMIT = 400 * 1024;

/**
 * The character that costs most per unit of every limit (a character, meaning a Unicode code
 * point; functions/domain/text.ts): one outside the Basic Multilingual Plane, 4 bytes in UTF-8.
 */
const wide = (length: number) => '🦄'.repeat(length);

const newCase = async (): Promise<CaseRecord> => {
  const record = { ...caseRecord(), reference: await allocateReference(new Date(), 'northwold-energy-client'), receivedAt: new Date().toISOString() };
  await createCase(record);
  return record;
};

describe('history pages', () => {
  it('keeps the case item short, moving older events to pages, and reads every event back in order', async () => {
    const c = await newCase();
    for (let i = 0; i < 130; i++) await appendCaseEvent(c.reference, { at: new Date().toISOString(), type: `Step${i}`, actor: { kind: 'System' } });
    const item = (await getCase(c.reference)) as CaseRecord;
    expect(item.history.length).toBeLessThanOrEqual(HISTORY_COMPACT_AT);
    expect(item.historyPages).toBeGreaterThanOrEqual(3);
    const file = await loadCase(c.reference);
    expect(file?.history.map((e) => e.type)).toEqual(Array.from({ length: 130 }, (_, i) => `Step${i}`));
  });

  it('loses and repeats no event when many writers append and compact at once', async () => {
    const c = await newCase();
    const writers = Array.from({ length: 8 }, (_, w) =>
      (async () => {
        for (let i = 0; i < 25; i++) await appendCaseEvent(c.reference, { at: new Date().toISOString(), type: `W${w}-${i}`, actor: { kind: 'System' } });
      })(),
    );
    await Promise.all(writers);
    const types = (await loadCase(c.reference))?.history.map((e) => e.type) ?? [];
    expect(types).toHaveLength(200);
    expect(new Set(types).size).toBe(200);
    // Each writer's own events keep their order.
    for (let w = 0; w < 8; w++) {
      const mine = types.filter((t) => t.startsWith(`W${w}-`));
      expect(mine).toEqual(Array.from({ length: 25 }, (_, i) => `W${w}-${i}`));
    }
    expect(((await getCase(c.reference)) as CaseRecord).history.length).toBeLessThanOrEqual(HISTORY_COMPACT_AT + 8);
  });

  it('keeps an event text to a note, the whole text staying in its own field', async () => {
    const c = await newCase();
    await updateCase(
      c.reference,
      { withdrawal: { at: new Date().toISOString(), reason: wide(2000) } },
      { at: new Date().toISOString(), type: 'WithdrawalRequested', actor: { kind: 'User' }, text: wide(2000) },
    );
    const item = (await getCase(c.reference)) as CaseRecord;
    expect(characters(item.history.at(-1)?.text ?? '')).toBe(MAX_EVENT_TEXT);
    expect(item.history.at(-1)?.text?.endsWith('…')).toBe(true);
    expect(item.withdrawal?.reason).toBe(wide(2000));
  });
});

describe('the largest case item', () => {
  it('is refused by DynamoDB Local past 400 KB (so the next test proves something)', async () => {
    const item = marshall({ pk: 'CASE#SUS-NF29F-2026-9999998', sk: 'CASE', blob: wide(140 * 1024) });
    await expect(dynamodb.send(new PutItemCommand({ TableName: ctx.sandbox.tableName, Item: item }))).rejects.toThrow(/size/i);
  });

  it('stays under 400 KB with every text at its maximum in 4-byte characters and a full history', async () => {
    const body = fixtureForToday();
    const text = (n: number) => wide(n);
    Object.assign(body.party, { id: text(64), name: text(200) });
    Object.assign(body.contact, { name: text(200) });
    Object.assign(body.existingUserSystem, { name: text(200) });
    Object.assign(body.newUserSystem, {
      name: text(200),
      purpose: text(2000),
      securityArchitectureSummary: text(10_000),
      operator: {
        kind: 'SharedResourceProvider',
        providerName: text(200),
        priorAssessment: { ...body.newUserSystem.operator.priorAssessment, reference: text(100) },
      },
      userIds: { approach: 'New', userIds: Array.from({ length: 20 }, () => '90-B1-11-00-00-00-00-01') },
    });
    body.withheldDetails = text(4000);
    const submission = NotificationSubmission.parse(body);
    const at = new Date().toISOString();
    const event = (): CaseEvent => ({ at, type: 'AssessmentScheduleEscalatedToSecas', actor: { kind: 'SECAS', id: text(128) }, text: text(MAX_EVENT_TEXT) });
    const worst: CaseRecord & Record<string, unknown> = {
      ...caseRecord(),
      reference: 'SUS-NF29F-2026-999999999',
      ownerId: text(128),
      submission,
      late: true,
      lateReasons: [text(300), text(300), text(300)],
      // The register's finding, given twice (a reason and its own detail): the provider's name, the User's reference
      // and the register's latest outcome, with room to spare.
      triage: {
        recommendation: 'DeferToAnnualReview',
        recommendationReasons: [
          `Run by Shared Resource Provider ${text(200)}, which already passed User Security Assessment ${text(100)}`,
          text(120),
          text(600),
        ],
        decideBefore: '2027-01-01',
        register: { finding: 'CurrentApproved', flagged: false, detail: text(600) },
      },
      // The compaction threshold, plus the events a workflow step can add before the next Lambda compacts.
      history: Array.from({ length: HISTORY_COMPACT_AT + 5 }, event),
      historyPages: 999_999,
      informationRounds: 20,
      sscDecision: { kind: 'MoreInformationNeeded', advice: text(5000), decidedAt: at, decisionId: text(24), decidedBy: text(200) },
      deadline: startDeadline('UserInformation', new Date(), defaultDeadlineSettings),
      assessment: {
        targetBy: '2027-01-01',
        scheduledOn: '2027-01-01',
        outcome: { assuranceStatus: 'ApprovedSubjectTo', conditions: text(10_000), reportReference: text(200), completedOn: '2027-01-01', recordedAt: at },
      },
      withdrawal: { at, reason: text(2000) },
      openDecisionId: text(24),
      // The largest resolution a person can give while the workflow has yet to take it: an answer.
      pendingWait: { kind: 'UserInformation', taskToken: text(1024), notified: true, resolution: { answer: text(10_000), answeredAt: at } },
      workflowFault: { at, status: 'FAILED', state: text(80), error: text(256), alerted: false },
    };
    // Chained as if each event were its own write (each then carries the digests of the state it found and left)
    // that also wrote a delivery problem with the longest key (each then covers an item): the most the chain can add to the item.
    const plain = worst.history;
    let chained: { history: StoredEvent[]; head?: ChainHead } = { history: [] };
    for (const e of plain) {
      const sk = `DELIVERY#${'m'.repeat(64)}#MarkedAsSpam#${'r'.repeat(254)}`;
      chained = planAppend(worst.reference, chained, { events: [e], stateBefore: worst, stateAfter: worst, covers: [{ sk, digest: 'd'.repeat(43) }] });
    }
    const item = { pk: `CASE#${worst.reference}`, sk: 'CASE', ...worst, history: chained.history, chain: chained.head };
    const size = sizeOf(item);
    const unchained = sizeOf({ pk: `CASE#${worst.reference}`, sk: 'CASE', ...worst });
    process.stdout.write(
      `largest case item: ${(size / 1024).toFixed(1)} KB of DynamoDB's 400 KB (history ${worst.history.length} events, kept ${HISTORY_KEPT} after compaction; ${((size - unchained) / 1024).toFixed(1)} KB of it the chain's)\n`,
    );
    expect(size).toBeLessThan(ITEM_LIMIT * 0.8);
    await dynamodb.send(new PutItemCommand({ TableName: ctx.sandbox.tableName, Item: marshall(item, { removeUndefinedValues: true }) }));
    // Taken by DynamoDB, then gone: its chain covers delivery problems it never had, which the check of every case as the sandbox stops would (rightly) name.
    await dynamodb.send(new DeleteItemCommand({ TableName: ctx.sandbox.tableName, Key: marshall({ pk: item.pk, sk: item.sk }) }));
  });
});
