import { RedriveExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { waitUntil } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * The SSC's meeting calendar, configured as a list of dates: the SSC's decision is due at the
 * first meeting whose paper deadline the case can make, and its email names the meeting. A list
 * that has run out stops the workflow at the SSC's deadline and alerts SECAS; once the dates are
 * extended (a deploy: here the functions' environment), a redrive carries the case on.
 */
const today = londonDate(new Date());
const tooSoon = addWorkingDays(today, 2); // papers 5 Working Days before: already past
const meeting = addWorkingDays(today, 9);
const later = addWorkingDays(today, 19);
const calendar = (dates: string[]) => JSON.stringify({ dates });
const w = useWorkflow({ environment: { SSC_MEETINGS: calendar([tooSoon, meeting, later]), SSC_PAPER_DEADLINE_WORKING_DAYS: '5' } });

/** As a deploy that changes the functions' environment: the next invocations read it afresh. */
const deployCalendar = (dates: string[]) => {
  process.env.SSC_MEETINGS = calendar(dates);
};

describe("SscTriageWorkflow: the SSC's meeting calendar", () => {
  it('makes the decision due at the first meeting whose paper deadline the case can make, and names it', async () => {
    const { reference } = await w.submit((b) => {
      b.newUserSystem.plannedProcurementOn = addWorkingDays(today, 30);
      b.newUserSystem.plannedLiveOn = addWorkingDays(today, 60);
    });
    w.path('due at the SSC meeting the case can make', reference);
    const c = await w.waitForDeadline(reference, 'SscDecision');
    expect(c.deadline).toMatchObject({ dueOn: meeting, meeting: { on: meeting, papersBy: addWorkingDays(meeting, -5) } });
    const { email } = await w.sscEmail(reference);
    expect(email.body.text).toContain(`Please decide by ${meeting}, at the SSC meeting that day (papers by ${addWorkingDays(meeting, -5)})`);
    expect(email.body.text).toContain(`Decide by: ${meeting}, at the SSC meeting that day`);
  });

  it('brings the due date before the meeting when the planned live date requires it, saying so', async () => {
    const liveOn = addWorkingDays(today, 6);
    const { reference } = await w.submit((b) => {
      b.newUserSystem.plannedProcurementOn = today;
      b.newUserSystem.plannedLiveOn = liveOn;
    });
    const c = await w.waitForDeadline(reference, 'SscDecision');
    expect(c.deadline).toMatchObject({ dueOn: addWorkingDays(liveOn, -1), meeting: { on: meeting } });
    expect(c.late).toBe(true);
    expect(c.lateReasons.join(' ')).toContain(`is not after the SSC meeting that can first decide on the notice (${meeting}`);
    const { email } = await w.sscEmail(reference);
    expect(email.body.text).toContain(`before the next SSC meeting (${meeting}): the planned live date requires it`);
  });

  it('stops at the SSC deadline when the dates have run out, alerts SECAS, and carries on once they are extended', async () => {
    deployCalendar([tooSoon]);
    const { reference } = await w.submit();
    w.path('meeting calendar ran out, extended, redriven', reference);
    const alert = await w.emailTo(w.ctx.secasAddress, `[WORKFLOW FAULT] ${reference}`);
    expect(alert.body.text).toContain('StartSscDecisionDeadline');
    expect(alert.body.text).toContain('MeetingCalendarExhausted');
    expect(alert.body.text).toContain("add the SSC's next meeting dates");
    const stopped = await w.getCase(reference, 'secas');
    expect(stopped.status).toBe('Received');
    expect(stopped.history.map((e: { type: string }) => e.type)).toContain('WorkflowFaulted');

    deployCalendar([tooSoon, meeting, later]);
    await new SFNClient({}).send(new RedriveExecutionCommand({ executionArn: w.execution(reference)?.executionArn as string }));
    const resumed = await w.waitForDeadline(reference, 'SscDecision');
    expect(resumed.deadline.meeting.on).toBe(meeting);
    await waitUntil(async () => (w.execution(reference)?.status === 'RUNNING' ? true : undefined), 'the redriven execution');
    await w.sscEmail(reference);
  });
});
