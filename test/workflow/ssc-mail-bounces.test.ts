import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/aws-clients';
import { addWorkingDays, londonDate, londonInstant } from '../../functions/domain/working-days';
import { emailsTo, waitUntil } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * The SSC's address bounces, and so does SECAS's own: SECAS is told once of each SSC notice that
 * did not arrive, and an alert to SECAS that bounces is recorded, never alerted again (no loop).
 */
const w = useWorkflow({ environment: { SSC_ADDRESSES: 'bounce+ssc@simulator.amazonses.com', SECAS_ADDRESSES: 'bounce+secas@simulator.amazonses.com' } });

describe("the SSC's address", () => {
  it('bounces: the decision request is recorded as not delivered to the SSC, and the case waits on it', async () => {
    const { reference } = await w.submit();
    const c = await waitUntil(
      async () => {
        const view = await w.getCase(reference, 'secas');
        const roles = view.deliveryProblems.map((p: { notice: string; recipientRole: string }) => `${p.notice}:${p.recipientRole}`);
        return roles.includes('SscDecisionRequest:SSC') && roles.includes('UndeliveredNotice:SECAS') ? view : undefined;
      },
      'the SSC bounce and the bounce of the alert to SECAS',
      15_000,
    );
    expect(c.status).toBe('AwaitingSscDecision');
    const alerts = (await emailsTo(w.ctx.sandbox.sesUrl, 'bounce+secas@simulator.amazonses.com')).filter(
      (e) => e.subject.startsWith('[UNDELIVERED]') && e.subject.includes(reference),
    );
    expect(alerts.map((e) => e.subject)).toEqual([expect.stringContaining(`SscDecisionRequest to the SSC on ${reference}`)]);
    expect(alerts[0]?.body.text).toContain('is waiting on this notice');
    expect(alerts[0]?.body.text).toContain("Correct the SSC's address");
    // Give any loop a chance to show itself: still one alert.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(
      (await emailsTo(w.ctx.sandbox.sesUrl, 'bounce+secas@simulator.amazonses.com')).filter(
        (e) => e.subject.startsWith('[UNDELIVERED]') && e.subject.includes(reference),
      ),
    ).toHaveLength(1);
  });

  it("bounces the meeting's papers: recorded under the meeting, SECAS told once, and SECAS's own bounce recorded, not alerted", async () => {
    const meeting = addWorkingDays(londonDate(new Date()), 9);
    const papersBy = addWorkingDays(meeting, -5);
    const settings = { SSC_MEETINGS: process.env.SSC_MEETINGS, SSC_PAPER_DEADLINE_WORKING_DAYS: process.env.SSC_PAPER_DEADLINE_WORKING_DAYS };
    process.env.SSC_MEETINGS = JSON.stringify({ dates: [meeting] });
    process.env.SSC_PAPER_DEADLINE_WORKING_DAYS = '5';
    try {
      expect(await w.ctx.sandbox.runScheduledTask('SendMeetingPapers', londonInstant(papersBy))).toMatchObject({ sent: true, meeting });
    } finally {
      for (const [name, value] of Object.entries(settings))
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
    }
    const problems = await waitUntil(
      async () => {
        const { Items = [] } = await documentClient().send(
          new QueryCommand({
            TableName: w.ctx.sandbox.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :delivery)',
            ExpressionAttributeValues: { ':pk': `MEETING_PAPERS#${meeting}`, ':delivery': 'DELIVERY#' },
            ConsistentRead: true,
          }),
        );
        const seen = Items.map((i) => `${i.notice}:${i.recipientRole}:${i.alerted}`).sort();
        return seen.length === 3 ? seen : undefined;
      },
      "the papers' bounces and the bounce of the alert to SECAS",
      15_000,
    );
    expect(problems).toEqual(['MeetingPapers:SECAS:false', 'MeetingPapers:SSC:true', 'UndeliveredPapers:SECAS:false']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const alerts = (await emailsTo(w.ctx.sandbox.sesUrl, 'bounce+secas@simulator.amazonses.com')).filter((e) =>
      e.subject.startsWith('[UNDELIVERED] SSC meeting papers'),
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.body.text).toContain('did not reach bounce+ssc@simulator.amazonses.com');
    expect(alerts[0]?.body.text).toContain(`/meetings/${meeting}`);
  });
});
