import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordProviderAssessmentRequest, RecordProviderRequest } from '../../functions/domain/shared-resources';
import { addMonths, londonDate } from '../../functions/domain/working-days';
import { applied, hostileString, mutations, parsed } from '../support/hostile-bodies';
import { useSandbox } from '../support/sandbox';

/**
 * SECAS's register of Shared Resource assessments takes what a client sends, as intake does
 * (intake-hardening.test.ts): valid bodies, one field broken, hostile values and raw text. No answer
 * is a 5xx; a refusal is a problem document and changes nothing; only a body its schema takes is
 * recorded, and then exactly once.
 */
const ctx = useSandbox();
const secas = () => ctx.api('secas');
const officer = 'Ada Lovelace';

const bodies = (fields: readonly string[]) => mutations(fields, hostileString('usar-2026-1'));

const send = (path: string, text: string) => secas().fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text });

const assessmentsOf = async (providerId: string): Promise<number> => {
  const response = await secas().get(`/shared-resource-providers/${providerId}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { assessments: unknown[] }).assessments.length;
};

describe("hostile bodies to SECAS's register of Shared Resource assessments", () => {
  it('never answer 5xx, refuse with a problem document changing nothing, and record only what the schema takes', async () => {
    const seen = { providers: { recorded: 0, refused: 0 }, assessments: { recorded: 0, refused: 0 } };
    let n = 0;
    await fc.assert(
      fc.asyncProperty(bodies(['name', 'officer']), async (m) => {
        n += 1;
        const text = applied({ name: `Fuzz Hosting ${n} ${crypto.randomUUID().slice(0, 8)}`, officer }, m);
        const before = ((await (await secas().get('/shared-resource-providers')).json()) as { items: unknown[] }).items.length;
        const response = await send('/shared-resource-providers', text);
        expect(response.status).toBeLessThan(500);
        const after = ((await (await secas().get('/shared-resource-providers')).json()) as { items: unknown[] }).items.length;
        if (response.status === 201) {
          expect(RecordProviderRequest.safeParse(parsed(text)).success).toBe(true);
          expect(after).toBe(before + 1);
          seen.providers.recorded += 1;
        } else {
          expect(response.headers.get('content-type')).toContain('application/problem+json');
          expect(after).toBe(before);
          seen.providers.refused += 1;
        }
      }),
      { numRuns: 100 },
    );

    const provider = (await (await send('/shared-resource-providers', JSON.stringify({ name: 'Fuzz Assessed Hosting Ltd', officer }))).json()) as {
      providerId: string;
    };
    const today = londonDate(new Date());
    await fc.assert(
      fc.asyncProperty(bodies(['reference', 'assessedOn', 'assuranceStatus', 'validUntil', 'officer']), async (m) => {
        n += 1;
        const valid = {
          reference: `FZ-${String(n).padStart(4, '0')}-${crypto.randomUUID().slice(0, 6).toUpperCase()}`,
          assessedOn: addMonths(today, -1),
          assuranceStatus: 'Approved',
          validUntil: addMonths(today, 11),
          officer,
        };
        const text = applied(valid, m);
        const before = await assessmentsOf(provider.providerId);
        const response = await send(`/shared-resource-providers/${provider.providerId}/assessments`, text);
        expect(response.status).toBeLessThan(500);
        const after = await assessmentsOf(provider.providerId);
        if (response.status === 201) {
          expect(RecordProviderAssessmentRequest.safeParse(parsed(text)).success).toBe(true);
          expect(after).toBe(before + 1);
          seen.assessments.recorded += 1;
        } else {
          expect(response.headers.get('content-type')).toContain('application/problem+json');
          expect(after).toBe(before);
          seen.assessments.refused += 1;
        }
      }),
      { numRuns: 150 },
    );
    process.stdout.write(`register hostile bodies: ${JSON.stringify(seen)}\n`);
    // Both kinds of answer were reached: the property held over valid bodies and refused ones alike.
    for (const kind of [seen.providers, seen.assessments]) {
      expect(kind.recorded).toBeGreaterThan(0);
      expect(kind.refused).toBeGreaterThan(0);
    }
  }, 120_000);
});
