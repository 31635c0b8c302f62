import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { confirmDecision, emailsTo } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * The decision-link keyring over its life, end to end: links keep working across a rotation
 * until the old key is retired, and a link only ever decides the case it was sent for.
 * Functions re-read the keyring after a second here (five minutes in AWS).
 */
const w = useWorkflow({ environment: { LINK_KEYRING_CACHE_SECONDS: '1' } });
const keyIdOf = (link: string) => new URL(link).searchParams.get('sig')?.split('.')[0];
const adviceTo = async (user: string, reference: string) =>
  (await emailsTo(w.ctx.sandbox.sesUrl, user)).filter((e) => e.subject.includes(`SSC advice on ${reference}`));
const keyringRefreshed = () => sleep(1500);

describe('decision-link keys', () => {
  it('keeps links signed before a rotation valid, signs new ones with the new key, and refuses the old key once retired', async () => {
    const before = await w.submit();
    const retiredLater = await w.submit();
    const { link: oldLink } = await w.sscEmail(before.reference);
    const { link: doomedLink } = await w.sscEmail(retiredLater.reference);
    expect(keyIdOf(oldLink('defer-to-annual-review'))).toBe('local-1');

    const keyring = w.ctx.sandbox.linkKeyring.get();
    w.ctx.sandbox.linkKeyring.set({ ...keyring, currentKeyId: 'local-2', 'local-2': randomBytes(32).toString('base64url') });
    await keyringRefreshed();

    const after = await w.submit();
    const { link: newLink } = await w.sscEmail(after.reference);
    expect(keyIdOf(newLink('defer-to-annual-review'))).toBe('local-2');
    expect((await fetch(oldLink('defer-to-annual-review'))).status).toBe(200);
    expect((await confirmDecision(oldLink('defer-to-annual-review'))).status).toBe(200);
    await w.waitForStatus(before.reference, 'DeferredToAnnualReview');
    expect((await confirmDecision(newLink('ad-hoc-assessment'))).status).toBe(200);
    await w.waitForStatus(after.reference, 'AwaitingAssessmentSchedule');

    // Retire local-1: links it signed stop working, and change nothing.
    const { 'local-1': _retired, ...remaining } = w.ctx.sandbox.linkKeyring.get();
    w.ctx.sandbox.linkKeyring.set(remaining);
    await keyringRefreshed();
    const refused = await confirmDecision(doomedLink('defer-to-annual-review'));
    expect(refused.status).toBe(403);
    expect((await w.getCase(retiredLater.reference)).status).toBe('AwaitingSscDecision');
    expect(await adviceTo(retiredLater.user, retiredLater.reference)).toHaveLength(0);
  });

  it("refuses one case's signature on another case's decision: 403 on page and form, and neither case changes", async () => {
    const a = await w.submit();
    const b = await w.submit();
    const { link: linkA } = await w.sscEmail(a.reference);
    const { link: linkB } = await w.sscEmail(b.reference);
    // B's path (its decision id) with A's decision, expiry and signature.
    const crossed = new URL(linkA('ad-hoc-assessment'));
    crossed.pathname = new URL(linkB('ad-hoc-assessment')).pathname;
    expect((await fetch(crossed)).status).toBe(403);
    expect((await confirmDecision(crossed.toString())).status).toBe(403);
    expect((await w.getCase(a.reference)).status).toBe('AwaitingSscDecision');
    expect((await w.getCase(b.reference)).status).toBe('AwaitingSscDecision');
    expect([...(await adviceTo(a.user, a.reference)), ...(await adviceTo(b.user, b.reference))]).toHaveLength(0);
  });

  it('answers HEAD (a mail scanner pre-fetching the link) without deciding or sending anything', async () => {
    const { reference, user } = await w.submit();
    const { link } = await w.sscEmail(reference);
    for (let i = 0; i < 3; i++) expect((await fetch(link('defer-to-annual-review'), { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(link('defer-to-annual-review'))).status).toBe(200);
    expect((await w.getCase(reference)).status).toBe('AwaitingSscDecision');
    expect(await adviceTo(user, reference)).toHaveLength(0);
  });
});
