import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_PERSON_NAME } from '../../functions/domain/person';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { confirmDecision, dateFields, emailsTo, linksIn, recordByLink } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * The fields a person types behind a valid signed link — the SSC member's name, the case reference
 * and the advice; SECAS's officer, dates, status, conditions and report reference — are validated
 * where they arrive: whatever is sent, the answer is a page (never a 5xx), and what is recorded is
 * either refused whole (nothing changes, nothing is sent) or clean enough to carry on.
 */
const w = useWorkflow();

const hostile = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.constantFrom(
    '',
    '   ',
    '<script>alert(1)</script>',
    '\u0000\r\nBcc: x@y',
    '\uD800',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile input that looks like a template on purpose
    '${jndi:ldap://x}',
    '語'.repeat(MAX_PERSON_NAME + 1),
    '🦄'.repeat(5000),
    '2027-02-30',
    '9999-12-31',
    'Approved',
    'ApprovedSubjectTo',
  ),
);

const post = (link: string, fields: Record<string, string>) => {
  const url = new URL(link);
  const form = new URLSearchParams({ ...Object.fromEntries(url.searchParams), ...fields });
  return fetch(`${url.origin}${url.pathname}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() });
};

const answersWithAPage = async (response: Response) => {
  expect(response.status).toBeLessThan(500);
  expect(response.headers.get('content-type')).toContain('text/html');
  expect(await response.text()).not.toMatch(/<script>alert/);
  return response.status;
};

describe('hostile fields behind valid links', () => {
  it("the SSC's confirmation: a mistyped reference with any name and advice decides nothing", async () => {
    const { reference, user } = await w.submit();
    const { link } = await w.sscEmail(reference);
    await fc.assert(
      fc.asyncProperty(
        hostile,
        hostile,
        hostile,
        fc.constantFrom('defer-to-annual-review', 'more-information', 'out-of-scope'),
        async (decidedBy, typed, advice, slug) => {
          // Any reference but this case's (however it is typed).
          fc.pre(typed.replace(/\s+/g, '').toUpperCase() !== reference);
          const status = await answersWithAPage(await post(link(slug), { decidedBy, caseReference: typed, advice }));
          expect(status).toBe(422);
        },
      ),
      { numRuns: 60 },
    );
    const c = await w.getCase(reference);
    expect(c.status).toBe('AwaitingSscDecision');
    expect(c.sscDecision).toBeUndefined();
    expect((await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.startsWith(`SSC advice on ${reference}`))).toEqual([]);
  }, 60_000);

  it("the confirmation's hidden fields (the notice's version, the link's holder), altered, decide nothing", async () => {
    const { reference } = await w.submit();
    const { link } = await w.sscEmail(reference);
    await fc.assert(
      fc.asyncProperty(hostile, fc.constantFrom('version', 'member', 'alternate'), async (value, field) => {
        // Only the version the page was rendered from (the notice as filed: "1") may decide; a link's holder is inside its signature.
        fc.pre(!(field === 'version' && value === '1'));
        const status = await answersWithAPage(
          await post(link('out-of-scope'), { decidedBy: 'Ada Lovelace', caseReference: reference, version: '1', [field]: value }),
        );
        expect(status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 60 },
    );
    const c = await w.getCase(reference);
    expect(c.status).toBe('AwaitingSscDecision');
    expect(c.sscDecision).toBeUndefined();
  }, 60_000);

  it("the SSC member's name is recorded clean, or refused whole", async () => {
    const cases: Array<[string, number, string?]> = [
      ['\u0000Siân\r\n Ó\tBriain\u0085', 200, 'Siân Ó Briain'],
      ['語'.repeat(MAX_PERSON_NAME), 200, '語'.repeat(MAX_PERSON_NAME)],
      ['<b>Ann</b> Lee', 200, '<b>Ann</b> Lee'],
      ['語'.repeat(MAX_PERSON_NAME + 1), 422],
      ['🦄🦄', 422],
      ['\u0007\u0008', 422],
    ];
    for (const [decidedBy, status, recorded] of cases) {
      const { reference } = await w.submit();
      const { link } = await w.sscEmail(reference);
      const response = await confirmDecision(link('defer-to-annual-review'), '', { decidedBy });
      expect(await answersWithAPage(response), JSON.stringify(decidedBy)).toBe(status);
      if (status === 200) {
        const c = await w.waitForStatus(reference, 'DeferredToAnnualReview');
        expect(c.sscDecision.decidedBy).toBe(recorded);
      } else {
        const c = await w.getCase(reference);
        expect(c.status).toBe('AwaitingSscDecision');
        expect(c.sscDecision).toBeUndefined();
      }
    }
  }, 60_000);

  it("SECAS's assessment form: any hostile date, status, texts or officer, with the reference typed, is refused whole or recorded as the API would", async () => {
    const submitted = await w.submit();
    await w.decide(submitted.reference, 'ad-hoc-assessment');
    const request = await w.emailTo(w.ctx.secasAddress, `Arrange an ad-hoc User Security Assessment: ${submitted.reference}`);
    const [link] = linksIn(request);
    let recorded = 0;
    await fc.assert(
      fc.asyncProperty(fc.tuple(hostile, hostile, hostile), hostile, hostile, hostile, async ([day, month, year], recordedBy, conditions, reportReference) => {
        // The reference typed as SECAS would, so that what is hostile meets the checks behind it; each part of the date hostile.
        const date = { 'scheduledOn-day': day, 'scheduledOn-month': month, 'scheduledOn-year': year };
        const status = await answersWithAPage(
          await recordByLink(link as string, { ...date, recordedBy, conditions, reportReference, assuranceStatus: conditions }),
        );
        expect([200, 409, 410, 422]).toContain(status);
        if (status === 200) recorded++;
      }),
      { numRuns: 60 },
    );
    const c = await w.getCase(submitted.reference);
    // Nothing hostile passes as a date: the case still waits for one, and the User was told of none.
    expect(recorded).toBe(0);
    expect(c.status).toBe('AwaitingAssessmentSchedule');
    expect(c.assessment).toBeUndefined();
    expect((await emailsTo(w.ctx.sandbox.sesUrl, submitted.user)).filter((e) => e.subject.includes('scheduled'))).toEqual([]);
  }, 60_000);

  it('a request the form cannot read (not a form, not UTF-8, too long) gets a page a person understands, and decides or records nothing', async () => {
    const submitted = await w.submit();
    const { link } = await w.sscEmail(submitted.reference);
    const decision = new URL(link('defer-to-annual-review'));
    const assessed = await w.submit();
    await w.decide(assessed.reference, 'ad-hoc-assessment');
    const [assessment] = linksIn(await w.emailTo(w.ctx.secasAddress, `Arrange an ad-hoc User Security Assessment: ${assessed.reference}`));
    for (const url of [decision, new URL(assessment as string)]) {
      const fields = new URLSearchParams({ ...Object.fromEntries(url.searchParams), decidedBy: 'Priya Shah', caseReference: submitted.reference });
      const attempts: Array<[string, RequestInit, number, RegExp]> = [
        ['JSON', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(Object.fromEntries(fields)) }, 415, /could not be read/],
        ['no content type', { body: new Blob([fields.toString()]) }, 415, /could not be read/],
        ['not UTF-8', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `${fields}&advice=%FF%FE` }, 400, /not readable text/],
        ['too long', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `${fields}&advice=${'x'.repeat(300 * 1024)}` }, 413, /shorten/],
      ];
      for (const [what, init, status, words] of attempts) {
        const response = await fetch(`${url.origin}${url.pathname}`, { method: 'POST', ...init });
        expect(response.status, what).toBe(status);
        expect(response.headers.get('content-type'), what).toContain('text/html');
        const page = await response.text();
        expect(page, what).toMatch(words);
        expect(page, what).toMatch(/Nothing has been changed/);
        expect(page, what).not.toMatch(/application\/json|problem|\bJSON\b/);
      }
    }
    expect((await w.getCase(submitted.reference)).status).toBe('AwaitingSscDecision');
    expect((await w.getCase(assessed.reference)).assessment).toBeUndefined();
  });

  it("SECAS's assessment form: a valid date and name with any reference but the case's records nothing", async () => {
    const submitted = await w.submit();
    await w.decide(submitted.reference, 'ad-hoc-assessment');
    const [link] = linksIn(await w.emailTo(w.ctx.secasAddress, `Arrange an ad-hoc User Security Assessment: ${submitted.reference}`));
    const scheduledOn = addWorkingDays(londonDate(new Date()), 5);
    await fc.assert(
      fc.asyncProperty(hostile, hostile, async (recordedBy, typed) => {
        fc.pre(typed.replace(/\s+/g, '').toUpperCase() !== submitted.reference);
        const status = await answersWithAPage(await post(link as string, { ...dateFields('scheduledOn', scheduledOn), recordedBy, caseReference: typed }));
        expect(status).toBe(422);
      }),
      { numRuns: 40 },
    );
    const c = await w.getCase(submitted.reference);
    expect(c.status).toBe('AwaitingAssessmentSchedule');
    expect(c.assessment).toBeUndefined();
    expect((await emailsTo(w.ctx.sandbox.sesUrl, submitted.user)).filter((e) => e.subject.includes('scheduled'))).toEqual([]);
  }, 60_000);
});
