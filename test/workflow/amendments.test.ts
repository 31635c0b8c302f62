import { describe, expect, it } from 'vitest';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { waitUntil } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * Amendments in the sandbox. Before the SSC's decision: every version kept, triage and lateness
 * recomputed, the SSC's wait started again on the amended notice (its due date moved as the
 * calendar and the live date say), a fresh email saying what changed, and a decision from a page
 * shown before an amendment refused. After it: a date moved recorded, told, and flagged when it makes
 * the notice late; a change of identity refused.
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

describe('SscTriageWorkflow: amendments to a filed notice', () => {
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

  it('after the decision, records a live date moved earlier and flags the notice late, and refuses a change of identity', async () => {
    const { reference } = await w.submit((b) => {
      b.newUserSystem.plannedProcurementOn = today;
      b.newUserSystem.plannedLiveOn = addWorkingDays(today, 60);
    });
    w.path('a live date moved after the decision', reference);
    await w.decide(reference, 'ad-hoc-assessment');
    const decided = await w.waitForDeadline(reference, 'AssessmentSchedule');
    expect(decided.late).toBe(false);
    // The workflow waits for SECAS once it has asked it: from here the case holds still.
    await w.emailTo(w.ctx.secasAddress, `Arrange an ad-hoc User Security Assessment: ${reference}`);
    await waitUntil(
      async () => ((await w.getCase(reference)).history.some((e: Case) => e.type === 'AssessmentScheduleRequestedFromSecas') ? true : undefined),
      'SECAS asked',
    );
    const before = await w.getCase(reference);

    const patch = (body: unknown, version: number) =>
      w.ctx.api().fetch(`/notifications/${reference}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/merge-patch+json', 'If-Match': `"${version}"` },
        body: JSON.stringify(body),
      });
    // A change of provider, or of anything but a date, is refused: nothing changes, nobody is told.
    const provider = await patch({ newUserSystem: { operator: { providerName: 'Another Provider Ltd' }, plannedLiveOn: addWorkingDays(today, 70) } }, 1);
    expect(provider.status).toBe(409);
    const problem = (await provider.json()) as { detail: string; errors: Array<{ pointer: string }> };
    expect(problem.detail).toContain(`File a new notification, naming ${reference}`);
    expect(problem.errors.map((e) => e.pointer)).toEqual(['/newUserSystem/operator/providerName']);
    expect((await patch({ newUserSystem: { purpose: 'Something else' } }, 1)).status).toBe(409);
    expect(await w.getCase(reference)).toEqual(before);

    const liveOn = addWorkingDays(today, 3);
    const moved = await patch({ newUserSystem: { plannedLiveOn: liveOn } }, 1);
    expect(moved.status).toBe(200);
    const c = (await moved.json()) as Case;
    expect(c.status).toBe('AwaitingAssessmentSchedule');
    expect(c.sscDecision.kind).toBe('AdHocAssessment');
    expect(c.late).toBe(true);
    expect(c.lateReasons.join(' ')).toContain(`The planned live date ${liveOn} is not after the SSC meeting`);
    expect(c.amendments).toEqual([
      { version: 2, at: expect.any(String), changes: [{ field: '/newUserSystem/plannedLiveOn', before: addWorkingDays(today, 60), after: liveOn }] },
    ]);
    expect(c.history.at(-1).text).toContain('Now late');
    for (const address of [w.ctx.sscAddress, w.ctx.secasAddress]) {
      const told = await w.emailTo(address, `[LATE] Amended after the SSC's decision: ${reference}`);
      expect(told.body.text).toContain('NOW LATE');
      expect(told.body.text).toContain(`/newUserSystem/plannedLiveOn\nWas: ${addWorkingDays(today, 60)}\nNow: ${liveOn}`);
    }
  }, 60_000);
});
