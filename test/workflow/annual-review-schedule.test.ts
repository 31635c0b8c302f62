import { GetScheduleCommand, ResourceNotFoundException, SchedulerClient } from '@aws-sdk/client-scheduler';
import { describe, expect, it } from 'vitest';
import { addMonths, addWorkingDays, londonDate, londonInstant, londonWallClock } from '../../functions/domain/working-days';
import { confirmDecision } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * The annual-review wait leaves the workflow: a deferred case's execution ends once a one-time
 * EventBridge Scheduler schedule holds its reminder, however far ahead, and the schedule reminds
 * and closes the case on the right Working Day. Ten days of the case's clock pass each second.
 */
const TIME_SCALE = 864_000;
const w = useWorkflow({ timeScale: TIME_SCALE });
const DAY = 86_400_000;

describe('SscTriageWorkflow: the annual review beyond one execution', () => {
  it('defers after an SSC wait past its escalation, ends the execution, and reminds 13 months on, 10 Working Days before the review', async () => {
    const today = londonDate(new Date());
    // As far ahead as the API admits: the reminder falls more than a year after the notice, beyond any one execution's life.
    const review = addMonths(today, 13);
    const { reference, user } = await w.submit((b) => {
      b.existingUserSystem.nextAnnualReviewOn = review;
      b.newUserSystem.plannedLiveOn = addMonths(today, 9);
    });
    w.path("deferral after the SSC's escalation; reminded 13 months on by its schedule", reference);
    const { link } = await w.sscEmail(reference);
    const waiting = await w.waitForDeadline(reference, 'SscDecision');
    const execution = w.execution(reference);
    if (!execution) throw new Error('no execution');
    const clock = () => w.ctx.sandbox.stepFunctions.now(execution.executionArn).getTime();
    const hardLimit = Date.parse(waiting.deadline.hardLimitAt);

    // The SSC decides late, once SECAS has been told it is overdue: at this time scale (ten case
    // days a real second) the window between the escalation and the hard limit is a fraction of a
    // real second, so the test acts on the escalation itself and measures on the case's clock.
    await w.emailTo(w.ctx.secasAddress, `[ESCALATION] Overdue: the SSC's decision on ${reference}`, 1, 30_000);
    const decidedAt = clock();
    expect(decidedAt).toBeGreaterThanOrEqual(Date.parse(waiting.deadline.escalationAt));
    expect((await confirmDecision(link('defer-to-annual-review'), 'Already assessed as a Shared Resource.')).status).toBe(200);

    // The execution ends at the deferral: it ran no longer than its SSC wait could last.
    const finished = await w.finished(reference);
    expect(finished.status).toBe('SUCCEEDED');
    const entered = finished.history.filter((h) => h.type.endsWith('StateEntered')).map((h) => (h.stateEnteredEventDetails as { name: string }).name);
    expect(entered.slice(-2)).toEqual(['ScheduleAnnualReviewReminder', 'CaseDeferredToAnnualReview']);
    const ranFor = ((finished.stopDate as Date).getTime() - finished.startDate.getTime()) * TIME_SCALE;
    expect(ranFor).toBeLessThan(hardLimit - finished.startDate.getTime());

    const remindOn = addWorkingDays(review, -10);
    const remindAt = londonInstant(remindOn).toISOString();
    const deferred = await w.getCase(reference);
    expect(deferred.status).toBe('DeferredToAnnualReview');
    expect(deferred.annualReview).toEqual({ reminderAt: remindAt });
    expect(Date.parse(remindAt) - finished.startDate.getTime()).toBeGreaterThan(365 * DAY);

    // The schedule, as EventBridge Scheduler's own client reads it: in UK time, deleted once it has fired.
    const scheduler = new SchedulerClient({ endpoint: w.ctx.sandbox.schedulerUrl });
    const get = new GetScheduleCommand({ Name: `annual-review-${reference}`, GroupName: 'SecondUserSystem-AnnualReviews' });
    const schedule = await scheduler.send(get);
    expect(schedule).toMatchObject({
      ScheduleExpression: `at(${londonWallClock(new Date(remindAt))})`,
      ScheduleExpressionTimezone: 'Europe/London',
      ActionAfterCompletion: 'DELETE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
    });
    expect(schedule.ScheduleExpression).toBe(`at(${remindOn}T09:00:00)`);
    expect(schedule.Target?.Arn).toMatch(/:function:RemindOfAnnualReview$/);
    expect(schedule.Target?.DeadLetterConfig?.Arn).toMatch(/^arn:aws:sqs:/);
    expect(JSON.parse(schedule.Target?.Input as string)).toEqual({ reference, scheduledTime: '<aws.scheduler.scheduled-time>' });

    // Nothing before it is due; then the User and SECAS are reminded, on that Working Day, and the case closes.
    const reminder = await w.emailTo(user, `Annual review ${review}`, 1, 90_000);
    const seenAt = clock();
    expect(seenAt).toBeGreaterThanOrEqual(Date.parse(remindAt));
    expect(seenAt).toBeLessThan(Date.parse(remindAt) + 10 * DAY);
    expect(reminder.destination.to).toEqual([user, w.ctx.secasAddress]);
    const closed = await w.waitForStatus(reference, 'Closed');
    const sent = closed.history.find((e: { type: string }) => e.type === 'AnnualReviewReminderSent');
    expect(sent.at).toBe(remindAt);
    expect(closed.history.at(-1)).toMatchObject({ type: 'CaseClosed', at: remindAt, actor: { kind: 'System', id: 'RemindOfAnnualReview' } });
    await expect(scheduler.send(get)).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(w.ctx.sandbox.scheduler.deadLetters).toEqual([]);
    expect(w.ctx.sandbox.deadLetters).toEqual({});
  }, 150_000);

  it('moves the reminder when the User amends the review date after the deferral: the new schedule fires once, on its day, the old one is gone', async () => {
    const today = londonDate(new Date());
    const review = addMonths(today, 6);
    const { reference, user } = await w.submit((b) => {
      b.existingUserSystem.nextAnnualReviewOn = review;
      b.newUserSystem.plannedLiveOn = addMonths(today, 9);
    });
    w.path('deferral, its review date amended: the reminder moved', reference);
    const { link } = await w.sscEmail(reference);
    expect((await confirmDecision(link('defer-to-annual-review'))).status).toBe(200);
    await w.finished(reference);
    const scheduler = new SchedulerClient({ endpoint: w.ctx.sandbox.schedulerUrl });
    const named = (name: string) => new GetScheduleCommand({ Name: name, GroupName: 'SecondUserSystem-AnnualReviews' });
    expect((await scheduler.send(named(`annual-review-${reference}`))).ScheduleExpression).toBe(`at(${addWorkingDays(review, -10)}T09:00:00)`);

    const moved = addMonths(today, 8);
    const amended = await w.ctx.api('user').fetch(`/notifications/${reference}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json', 'If-Match': '"1"' },
      body: JSON.stringify({ existingUserSystem: { nextAnnualReviewOn: moved } }),
    });
    expect(amended.status).toBe(200);
    const remindOn = addWorkingDays(moved, -10);
    const remindAt = londonInstant(remindOn).toISOString();
    expect((await scheduler.send(named(`annual-review-${reference}-v2`))).ScheduleExpression).toBe(`at(${remindOn}T09:00:00)`);
    await expect(scheduler.send(named(`annual-review-${reference}`))).rejects.toBeInstanceOf(ResourceNotFoundException);
    const deferred = await w.getCase(reference);
    expect(deferred.annualReview).toEqual({ reminderAt: remindAt });
    expect(deferred.history.map((e: { type: string }) => e.type)).toContain('AnnualReviewReminderMoved');

    // Reminded once, for the amended review, on its day; the case closes.
    const execution = w.execution(reference);
    if (!execution) throw new Error('no execution');
    const reminder = await w.emailTo(user, `Annual review ${moved}`, 1, 90_000);
    expect(w.ctx.sandbox.stepFunctions.now(execution.executionArn).getTime()).toBeGreaterThanOrEqual(Date.parse(remindAt));
    expect(reminder.destination.to).toContain(user);
    const closed = await w.waitForStatus(reference, 'Closed');
    expect(closed.history.filter((e: { type: string }) => e.type === 'AnnualReviewReminderSent')).toHaveLength(1);
    expect(w.ctx.sandbox.scheduler.deadLetters).toEqual([]);
  }, 150_000);
});
