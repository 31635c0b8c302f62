import { describe, expect, it } from 'vitest';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { useWorkflow } from '../support/workflow';

/**
 * Amendments before the SSC's decision, in the sandbox: every version kept, triage and lateness
 * recomputed, the SSC's wait started again on the amended notice (its due date moved as the
 * calendar and the live date say), a fresh email saying what changed, and a decision from a page
 * shown before an amendment refused.
 */
const today = londonDate(new Date());
const meeting = addWorkingDays(today, 9);
const later = addWorkingDays(today, 19);
const w = useWorkflow({ environment: { SSC_MEETINGS: JSON.stringify({ dates: [meeting, later] }), SSC_PAPER_DEADLINE_WORKING_DAYS: '5' } });

type Case = Record<string, any>;

const amend = async (reference: string, version: number, patch: unknown) => {
  const response = await w.ctx.api().fetch(`/notifications/${reference}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/merge-patch+json', 'If-Match': `"${version}"` },
    body: JSON.stringify(patch),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get('etag')).toBe(`"${version + 1}"`);
  return (await response.json()) as Case;
};

/** A decision link's page as an SSC member opened it: what its form will send. */
const openPage = async (link: string) => {
  const served = await (await fetch(link)).text();
  return { link, served };
};

/** Submits a page's form as the member does, however long after it was opened. */
const confirmOn = async ({ link, served }: { link: string; served: string }) => {
  const url = new URL(link);
  const form = new URLSearchParams(url.searchParams);
  form.set('version', served.match(/name="version" value="(\d+)"/)?.[1] ?? '');
  form.set('decidedBy', 'Priya Shah (SSC)');
  form.set('caseReference', served.match(/<h1[^>]*>(SUS-[0-9A-Z]{5}-\d{4}-\d{4,9}):/)?.[1] ?? '');
  form.set('advice', '');
  return fetch(`${url.origin}${url.pathname}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() });
};

describe('SscTriageWorkflow: amendments before the decision', () => {
  it('keeps every version of an amended notice, moves the due date, tells the SSC each time, and decides on the last', async () => {
    const farLive = addWorkingDays(today, 60);
    const { reference, body } = await w.submit((b) => {
      b.newUserSystem.plannedProcurementOn = today;
      b.newUserSystem.plannedLiveOn = farLive;
    });
    w.path('amended three times before the decision', reference);
    const first = await w.waitForDeadline(reference, 'SscDecision');
    expect(first.deadline.dueOn).toBe(meeting);
    expect(first.late).toBe(false);
    await w.sscEmail(reference, 1);

    // 1: the system's name. The deadline starts again, at the same meeting.
    await amend(reference, 1, { newUserSystem: { name: 'Harbour Portal, phase 2' } });
    const second = await w.sscEmail(reference, 2);
    expect(second.email.subject).toContain('[AMENDED] SSC decision needed');
    expect(second.email.body.text).toContain(`/newUserSystem/name\nWas: ${body.newUserSystem.name}\nNow: Harbour Portal, phase 2`);

    // 2: the live date comes before the meeting: the notice is late, and the decision due the Working Day before it goes live.
    const soonLive = addWorkingDays(today, 6);
    const amended = await amend(reference, 2, { newUserSystem: { plannedLiveOn: soonLive } });
    expect(amended.late).toBe(true);
    expect(amended.lateReasons.join(' ')).toContain(`The planned live date ${soonLive} is not after the SSC meeting`);
    const third = await w.sscEmail(reference, 3);
    expect(third.email.subject).toContain('[LATE] [AMENDED]');
    expect(third.email.body.text).toContain(`/newUserSystem/plannedLiveOn\nWas: ${farLive}\nNow: ${soonLive}`);
    expect(third.email.body.text).not.toContain('/newUserSystem/name');
    const moved = await w.waitForDeadline(reference, 'SscDecision');
    expect(moved.deadline.dueOn).toBe(addWorkingDays(soonLive, -1));
    // A member opens the third email's page, and decides only after the next amendment.
    const stalePage = await openPage(third.link('ad-hoc-assessment'));
    expect(stalePage.served).toContain('What the User amended');
    expect(stalePage.served).toContain('name="version" value="3"');

    // 3: the live date once more, and a security summary the email does not quote.
    const liveOn = addWorkingDays(today, 8);
    await amend(reference, 3, { newUserSystem: { plannedLiveOn: liveOn, securityArchitectureSummary: 'Revised: a dedicated HSM per tenant.' } });
    const fourth = await w.sscEmail(reference, 4);
    expect(fourth.email.body.text).toContain('/newUserSystem/securityArchitectureSummary\nChanged: see the page behind the links.');
    expect(fourth.email.body.text).not.toContain('dedicated HSM');

    const refused = await confirmOn(stalePage);
    expect(refused.status).toBe(409);
    const refusal = await refused.text();
    expect(refusal).toContain('The notice has been amended');
    expect(refusal).toContain('Nothing has been changed');
    const stillWaiting = await w.getCase(reference);
    expect(stillWaiting.status).toBe('AwaitingSscDecision');
    expect(stillWaiting.sscDecision).toBeUndefined();
    // The earlier email's links lapsed with the amendment.
    expect((await fetch(second.link('ad-hoc-assessment'))).status).toBe(410);

    const latest = await openPage(fourth.link('ad-hoc-assessment'));
    expect(latest.served).toContain('name="version" value="4"');
    expect(latest.served).toContain('Revised: a dedicated HSM per tenant.');
    expect((await confirmOn(latest)).status).toBe(200);
    const decided = await w.waitForStatus(reference, 'AwaitingAssessmentSchedule');
    expect(decided.sscDecision.kind).toBe('AdHocAssessment');
    expect(decided.version).toBe(4);
    expect(decided.notification.newUserSystem).toMatchObject({ name: 'Harbour Portal, phase 2', plannedLiveOn: liveOn });
    // Every version of each field: as filed, and after each amendment.
    expect(decided.amendments.map((a: Case) => a.version)).toEqual([2, 3, 4]);
    const liveDates = decided.amendments.flatMap((a: Case) => a.changes.filter((c: Case) => c.field === '/newUserSystem/plannedLiveOn'));
    expect(liveDates.map((c: Case) => [c.before, c.after])).toEqual([
      [farLive, soonLive],
      [soonLive, liveOn],
    ]);
    const types = decided.history.map((e: Case) => e.type);
    expect(types.filter((t: string) => t === 'NotificationAmended')).toHaveLength(3);
    expect(types.filter((t: string) => t === 'SscDecisionRequested')).toHaveLength(4);
    // The decision was due as the amended live date says, the Working Day before it.
    const deadlines = decided.history.filter((e: Case) => e.type === 'SscDecisionDeadlineSet').map((e: Case) => e.text);
    expect(deadlines.at(-1)).toContain(addWorkingDays(liveOn, -1));
    expect(w.execution(reference)?.status).toBe('RUNNING');
  }, 120_000);
});
