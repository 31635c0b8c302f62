import { describe, expect, it } from 'vitest';
import { confirmDecision, emailsTo, submitFormAsServed } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * A decision needs a person: the confirmation form as served (what a scanner that submits forms
 * sends) decides nothing, nor does one with another case's reference or no name; the SSC member
 * who confirms is named on the case. The notification's security detail is on the page, never
 * in the email.
 */
const w = useWorkflow();

const architecture = 'Tenant keys in an HSM; operators behind phishing-resistant MFA; 🔐 Ĳ';
const withheld = 'We do not disclose the hosting region: it is contractually confidential.';

describe("the SSC's confirmation page", () => {
  it('keeps the security detail behind the link, decides nothing as served or mistyped, and names who decided', async () => {
    const { reference, user } = await w.submit((b) => {
      b.newUserSystem.securityArchitectureSummary = architecture;
      b.withheldDetails = withheld;
    });
    const other = await w.submit();
    w.path('deferred by a named SSC member after refused submissions', reference);
    const { email, link } = await w.sscEmail(reference);
    for (const part of [email.body.text, email.body.html ?? '']) {
      expect(part).not.toContain('HSM');
      expect(part).not.toContain('contractually confidential');
    }
    const page = await (await fetch(link('defer-to-annual-review'))).text();
    expect(page).toContain('Tenant keys in an HSM');
    expect(page).toContain('contractually confidential');
    const acknowledgement = await w.emailTo(user, `Received: Second User System notification ${reference}`);
    expect(acknowledgement.body.text).not.toContain('HSM');

    const emailsBefore = (await emailsTo(w.ctx.sandbox.sesUrl, user)).length;
    const asServed = await submitFormAsServed(link('defer-to-annual-review'));
    expect(asServed.fields).toEqual(expect.arrayContaining(['decision', 'expires', 'sig', 'decidedBy', 'caseReference', 'advice']));
    expect(asServed.response.status).toBe(422);
    const refusal = await asServed.response.text();
    expect(refusal).toContain('Not yet decided');
    expect(refusal).toContain('Give your name');
    expect(refusal).toContain('Type the case reference');

    const wrongCase = await confirmDecision(link('defer-to-annual-review'), '', { caseReference: other.reference });
    expect(wrongCase.status).toBe(422);
    expect(await wrongCase.text()).toContain('That is not the reference of this case');
    const noName = await confirmDecision(link('ad-hoc-assessment'), '', { decidedBy: '   ' });
    expect(noName.status).toBe(422);

    const waiting = await w.getCase(reference);
    expect(waiting.status).toBe('AwaitingSscDecision');
    expect(waiting.sscDecision).toBeUndefined();
    expect(waiting.history.map((e: { type: string }) => e.type)).not.toContain('SscDecisionConfirmed');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await emailsTo(w.ctx.sandbox.sesUrl, user)).toHaveLength(emailsBefore);

    const decided = await confirmDecision(link('defer-to-annual-review'), 'In scope of the annual review.', {
      decidedBy: 'Siân Ó Briain',
      caseReference: ` ${reference.toLowerCase()} `,
    });
    expect(decided.status).toBe(200);
    expect(await decided.text()).toContain('in the name of Siân Ó Briain');
    const c = await w.waitForStatus(reference, 'DeferredToAnnualReview');
    expect(c.sscDecision).toMatchObject({ kind: 'DeferToAnnualReview', decidedBy: 'Siân Ó Briain' });
    const byName = c.history.filter((e: { actor: { name?: string } }) => e.actor.name === 'Siân Ó Briain').map((e: { type: string }) => e.type);
    expect(byName).toEqual(['SscDecisionConfirmed', 'SscDecisionTaken']);

    const replay = await confirmDecision(link('ad-hoc-assessment'));
    expect(replay.status).toBe(409);
    expect(await replay.text()).toContain('by Siân Ó Briain');
  });
});
