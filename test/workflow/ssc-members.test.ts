import { describe, expect, it } from 'vitest';
import { addWorkingDays, londonDate, londonInstant } from '../../functions/domain/working-days';
import { claimDecision } from '../../functions/adapters/cases-repository';
import { type StoredEmail, confirmDecision, emailsTo, linksIn, waitUntil } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * The SSC's members and their Alternates, in the sandbox: with two members and an Alternate in
 * SECAS's register, a notice's decision email goes to each of the three (none to the SSC mailbox),
 * each with links bound to that person; a decision through the Alternate's link is recorded as
 * taken by the Alternate for the member, both named in the case, its file and the User's advice;
 * a member removed from the register finds their link refused with a clear page, deciding nothing.
 */
const w = useWorkflow();
const officer = 'Sam Okafor';
const tag = crypto.randomUUID().slice(0, 8);
const address = (who: string) => `${who}.${tag}@ssc.example.org`;

const secasPost = async (path: string, body: unknown) => {
  const response = await w.post(path, body, 'secas');
  if (response.status >= 300) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { memberId: string };
};

/** The decision email of a case to one address, and its link for one decision. */
const emailTo = async (who: string, reference: string) => {
  const email: StoredEmail = await w.emailTo(address(who), `SSC decision needed: ${reference}`);
  return { email, link: (slug: string) => linksIn(email).find((l) => l.includes(`decision=${slug}`)) as string };
};

describe('the SSC members and their Alternates', () => {
  const ids = { priya: '', carl: '' };

  it('emails each member and Alternate their own links, and records a decision through the Alternate as taken by the Alternate for the member', async () => {
    ids.priya = (await secasPost('/ssc-members', { name: 'Priya Shah', email: address('priya'), officer })).memberId;
    ids.carl = (await secasPost('/ssc-members', { name: 'Carl Obi', email: address('carl'), officer })).memberId;
    await secasPost(`/ssc-members/${ids.priya}/alternate`, { name: 'Tom Reid', email: address('tom'), officer });

    const { reference, user } = await w.submit();
    w.path('decided by an Alternate for a member, each member and Alternate emailed', reference);
    const priya = await emailTo('priya', reference);
    const carl = await emailTo('carl', reference);
    const tom = await emailTo('tom', reference);
    // One email per person, to that person only, none to the SSC mailbox.
    for (const { email } of [priya, carl, tom]) expect(email.destination.to).toHaveLength(1);
    expect(tom.email.body.text).toContain('These links are yours, Tom Reid (Alternate for Priya Shah)');
    expect((await emailsTo(w.ctx.sandbox.sesUrl, w.ctx.sscAddress)).filter((e) => e.subject.includes(reference))).toEqual([]);
    // Each bound to its holder: the member's id in each, the Alternate's as well in Tom's.
    const defer = (l: { link: (slug: string) => string }) => new URL(l.link('defer-to-annual-review')).searchParams;
    expect(defer(priya).get('member')).toBe(ids.priya);
    expect(defer(priya).get('alternate')).toBeNull();
    expect(defer(carl).get('member')).toBe(ids.carl);
    expect(defer(tom).get('member')).toBe(ids.priya);
    expect(defer(tom).get('alternate')).toMatch(/^[A-Za-z0-9_-]{12}$/);

    const page = await (await fetch(tom.link('defer-to-annual-review'))).text();
    expect(page).toContain('<strong>Tom Reid</strong>, Alternate for <strong>Priya Shah</strong>');
    // The typed name stays the human confirmation: the case reference typed as a name is refused, nothing decided.
    const asName = await confirmDecision(tom.link('defer-to-annual-review'), '', { decidedBy: reference });
    expect(asName.status).toBe(422);
    expect(await asName.text()).toContain('govuk-error-summary');
    expect((await w.getCase(reference)).status).toBe('AwaitingSscDecision');

    const decided = await confirmDecision(tom.link('defer-to-annual-review'), 'In scope of the annual review.', { decidedBy: 'Tom Reid' });
    expect(decided.status).toBe(200);
    expect(await decided.text()).toContain('as taken by Tom Reid as Alternate for Priya Shah');
    const c = await w.waitForStatus(reference, 'DeferredToAnnualReview');
    expect(c.sscDecision).toMatchObject({ kind: 'DeferToAnnualReview', decidedAs: { memberId: ids.priya, member: 'Priya Shah', alternate: 'Tom Reid' } });
    const asSecas = await w.getCase(reference, 'secas');
    expect(asSecas.sscDecision).toMatchObject({ decidedBy: 'Tom Reid', decidedAs: { member: 'Priya Shah', alternate: 'Tom Reid' } });
    const file = await (await w.ctx.api('secas').fetch(`/notifications/${reference}/case-file`, { headers: { Accept: 'text/html' } })).text();
    expect(file).toContain('Tom Reid as Alternate for Priya Shah');
    const advice = await w.emailTo(user, `SSC advice on ${reference}`);
    expect(advice.body.text).toContain('Taken for the SSC by Tom Reid as Alternate for Priya Shah.');
    // The other people's links now say the case was decided, and by whom.
    const late = await fetch(carl.link('ad-hoc-assessment'));
    expect(late.status).toBe(409);
    expect(await late.text()).toContain('by Tom Reid as Alternate for Priya Shah');
  }, 60_000);

  it("refuses a removed member's link with a clear page, on the page and the POST, deciding nothing", async () => {
    const { reference, user } = await w.submit();
    w.path("a removed member's link refused, the case decided by another", reference);
    const carl = await emailTo('carl', reference);
    const priya = await emailTo('priya', reference);
    await secasPost(`/ssc-members/${ids.carl}/removal`, { officer });

    // A claim already past the page's check when the member left is refused by its own write: the register is checked in the same transaction.
    const carlLink = new URL(carl.link('ad-hoc-assessment'));
    const decisionId = carlLink.pathname.split('/').pop() as string;
    const at = new Date().toISOString();
    const raced = await claimDecision({
      reference,
      decision: {
        kind: 'AdHocAssessment',
        advice: '',
        decidedAt: at,
        decisionId,
        decidedBy: 'Carl Obi',
        decidedAs: { memberId: ids.carl, member: 'Carl Obi' },
      },
      event: { at, type: 'SscDecisionConfirmed', actor: { kind: 'SSC', id: `decision link ${decisionId}`, name: 'Carl Obi' } },
      holder: { memberId: ids.carl },
    });
    expect(raced).toBeUndefined();

    const shown = await fetch(carl.link('ad-hoc-assessment'));
    expect(shown.status).toBe(403);
    const page = await shown.text();
    expect(page).toContain('This link no longer works');
    expect(page).toContain('Nothing has been changed');
    expect(page).not.toContain(reference);
    const posted = await confirmDecision(carl.link('ad-hoc-assessment'), '', { decidedBy: 'Carl Obi', caseReference: reference });
    expect(posted.status).toBe(403);
    expect(await posted.text()).toContain('This link no longer works');
    const waiting = await w.getCase(reference);
    expect(waiting.status).toBe('AwaitingSscDecision');
    expect(waiting.sscDecision).toBeUndefined();
    expect(waiting.history.map((e: { type: string }) => e.type)).not.toContain('SscDecisionConfirmed');
    expect((await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.startsWith(`SSC advice on ${reference}`))).toEqual([]);

    // A member still in the register decides it.
    expect((await confirmDecision(priya.link('defer-to-annual-review'), '', { decidedBy: 'Priya Shah' })).status).toBe(200);
    const c = await w.waitForStatus(reference, 'DeferredToAnnualReview');
    expect(c.sscDecision.decidedAs).toEqual({ memberId: ids.priya, member: 'Priya Shah' });
  }, 60_000);

  it('with the register empty again, the SSC mailbox gets the email and its decision names nobody from the register, as before', async () => {
    await secasPost(`/ssc-members/${ids.priya}/removal`, { officer });
    const { reference } = await w.submit();
    const { link } = await w.sscEmail(reference);
    expect(new URL(link('defer-to-annual-review')).searchParams.get('member')).toBeNull();
    expect((await confirmDecision(link('defer-to-annual-review'))).status).toBe(200);
    const c = await w.waitForStatus(reference, 'DeferredToAnnualReview');
    expect(c.sscDecision.decidedAs).toBeUndefined();
  }, 60_000);

  it("tells SECAS when a member's address bounces the decision request, as it does for the SSC mailbox", async () => {
    const bouncing = `bounce+member-${tag}@simulator.amazonses.com`;
    const { memberId } = await secasPost('/ssc-members', { name: 'Nia Evans', email: bouncing, officer });
    const { reference } = await w.submit();
    await w.emailTo(bouncing, `SSC decision needed: ${reference}`);
    const alert = await w.emailTo(w.ctx.secasAddress, `[UNDELIVERED] SscDecisionRequest to the SSC on ${reference}`);
    expect(alert.body.text).toContain('is waiting on this notice');
    expect(alert.body.text).toContain('register of SSC members');
    const problems = (await w.getCase(reference, 'secas')).deliveryProblems.map(
      (p: { notice: string; recipientRole: string }) => `${p.notice}:${p.recipientRole}`,
    );
    expect(problems).toContain('SscDecisionRequest:SSC');
    await secasPost(`/ssc-members/${memberId}/removal`, { officer });
  }, 60_000);

  it("sends each member and Alternate their own meeting papers with links bound to them, SECAS a copy without, and the SSC's other emails to them too", async () => {
    const ana = (await secasPost('/ssc-members', { name: 'Ana Lima', email: address('ana'), officer })).memberId;
    await secasPost(`/ssc-members/${ana}/alternate`, { name: 'Ben Ford', email: address('ben'), officer });
    const due = await w.submit((b) => {
      b.newUserSystem.plannedProcurementOn = addWorkingDays(londonDate(new Date()), 30);
      b.newUserSystem.plannedLiveOn = addWorkingDays(londonDate(new Date()), 60);
    });
    const { deadline } = await w.waitForDeadline(due.reference, 'SscDecision');
    const anaOwn = await emailTo('ana', due.reference);
    const meeting = deadline.meeting.on as string;
    const settings = { SSC_MEETINGS: process.env.SSC_MEETINGS };
    process.env.SSC_MEETINGS = JSON.stringify({ dates: [meeting] });
    try {
      expect(await w.ctx.sandbox.runScheduledTask('SendMeetingPapers', londonInstant(deadline.meeting.papersBy))).toMatchObject({ sent: true, meeting });
    } finally {
      if (settings.SSC_MEETINGS === undefined) delete process.env.SSC_MEETINGS;
      else process.env.SSC_MEETINGS = settings.SSC_MEETINGS;
    }
    const papersTo = (to: string) => w.emailTo(to, 'SSC meeting papers');
    const [anaPapers, benPapers, secasPapers] = [await papersTo(address('ana')), await papersTo(address('ben')), await papersTo(w.ctx.secasAddress)];
    for (const e of [anaPapers, benPapers]) expect(e.destination.to).toHaveLength(1);
    const bound = (e: StoredEmail) => linksIn(e).map((l) => new URL(l).searchParams);
    // Every case due at the meeting (earlier tests' cases too), each link bound to the person it is sent to.
    expect(bound(anaPapers).length).toBeGreaterThan(0);
    expect(bound(anaPapers).map((q) => [q.get('member'), q.get('alternate')])).toEqual(bound(anaPapers).map(() => [ana, null]));
    expect(bound(benPapers).length).toBe(bound(anaPapers).length);
    for (const q of bound(benPapers)) {
      expect(q.get('member')).toBe(ana);
      expect(q.get('alternate')).toMatch(/^[A-Za-z0-9_-]{12}$/);
    }
    // Ana's papers carry, for this case, the very link her own decision email does.
    const ownLink = anaOwn.link('defer-to-annual-review') ?? anaOwn.link('ad-hoc-assessment');
    const inPapers = linksIn(anaPapers).find((l) => new URL(l).pathname === new URL(ownLink).pathname) as string;
    expect(linksIn(anaOwn.email)).toContain(inPapers);
    expect(secasPapers.destination.to).toEqual([w.ctx.secasAddress]);
    expect(secasPapers.body.text).toContain(due.reference);
    expect(linksIn(secasPapers)).toEqual([]);
    expect((await emailsTo(w.ctx.sandbox.sesUrl, w.ctx.sscAddress)).filter((e) => e.subject.startsWith('SSC meeting papers'))).toEqual([]);
    // Through Ana's papers, her decision: recorded as hers.
    expect((await confirmDecision(inPapers, '', { decidedBy: 'Ana Lima' })).status).toBe(200);
    const decided = await waitUntil(async () => {
      const c = await w.getCase(due.reference);
      return c.sscDecision ? c : undefined;
    }, 'the decision through the papers');
    expect(decided.sscDecision.decidedAs).toMatchObject({ memberId: ana, member: 'Ana Lima' });

    // A withdrawal is told to the members, not the mailbox.
    const withdrawn = await w.submit();
    await w.waitForStatus(withdrawn.reference, 'AwaitingSscDecision');
    expect((await w.post(`/notifications/${withdrawn.reference}/withdrawal`, { reason: 'Procurement cancelled.' })).status).toBe(202);
    const told = await w.emailTo(address('ana'), `Withdrawn: ${withdrawn.reference}`);
    expect(told.destination.to).toContain(address('ben'));
    expect((await emailsTo(w.ctx.sandbox.sesUrl, w.ctx.sscAddress)).filter((e) => e.subject.includes(withdrawn.reference))).toEqual([]);
    await secasPost(`/ssc-members/${ana}/removal`, { officer });
  }, 60_000);
});
