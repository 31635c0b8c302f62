import { describe, expect, it } from 'vitest';
import {
  allocateReference,
  claimDecision,
  createCase,
  getCase,
  getDecisionRequest,
  isConflict,
  openDecisionRequest,
} from '../../functions/adapters/cases-repository';
import type { CaseRecord } from '../../functions/domain/case';
import { NotificationSubmission } from '../../functions/domain/notification';
import { fixture } from '../support/fixtures';
import { useSandbox } from '../support/sandbox';

/** The repository against the real DynamoDB Local: atomic counters, conditions, transactions. */
useSandbox();

const newCase = async (): Promise<CaseRecord> => {
  const now = new Date();
  const record: CaseRecord = {
    reference: await allocateReference(now),
    status: 'Received',
    late: false,
    lateReasons: [],
    receivedAt: now.toISOString(),
    submission: NotificationSubmission.parse(fixture()),
    history: [],
  };
  await createCase(record);
  return record;
};

describe('NotificationsTable repository', () => {
  it('issues 200 concurrent references without a duplicate or a gap', async () => {
    const references = await Promise.all(Array.from({ length: 200 }, () => allocateReference(new Date('2031-05-01T12:00:00Z'))));
    expect(new Set(references).size).toBe(200);
    const numbers = references.map((r) => Number(r.split('-')[2])).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it('never overwrites an existing case', async () => {
    const record = await newCase();
    const error = await createCase({ ...record, status: 'Closed' }).catch((e: unknown) => e);
    expect(isConflict(error)).toBe(true);
    expect((await getCase(record.reference))?.status).toBe('Received');
  });

  it('lets exactly one of ten simultaneous confirmations take a decision', async () => {
    const record = await newCase();
    const event = { at: new Date().toISOString(), type: 'SscDecisionRequested', actor: { kind: 'System' as const } };
    const { decisionId } = await openDecisionRequest({ reference: record.reference, taskToken: 'token-1', expiresAt: Math.floor(Date.now() / 1000) + 600, event });
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        claimDecision({ decisionId, decision: i % 2 ? 'AdHocAssessment' : 'DeferToAnnualReview', advice: `advice ${i}`, decidedAt: new Date().toISOString() }),
      ),
    );
    const winners = claims.filter((c) => c !== undefined);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.taskToken).toBe('token-1');
    expect((await getDecisionRequest(decisionId))?.status).toBe('Decided');
  });

  it('reopens the open request with the new task token instead of issuing new links', async () => {
    const record = await newCase();
    const event = { at: new Date().toISOString(), type: 'SscDecisionRequested', actor: { kind: 'System' as const } };
    const expiresAt = Math.floor(Date.now() / 1000) + 600;
    const first = await openDecisionRequest({ reference: record.reference, taskToken: 'token-a', expiresAt, event });
    const second = await openDecisionRequest({ reference: record.reference, taskToken: 'token-b', expiresAt: expiresAt + 999, event });
    expect(second).toEqual({ decisionId: first.decisionId, expiresAt, reopened: true });
    expect((await getDecisionRequest(first.decisionId))?.taskToken).toBe('token-b');
    const stored = await getCase(record.reference);
    expect(stored?.status).toBe('AwaitingSscDecision');
    expect(stored?.history.map((e) => e.type)).toEqual(['SscDecisionRequested', 'SscDecisionRequested']);
  });

  it('refuses a claim once the links have expired', async () => {
    const record = await newCase();
    const event = { at: new Date().toISOString(), type: 'SscDecisionRequested', actor: { kind: 'System' as const } };
    const { decisionId } = await openDecisionRequest({ reference: record.reference, taskToken: 't', expiresAt: Math.floor(Date.now() / 1000) - 1, event });
    expect(await claimDecision({ decisionId, decision: 'AdHocAssessment', advice: '', decidedAt: new Date().toISOString() })).toBeUndefined();
    expect((await getDecisionRequest(decisionId))?.status).toBe('Pending');
  });
});
