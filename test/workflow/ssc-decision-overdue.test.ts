import { describe, expect, it } from 'vitest';
import { uniqueNotification } from '../support/fixtures';
import { confirmDecision, linksIn, postJson, useSandbox, waitForEmail, waitUntil } from '../support/sandbox';

/**
 * Nothing waits forever: with a one-day hard limit and time running 43 200 times faster, the
 * SSC's wait times out in two seconds and the case ends in its named overdue state.
 */
const ctx = useSandbox({ timeScale: 43_200, environment: { SSC_DECISION_HARD_LIMIT_DAYS: '1' } });

describe('SscTriageWorkflow, SSC decision past its hard limit', () => {
  it('ends the case SscDecisionOverdue, after which its links change nothing', async () => {
    const body = uniqueNotification();
    const { reference } = (await (await postJson(ctx.sandbox.apiUrl, '/notifications', body)).json()) as { reference: string };
    const link = linksIn(await waitForEmail(ctx.sandbox.sesUrl, ctx.sscAddress, reference))[0] as string;

    const overdue = await waitUntil(async () => {
      const c = (await (await fetch(`${ctx.sandbox.apiUrl}/notifications/${reference}`)).json()) as Record<string, any>;
      return c.status === 'SscDecisionOverdue' ? c : undefined;
    }, 'the case to go overdue');
    expect(overdue.history.at(-1)).toMatchObject({ type: 'SscDecisionOverdue', actor: { kind: 'System' } });

    const execution = ctx.sandbox.stepFunctions.listExecutions().find((e) => e.name === reference);
    await execution?.done;
    expect(execution?.status).toBe('SUCCEEDED');
    expect(execution?.history.some((e) => e.type === 'TaskTimedOut')).toBe(true);

    const late = await confirmDecision(link, 'too late');
    expect(late.status).toBe(410);
    expect(await late.text()).toContain('moved on');
  });
});
