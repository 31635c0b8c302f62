import { describe, expect, it } from 'vitest';
import { addMonths, addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { dateInWords } from '../../functions/domain/wording';
import { dateFields, emailsTo, linksIn, recordByLink } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * SECAS records an ad-hoc assessment through web pages, not JSON: the link in its email opens a
 * form, which records the date, then the next email's link records the outcome; the User hears of
 * both. The forms refuse what the API refuses, need the officer's name and the case reference
 * typed (as the SSC's page does), and the links are as safe as the SSC's.
 */
const w = useWorkflow();
const today = () => londonDate(new Date());

/** Submits a form as a browser does, to the relative action on the link's path, with only the fields given. */
const submit = (link: string, fields: Record<string, string>) => {
  const url = new URL(link);
  const form = new URLSearchParams({ ...Object.fromEntries(url.searchParams), ...fields });
  return fetch(`${url.origin}${url.pathname}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() });
};

/** The first day after `from` that falls on `weekday` (0 Sunday, 6 Saturday). */
const next = (weekday: number, from: string) => {
  for (let d = 1; ; d++) {
    const day = new Date(Date.parse(`${from}T00:00:00Z`) + d * 86_400_000);
    if (day.getUTCDay() === weekday) return day.toISOString().slice(0, 10);
  }
};

const toAssessment = async () => {
  const submitted = await w.submit();
  await w.decide(submitted.reference, 'ad-hoc-assessment');
  const request = await w.emailTo(w.ctx.secasAddress, `Arrange an ad-hoc User Security Assessment: ${submitted.reference}`);
  const [link] = linksIn(request);
  return { ...submitted, request, link: link as string };
};

const outcomeLinkOf = async (reference: string) => {
  const [link] = linksIn(await w.emailTo(w.ctx.secasAddress, `Record the outcome of an ad-hoc User Security Assessment: ${reference}`));
  return link as string;
};

const userTold = async (user: string, subject: string) => (await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.includes(subject));

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
    const firstWorkingDay = addWorkingDays(today(), 1);
    // The date as day, month and year, empty; its window from the first Working Day after today.
    for (const part of ['day', 'month', 'year'])
      expect(form).toMatch(
        new RegExp(`<input type="text" id="scheduledOn-${part}" name="scheduledOn-${part}" value="" class="[^"]*" inputmode="numeric" required>`),
      );
    expect(form).toContain(`from <time datetime="${firstWorkingDay}">${dateInWords(firstWorkingDay)}</time> to <time datetime="`);
    expect(form).toContain('name="recordedBy"');
    expect(form).toMatch(
      /<input type="text" id="caseReference" name="caseReference" value="" class="[^"]*" aria-describedby="caseReference-hint" required autocomplete="off"/,
    );
    expect(form).not.toContain('<script');

    // Submitted as served, it records nothing.
    const asServed = await submit(link, {});
    expect(asServed.status).toBe(422);
    expect(await asServed.text()).toContain('Not yet recorded.');
    expect((await w.getCase(reference)).status).toBe('AwaitingAssessmentSchedule');

    // The reference is typed as a person types it: case, spaces and typographic dashes do not matter.
    const scheduledOn = addWorkingDays(today(), 10);
    const recorded = await recordByLink(link, {
      scheduledOn,
      recordedBy: 'Ada Lovelace',
      caseReference: ` ${reference.toLowerCase().replaceAll('-', '\u2013')} `,
    });
    expect(recorded.status).toBe(200);
    expect(await recorded.text()).toContain(`scheduled for <strong>${dateInWords(scheduledOn)}</strong>`);
    expect((await w.emailTo(user, `Ad-hoc User Security Assessment scheduled: ${reference}`)).body.text).toContain(scheduledOn);

    const outcomeLink = await outcomeLinkOf(reference);
    expect(outcomeLink).toMatch(/record=outcome/);
    const outcomeForm = await (await fetch(outcomeLink)).text();
    expect(outcomeForm).toContain('value="ApprovedSubjectTo"');
    expect(outcomeForm).not.toMatch(/\schecked/);
    // Until the assessment's day, there is no outcome to record.
    expect(outcomeForm).toContain(`The assessment is scheduled for <strong>${dateInWords(scheduledOn)}</strong>: its outcome can be recorded from that day.`);
    const early = await recordByLink(outcomeLink, { assuranceStatus: 'Approved', completedOn: today(), recordedBy: 'Grace Hopper' });
    expect(early.status).toBe(422);
    expect(await early.text()).toContain(
      `The date the assessment was completed must be on or after ${dateInWords(scheduledOn)}, the day the assessment was scheduled for, and not in the future`,
    );

    await w.assessmentDayComes(reference);
    const outcome = await recordByLink(outcomeLink, {
      assuranceStatus: 'Approved',
      completedOn: today(),
      reportReference: 'USAR-2027-014',
      recordedBy: 'Grace Hopper',
    });
    expect(outcome.status).toBe(200);
    expect((await w.emailTo(user, `Assessment outcome for ${reference}`)).body.text).toContain('Assurance status: Approved.');
    const closed = await w.waitForStatus(reference, 'Closed');
    expect(closed.assessment).toMatchObject({ outcome: { assuranceStatus: 'Approved', reportReference: 'USAR-2027-014', completedOn: today() } });
    const byLink = closed.history.filter((e: { actor: { id?: string } }) => e.actor.id?.startsWith('assessment link '));
    expect(byLink.map((e: { type: string; actor: { name: string } }) => [e.type, e.actor.name])).toEqual([
      ['AssessmentScheduleRecorded', 'Ada Lovelace'],
      ['AssessmentOutcomeRecorded', 'Grace Hopper'],
    ]);

    // Each link works once.
    const replay = await submit(link, { ...dateFields('scheduledOn', scheduledOn), recordedBy: 'Ada Lovelace', caseReference: reference });
    expect(replay.status).toBe(409);
    expect(await replay.text()).toContain('Recorded by <strong>Ada Lovelace</strong>');
    expect((await fetch(outcomeLink)).status).toBe(409);
  });

  it("need the case reference typed: none, a made-up one or another case's records nothing and tells no one", async () => {
    const { reference, user, link } = await toAssessment();
    const other = await w.submit();
    const scheduledOn = addWorkingDays(today(), 3);
    for (const [caseReference, why] of [
      ['', 'Type the case reference (from the heading of this page or the email) to confirm which case you record this for.'],
      ['test', 'That is not the reference of this case'],
      [other.reference, 'That is not the reference of this case'],
      [`${reference}0`, 'That is not the reference of this case'],
    ] as const) {
      const refused = await recordByLink(link, { scheduledOn, recordedBy: 'Ada Lovelace', caseReference });
      expect(refused.status).toBe(422);
      const text = await refused.text();
      expect(text).toContain(why);
      // What was typed is kept, so only the reference needs correcting.
      for (const [name, value] of Object.entries(dateFields('scheduledOn', scheduledOn))) expect(text).toContain(`name="${name}" value="${value}"`);
    }
    expect((await w.getCase(reference)).status).toBe('AwaitingAssessmentSchedule');
    expect(await userTold(user, 'scheduled')).toEqual([]);

    // The outcome form: the first status, a date in its window and a name, without the reference, record nothing.
    expect((await recordByLink(link, { scheduledOn, recordedBy: 'Ada Lovelace' })).status).toBe(200);
    const outcomeLink = await outcomeLinkOf(reference);
    await w.assessmentDayComes(reference);
    for (const caseReference of ['', other.reference]) {
      const refused = await recordByLink(outcomeLink, { assuranceStatus: 'Approved', completedOn: today(), recordedBy: 'Ada Lovelace', caseReference });
      expect(refused.status).toBe(422);
      expect(await refused.text()).toMatch(/Type the case reference|That is not the reference of this case/);
    }
    const c = await w.getCase(reference);
    expect(c.status).toBe('AwaitingAssessmentOutcome');
    expect(c.assessment.outcome).toBeUndefined();
    expect(await userTold(user, 'Assessment outcome')).toEqual([]);
  });

  it('refuse what the API refuses, saying why at the field, and change nothing: today, a weekend, a past date, one beyond the window, a completion in the future or before the scheduled day, a missing condition', async () => {
    const { reference, user, link } = await toAssessment();
    const firstWorkingDay = addWorkingDays(today(), 1);
    const outside = `The date the assessment will take place must be from ${dateInWords(firstWorkingDay)} to`;
    const saturday = next(6, firstWorkingDay);
    const typed = (day: string, month: string, year: string) => ({ 'scheduledOn-day': day, 'scheduledOn-month': month, 'scheduledOn-year': year });
    for (const [fields, why, wrongParts] of [
      [dateFields('scheduledOn', today()), outside, ['day', 'month', 'year']],
      [dateFields('scheduledOn', '2020-01-01'), outside, ['day', 'month', 'year']],
      [dateFields('scheduledOn', addMonths(today(), 24)), outside, ['day', 'month', 'year']],
      [
        dateFields('scheduledOn', saturday),
        `must be a Working Day (not a Saturday, Sunday, Christmas Day, Good Friday or bank holiday in England and Wales): ${dateInWords(saturday)} is a Saturday`,
        ['day', 'month', 'year'],
      ],
      [dateFields('scheduledOn', next(0, firstWorkingDay)), `${dateInWords(next(0, firstWorkingDay))} is a Sunday`, ['day', 'month', 'year']],
      // The parts as typed: each correction names the part that is wrong, and marks it alone.
      [typed('30', '2', '2027'), 'The date the assessment will take place must be a real date', ['day']],
      [typed('14', '13', '2027'), 'The date the assessment will take place must be a real date', ['month']],
      [typed('14', '', '2027'), 'The date the assessment will take place must include a month', ['month']],
      [typed('14', '1', '27'), 'Year must include 4 numbers', ['year']],
      [typed('', '', ''), 'Enter the date the assessment will take place', ['day', 'month', 'year']],
    ] as const) {
      const refused = await recordByLink(link, { ...fields, recordedBy: 'Ada' });
      expect(refused.status).toBe(422);
      const text = await refused.text();
      expect(text).toMatch(/<title>Error: /);
      // The message is at the date field, and the summary links to the first wrong part.
      expect(text).toMatch(
        new RegExp(
          `<p id="scheduledOn-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> [^<]*${why.replace(/[()]/g, '\\$&')}`,
        ),
      );
      expect(text).toContain(`<a href="#scheduledOn-${wrongParts[0]}">`);
      for (const part of ['day', 'month', 'year'])
        expect(new RegExp(`id="scheduledOn-${part}"[^>]*aria-invalid="true"`).test(text), `${JSON.stringify(fields)} ${part}`).toBe(
          (wrongParts as readonly string[]).includes(part),
        );
    }
    expect((await w.getCase(reference)).status).toBe('AwaitingAssessmentSchedule');
    expect(await userTold(user, 'scheduled')).toEqual([]);

    expect((await recordByLink(link, { scheduledOn: firstWorkingDay, recordedBy: 'Ada' })).status).toBe(200);
    const outcomeLink = await outcomeLinkOf(reference);
    const before = await recordByLink(outcomeLink, { assuranceStatus: 'Approved', completedOn: today(), recordedBy: 'Ada' });
    expect(before.status).toBe(422);
    expect(await before.text()).toContain(`must be on or after ${dateInWords(firstWorkingDay)}, the day the assessment was scheduled for`);

    const scheduledOn = addWorkingDays(today(), -3);
    await w.assessmentDayComes(reference, scheduledOn);
    for (const [completedOn, why] of [
      [
        addWorkingDays(today(), 1),
        `must be from ${dateInWords(scheduledOn)} to ${dateInWords(today())}: on or after the day the assessment was scheduled for, and not in the future`,
      ],
      [addWorkingDays(today(), -4), `must be from ${dateInWords(scheduledOn)} to ${dateInWords(today())}`],
    ] as const) {
      const refused = await recordByLink(outcomeLink, { assuranceStatus: 'Approved', completedOn, recordedBy: 'Ada' });
      expect(refused.status).toBe(422);
      expect(await refused.text()).toMatch(
        new RegExp(
          `<p id="completedOn-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> The date the assessment was completed ${why}`,
        ),
      );
    }
    const conditionless = await recordByLink(outcomeLink, { assuranceStatus: 'ApprovedSubjectTo', completedOn: today(), recordedBy: 'Ada' });
    expect(conditionless.status).toBe(422);
    expect(await conditionless.text()).toContain('Give the conditions: they are required for “Approved, subject to conditions”');
    expect((await w.getCase(reference)).status).toBe('AwaitingAssessmentOutcome');
    expect(await userTold(user, 'Assessment outcome')).toEqual([]);

    // The scheduled day itself is a completion the form takes.
    expect((await recordByLink(outcomeLink, { assuranceStatus: 'Rejected', completedOn: scheduledOn, recordedBy: 'Ada' })).status).toBe(200);
    expect((await w.waitForStatus(reference, 'Closed')).assessment.outcome.completedOn).toBe(scheduledOn);
  });

  it('refuse forged, cross-purpose and moved-on links, changing nothing', async () => {
    const { reference, link } = await toAssessment();
    const forged = new URL(link);
    forged.searchParams.set('sig', `${forged.searchParams.get('sig')?.split('.')[0]}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
    expect((await fetch(forged)).status).toBe(403);
    expect(
      (await submit(forged.toString(), { ...dateFields('scheduledOn', addWorkingDays(today(), 1)), recordedBy: 'Mallory', caseReference: reference })).status,
    ).toBe(403);
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
    expect((await w.post(`/notifications/${reference}/assessment`, { scheduledOn: addWorkingDays(today(), 1) }, 'secas')).status).toBe(202);
    await w.waitForDeadline(reference, 'AssessmentOutcome');
    const movedOn = await fetch(link);
    expect(movedOn.status).toBe(410);
    expect(await movedOn.text()).toContain('The case no longer awaits this record');
  });
});
