import { describe, expect, it } from 'vitest';
import { getCase } from '../../functions/adapters/cases-repository';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { waitUntil } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * A person's answer can reach a wait just as its task token has expired: the workflow is at a
 * reminder checkpoint, between two entries of the wait. The answer is kept on the case, and the
 * waiting task, when it enters the wait again, finds it and resumes the workflow itself
 * (use-cases/waits.ts). Made real by answering Step Functions' TaskTimedOut to the person's
 * callback; five days of the case's clock pass each second, so the checkpoint comes in seconds.
 */
const w = useWorkflow({ faultInjection: true, timeScale: 432_000 });

/** The next callback to Step Functions that carries `marker` answers TaskTimedOut, as when its token has just expired. */
const tokenExpiresOnce = (marker: string) => {
  const stepFunctions = w.ctx.sandbox.faults?.stepFunctions;
  if (!stepFunctions) throw new Error('the sandbox was started without fault injection');
  stepFunctions.fail({
    match: /SendTaskSuccess/,
    matchBody: new RegExp(marker),
    times: 1,
    status: 400,
    headers: { 'Content-Type': 'application/x-amz-json-1.0' },
    body: JSON.stringify({ __type: 'TaskTimedOut', message: 'Task Timed Out' }),
  });
  return stepFunctions;
};

/** How many times the execution has entered a state. */
const entriesOf = (reference: string, state: string) =>
  w.execution(reference)?.history.filter((h) => h.type === 'TaskStateEntered' && (h.stateEnteredEventDetails as { name: string }).name === state).length ?? 0;

describe('an answer between two entries of its wait', () => {
  it("is taken up by the User's waiting task when it enters the wait again, and the case returns to the SSC", async () => {
    const { reference } = await w.submit();
    const question = 'Which User CIO assessed the provider?';
    await w.decide(reference, 'more-information', question);
    await waitUntil(async () => {
      const c = await getCase(reference);
      return c?.pendingWait?.kind === 'UserInformation' && c.pendingWait.notified ? c : undefined;
    }, 'the question to be asked');

    const answer = `Assessed by Acme CIO Ltd, for ${reference}.`;
    const stepFunctions = tokenExpiresOnce(reference);
    expect((await w.post(`/notifications/${reference}/information`, { answer })).status).toBe(202);
    expect(stepFunctions.injected).toBe(1);
    // Kept on the case while the workflow is not waiting on it.
    expect((await getCase(reference))?.pendingWait?.resolution).toBeDefined();

    // The wait's checkpoint (its reminder) comes; the task enters the wait again and resumes with the answer.
    await waitUntil(async () => (entriesOf(reference, 'AwaitUserInformation') >= 2 ? true : undefined), 'AwaitUserInformation to be entered again', 20_000);
    const second = await w.sscEmail(reference, 2);
    expect(second.email.body.text).toContain('The User has answered');
    const back = await w.waitForStatus(reference, 'AwaitingSscDecision');
    expect(back.informationExchanges).toEqual([{ question, askedAt: expect.any(String), answer, answeredAt: expect.any(String) }]);
    expect(back.history.filter((e: { type: string }) => e.type === 'UserAnswerRecorded')).toHaveLength(1);
  });

  it("is taken up by SECAS's waiting task when it enters the wait again, and the User is told the date", async () => {
    const { reference, user } = await w.submit();
    await w.decide(reference, 'ad-hoc-assessment');
    await waitUntil(async () => {
      const c = await getCase(reference);
      return c?.pendingWait?.kind === 'AssessmentSchedule' && c.pendingWait.notified ? c : undefined;
    }, 'SECAS to be asked for the date');

    const scheduledOn = addWorkingDays(londonDate(new Date()), 2);
    const stepFunctions = tokenExpiresOnce(scheduledOn);
    expect((await w.post(`/notifications/${reference}/assessment`, { scheduledOn }, 'secas')).status).toBe(202);
    expect(stepFunctions.injected).toBe(1);
    expect((await getCase(reference))?.pendingWait?.resolution).toBeDefined();

    // At its reminder checkpoint AwaitAssessmentRecord enters the wait again and resumes with the date.
    await waitUntil(
      async () => (entriesOf(reference, 'AwaitAssessmentSchedule') >= 2 ? true : undefined),
      'AwaitAssessmentSchedule to be entered again',
      20_000,
    );
    const scheduled = await w.waitForDeadline(reference, 'AssessmentOutcome', 20_000);
    expect(scheduled.assessment?.scheduledOn).toBe(scheduledOn);
    expect(scheduled.history.filter((e: { type: string }) => e.type === 'AssessmentScheduled')).toHaveLength(1);
    expect((await w.emailTo(user, `Ad-hoc User Security Assessment scheduled: ${reference}`)).subject).toContain(reference);
  });
});
