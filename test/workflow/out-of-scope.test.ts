import { describe, expect, it } from 'vitest';
import { confirmDecision } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * Out of scope, the SSC's fourth outcome: a notice about components of an existing User System
 * (Agreed Interpretations v1.7, §9). Triage suggests it; the SSC's link ends the case with advice.
 */
const w = useWorkflow();

describe('SscTriageWorkflow: out of scope', () => {
  it('suggests it for a component change, ends the case in its own final state and tells the User why', async () => {
    const { reference, user } = await w.submit((b) => (b.newUserSystem.change = 'ComponentsOfExistingUserSystem'));
    w.path('out of scope: a component change', reference);
    const { email, link } = await w.sscEmail(reference);
    expect(email.body.text).toContain('Recommendation from the facts given: Out of scope: not a new User System.');
    expect(email.body.text).toContain('Notice concerns: Changes to components of the existing User System');
    expect((await w.getCase(reference)).triage.recommendation).toBe('OutOfScope');

    const advice = 'Replacing the HSM vendor is a component change; record it in your next annual review.';
    expect((await confirmDecision(link('out-of-scope'), advice)).status).toBe(200);
    const told = await w.emailTo(user, `SSC advice on ${reference}: Out of scope`);
    expect(told.body.text).toContain('Agreed Interpretations (v1.7, §9)');
    expect(told.body.text).toContain(advice);
    expect(told.body.text).toContain('Notify the SSC again if you come to employ a new or additional User System.');

    const c = await w.waitForStatus(reference, 'OutOfScope');
    expect(c.sscDecision).toMatchObject({ kind: 'OutOfScope', advice });
    expect(c.deadline).toBeUndefined();
    expect(c.history.map((e: { type: string }) => e.type).slice(-3)).toEqual(['SscDecisionConfirmed', 'SscDecisionTaken', 'AdviceSent']);
    expect((await w.finished(reference)).status).toBe('SUCCEEDED');
    expect((await w.post(`/notifications/${reference}/withdrawal`, {})).status).toBe(409);
  });

  it('is offered on every case, and its link on a case that has moved on changes nothing', async () => {
    const { reference } = await w.submit();
    const { link } = await w.sscEmail(reference);
    expect((await w.getCase(reference)).triage.recommendation).not.toBe('OutOfScope');
    expect((await w.post(`/notifications/${reference}/withdrawal`, { reason: 'Cancelled.' })).status).toBe(202);
    await w.waitForStatus(reference, 'Withdrawn');
    const refused = await confirmDecision(link('out-of-scope'));
    expect(refused.status).toBe(410);
    expect(await refused.text()).toContain('The User withdrew the notification');
    expect((await w.getCase(reference)).status).toBe('Withdrawn');
  });
});
