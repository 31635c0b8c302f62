import { describe, expect, it } from 'vitest';
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
    expect(alerts[0]?.body.text).toContain('Correct the SSC addresses');
    // Give any loop a chance to show itself: still one alert.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(
      (await emailsTo(w.ctx.sandbox.sesUrl, 'bounce+secas@simulator.amazonses.com')).filter(
        (e) => e.subject.startsWith('[UNDELIVERED]') && e.subject.includes(reference),
      ),
    ).toHaveLength(1);
  });
});
