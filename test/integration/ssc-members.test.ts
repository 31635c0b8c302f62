import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddMemberRequest, AppointAlternateRequest, MemberRemovalRequest } from '../../functions/domain/ssc-members';
import { useSandbox } from '../support/sandbox';
import { applied, hostileString, mutations, parsed } from '../support/hostile-bodies';

/**
 * SECAS's register of SSC members, through the sandbox's API: SECAS only; each change audited with
 * the officer; and hostile bodies, as intake has them (intake-hardening.test.ts): no answer is a
 * 5xx, a refusal is a problem document and changes nothing, only a body its schema takes is
 * recorded, and then exactly once.
 */
const ctx = useSandbox();
const secas = () => ctx.api('secas');
const officer = 'Ada Lovelace';

interface Member {
  memberId: string;
  name: string;
  email: string;
  alternate?: { alternateId: string; name: string; email: string };
  removedAt?: string;
  audit: Array<{ action: string; officer: string; by: string }>;
}
interface Register {
  items: Member[];
  former: Member[];
}

const send = (path: string, text: string) => secas().fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text });
const register = async (): Promise<Register> => {
  const response = await secas().get('/ssc-members');
  expect(response.status).toBe(200);
  return (await response.json()) as Register;
};
const unique = () => crypto.randomUUID().slice(0, 8);

describe("SECAS's register of SSC members", () => {
  it('adds a member, appoints and replaces an Alternate, removes it and the member: each audited with the officer, the removed member kept as former', async () => {
    const added = await send('/ssc-members', JSON.stringify({ name: 'Priya Shah', email: `priya.${unique()}@ssc.example.org`, officer }));
    expect(added.status).toBe(201);
    const member = (await added.json()) as Member;
    expect(added.headers.get('location')).toBe(`/ssc-members/${member.memberId}`);
    expect(member.memberId).toMatch(/^[A-Za-z0-9_-]{12}$/);

    const tom = (await (
      await send(`/ssc-members/${member.memberId}/alternate`, JSON.stringify({ name: 'Tom Reid', email: `tom.${unique()}@ssc.example.org`, officer }))
    ).json()) as Member;
    const anna = (await (
      await send(
        `/ssc-members/${member.memberId}/alternate`,
        JSON.stringify({ name: 'Anna Lee', email: `anna.${unique()}@ssc.example.org`, officer: 'Jo Bell' }),
      )
    ).json()) as Member;
    expect(anna.alternate?.name).toBe('Anna Lee');
    expect(anna.alternate?.alternateId).not.toBe(tom.alternate?.alternateId);

    // An address the register holds is refused, naming the field.
    const taken = await send('/ssc-members', JSON.stringify({ name: 'Someone Else', email: anna.alternate?.email.toUpperCase(), officer }));
    expect(taken.status).toBe(422);
    expect(((await taken.json()) as { errors: Array<{ pointer: string }> }).errors.map((e) => e.pointer)).toEqual(['/email']);

    expect((await send(`/ssc-members/${member.memberId}/alternate/removal`, JSON.stringify({ officer }))).status).toBe(200);
    expect((await send(`/ssc-members/${member.memberId}/alternate/removal`, JSON.stringify({ officer }))).status).toBe(409);
    expect((await send(`/ssc-members/${member.memberId}/removal`, JSON.stringify({ officer: 'Jo Bell' }))).status).toBe(200);

    const { items, former } = await register();
    expect(items.find((m) => m.memberId === member.memberId)).toBeUndefined();
    const gone = former.find((m) => m.memberId === member.memberId) as Member;
    expect(gone.removedAt).toBeDefined();
    expect(gone.alternate).toBeUndefined();
    expect(gone.audit.map((a) => [a.action, a.officer])).toEqual([
      ['member-added', officer],
      ['alternate-appointed', officer],
      ['alternate-appointed', 'Jo Bell'],
      ['alternate-removed', officer],
      ['member-removed', 'Jo Bell'],
    ]);
    expect(new Set(gone.audit.map((a) => a.by)).size).toBe(1);
    // A removed member is changed no further.
    expect(
      (await send(`/ssc-members/${member.memberId}/alternate`, JSON.stringify({ name: 'Late', email: `late.${unique()}@ssc.example.org`, officer }))).status,
    ).toBe(404);
  });

  it('is SECAS-only, and an id that cannot be one is not looked up', async () => {
    expect((await ctx.api('user').get('/ssc-members')).status).toBe(403);
    expect((await ctx.api('user').post('/ssc-members', { name: 'Mallory', email: 'mallory@example.org', officer })).status).toBe(403);
    expect((await ctx.api('anonymous').get('/ssc-members')).status).toBe(401);
    for (const id of ['x', 'a'.repeat(300), '..%2F..%2Fetc', 'MEMBER%23abc']) {
      const response = await secas().get(`/ssc-members/${id}`);
      expect([400, 404]).toContain(response.status);
    }
  });

  it('never answer 5xx to hostile bodies, refuse with a problem document changing nothing, and record only what the schema takes', async () => {
    const mutation = (fields: readonly string[]) => mutations(fields, hostileString('a@b', 'Priya \u202eShah', 'x@example.org\r\nBcc: y@z'));
    const seen = { added: 0, appointed: 0, removed: 0, refused: 0 };

    await fc.assert(
      fc.asyncProperty(mutation(['name', 'email', 'officer']), async (m) => {
        const text = applied({ name: 'Fuzz Member', email: `fuzz.${unique()}@ssc.example.org`, officer }, m);
        const before = (await register()).items.length;
        const response = await send('/ssc-members', text);
        expect(response.status).toBeLessThan(500);
        const after = (await register()).items.length;
        if (response.status === 201) {
          expect(AddMemberRequest.safeParse(parsed(text)).success).toBe(true);
          expect(after).toBe(before + 1);
          seen.added += 1;
        } else {
          // Not JSON, a duplicate key: 400; anything else the schema refuses: 422.
          expect([400, 422]).toContain(response.status);
          if (parsed(text) !== undefined && typeof parsed(text) === 'object' && parsed(text) !== null) expect(response.status).toBe(422);
          expect(response.headers.get('content-type')).toContain('application/problem+json');
          expect(after).toBe(before);
          seen.refused += 1;
        }
      }),
      { numRuns: 80 },
    );

    const target = (await (
      await send('/ssc-members', JSON.stringify({ name: 'Fuzz Target', email: `target.${unique()}@ssc.example.org`, officer }))
    ).json()) as Member;
    const stateOf = async () => {
      const response = await secas().get(`/ssc-members/${target.memberId}`);
      const member = (await response.json()) as Member;
      return JSON.stringify([member.alternate, member.audit.length, member.removedAt]);
    };
    await fc.assert(
      fc.asyncProperty(mutation(['name', 'email', 'officer']), async (m) => {
        const text = applied({ name: 'Fuzz Alternate', email: `alt.${unique()}@ssc.example.org`, officer }, m);
        const before = await stateOf();
        const response = await send(`/ssc-members/${target.memberId}/alternate`, text);
        expect(response.status).toBeLessThan(500);
        if (response.status === 200) {
          expect(AppointAlternateRequest.safeParse(parsed(text)).success).toBe(true);
          expect(await stateOf()).not.toBe(before);
          seen.appointed += 1;
        } else {
          expect(response.headers.get('content-type')).toContain('application/problem+json');
          expect(await stateOf()).toBe(before);
          seen.refused += 1;
        }
      }),
      { numRuns: 60 },
    );
    // A removal takes the officer and nothing else: a refused body leaves the member where it was.
    for (const text of ['{}', '{"officer":""}', '{"officer":"Ada","reason":"x"}', '[]', 'null', '{"officer":"   "}']) {
      const before = await stateOf();
      const response = await send(`/ssc-members/${target.memberId}/removal`, text);
      expect(response.status, text).toBeGreaterThanOrEqual(400);
      expect(response.status, text).toBeLessThan(500);
      expect(MemberRemovalRequest.safeParse(parsed(text)).success).toBe(false);
      expect(await stateOf()).toBe(before);
    }
    expect((await send(`/ssc-members/${target.memberId}/removal`, JSON.stringify({ officer }))).status).toBe(200);
    seen.removed += 1;
    process.stdout.write(`ssc members hostile bodies: ${JSON.stringify(seen)}\n`);
    expect(seen.added).toBeGreaterThan(0);
    expect(seen.appointed).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  }, 240_000);
});
