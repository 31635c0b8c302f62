import { DescribeStateMachineCommand, DescribeStateMachineForExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { awsFaults } from '../../infra/local/fault-proxy';
import { buildRelease, previousRelease } from '../../infra/local/previous-release';
import { currentRelease, releaseDefinition } from '../../infra/local/release';
import { type StoredEmail, confirmDecision, linksIn, recordByLink, waitUntil } from '../support/sandbox';
import { TEST_DATE_MOVED, useWorkflow } from '../support/workflow';

/**
 * A deploy under waiting cases. On the previous release (CHANGELOG.md's latest, built from its
 * commit: its handlers, its ASL), cases are taken to each of the five waits; this release is
 * then deployed as CloudFormation deploys it (running executions keep their definition; every
 * function invoked from then on, their tasks included, runs the new code); and each case goes on
 * to its end through the new API, the links the old release emailed, the User's answer and the
 * annual-review schedule, while one old execution's timeout fires its reminder into the new code.
 * A failure names the wait and the release it happened on.
 *
 * A case's clock runs half a day a second. The SSC's one meeting is 50 Working Days ahead and the
 * User has 5 Working Days to answer, so the only checkpoints within the test are the User's
 * reminder (two Working Days after the question) and the annual-review schedule (three Working
 * Days after the deferral), both some seconds after the deploy that follows them at once.
 */
const previous = await previousRelease();
const current = currentRelease();
const TIME_SCALE = 43_200;
const today = londonDate(new Date());
const w = useWorkflow({
  timeScale: TIME_SCALE,
  release: previous,
  faultInjection: true,
  environment: { USER_INFORMATION_WORKING_DAYS: '5', SSC_MEETINGS: JSON.stringify({ dates: [addWorkingDays(today, 50)] }) },
});

type Wait = 'AwaitSscDecision' | 'AwaitUserInformation' | 'AwaitAssessmentSchedule' | 'AwaitAssessmentOutcome' | 'annual-review schedule';
/**
 * The cases, each named by the wait it is in at the deploy (two wait for the SSC: one is decided,
 * one withdrawn); and one the previous release stored but could not start, for this release's sweep.
 */
type Case = Exclude<Wait, 'AwaitSscDecision'> | 'AwaitSscDecision (decided)' | 'AwaitSscDecision (withdrawn)' | 'Received (no execution)';

interface WaitingCase {
  reference: string;
  user: string;
  /** The links the previous release emailed: the SSC's by decision, SECAS's by record. */
  links: Record<string, string>;
  /** Its history as the previous release left it. */
  historyAtDeploy: Array<Record<string, unknown>>;
}
const waiting = {} as Record<Exclude<Case, 'Received (no execution)'>, WaitingCase>;
let unstarted: WaitingCase;
const upgrade = `${previous.name} (commit ${previous.commit?.slice(0, 7)})`;
const officer = 'Sam Okafor (SECAS)';

/** A step of one case: a failure names its wait and the release it ran on. */
const step = async <T>(wait: Case, release: string, run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    throw new Error(`${wait}, on ${release}: ${(error as Error).message}`, { cause: error });
  }
};
const onThisRelease = <T>(wait: Case, run: () => Promise<T>) => step(wait, `this release after the upgrade from ${upgrade}`, run);

const linkIn = (email: StoredEmail, part: string): string => {
  const link = linksIn(email).find((l) => l.includes(part));
  if (!link) throw new Error(`no link with ${part} in the email`);
  return link;
};

const sfn = () => new SFNClient({ endpoint: w.ctx.sandbox.stepFunctionsUrl });
const machine = () => sfn().send(new DescribeStateMachineCommand({ stateMachineArn: w.ctx.sandbox.stateMachineArn }));
const machineFor = (reference: string) => sfn().send(new DescribeStateMachineForExecutionCommand({ executionArn: w.execution(reference)?.executionArn }));

const deploy = { at: 0, revisionBefore: '', revisionAfter: '', definitionBefore: '', invocationsBefore: {} as Record<string, number> };

beforeAll(async () => {
  const on = previous.name;
  const toSsc = async (name: keyof typeof waiting, mutate?: (b: Record<string, any>) => void) => {
    const { reference, user } = await w.submit(mutate);
    w.path(`upgrade from ${previous.name}: ${name}`, reference);
    const { email } = await w.sscEmail(reference);
    await w.waitForDeadline(reference, 'SscDecision');
    const links = Object.fromEntries(linksIn(email).map((l) => [new URL(l).searchParams.get('decision') as string, l]));
    waiting[name] = { reference, user, links, historyAtDeploy: [] };
    return waiting[name];
  };
  const decide = async (c: WaitingCase, decision: string, advice: string) => {
    const answer = await confirmDecision(c.links[decision] as string, advice);
    if (answer.status !== 200) throw new Error(`the decision ${decision} answered ${answer.status}`);
  };
  const toAssessmentSchedule = async (name: keyof typeof waiting) => {
    const c = await toSsc(name);
    await decide(c, 'ad-hoc-assessment', 'Arrange an ad-hoc assessment.');
    await w.waitForDeadline(c.reference, 'AssessmentSchedule');
    c.links.date = linkIn(await w.emailTo(w.ctx.secasAddress, `Arrange an ad-hoc User Security Assessment: ${c.reference}`), 'record=date');
    return c;
  };

  await step('Received (no execution)', on, async () => {
    const faults = w.ctx.sandbox.faults;
    faults?.stepFunctions.fail({ match: /StartExecution/, ...awsFaults.stepFunctionsUnavailable });
    const { reference, user } = await w.submit();
    faults?.stepFunctions.heal();
    w.path(`upgrade from ${previous.name}: stored without an execution, started by the sweep`, reference);
    unstarted = { reference, user, links: {}, historyAtDeploy: [] };
  });
  await step('AwaitSscDecision (decided)', on, () => toSsc('AwaitSscDecision (decided)'));
  await step('AwaitSscDecision (withdrawn)', on, () => toSsc('AwaitSscDecision (withdrawn)'));
  await step('AwaitAssessmentSchedule', on, () => toAssessmentSchedule('AwaitAssessmentSchedule'));
  await step('AwaitAssessmentOutcome', on, async () => {
    const c = await toAssessmentSchedule('AwaitAssessmentOutcome');
    // The previous release's form takes the officer's name and the date.
    const recorded = await recordByLink(c.links.date as string, { recordedBy: officer, scheduledOn: addWorkingDays(today, 1) });
    if (recorded.status !== 200) throw new Error(`the assessment date answered ${recorded.status}`);
    await w.waitForDeadline(c.reference, 'AssessmentOutcome');
    const request = await w.emailTo(w.ctx.secasAddress, `Record the outcome of an ad-hoc User Security Assessment: ${c.reference}`);
    c.links.outcome = linkIn(request, 'record=outcome');
  });
  // The two cases whose checkpoints fall after the deploy come last, right before it.
  await step('annual-review schedule', on, async () => {
    const c = await toSsc('annual-review schedule', (b) => {
      b.existingUserSystem.nextAnnualReviewOn = addWorkingDays(today, 13);
    });
    await decide(c, 'defer-to-annual-review', 'Already assessed as a Shared Resource.');
    if ((await w.finished(c.reference)).status !== 'SUCCEEDED') throw new Error('the deferral did not end its execution');
    const scheduler = new SchedulerClient({ endpoint: w.ctx.sandbox.schedulerUrl });
    await scheduler.send(new GetScheduleCommand({ Name: `annual-review-${c.reference}`, GroupName: 'SecondUserSystem-AnnualReviews' }));
  });
  await step('AwaitUserInformation', on, async () => {
    const c = await toSsc('AwaitUserInformation');
    await decide(c, 'more-information', 'Who operates the HSMs?');
    await w.waitForDeadline(c.reference, 'UserInformation');
    // The wait is entered once AskUserForInformation has put the question to the User: its event
    // can come a moment after the deadline the workflow set.
    await waitUntil(
      async () => ((await w.getCase(c.reference)).history.some((e: { type: string }) => e.type === 'InformationRequestedFromUser') ? true : undefined),
      `${c.reference}'s question put to the User`,
    );
  });

  for (const c of [...Object.values(waiting), unstarted]) c.historyAtDeploy = (await w.getCase(c.reference)).history;
  const before = await machine();
  deploy.revisionBefore = before.revisionId as string;
  deploy.definitionBefore = before.definition as string;
  deploy.invocationsBefore = Object.fromEntries(previous.invocations);
  w.ctx.sandbox.deploy(current);
  deploy.at = Date.now();
  deploy.revisionAfter = (await machine()).revisionId as string;
});

const caseOf = (name: Case): WaitingCase => (name === 'Received (no execution)' ? unstarted : waiting[name]);

/** The case in its final status, once its execution has ended, as this release reads it. */
const finalCase = async (name: Case, status: string) => {
  const { reference } = caseOf(name);
  await w.finished(reference);
  const c = await w.waitForStatus(reference, status);
  return c as { status: string; history: Array<Record<string, unknown> & { type: string; seq: number }> };
};

/** Each execution ran to its end on the definition it started with, its tasks after the deploy naming the same unqualified functions. */
const keptItsDefinition = async (name: Exclude<Case, 'Received (no execution)'>) => {
  const { reference } = waiting[name];
  const execution = w.execution(reference);
  if (!execution) throw new Error('no execution');
  await execution.done;
  expect(execution.status).toBe('SUCCEEDED');
  expect(execution.history.map((e) => e.type)).not.toContain('ExecutionRedriven');
  const own = await machineFor(reference);
  expect(own.revisionId).toBe(deploy.revisionBefore);
  expect(own.definition).toBe(deploy.definitionBefore);
  const states = (JSON.parse(deploy.definitionBefore) as { States: Record<string, { Parameters?: { FunctionName?: string } }> }).States;
  let entered = '';
  const afterDeploy: string[] = [];
  for (const event of execution.history) {
    if (event.type.endsWith('StateEntered')) {
      entered = (event.stateEnteredEventDetails as { name: string }).name;
      expect(Object.keys(states)).toContain(entered);
    }
    if (event.type === 'TaskScheduled' && event.timestamp.getTime() >= deploy.at) {
      const { parameters } = event.taskScheduledEventDetails as { parameters: string };
      const { FunctionName } = JSON.parse(parameters) as { FunctionName?: string };
      if (FunctionName) {
        expect(FunctionName).toBe(states[entered]?.Parameters?.FunctionName);
        afterDeploy.push(entered);
      }
    }
  }
  return afterDeploy;
};

/** The history: what the previous release recorded, read the same, then what this release added, in order and numbered. */
const historyGoesOn = (name: Case, history: Array<Record<string, unknown> & { type: string; seq: number }>, added: string[]) => {
  const { historyAtDeploy } = caseOf(name);
  // The events read the same, whether or not the previous release numbered them (v1.0.0 did not); the numbers are checked below.
  const unnumbered = (events: Array<Record<string, unknown>>) => events.map(({ seq: _seq, ...event }) => event);
  expect(unnumbered(history).slice(0, historyAtDeploy.length)).toEqual(unnumbered(historyAtDeploy));
  // What the product added: the test's own event, when it brings an assessment day forward, is not the product's.
  expect(
    history
      .slice(historyAtDeploy.length)
      .map((e) => e.type)
      .filter((type) => type !== TEST_DATE_MOVED),
  ).toEqual(added);
  expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
};

describe(`upgrade from ${upgrade} to this release`, () => {
  it("says to fetch the full history when a release's commit is not in the clone, as in a shallow one", async () => {
    const missing = { name: 'v0.0.1', date: '2026-01-01', commit: 'f'.repeat(40) };
    await expect(buildRelease(missing)).rejects.toThrow(`Release v0.0.1 (commit ${'f'.repeat(40)}, named in CHANGELOG.md) is not in this clone`);
    await expect(buildRelease(missing)).rejects.toThrow('git fetch --unshallow');
  });

  it("deploys: a new revision of the state machine, with this release's definition for new cases; the previous release's for the cases already waiting", async () => {
    const machineArn = w.ctx.sandbox.stateMachineArn.split(':');
    const functionArn = (task: string) => `arn:aws:lambda:${machineArn[3]}:${machineArn[4]}:function:${task}`;
    expect(JSON.parse(deploy.definitionBefore)).toEqual(releaseDefinition(previous, functionArn, w.ctx.sandbox.tableName));
    expect(deploy.revisionAfter).not.toBe(deploy.revisionBefore);
    expect(JSON.parse((await machine()).definition as string)).toEqual(releaseDefinition(current, functionArn, w.ctx.sandbox.tableName));
    const { reference } = await w.submit();
    await w.sscEmail(reference);
    expect((await machineFor(reference)).revisionId).toBe(deploy.revisionAfter);
    for (const { reference: waitingCase } of Object.values(waiting)) expect((await machineFor(waitingCase)).revisionId).toBe(deploy.revisionBefore);
  });

  it('AwaitSscDecision: the SSC decides through the link the previous release emailed; the case ends out of scope', async () => {
    const name = 'AwaitSscDecision (decided)';
    await onThisRelease(name, async () => {
      const answer = await confirmDecision(waiting[name].links['out-of-scope'] as string, 'A change of components only.');
      expect(answer.status).toBe(200);
      const { history } = await finalCase(name, 'OutOfScope');
      expect(await keptItsDefinition(name)).toEqual(['AdviseUserOfOutOfScope']);
      historyGoesOn(name, history, ['SscDecisionConfirmed', 'SscDecisionTaken', 'AdviceSent']);
    });
  });

  it('AwaitSscDecision: the User withdraws through the API; the case ends withdrawn and the SSC is told', async () => {
    const name = 'AwaitSscDecision (withdrawn)';
    await onThisRelease(name, async () => {
      expect((await w.post(`/notifications/${waiting[name].reference}/withdrawal`, { reason: 'Plans changed.' })).status).toBe(202);
      const { history } = await finalCase(name, 'Withdrawn');
      expect(await keptItsDefinition(name)).toEqual(['NotifySscOfWithdrawal']);
      historyGoesOn(name, history, ['WithdrawalRequested', 'CaseWithdrawn', 'WithdrawalNotified']);
    });
  });

  it("AwaitAssessmentSchedule: SECAS records the date through the previous release's link, then the outcome through this release's; the case closes", async () => {
    const name = 'AwaitAssessmentSchedule';
    const { reference, links } = waiting[name];
    await onThisRelease(name, async () => {
      // This release's form also wants the case reference typed, which recordByLink reads off the page.
      expect((await recordByLink(links.date as string, { recordedBy: officer, scheduledOn: addWorkingDays(today, 1) })).status).toBe(200);
      await w.waitForDeadline(reference, 'AssessmentOutcome');
      const outcome = linkIn(await w.emailTo(w.ctx.secasAddress, `Record the outcome of an ad-hoc User Security Assessment: ${reference}`), 'record=outcome');
      await w.assessmentDayComes(reference);
      expect((await recordByLink(outcome, { recordedBy: officer, assuranceStatus: 'Approved', completedOn: today })).status).toBe(200);
      const { history } = await finalCase(name, 'Closed');
      expect(await keptItsDefinition(name)).toEqual([
        'NotifyUserOfAssessmentDate',
        'StartAssessmentOutcomeDeadline',
        'AwaitAssessmentOutcome',
        'NotifyUserOfAssessmentOutcome',
      ]);
      historyGoesOn(name, history, [
        'AssessmentScheduleRecorded',
        'AssessmentScheduled',
        'AssessmentDateSentToUser',
        'AssessmentOutcomeDeadlineSet',
        'AssessmentOutcomeRequestedFromSecas',
        'AssessmentOutcomeRecorded',
        'AssessmentOutcomeRecorded',
        'AssessmentOutcomeSentToUser',
        'CaseClosed',
      ]);
    });
  });

  it("AwaitAssessmentOutcome: SECAS records a Rejected outcome through the previous release's link; SECAS is alerted and the case closes", async () => {
    const name = 'AwaitAssessmentOutcome';
    const { reference, links } = waiting[name];
    await onThisRelease(name, async () => {
      await w.assessmentDayComes(reference);
      expect((await recordByLink(links.outcome as string, { recordedBy: officer, assuranceStatus: 'Rejected', completedOn: today })).status).toBe(200);
      await w.emailTo(w.ctx.secasAddress, `[ESCALATION] Assessment Rejected: ${reference}`);
      const { history } = await finalCase(name, 'Closed');
      expect(await keptItsDefinition(name)).toEqual(['NotifyUserOfAssessmentOutcome', 'EscalateRejectedAssessment']);
      historyGoesOn(name, history, [
        'AssessmentOutcomeRecorded',
        'AssessmentOutcomeRecorded',
        'AssessmentOutcomeSentToUser',
        'AssessmentFindingEscalatedToSecas',
        'CaseClosed',
      ]);
    });
  });

  it("AwaitUserInformation: the old execution's reminder fires into this release; the User answers through the API, and the SSC decides on a fresh email", async () => {
    const name = 'AwaitUserInformation';
    const { reference, user } = waiting[name];
    await onThisRelease(name, async () => {
      await w.emailTo(user, `Reminder: the SSC awaits your answer on ${reference}`, 1, 30_000);
      expect((await w.post(`/notifications/${reference}/information`, { answer: 'Harbour Shared Services operates them.' })).status).toBe(202);
      const { link } = await w.sscEmail(reference, 2);
      expect((await confirmDecision(link('out-of-scope'), 'Out of scope after all.')).status).toBe(200);
      const { history } = await finalCase(name, 'OutOfScope');
      // The timeout was the previous release's definition's; the reminder it ran, this release's ManageDeadline.
      expect(await keptItsDefinition(name)).toEqual([
        'RemindUserOfQuestion',
        'AwaitUserInformation',
        'StartSscDecisionDeadline',
        'AwaitSscDecision',
        'AdviseUserOfOutOfScope',
      ]);
      historyGoesOn(name, history, [
        'UserInformationReminderSent',
        'UserAnswered',
        'UserAnswerRecorded',
        'SscDecisionDeadlineSet',
        'SscDecisionRequested',
        'SscDecisionConfirmed',
        'SscDecisionTaken',
        'AdviceSent',
      ]);
    });
  });

  it("annual-review schedule: the schedule the previous release left fires into this release's RemindOfAnnualReview, which reminds and closes the case", async () => {
    const name = 'annual-review schedule';
    const { reference, user } = waiting[name];
    await onThisRelease(name, async () => {
      const reminder = await w.emailTo(user, 'Annual review', 1, 30_000);
      expect(reminder.destination.to).toEqual([user, w.ctx.secasAddress]);
      const { history } = await finalCase(name, 'Closed');
      historyGoesOn(name, history, ['AnnualReviewReminderSent', 'CaseClosed']);
      expect(w.ctx.sandbox.deadLetters).toEqual({});
      expect(w.ctx.sandbox.scheduler.deadLetters).toEqual([]);
      expect((await w.finished(reference)).history.at(-1)?.timestamp.getTime()).toBeLessThan(deploy.at);
    });
  });

  it("Received: a case the previous release stored without an execution is started by this release's sweep, on this release's definition", async () => {
    const name = 'Received (no execution)';
    const { reference } = unstarted;
    await onThisRelease(name, async () => {
      expect(w.execution(reference)).toBeUndefined();
      await w.ctx.sandbox.runScheduledTask('ResumeUnstartedCases', new Date(Date.now() + 3 * 60_000));
      const { link } = await w.sscEmail(reference);
      expect((await machineFor(reference)).revisionId).toBe(deploy.revisionAfter);
      expect((await confirmDecision(link('out-of-scope'), 'A change of components only.')).status).toBe(200);
      const { history } = await finalCase(name, 'OutOfScope');
      // The sweep records the late start once the execution has started, and the execution's first task
      // acknowledges the notice at the same time: the history has the two in the order they were written.
      const [first, second] = history.slice(caseOf(name).historyAtDeploy.length).map((e) => e.type);
      expect([first, second].sort()).toEqual(['AcknowledgementSent', 'WorkflowStartedLate']);
      historyGoesOn(name, history, [
        first as string,
        second as string,
        'SscDecisionDeadlineSet',
        'SscDecisionRequested',
        'SscDecisionConfirmed',
        'SscDecisionTaken',
        'AdviceSent',
      ]);
    });
  });

  it('sent every notice once, and ran nothing on the previous release after the deploy', () => {
    const sent = (reference: string) => {
      const counts: Record<string, number> = {};
      for (const { request } of w.ctx.sandbox.sentEmails) {
        const tags = Object.fromEntries((request.EmailTags as Array<{ Name: string; Value: string }>).map((t) => [t.Name, t.Value]));
        if (tags.case === reference) counts[tags.notice as string] = (counts[tags.notice as string] ?? 0) + 1;
      }
      return counts;
    };
    const toTheSsc = { Acknowledgement: 1, SscDecisionRequest: 1 };
    const assessed = { ...toTheSsc, Advice: 1, AssessmentRecordRequest: 2, AssessmentScheduled: 1, AssessmentOutcome: 1 };
    const expected: Record<Case, Record<string, number>> = {
      'AwaitSscDecision (decided)': { ...toTheSsc, Advice: 1 },
      'AwaitSscDecision (withdrawn)': { ...toTheSsc, Withdrawal: 1 },
      AwaitAssessmentSchedule: assessed,
      AwaitAssessmentOutcome: { ...assessed, AssessmentFindingEscalation: 1 },
      AwaitUserInformation: { ...toTheSsc, SscDecisionRequest: 2, InformationRequest: 1, InformationReminder: 1, Advice: 1 },
      'annual-review schedule': { ...toTheSsc, Advice: 1, AnnualReviewReminder: 1 },
      'Received (no execution)': { ...toTheSsc, Advice: 1 },
    };
    for (const [name, counts] of Object.entries(expected)) expect(sent(caseOf(name as Case).reference), name).toEqual(counts);

    expect(Object.fromEntries(previous.invocations)).toEqual(deploy.invocationsBefore);
    for (const fn of [
      'TakeDecision',
      'WithdrawNotification',
      'SubmitAssessmentRecord',
      'AnswerInformationRequest',
      'RemindOfAnnualReview',
      'ManageDeadline',
      'SendCaseEmail',
      'RequestSscDecision',
      'AwaitAssessmentRecord',
      'ResumeUnstartedCases',
    ])
      expect(current.invocations.get(fn), fn).toBeGreaterThan(0);
  });
});
