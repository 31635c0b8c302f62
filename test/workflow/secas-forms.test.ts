import { describe, expect, it } from 'vitest';
import { addMonths, londonDate } from '../../functions/domain/working-days';
import { emailsTo, linksIn } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * SECAS records an ad-hoc assessment through web pages, not JSON: the link in its email opens a
 * form, which records the date, then the next email's link records the outcome; the User hears of
 * both. The forms refuse what the API refuses, and the links are as safe as the SSC's.
 */
const w = useWorkflow();
const today = () => londonDate(new Date());

/** Submits a form as a browser does, to the relative action on the link's path. */
const submit = (link: string, fields: Record<string, string>) => {
  const url = new URL(link);
  const form = new URLSearchParams({ ...Object.fromEntries(url.searchParams), ...fields });
  return fetch(`${url.origin}${url.pathname}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() });
};

const toAssessment = async () => {
  const submitted = await w.submit();
  await w.decide(submitted.reference, 'ad-hoc-assessment');
  const request = await w.emailTo(w.ctx.secasAddress, `Arrange an ad-hoc User Security Assessment: ${submitted.reference}`);
  const [link] = linksIn(request);
  return { ...submitted, request, link: link as string };
};

describe("SECAS's assessment forms", () => {
  it('record the date, then the outcome, from the emails, and the User hears of both, without writing JSON', async () => {
    const { reference, user, request, link } = await toAssessment();
    w.path('ad-hoc assessment recorded through SECAS forms, Approved', reference);
    expect(request.body.text).toContain('Record the assessment date');
    expect(new URL(link).pathname).toMatch(/^\/assessments\/[A-Za-z0-9_-]{24}$/);

    // Opening the link (and a scanner's HEAD) only shows the form.
    expect((await fetch(link, { method: 'HEAD' })).status).toBe(200);
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
    const form = await page.text();
    expect(form).toMatch(/<input type="date" id="scheduledOn" name="scheduledOn" min="\d{4}-\d{2}-\d{2}" max="\d{4}-\d{2}-\d{2}" value="" required>/);
    expect(form).toContain('name="recordedBy"');
    expect(form).not.toContain('<script');

    // Submitted as served, it records nothing.
    const asServed = await submit(link, {});
    expect(asServed.status).toBe(422);
    expect(await asServed.text()).toContain('Not yet recorded.');
    expect((await w.getCase(reference)).status).toBe('AwaitingAssessmentSchedule');

    const scheduledOn = addMonths(today(), 1);
    const recorded = await submit(link, { scheduledOn, recordedBy: 'Ada Lovelace' });
    expect(recorded.status).toBe(200);
    expect(await recorded.text()).toContain(`scheduled for <strong>${scheduledOn}</strong>`);
    expect((await w.emailTo(user, `Ad-hoc User Security Assessment scheduled: ${reference}`)).body.text).toContain(scheduledOn);

    const outcomeRequest = await w.emailTo(w.ctx.secasAddress, `Record the outcome of an ad-hoc User Security Assessment: ${reference}`);
    const [outcomeLink] = linksIn(outcomeRequest);
    expect(outcomeLink).toMatch(/record=outcome/);
    const outcomeForm = await (await fetch(outcomeLink as string)).text();
    expect(outcomeForm).toContain('value="ApprovedSubjectTo"');
    const outcome = await submit(outcomeLink as string, {
      assuranceStatus: 'Approved',
      completedOn: today(),
      reportReference: 'USAR-2027-014',
      recordedBy: 'Grace Hopper',
    });
    expect(outcome.status).toBe(200);
    expect((await w.emailTo(user, `Assessment outcome for ${reference}`)).body.text).toContain('Assurance status: Approved.');
    const closed = await w.waitForStatus(reference, 'Closed');
    expect(closed.assessment).toMatchObject({ scheduledOn, outcome: { assuranceStatus: 'Approved', reportReference: 'USAR-2027-014', completedOn: today() } });
    const byLink = closed.history.filter((e: { actor: { id?: string } }) => e.actor.id?.startsWith('assessment link '));
    expect(byLink.map((e: { type: string; actor: { name: string } }) => [e.type, e.actor.name])).toEqual([
      ['AssessmentScheduleRecorded', 'Ada Lovelace'],
      ['AssessmentOutcomeRecorded', 'Grace Hopper'],
    ]);

    // Each link works once.
    const replay = await submit(link, { scheduledOn, recordedBy: 'Ada Lovelace' });
    expect(replay.status).toBe(409);
    expect(await replay.text()).toContain('Recorded by <strong>Ada Lovelace</strong>');
    expect((await fetch(outcomeLink as string)).status).toBe(409);
  });

  it('refuse what the API refuses, saying why, and change nothing: a past date, one beyond the window, a completion in the future, a missing condition', async () => {
    const { reference, link } = await toAssessment();
    for (const [scheduledOn, why] of [
      ['2020-01-01', `must be from ${today()} to`],
      [addMonths(today(), 24), `must be from ${today()} to`],
      ['14/01/2027', 'Invalid ISO date'],
    ] as const) {
      const refused = await submit(link, { scheduledOn, recordedBy: 'Ada' });
      expect(refused.status).toBe(422);
      const text = await refused.text();
      expect(text).toContain(why);
      expect(text).toContain(`value="${scheduledOn}"`);
    }
    expect((await w.getCase(reference)).status).toBe('AwaitingAssessmentSchedule');
    expect((await submit(link, { scheduledOn: today(), recordedBy: 'Ada' })).status).toBe(200);
    const [outcomeLink] = linksIn(await w.emailTo(w.ctx.secasAddress, `Record the outcome of an ad-hoc User Security Assessment: ${reference}`));
    const future = await submit(outcomeLink as string, { assuranceStatus: 'Approved', completedOn: addMonths(today(), 1), recordedBy: 'Ada' });
    expect(future.status).toBe(422);
    expect(await future.text()).toContain(`to ${today()}: after the SSC required the assessment and not in the future`);
    const conditionless = await submit(outcomeLink as string, { assuranceStatus: 'ApprovedSubjectTo', completedOn: today(), recordedBy: 'Ada' });
    expect(conditionless.status).toBe(422);
    expect(await conditionless.text()).toContain('conditions are required for ApprovedSubjectTo');
    expect((await w.getCase(reference)).status).toBe('AwaitingAssessmentOutcome');
    expect(
      (await emailsTo(w.ctx.sandbox.sesUrl, (await w.getCase(reference)).notification.contact.email)).filter((e) => e.subject.includes('Assessment outcome')),
    ).toEqual([]);
  });

  it('refuse forged, cross-purpose and moved-on links, changing nothing', async () => {
    const { reference, link } = await toAssessment();
    const forged = new URL(link);
    forged.searchParams.set('sig', `${forged.searchParams.get('sig')?.split('.')[0]}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    expect((await fetch(forged)).status).toBe(403);
    expect((await submit(forged.toString(), { scheduledOn: today(), recordedBy: 'Mallory' })).status).toBe(403);
    const asOutcome = new URL(link);
    asOutcome.searchParams.set('record', 'outcome');
    expect((await fetch(asOutcome)).status).toBe(403);
    // An SSC decision link's signature is no assessment link's.
    const { link: sscLink } = await w.sscEmail((await w.submit()).reference);
    const ssc = new URL(sscLink('defer-to-annual-review'));
    const crossed = new URL(link);
    crossed.pathname = ssc.pathname.replace('/decisions/', '/assessments/');
    crossed.searchParams.set('expires', ssc.searchParams.get('expires') as string);
    crossed.searchParams.set('sig', ssc.searchParams.get('sig') as string);
    expect((await fetch(crossed)).status).toBe(403);
    expect((await w.getCase(reference)).status).toBe('AwaitingAssessmentSchedule');

    // The case moves on through the API: the form's link then says so.
    expect((await w.post(`/notifications/${reference}/assessment`, { scheduledOn: today() }, 'secas')).status).toBe(202);
    await w.waitForDeadline(reference, 'AssessmentOutcome');
    const movedOn = await fetch(link);
    expect(movedOn.status).toBe(410);
    expect(await movedOn.text()).toContain('The case no longer awaits this record');
  });
});
