import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  allocateReference,
  appendCaseEvent,
  claimDecision,
  claimWait,
  createCase,
  enterWait,
  getCase,
  getDecisionRequest,
  isConflict,
  loadCase,
  openDecisionRequest,
  requestWithdrawal,
} from '../../functions/adapters/cases-repository';
import type { CaseRecord } from '../../functions/domain/case';
import { NotificationSubmission } from '../../functions/domain/notification';
import { fixtureForToday } from '../support/fixtures';
import { useSandbox } from '../support/sandbox';

/** The repository against the real DynamoDB Local: atomic counters, conditions, transactions. */
const ctx = useSandbox();

const event = (type: string) => ({ at: new Date().toISOString(), type, actor: { kind: 'System' as const } });
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

const newCase = async (): Promise<CaseRecord> => {
  const now = new Date();
  const record: CaseRecord = {
    reference: await allocateReference(now, 'northwold-energy-client'),
    ownerId: 'northwold-energy-client',
    status: 'AwaitingSscDecision',
    late: false,
    lateReasons: [],
    receivedAt: now.toISOString(),
    submission: NotificationSubmission.parse(fixtureForToday()),
    triage: { recommendation: 'AdHocAssessment', recommendationReasons: [] },
    historyPages: 0,
    informationRounds: 0,
    history: [],
  };
  await createCase(record);
  return record;
};

const decisionInput = (c: CaseRecord, decisionId: string, i = 0) => ({
  decision: {
    decisionId,
    kind: i % 2 ? ('AdHocAssessment' as const) : ('DeferToAnnualReview' as const),
    advice: `advice ${i}`,
    decidedAt: new Date().toISOString(),
    decidedBy: `SSC member ${i}`,
  },
  reference: c.reference,
  event: event('SscDecisionConfirmed'),
});

describe('NotificationsTable repository', () => {
  it('issues 200 concurrent references without a duplicate or a gap', async () => {
    const references = await Promise.all(Array.from({ length: 200 }, () => allocateReference(new Date('2031-05-01T12:00:00Z'), 'busy-user-client')));
    expect(new Set(references).size).toBe(200);
    const numbers = references.map((r) => Number(r.split('-')[3])).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('never overwrites an existing case', async () => {
    const record = await newCase();
    const error = await createCase({ ...record, status: 'Closed' }).catch((e: unknown) => e);
    expect(isConflict(error)).toBe(true);
    expect((await getCase(record.reference))?.status).toBe('AwaitingSscDecision');
  });

  it('lets exactly one of ten simultaneous confirmations take a decision, and resolve the wait with it', async () => {
    const c = await newCase();
    await enterWait(c.reference, 'SscDecision', 'token-1');
    const { decisionId } = await openDecisionRequest(c.reference, inAnHour());
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => claimDecision(decisionInput(c, decisionId, i))));
    const winners = claims.filter((x) => x !== undefined);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.pendingWait).toMatchObject({ kind: 'SscDecision', taskToken: 'token-1', resolution: { decisionId } });
    const request = await getDecisionRequest(decisionId);
    expect(request?.status).toBe('Decided');
    expect(request?.advice).toBe((winners[0]?.pendingWait?.resolution as { advice: string } | undefined)?.advice);
  });

  it('keeps the open decision request (and its links) when the wait is re-entered with a new token', async () => {
    const c = await newCase();
    expect((await enterWait(c.reference, 'SscDecision', 'token-a')).pendingWait).toEqual({ kind: 'SscDecision', taskToken: 'token-a' });
    const first = await openDecisionRequest(c.reference, inAnHour());
    await enterWait(c.reference, 'SscDecision', 'token-b');
    const second = await openDecisionRequest(c.reference, inAnHour() + 999);
    expect(second).toEqual(first);
    expect((await getCase(c.reference))?.pendingWait?.taskToken).toBe('token-b');
  });

  it('keeps a resolution given between checkpoints for the re-entering wait', async () => {
    const c = await newCase();
    await enterWait(c.reference, 'UserInformation', 'token-a');
    expect(await claimWait(c.reference, 'UserInformation', { answer: 'yes' }, event('UserAnswered'))).toBeDefined();
    const record = await enterWait(c.reference, 'UserInformation', 'token-b');
    expect(record.pendingWait).toEqual({ kind: 'UserInformation', taskToken: 'token-b', resolution: { answer: 'yes' } });
  });

  it('takes a resolution given before the task entered the wait (status already moved on), on entry', async () => {
    const c = await newCase();
    await createCase({ ...c, reference: `${c.reference}1`, status: 'AwaitingAssessmentSchedule' });
    const early = await claimWait(`${c.reference}1`, 'AssessmentSchedule', { scheduledOn: '2027-01-11' }, event('x'));
    expect(early?.pendingWait).toEqual({ kind: 'AssessmentSchedule', resolution: { scheduledOn: '2027-01-11' } });
    const record = await enterWait(`${c.reference}1`, 'AssessmentSchedule', 'token');
    expect(record.pendingWait).toEqual({ kind: 'AssessmentSchedule', taskToken: 'token', resolution: { scheduledOn: '2027-01-11' } });
  });

  it('never loses a resolution or an entry when the two happen at once (20 rounds)', async () => {
    const base = await newCase();
    for (let round = 0; round < 20; round++) {
      const reference = `${base.reference}${String(round).padStart(2, '0')}`;
      await createCase({ ...base, reference, status: 'AwaitingUserInformation' });
      const [claimed, entered] = await Promise.all([
        claimWait(reference, 'UserInformation', { answer: `a${round}` }, event('UserAnswered')),
        enterWait(reference, 'UserInformation', `t${round}`),
      ]);
      expect(claimed).toBeDefined();
      expect(entered.pendingWait?.kind).toBe('UserInformation');
      expect((await getCase(reference))?.pendingWait).toEqual({ kind: 'UserInformation', taskToken: `t${round}`, resolution: { answer: `a${round}` } });
    }
  });

  it('resolves a wait once, and only the wait the case is in', async () => {
    const c = await newCase();
    await enterWait(c.reference, 'AssessmentSchedule', 't');
    expect(await claimWait(c.reference, 'AssessmentOutcome', { assuranceStatus: 'Approved' }, event('x'))).toBeUndefined();
    expect(await claimWait(c.reference, 'AssessmentSchedule', { scheduledOn: '2027-01-11' }, event('x'))).toBeDefined();
    expect(await claimWait(c.reference, 'AssessmentSchedule', { scheduledOn: '2027-02-11' }, event('x'))).toBeUndefined();
    expect((await getCase(c.reference))?.pendingWait?.resolution).toEqual({ scheduledOn: '2027-01-11' });
  });

  it('lets a withdrawal and a decision race: exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const c = await newCase();
      await enterWait(c.reference, 'SscDecision', 't');
      const { decisionId } = await openDecisionRequest(c.reference, inAnHour());
      const [decided, withdrawn] = await Promise.all([
        claimDecision(decisionInput(c, decisionId)),
        requestWithdrawal(c.reference, { at: new Date().toISOString(), reason: 'r' }, event('WithdrawalRequested')),
      ]);
      expect([decided, withdrawn].filter((x) => x !== undefined)).toHaveLength(1);
    }
  });

  it('refuses a withdrawal once the case has left the withdrawable statuses', async () => {
    const c = await newCase();
    await createCase({ ...c, reference: `${c.reference}9`, status: 'AwaitingAssessmentSchedule' });
    expect(await requestWithdrawal(`${c.reference}9`, { at: new Date().toISOString(), reason: '' }, event('x'))).toBeUndefined();
  });

  it('refuses a claim once the links have expired', async () => {
    const c = await newCase();
    await enterWait(c.reference, 'SscDecision', 't');
    const { decisionId } = await openDecisionRequest(c.reference, Math.floor(Date.now() / 1000) - 1);
    expect(await claimDecision(decisionInput(c, decisionId))).toBeUndefined();
    expect((await getDecisionRequest(decisionId))?.status).toBe('Pending');
    expect((await getCase(c.reference))?.pendingWait?.resolution).toBeUndefined();
  });
});

describe('history order', () => {
  it('numbers the events of a case stored before events were numbered in the order they were recorded, whatever their times say', async () => {
    const ownerId = ctx.sandbox.credentials.user.clientId;
    const record = { ...(await newCase()), ownerId, reference: await allocateReference(new Date(), ownerId) };
    const t = '2026-11-25T09:00:00.000Z';
    const earlier = '2026-11-25T08:59:59.999Z';
    const stored = (type: string, at: string, text?: string) => ({ at, type, actor: { kind: 'System' }, ...(text ? { text } : {}) });
    // As the items stood before this change: events without a sequence, one page of older ones.
    const page = [stored('NotificationReceived', t), stored('SscDecisionRequested', t)];
    const latest = [
      stored('SscDecisionTaken', t, 'Which CIO assessed the provider?'),
      stored('UserAnswered', t, 'Acme CIO Ltd.'),
      // Stamped with the time of what it records, written after the answer.
      stored('InformationRequestedFromUser', earlier),
    ];
    const dynamodb = new DynamoDBClient({});
    await dynamodb.send(
      new PutItemCommand({
        TableName: ctx.sandbox.tableName,
        Item: marshall({ pk: `CASE#${record.reference}`, sk: 'HISTORY#000001', events: page }),
      }),
    );
    await dynamodb.send(
      new PutItemCommand({
        TableName: ctx.sandbox.tableName,
        Item: marshall({ ...record, pk: `CASE#${record.reference}`, sk: 'CASE', history: latest, historyPages: 1 }, { removeUndefinedValues: true }),
      }),
    );
    const order = ['NotificationReceived', 'SscDecisionRequested', 'SscDecisionTaken', 'UserAnswered', 'InformationRequestedFromUser'];
    expect((await loadCase(record.reference))?.history.map((e) => [e.seq, e.type])).toEqual(order.map((type, i) => [i + 1, type]));
    await appendCaseEvent(record.reference, event('WorkflowFaulted'));
    const shown = (await (
      await fetch(`${ctx.sandbox.apiUrl}/notifications/${record.reference}`, { headers: { Authorization: ctx.sandbox.credentials.user.authorization } })
    ).json()) as {
      history: Array<{ seq: number; type: string }>;
    };
    expect(shown.history.map((e) => [e.seq, e.type])).toEqual([...order, 'WorkflowFaulted'].map((type, i) => [i + 1, type]));
  });
});
