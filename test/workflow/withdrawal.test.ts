import { describe, expect, it } from 'vitest';
import { confirmDecision } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/** A User may withdraw until the SSC decides; the pending wait ends cleanly and the SSC is told. */
const w = useWorkflow();

describe('SscTriageWorkflow: withdrawal', () => {
  it('ends a case awaiting the SSC: the SSC is told, its links stop working', async () => {
    const { reference, user } = await w.submit();
    w.path('withdrawn while awaiting the SSC', reference);
    const { link } = await w.sscEmail(reference);
    const response = await w.post(`/notifications/${reference}/withdrawal`, { reason: 'Procurement cancelled.' });
    expect(response.status).toBe(202);
    const told = await w.emailTo(w.ctx.sscAddress, `Withdrawn: ${reference}`);
    expect(told.destination.to).toContain(user);
    expect(told.body.text).toContain('Procurement cancelled.');
    const c = await w.waitForStatus(reference, 'Withdrawn');
    expect(c.withdrawal).toMatchObject({ reason: 'Procurement cancelled.' });
    expect(c.history.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['WithdrawalRequested', 'CaseWithdrawn', 'WithdrawalNotified']));
    expect((await w.finished(reference)).status).toBe('SUCCEEDED');
    const late = await confirmDecision(link('defer-to-annual-review'));
    expect(late.status).toBe(410);
    expect((await w.post(`/notifications/${reference}/withdrawal`, {})).status).toBe(409);
  });

  it('ends a case awaiting the User answer', async () => {
    const { reference } = await w.submit();
    w.path('withdrawn while the SSC awaits more information', reference);
    await w.decide(reference, 'more-information', 'Which provider?');
    await w.waitForStatus(reference, 'AwaitingUserInformation');
    expect((await w.post(`/notifications/${reference}/withdrawal`, {})).status).toBe(202);
    await w.waitForStatus(reference, 'Withdrawn');
    expect((await w.post(`/notifications/${reference}/information`, { answer: 'too late' })).status).toBe(409);
  });

  it('answers 409 after the SSC has decided, and nothing changes', async () => {
    const { reference } = await w.submit();
    await w.decide(reference, 'ad-hoc-assessment');
    await w.waitForStatus(reference, 'AwaitingAssessmentSchedule');
    const response = await w.post(`/notifications/${reference}/withdrawal`, { reason: 'changed our mind' });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { detail: string }).detail).toContain('until the SSC decides');
    const c = await w.getCase(reference);
    expect(c.status).toBe('AwaitingAssessmentSchedule');
    expect(c.withdrawal).toBeUndefined();
  });
});
