import { describe, expect, it } from 'vitest';
import { dayInWords } from '../../functions/domain/wording';
import { addMonths, addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { uniqueNotification } from '../support/fixtures';
import { caseCount, confirmDecision, emailsTo } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * Whatever the API accepts, the workflow carries to its next wait; what it could not carry is
 * refused at the door with a 422 naming the field and its allowed range, and nothing is stored,
 * started or sent. Each case here was once accepted and then stranded, or answered 500.
 */
const w = useWorkflow();
const today = () => londonDate(new Date());

const problemOf = async (response: Response) => {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return (await response.json()) as { status: number; errors: Array<{ pointer: string; detail: string }> };
};

describe('notification dates the workflow computes on', () => {
  it.each([
    [
      'a next annual review beyond the Working-Day data',
      (b: Record<string, any>) => (b.existingUserSystem.nextAnnualReviewOn = '2090-03-31'),
      '/existingUserSystem/nextAnnualReviewOn',
    ],
    [
      'a next annual review before the data',
      (b: Record<string, any>) => (b.existingUserSystem.nextAnnualReviewOn = '2016-03-31'),
      '/existingUserSystem/nextAnnualReviewOn',
    ],
    [
      'a next annual review two years ahead',
      (b: Record<string, any>) => (b.existingUserSystem.nextAnnualReviewOn = addMonths(today(), 24)),
      '/existingUserSystem/nextAnnualReviewOn',
    ],
    [
      'a planned live date beyond the data',
      (b: Record<string, any>) => Object.assign(b.newUserSystem, { plannedProcurementOn: addMonths(today(), 1), plannedLiveOn: '2099-12-31' }),
      '/newUserSystem/plannedLiveOn',
    ],
  ])('refuses %s with a 422 naming the field and its range, storing and sending nothing', async (_, mutate, pointer) => {
    const cases = await caseCount(w.ctx.sandbox.tableName);
    const executions = w.ctx.sandbox.stepFunctions.listExecutions().length;
    const body = uniqueNotification(mutate);
    const response = await w.post('/notifications', body);
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    const error = problem.errors.find((e) => e.pointer === pointer);
    expect(error?.detail).toMatch(/^must be from \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}: /);
    expect(await caseCount(w.ctx.sandbox.tableName)).toBe(cases);
    expect(w.ctx.sandbox.stepFunctions.listExecutions()).toHaveLength(executions);
    expect(await emailsTo(w.ctx.sandbox.sesUrl, body.contact.email)).toEqual([]);
  });

  it('carries a notification at the far edges of every window to the SSC decision', async () => {
    const { reference } = await w.submit((b) => {
      b.existingUserSystem.nextAnnualReviewOn = addMonths(today(), 13);
      b.existingUserSystem.fullUserSecurityAssessmentCompletedOn = addMonths(today(), -120);
      b.newUserSystem.plannedProcurementOn = addMonths(today(), 36);
      b.newUserSystem.plannedLiveOn = addMonths(today(), 36);
    });
    const c = await w.waitForStatus(reference, 'AwaitingSscDecision');
    expect(c.deadline.wait).toBe('SscDecision');
    expect(w.execution(reference)?.status).toBe('RUNNING');
  });
});

describe("SECAS's assessment records", () => {
  const toAssessmentSchedule = async () => {
    const submitted = await w.submit();
    await w.decide(submitted.reference, 'ad-hoc-assessment');
    const c = await w.waitForDeadline(submitted.reference, 'AssessmentSchedule');
    return { ...submitted, hardLimitOn: londonDate(new Date(c.deadline.hardLimitAt)) as string };
  };

  it('refuses an assessment date beyond the hard limit of its window, then carries one on the limit itself', async () => {
    const { reference, user, hardLimitOn } = await toAssessmentSchedule();
    for (const scheduledOn of ['2040-06-01', addMonths(hardLimitOn, 1)]) {
      const refused = await w.post(`/notifications/${reference}/assessment`, { scheduledOn }, 'secas');
      expect(refused.status).toBe(422);
      const error = (await problemOf(refused)).errors[0];
      expect(error).toEqual({
        pointer: '/scheduledOn',
        detail: `must be from ${addWorkingDays(today(), 1)} to ${hardLimitOn}: a Working Day after today, until the hard limit of the assessment window the SSC set`,
      });
    }
    expect((await w.getCase(reference)).status).toBe('AwaitingAssessmentSchedule');
    expect((await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.includes('scheduled'))).toEqual([]);

    expect((await w.post(`/notifications/${reference}/assessment`, { scheduledOn: hardLimitOn }, 'secas')).status).toBe(202);
    const c = await w.waitForDeadline(reference, 'AssessmentOutcome');
    expect(c.status).toBe('AwaitingAssessmentOutcome');
    expect(c.assessment.scheduledOn).toBe(hardLimitOn);
    expect(w.execution(reference)?.status).toBe('RUNNING');
  });

  it('refuses an assessment date that is today or not a Working Day, naming the rule, then takes the first Working Day after today', async () => {
    const { reference, user } = await toAssessmentSchedule();
    const firstWorkingDay = addWorkingDays(today(), 1);
    // The first Saturday and Sunday after the first Working Day: inside the window, but no Working Day.
    const weekend = [6, 0].map((weekday) => {
      for (let d = 1; ; d++) {
        const day = new Date(Date.parse(`${firstWorkingDay}T00:00:00Z`) + d * 86_400_000);
        if (day.getUTCDay() === weekday) return day.toISOString().slice(0, 10);
      }
    });
    for (const [scheduledOn, detail] of [
      [today(), new RegExp(`^must be from ${firstWorkingDay} to \\d{4}-\\d{2}-\\d{2}: a Working Day after today, until the hard limit`)],
      [
        weekend[0],
        new RegExp(
          `^must be a Working Day \\(not a Saturday, Sunday, Christmas Day, Good Friday or bank holiday in England and Wales\\): ${weekend[0]} is a Saturday$`,
        ),
      ],
      [weekend[1], new RegExp(`: ${weekend[1]} is a Sunday$`)],
    ] as const) {
      const refused = await w.post(`/notifications/${reference}/assessment`, { scheduledOn }, 'secas');
      expect(refused.status).toBe(422);
      const problem = await problemOf(refused);
      expect(problem.errors).toHaveLength(1);
      expect(problem.errors[0]?.pointer).toBe('/scheduledOn');
      expect(problem.errors[0]?.detail).toMatch(detail);
    }
    expect((await w.getCase(reference)).status).toBe('AwaitingAssessmentSchedule');
    expect((await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.includes('scheduled'))).toEqual([]);

    expect((await w.post(`/notifications/${reference}/assessment`, { scheduledOn: firstWorkingDay }, 'secas')).status).toBe(202);
    expect((await w.waitForDeadline(reference, 'AssessmentOutcome')).assessment.scheduledOn).toBe(firstWorkingDay);
  });

  it('refuses a completion before the scheduled day, or in the future, naming the rule, then takes one on the scheduled day', async () => {
    const { reference, user } = await toAssessmentSchedule();
    const scheduledOn = addWorkingDays(today(), 2);
    expect((await w.post(`/notifications/${reference}/assessment`, { scheduledOn }, 'secas')).status).toBe(202);
    await w.waitForDeadline(reference, 'AssessmentOutcome');
    const completion = (completedOn: string) =>
      w.post(`/notifications/${reference}/assessment`, { outcome: { assuranceStatus: 'Approved', completedOn } }, 'secas');

    // Before the assessment's day no completion can be taken: today is before it, its day is in the future.
    for (const completedOn of [today(), scheduledOn]) {
      const refused = await completion(completedOn);
      expect(refused.status).toBe(422);
      expect((await problemOf(refused)).errors).toEqual([
        {
          pointer: '/outcome/completedOn',
          detail: `must be on or after ${scheduledOn}, the day the assessment was scheduled for, and not in the future (today is ${today()}): record the outcome once the assessment has taken place`,
        },
      ]);
    }

    // Once it has come (the date moved back, as it stands a few days on), the window runs from it to today.
    const heldOn = addWorkingDays(today(), -2);
    await w.assessmentDayComes(reference, heldOn);
    for (const completedOn of [addWorkingDays(heldOn, -1), addMonths(today(), -1), addWorkingDays(today(), 1)]) {
      const refused = await completion(completedOn);
      expect(refused.status).toBe(422);
      expect((await problemOf(refused)).errors).toEqual([
        {
          pointer: '/outcome/completedOn',
          detail: `must be from ${heldOn} to ${today()}: on or after the day the assessment was scheduled for, and not in the future`,
        },
      ]);
    }
    expect((await w.getCase(reference)).status).toBe('AwaitingAssessmentOutcome');
    expect((await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.includes('Assessment outcome'))).toEqual([]);

    expect((await completion(heldOn)).status).toBe(202);
    expect((await w.waitForStatus(reference, 'Closed')).assessment.outcome.completedOn).toBe(heldOn);
  });
});

describe("the SSC's request for more information", () => {
  it('needs a question: a blank one shows the page again saying so, deciding and sending nothing', async () => {
    const { reference, user } = await w.submit();
    const { link } = await w.sscEmail(reference);
    const page = await (await fetch(link('more-information'))).text();
    expect(page).toMatch(/<label[^>]*for="advice">Your question to the User<\/label><div[^>]*class="govuk-hint">Required\./);
    expect(page).toMatch(/<textarea[^>]* required>/);

    const blank = await confirmDecision(link('more-information'), '  \n ');
    expect(blank.status).toBe(422);
    const again = await blank.text();
    expect(again).toContain('Not yet decided.');
    expect(again).toContain('Write the question the User should answer');
    expect(again).toContain('<form method="post"');
    expect((await w.getCase(reference)).status).toBe('AwaitingSscDecision');
    expect((await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.includes('SSC question'))).toEqual([]);

    expect((await confirmDecision(link('more-information'), 'Which CIO assessed the provider?')).status).toBe(200);
    expect((await w.emailTo(user, `SSC question on ${reference}`)).body.text).toContain('Which CIO assessed the provider?');
  });
});

describe('links of a case that has moved on say truthfully why', () => {
  it('names the withdrawal, not a guess', async () => {
    const { reference } = await w.submit();
    const { link } = await w.sscEmail(reference);
    expect((await w.post(`/notifications/${reference}/withdrawal`, {})).status).toBe(202);
    await w.waitForStatus(reference, 'Withdrawn');
    const page = await fetch(link('defer-to-annual-review'));
    expect(page.status).toBe(410);
    expect(await page.text()).toContain(`The User withdrew the notification on ${dayInWords(today())}`);
  });
});
