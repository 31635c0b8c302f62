import { describe, expect, it } from 'vitest';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { confirmDecision, emailsTo, linksIn, waitUntil } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * Nothing waits forever. With the sandbox clock at five days per second, each wait reminds
 * before its due date, escalates to SECAS when it is missed (and keeps waiting), and ends the
 * case in its named overdue state at the hard limit (30 Working Days in all: about 8 s here).
 */
const w = useWorkflow({ timeScale: 432_000 });

const silentUntilOverdue = async (reference: string, status: string, reminderTo: string, reminderSubject: string | RegExp, escalationSubject: string) => {
  const reminder = await w.emailTo(reminderTo, reminderSubject, 1, 20_000);
  const escalation = await w.emailTo(w.ctx.secasAddress, escalationSubject, 1, 20_000);
  await w.waitForStatus(reference, status, 25_000);
  const notice = await w.emailTo(w.ctx.secasAddress, `[OVERDUE] Case closed overdue: ${reference}`);
  expect(reminder.at).toBeLessThanOrEqual(escalation.at);
  expect(escalation.at).toBeLessThanOrEqual(notice.at);
  expect((await w.finished(reference)).status).toBe('SUCCEEDED');
  return { reminder, escalation, overdue: await w.getCase(reference) };
};

describe.concurrent('SscTriageWorkflow deadlines in SEC Working Days', () => {
  it('SSC decision: reminds the SSC with the same links, escalates, ends SscDecisionOverdue', async () => {
    const { reference } = await w.submit();
    w.path('SSC silent: reminder, escalation, overdue', reference);
    const first = await w.sscEmail(reference);
    const { reminder, escalation, overdue } = await silentUntilOverdue(
      reference,
      'SscDecisionOverdue',
      w.ctx.sscAddress,
      new RegExp(`^Reminder: SSC decision due .* on ${reference} `),
      `[ESCALATION] Overdue: the SSC's decision on ${reference}`,
    );
    expect(reminder.subject).toContain(reference);
    expect(linksIn(reminder)).toEqual(linksIn(first.email));
    expect(escalation.body.text).toContain(overdue.history.find((e: { type: string }) => e.type === 'SscDecisionDeadlineSet').text.replace('Due by ', ''));
    expect(overdue.history.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['SscDecisionReminderSent', 'SscDecisionEscalatedToSecas', 'SscDecisionOverdue', 'OverdueNoticeSent']),
    );
    expect((await confirmDecision(first.link('ad-hoc-assessment'))).status).toBe(410);
  });

  it("keeps the first email's links working after a reminder gave the wait a new task token", async () => {
    const { reference, user } = await w.submit();
    w.path('SSC decides after a reminder, with the first email', reference);
    const first = await w.sscEmail(reference);
    await w.emailTo(w.ctx.sscAddress, new RegExp(`^Reminder: SSC decision due .* on ${reference} `), 1, 20_000);
    const reentries = () =>
      w
        .execution(reference)
        ?.history.filter((h) => h.type === 'TaskStateEntered' && (h.stateEnteredEventDetails as { name: string }).name === 'AwaitSscDecision').length ?? 0;
    // The wait has been re-entered with a new task token before the SSC clicks the old link.
    await waitUntil(async () => (reentries() >= 2 ? true : undefined), 'AwaitSscDecision to be re-entered');
    expect((await confirmDecision(first.link('defer-to-annual-review'), 'Deferred after reminder')).status).toBe(200);
    await w.emailTo(user, `SSC advice on ${reference}`);
    expect((await w.getCase(reference)).sscDecision.advice).toBe('Deferred after reminder');
  });

  it('User information: reminds the User, escalates, ends UserInformationOverdue', async () => {
    const { reference, user } = await w.submit();
    w.path('User silent: reminder, escalation, overdue', reference);
    await w.decide(reference, 'more-information', 'Please send the penetration test summary.');
    const { reminder } = await silentUntilOverdue(
      reference,
      'UserInformationOverdue',
      user,
      `Reminder: the SSC awaits your answer on ${reference}`,
      `[ESCALATION] Overdue: the User's answer to the SSC's question on ${reference}`,
    );
    expect(reminder.body.text).toContain('penetration test summary');
    expect((await w.post(`/notifications/${reference}/information`, { answer: 'late' })).status).toBe(409);
  });

  it('Assessment date: reminds SECAS, escalates, ends AssessmentScheduleOverdue', async () => {
    const { reference } = await w.submit();
    w.path('SECAS silent on the assessment date: overdue', reference);
    await w.decide(reference, 'ad-hoc-assessment');
    const request = await w.emailTo(w.ctx.secasAddress, `Arrange an ad-hoc User Security Assessment: ${reference}`);
    const { reminder, escalation } = await silentUntilOverdue(
      reference,
      'AssessmentScheduleOverdue',
      w.ctx.secasAddress,
      new RegExp(`^Reminder: the date of the ad-hoc User Security Assessment due .* on ${reference} `),
      `[ESCALATION] Overdue: the date of the ad-hoc User Security Assessment on ${reference}`,
    );
    // SECAS's form link, the same in the request, its reminder and its escalation; dead once the case ended.
    const [link] = linksIn(request);
    expect(link).toMatch(/\/assessments\/[A-Za-z0-9_-]{24}\?record=date&/);
    expect(linksIn(reminder)).toEqual([link]);
    expect(linksIn(escalation)).toEqual([link]);
    expect((await fetch(link as string)).status).toBe(410);
  });

  it('Assessment outcome: reminds SECAS, escalates, ends AssessmentOutcomeOverdue', async () => {
    const { reference } = await w.submit();
    w.path('SECAS silent on the assessment outcome: overdue', reference);
    await w.decide(reference, 'ad-hoc-assessment');
    await w.waitForStatus(reference, 'AwaitingAssessmentSchedule');
    // A Working Day ahead on the case's accelerated clock, which runs ahead of the real one.
    const executionArn = w.execution(reference)?.executionArn as string;
    const scheduledOn = addWorkingDays(londonDate(w.ctx.sandbox.stepFunctions.now(executionArn)), 2);
    expect((await w.post(`/notifications/${reference}/assessment`, { scheduledOn }, 'secas')).status).toBe(202);
    await silentUntilOverdue(
      reference,
      'AssessmentOutcomeOverdue',
      w.ctx.secasAddress,
      new RegExp(`^Reminder: the outcome of the ad-hoc User Security Assessment due .* on ${reference} `),
      `[ESCALATION] Overdue: the outcome of the ad-hoc User Security Assessment on ${reference}`,
    );
    expect(
      (await emailsTo(w.ctx.sandbox.sesUrl, w.ctx.secasAddress)).some((e) =>
        e.subject.includes(`Record the outcome of an ad-hoc User Security Assessment: ${reference}`),
      ),
    ).toBe(true);
  });
});
