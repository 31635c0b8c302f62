import { describe, expect, it } from 'vitest';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { waitUntil } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * The ad-hoc User Security Assessment (SEC G8.13): SECAS records its date, then its outcome
 * as a G8.34 assurance status; and the annual-review deferral, whose execution ends once the
 * reminder is scheduled, and whose schedule then reminds and closes the case. The clock runs a day per second, so annual-review waits pass in seconds.
 */
const w = useWorkflow({ timeScale: 86_400 });

const today = () => londonDate(new Date());
const inDays = (days: number) => londonDate(new Date(Date.now() + days * 86_400_000));
/** A review soon after the case, so the annual-review reminder comes a minute (of sandbox time) in. */
const reviewSoon = (b: Record<string, any>) => (b.existingUserSystem.nextAnnualReviewOn = inDays(3));

const toAssessment = async (mutate?: (b: Record<string, any>) => void) => {
  const submitted = await w.submit(mutate);
  await w.decide(submitted.reference, 'ad-hoc-assessment', 'Arrange an ad-hoc assessment.');
  await w.waitForDeadline(submitted.reference, 'AssessmentSchedule');
  return submitted;
};

/** A Working Day two weeks or so ahead, as SECAS would agree with the User CIO. */
const assessmentDay = () => addWorkingDays(today(), 10);

/** SECAS records the date, and the test moves on to that day, when the outcome can be recorded. */
const schedule = async (reference: string, user: string, scheduledOn = assessmentDay()) => {
  const response = await w.post(`/notifications/${reference}/assessment`, { scheduledOn }, 'secas');
  expect(response.status).toBe(202);
  const email = await w.emailTo(user, `Ad-hoc User Security Assessment scheduled: ${reference}`);
  expect(email.body.text).toContain(scheduledOn);
  // The outcome's deadline is set just after the status moves on.
  const c = await waitUntil(async () => {
    const c = await w.getCase(reference);
    return c.deadline?.wait === 'AssessmentOutcome' ? c : undefined;
  }, 'the assessment outcome deadline');
  await w.assessmentDayComes(reference);
  return c;
};

const outcome = (reference: string, body: Record<string, unknown>) =>
  w.post(`/notifications/${reference}/assessment`, { outcome: { completedOn: today(), ...body } }, 'secas');

describe('SscTriageWorkflow: ad-hoc assessment', () => {
  it('closes an Approved assessment after telling the User', async () => {
    const { reference, user } = await toAssessment();
    w.path('ad-hoc assessment, Approved', reference);
    await w.emailTo(w.ctx.secasAddress, `Arrange an ad-hoc User Security Assessment: ${reference}`);
    const scheduled = await schedule(reference, user);
    expect(scheduled.assessment.scheduledOn).toBe(assessmentDay());
    expect(scheduled.deadline.wait).toBe('AssessmentOutcome');
    expect((await outcome(reference, { assuranceStatus: 'Approved', reportReference: 'USAR-2027-001' })).status).toBe(202);
    const told = await w.emailTo(user, `Assessment outcome for ${reference}`);
    expect(told.body.text).toContain('Assurance status: Approved.');
    const closed = await w.waitForStatus(reference, 'Closed');
    expect(closed.assessment.outcome).toMatchObject({ assuranceStatus: 'Approved', reportReference: 'USAR-2027-001' });
  });

  it('records the conditions of Approved, subject to', async () => {
    const { reference, user } = await toAssessment();
    await schedule(reference, user);
    expect((await outcome(reference, { assuranceStatus: 'ApprovedSubjectTo' })).status).toBe(422);
    expect((await outcome(reference, { assuranceStatus: 'ApprovedSubjectTo', conditions: 'Remediate finding 3 within 60 days.' })).status).toBe(202);
    expect((await w.emailTo(user, `Assessment outcome for ${reference}`)).body.text).toContain('Remediate finding 3');
    await w.waitForStatus(reference, 'Closed');
  });

  it('escalates a Rejected assessment to SECAS and the SSC as a possible Event of Default, then closes', async () => {
    const { reference, user } = await toAssessment();
    w.path('ad-hoc assessment, Rejected', reference);
    await schedule(reference, user);
    expect((await outcome(reference, { assuranceStatus: 'Rejected' })).status).toBe(202);
    const escalation = await w.emailTo(w.ctx.secasAddress, `[ESCALATION] Assessment Rejected: ${reference}`);
    expect(escalation.destination.to).toContain(w.ctx.sscAddress);
    expect(escalation.body.text).toContain('Event of Default');
    await w.waitForStatus(reference, 'Closed');
  });

  it('escalates a Deferred assessment, waits for the annual review, reminds the User and SECAS, then closes', async () => {
    const { reference, user } = await toAssessment(reviewSoon);
    w.path('ad-hoc assessment, Deferred, then annual review', reference);
    await schedule(reference, user);
    expect((await outcome(reference, { assuranceStatus: 'Deferred' })).status).toBe(202);
    await w.emailTo(w.ctx.secasAddress, `[ESCALATION] Assessment Deferred: ${reference}`);
    const reminder = await w.emailTo(user, `Annual review`);
    expect(reminder.destination.to).toContain(w.ctx.secasAddress);
    await w.waitForStatus(reference, 'Closed');
    expect((await w.finished(reference)).history.at(-1)?.type).toBe('ExecutionSucceeded');
  });

  it.each([
    ['a date in the past', { scheduledOn: '2020-01-01' }, 422],
    ['today', { scheduledOn: today() }, 422],
    ['a date in the wrong format', { scheduledOn: '14/01/2027' }, 422],
    ['an outcome before any date', { outcome: { assuranceStatus: 'Approved', completedOn: '2026-01-01' } }, 409],
    ['an unknown assurance status', { outcome: { assuranceStatus: 'Passed', completedOn: '2026-01-01' } }, 422],
  ])('refuses %s, changing nothing', async (_, body, status) => {
    const { reference } = await toAssessment();
    const response = await w.post(`/notifications/${reference}/assessment`, body, 'secas');
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const c = await w.getCase(reference);
    expect(c.status).toBe('AwaitingAssessmentSchedule');
    expect(c.assessment).toBeUndefined();
  });

  it('refuses an outcome completed in the future or before the scheduled day, and any assessment record for a case not awaiting one', async () => {
    const { reference, user } = await toAssessment();
    await schedule(reference, user);
    expect((await outcome(reference, { assuranceStatus: 'Approved', completedOn: inDays(30) })).status).toBe(422);
    expect((await outcome(reference, { assuranceStatus: 'Approved', completedOn: inDays(-1) })).status).toBe(422);
    expect((await w.getCase(reference)).status).toBe('AwaitingAssessmentOutcome');
    const other = await w.submit();
    await w.sscEmail(other.reference);
    expect((await w.post(`/notifications/${other.reference}/assessment`, { scheduledOn: assessmentDay() }, 'secas')).status).toBe(409);
  });
});

describe('SscTriageWorkflow: deferral to the annual review', () => {
  it('advises the User, waits for the annual review, reminds the User and SECAS, and closes', async () => {
    const { reference, user } = await w.submit(reviewSoon);
    w.path('deferral to the annual review', reference);
    await w.decide(reference, 'defer-to-annual-review', 'Already assessed as a Shared Resource.');
    const advice = await w.emailTo(user, `SSC advice on ${reference}`);
    expect(advice.body.text).toContain('in scope of your next annual review');
    const reminder = await w.emailTo(user, `Annual review ${inDays(3)}`);
    expect(reminder.destination.to).toEqual([user, w.ctx.secasAddress]);
    const closed = await w.waitForStatus(reference, 'Closed');
    expect(closed.history.map((e: { type: string }) => e.type).slice(-4)).toEqual([
      'AdviceSent',
      'AnnualReviewReminderScheduled',
      'AnnualReviewReminderSent',
      'CaseClosed',
    ]);
    // The execution ended once the reminder was scheduled (see annual-review-schedule.test.ts for the timing).
    expect((await w.finished(reference)).history.at(-1)?.type).toBe('ExecutionSucceeded');
  });
});
