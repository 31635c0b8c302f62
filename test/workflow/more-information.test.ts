import { describe, expect, it } from 'vitest';
import { useWorkflow } from '../support/workflow';

/** The SSC asks, the User answers through the API, the case returns to the SSC: as often as needed. */
const w = useWorkflow();

describe('SscTriageWorkflow: more information needed', () => {
  it('asks the User, takes the answer, sends the SSC a fresh decision email showing it, then decides', async () => {
    const { reference, user } = await w.submit();
    w.path('more information once, then ad-hoc assessment', reference);
    const question = 'Which User CIO assessed the provider, and does the portal share HSMs with other tenants?';
    await w.decide(reference, 'more-information', question);

    const asked = await w.emailTo(user, `SSC question on ${reference}`);
    expect(asked.body.text).toContain(question);
    expect(asked.body.text).toContain(`POST /notifications/${reference}/information`);
    const waiting = await w.waitForStatus(reference, 'AwaitingUserInformation');
    expect(waiting.deadline.wait).toBe('UserInformation');

    const answer = 'Assessed by Acme CIO Ltd (USA-SR-2025-019). HSMs are dedicated to our tenant.';
    const response = await w.post(`/notifications/${reference}/information`, { answer });
    expect(response.status).toBe(202);
    expect((await w.post(`/notifications/${reference}/information`, { answer: 'again' })).status).toBe(409);

    const second = await w.sscEmail(reference, 2);
    expect(second.email.body.text).toContain('The User has answered');
    expect(second.email.body.text).not.toContain(answer);
    const page = await (await fetch(second.link('ad-hoc-assessment'))).text();
    expect(page).toContain(answer);
    expect(page).toContain(question);
    const firstLinks = (await w.sscEmail(reference, 1)).link('ad-hoc-assessment');
    expect(second.link('ad-hoc-assessment')).not.toBe(firstLinks);

    const advice = 'Thank you. Please arrange an ad-hoc assessment covering the tenant separation.';
    await w.decide(reference, 'ad-hoc-assessment', advice, 2);
    const adviceEmail = await w.emailTo(user, `SSC advice on ${reference}`);
    expect(adviceEmail.body.text).toContain(advice);

    const c = await w.waitForStatus(reference, 'AwaitingAssessmentSchedule');
    expect(c.informationExchanges).toEqual([{ question, askedAt: expect.any(String), answer, answeredAt: expect.any(String) }]);
    expect(c.history.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['InformationRequestedFromUser', 'UserAnswered', 'UserAnswerRecorded', 'SscDecisionTaken']),
    );
    expect(c.history.filter((e: { type: string }) => e.type === 'SscDecisionRequested')).toHaveLength(2);
    // The first email's links belong to a finished round.
    expect((await fetch(firstLinks)).status).toBe(409);
  });

  it('answers 409 to an answer when no question is open, and 404 for an unknown case', async () => {
    const { reference } = await w.submit();
    await w.sscEmail(reference);
    const response = await w.post(`/notifications/${reference}/information`, { answer: 'unasked' });
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((await response.json()) as { detail: string }).detail).toContain('No question');
    expect((await w.post('/notifications/SUS-NF29F-2026-9999/information', { answer: 'x' })).status).toBe(404);
    expect((await w.getCase(reference)).informationExchanges).toEqual([]);
  });

  it('answers 422 to an empty or oversized answer, changing nothing', async () => {
    const { reference } = await w.submit();
    await w.decide(reference, 'more-information', 'Why?');
    await w.waitForStatus(reference, 'AwaitingUserInformation');
    for (const body of [{}, { answer: '   ' }, { answer: 'x'.repeat(10_001) }, { answer: 'ok', extra: 1 }]) {
      expect((await w.post(`/notifications/${reference}/information`, body)).status).toBe(422);
    }
    expect((await w.getCase(reference)).status).toBe('AwaitingUserInformation');
  });
});
