import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { PAPERS_CLAIM_STALE_MS } from '../../functions/adapters/cases-repository';
import { documentClient } from '../../functions/adapters/aws-clients';
import { decisionSlug } from '../../functions/domain/ssc-decision';
import { dateInWords } from '../../functions/domain/wording';
import { addWorkingDays, londonDate, londonInstant } from '../../functions/domain/working-days';
import { awsFaults } from '../../infra/local/fault-proxy';
import { emailsTo, linksIn } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * The SSC's meeting papers, sent by SendMeetingPapers (the scheduled task, invoked here at pinned
 * times on the paper deadline, as its hourly rule would): one email to the SSC and SECAS listing
 * exactly the cases due at the meeting, with the signed links their own SSC emails carry, the case
 * that missed the paper deadline under the meeting it goes to, and the decision taken since.
 */
const today = londonDate(new Date());
const meeting = addWorkingDays(today, 9);
const papersBy = addWorkingDays(meeting, -5);
const later = addWorkingDays(today, 19);
const calendar = (dates: string[]) => JSON.stringify({ dates });
const w = useWorkflow({ faultInjection: true, environment: { SSC_MEETINGS: calendar([meeting, later]), SSC_PAPER_DEADLINE_WORKING_DAYS: '5' } });
afterEach(() => {
  w.ctx.sandbox.faults?.ses.heal();
  process.env.SSC_MEETINGS = calendar([meeting, later]);
});

const farOff = (b: Record<string, any>) => {
  b.newUserSystem.plannedProcurementOn = addWorkingDays(today, 30);
  b.newUserSystem.plannedLiveOn = addWorkingDays(today, 60);
};
const papersAt = (time: Date) => w.ctx.sandbox.runScheduledTask('SendMeetingPapers', time);
const papersEmails = async (address: string) => (await emailsTo(w.ctx.sandbox.sesUrl, address)).filter((e) => e.subject.startsWith('SSC meeting papers'));
/** The paragraphs under a heading of the papers, up to the next heading ("…(n):"). */
const section = (text: string, heading: string): string => {
  const paragraphs = text.split('\n\n');
  const start = paragraphs.findIndex((p) => p.startsWith(heading));
  const next = paragraphs.findIndex((p, i) => i > start && /\(\d+\):$/.test(p));
  return start < 0 ? '' : paragraphs.slice(start, next < 0 ? undefined : next).join('\n\n');
};

describe("SendMeetingPapers: the SSC's meeting papers", () => {
  it('arrive at the paper deadline, once, listing exactly the cases due, with their own decision links', async () => {
    const due = [await w.submit(farOff), await w.submit(farOff)];
    for (const { reference } of due) expect((await w.waitForDeadline(reference, 'SscDecision')).deadline.meeting.on).toBe(meeting);
    const decided = await w.submit(farOff);
    await w.waitForDeadline(decided.reference, 'SscDecision');
    await w.decide(decided.reference, 'out-of-scope');
    await w.waitForStatus(decided.reference, 'OutOfScope');
    // Filed once this meeting's paper deadline has passed (here: the calendar lists only the later meeting).
    process.env.SSC_MEETINGS = calendar([later]);
    const late = await w.submit(farOff);
    expect((await w.waitForDeadline(late.reference, 'SscDecision')).deadline.meeting.on).toBe(later);
    // Its own SSC email already says which meeting it goes to.
    expect((await w.sscEmail(late.reference)).email.body.text).toContain(`Please decide by ${later}, at the SSC meeting that day`);
    process.env.SSC_MEETINGS = calendar([meeting, later]);

    expect(await papersAt(londonInstant(addWorkingDays(papersBy, -1)))).toEqual({ sent: false, reason: 'not a paper deadline' });
    expect(await papersAt(londonInstant(papersBy, '08:30'))).toEqual({ sent: false, reason: 'before 09:00' });
    expect(await papersEmails(w.ctx.sscAddress)).toEqual([]);
    expect(await papersAt(londonInstant(papersBy))).toEqual({ sent: true, meeting, due: 2 });
    expect(await papersAt(londonInstant(papersBy, '10:00'))).toEqual({ sent: false, reason: 'already claimed' });
    // Sent and marked so: not even a claim gone stale is taken over.
    expect(await papersAt(londonInstant(papersBy, '16:00'))).toEqual({ sent: false, reason: 'already claimed' });

    const email = await w.emailTo(w.ctx.sscAddress, 'SSC meeting papers');
    expect(await papersEmails(w.ctx.sscAddress)).toHaveLength(1);
    expect(await papersEmails(w.ctx.secasAddress)).toHaveLength(1);
    const text = email.body.text;
    const dueSection = section(text, 'Cases due at this meeting (2):');
    for (const { reference } of due) expect(dueSection).toContain(reference);
    for (const other of [decided, late]) expect(dueSection).not.toContain(other.reference);
    expect(section(text, 'Received after the paper deadline')).toContain(late.reference);
    expect(section(text, 'Decided since')).toContain(decided.reference);
    expect(text).toContain('Decided: Out of scope: not a new User System');

    // Each due case's link is the one its own SSC email carries, for the recommended decision.
    const links = linksIn(email);
    expect(links).toHaveLength(2);
    for (const { reference } of due) {
      const { recommendation } = (await w.getCase(reference)).triage;
      const { link } = await w.sscEmail(reference);
      expect(links).toContain(link(decisionSlug(recommendation)));
    }
    const page = await fetch(links[0] as string);
    expect(page.status).toBe(200);
  });

  it('are sent by the next run when SES failed: the claim is given back', async () => {
    const next = addWorkingDays(later, -5);
    const before = (await papersEmails(w.ctx.secasAddress)).length;
    w.ctx.sandbox.faults?.ses.fail({ match: /outbound-emails/, matchBody: /SSC meeting papers/, ...awsFaults.sesUnavailable });
    await expect(papersAt(londonInstant(next))).rejects.toThrow();
    expect(await papersEmails(w.ctx.secasAddress)).toHaveLength(before);
    w.ctx.sandbox.faults?.ses.heal();
    expect(await papersAt(londonInstant(next, '10:00'))).toMatchObject({ sent: true, meeting: later });
    expect((await w.emailTo(w.ctx.secasAddress, `SSC meeting papers: ${dateInWords(later)}`)).subject).toMatch(/\(\d+ cases? due\)/);
  });

  it('are sent by a later run when a run died holding the claim, once the claim is stale, and not before', async () => {
    const next = addWorkingDays(addWorkingDays(later, 10), -5);
    process.env.SSC_MEETINGS = calendar([meeting, later, addWorkingDays(later, 10)]);
    const start = londonInstant(next);
    // A run that claimed the papers at 09:00 and died before sending them (a timeout: nothing gave the claim back).
    await documentClient().send(
      new PutCommand({
        TableName: w.ctx.sandbox.tableName,
        Item: { pk: `MEETING_PAPERS#${addWorkingDays(later, 10)}`, sk: 'PAPERS', meetingOn: addWorkingDays(later, 10), claimedAt: start.toISOString() },
      }),
    );
    expect(await papersAt(new Date(start.getTime() + PAPERS_CLAIM_STALE_MS - 60_000))).toEqual({ sent: false, reason: 'already claimed' });
    expect(await papersAt(new Date(start.getTime() + PAPERS_CLAIM_STALE_MS + 60_000))).toMatchObject({ sent: true, meeting: addWorkingDays(later, 10) });
    await w.emailTo(w.ctx.secasAddress, `SSC meeting papers: ${dateInWords(addWorkingDays(later, 10))}`);
  });

  it('list a case that ended undecided since the last meeting, its wait run to its hard limit', async () => {
    const silent = await w.submit(farOff);
    const { deadline } = await w.waitForDeadline(silent.reference, 'SscDecision');
    await w.sscEmail(silent.reference);
    // The meeting whose papers come the Working Day after the hard limit, and the one before it ends.
    const ended = londonDate(new Date(deadline.hardLimitAt));
    const after = addWorkingDays(ended, 6);
    expect(later < ended && after !== addWorkingDays(later, 10)).toBe(true);
    process.env.SSC_MEETINGS = calendar([meeting, later, after]);
    // As the workflow's RecordSscDecisionOverdue state leaves the case at its hard limit (statemachines/ssc-triage.asl.json).
    await documentClient().send(
      new UpdateCommand({
        TableName: w.ctx.sandbox.tableName,
        Key: { pk: `CASE#${silent.reference}`, sk: 'CASE' },
        UpdateExpression: 'SET #status = :overdue, history = list_append(history, :event) REMOVE pendingWait, openDecisionId',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':overdue': 'SscDecisionOverdue',
          ':event': [{ at: deadline.hardLimitAt, type: 'SscDecisionOverdue', actor: { kind: 'System', id: 'RecordSscDecisionOverdue' } }],
        },
      }),
    );
    expect(await papersAt(londonInstant(addWorkingDays(after, -5)))).toMatchObject({ sent: true, meeting: after });
    const text = (await w.emailTo(w.ctx.secasAddress, `SSC meeting papers: ${dateInWords(after)}`)).body.text;
    const endedSection = section(text, 'Ended undecided since the last meeting: the wait ran out (1):');
    expect(endedSection).toContain(silent.reference);
    expect(endedSection).toContain(`Ended SSC decision overdue on ${dateInWords(ended)}`);
    expect(section(text, 'Overdue: undecided past their due date')).not.toContain(silent.reference);
  });
});
