import { describe, expect, it } from 'vitest';
import { handler } from '../../functions/events/record-delivery-problem';
import { lambdaContext } from '../../infra/local/lambda-context';
import { simulatorEvents } from '../../infra/local/mailbox-simulator';
import { emailsTo, waitUntil } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * A notice SES accepted but that never arrived is on its case, and SECAS hears of it: the sandbox
 * answers mail to SES's mailbox simulator addresses with the events SES publishes, through the
 * same handler as in AWS.
 */
const w = useWorkflow();

const problemsOf = (reference: string) =>
  waitUntil(async () => {
    const c = await w.getCase(reference, 'secas');
    return c.deliveryProblems.length ? c : undefined;
  }, `a delivery problem on ${reference}`);

const undeliveredAlerts = async (reference: string) =>
  (await emailsTo(w.ctx.sandbox.sesUrl, w.ctx.secasAddress)).filter((e) => e.subject.startsWith('[UNDELIVERED]') && e.subject.includes(reference));

describe("the User's contact address", () => {
  it('bounces: the case shows each undelivered notice, and SECAS hears that the case waits on the User', async () => {
    const { reference } = await w.submit((b) => (b.contact.email = 'bounce@simulator.amazonses.com'));
    w.path('the User contact bounces; the SSC asks; SECAS is told', reference);
    const bounced = await problemsOf(reference);
    expect(bounced.deliveryProblems[0]).toMatchObject({
      notice: 'Acknowledgement',
      recipient: 'bounce@simulator.amazonses.com',
      recipientRole: 'User',
      kind: 'Bounced',
      detail: 'Permanent bounce (General): smtp; 550 5.1.1 user unknown',
    });
    expect(bounced.history.map((e: { type: string }) => e.type)).toContain('EmailBounced');
    const first = await w.emailTo(w.ctx.secasAddress, `[UNDELIVERED] Acknowledgement to the User's contact on ${reference}`);
    expect(first.body.text).toContain('the case does not wait on it');

    await w.decide(reference, 'more-information', 'Which CIO assessed the provider?');
    const waiting = await w.emailTo(w.ctx.secasAddress, `[UNDELIVERED] InformationRequest to the User's contact on ${reference}`);
    expect(waiting.body.text).toContain(`Case ${reference} is waiting on this notice, and nobody it asks to act has received it.`);
    expect(waiting.body.text).toContain('Status: AwaitingUserInformation');
    const c = await w.getCase(reference, 'secas');
    expect(c.deliveryProblems.map((p: { notice: string }) => p.notice)).toEqual(['Acknowledgement', 'InformationRequest']);
  });

  it('is on the suppression list: recorded as a bounce SES never attempted', async () => {
    const { reference } = await w.submit((b) => (b.contact.email = 'suppressionlist@simulator.amazonses.com'));
    const c = await problemsOf(reference);
    expect(c.deliveryProblems[0]).toMatchObject({ kind: 'Bounced', recipientRole: 'User', detail: expect.stringContaining('OnAccountSuppressionList') });
    await w.emailTo(w.ctx.secasAddress, `[UNDELIVERED] Acknowledgement to the User's contact on ${reference}`);
  });

  it('complains: recorded as marked as spam, without alerting SECAS (the notice arrived)', async () => {
    const { reference } = await w.submit((b) => (b.contact.email = 'complaint+portal@simulator.amazonses.com'));
    const c = await problemsOf(reference);
    expect(c.deliveryProblems[0]).toMatchObject({ kind: 'MarkedAsSpam', recipient: 'complaint+portal@simulator.amazonses.com', recipientRole: 'User' });
    expect(c.history.map((e: { type: string }) => e.type)).toContain('EmailMarkedAsSpam');
    await w.sscEmail(reference);
    expect(await undeliveredAlerts(reference)).toEqual([]);
  });

  it('records an event EventBridge delivers twice once, and tells SECAS once', async () => {
    const { reference, user } = await w.submit((b) => (b.contact.email = 'bounce+twice@simulator.amazonses.com'));
    await w.emailTo(w.ctx.secasAddress, `[UNDELIVERED] Acknowledgement to the User's contact on ${reference}`);
    const [ack] = (await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.includes(reference));
    // The same event again, as SES would report that message.
    const [again] = simulatorEvents(
      {
        request: {
          ConfigurationSetName: 'SecondUserSystem-sandbox',
          FromEmailAddress: 'ssc-notifications@secas.example.org',
          Destination: { ToAddresses: [user] },
          Content: { Simple: { Subject: { Data: ack?.subject } } },
          EmailTags: [
            { Name: 'case', Value: reference },
            { Name: 'notice', Value: 'Acknowledgement' },
          ],
        },
        messageId: ack?.messageId as string,
        at: new Date(ack?.at as number),
      },
      { account: '000000000000', region: 'eu-west-2' },
    );
    const outcome = await handler(again, lambdaContext('RecordDeliveryProblem'));
    expect(outcome).toEqual({ reference, recorded: 0, alerted: 0 });
    const c = await w.getCase(reference, 'secas');
    expect(c.deliveryProblems).toHaveLength(1);
    expect(c.history.filter((e: { type: string }) => e.type === 'EmailBounced')).toHaveLength(1);
    expect(await undeliveredAlerts(reference)).toHaveLength(1);
  });

  it("keeps a working address's case free of problems", async () => {
    const { reference } = await w.submit();
    await w.sscEmail(reference);
    expect((await w.getCase(reference)).deliveryProblems).toEqual([]);
  });
});
