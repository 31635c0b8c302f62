import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { addMonths, londonDate } from '../../functions/domain/working-days';
import { backfillProviderEmployments } from '../../infra/tools/backfill-provider-employments';
import { emailsTo } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * The register of Shared Resource assessments in the sandbox: SECAS records providers and their
 * outcomes through its routes; notices filed against it are triaged by what it holds (current
 * Approved, unknown provider, expired, Rejected), and the flag reaches the SSC's email and page;
 * a new outcome for a provider reaches the Users of its open cases (SEC G10.8), and SECAS and the
 * SSC are alerted when it is Rejected.
 */
const w = useWorkflow();
const officer = 'Sam Okafor';
const today = () => londonDate(new Date());

const secas = () => w.ctx.api('secas');
const recordProvider = async (name: string) => {
  const answer = await secas().post('/shared-resource-providers', { name, officer });
  expect(answer.status).toBe(201);
  return (await answer.json()) as { providerId: string };
};
const recordOutcome = (providerId: string, outcome: Record<string, unknown>) =>
  secas().post(`/shared-resource-providers/${providerId}/assessments`, { officer, ...outcome });

const naming = (providerName: string, reference: string) => (b: Record<string, any>) => {
  b.newUserSystem.operator = { kind: 'SharedResourceProvider', providerName, priorAssessment: { ...b.newUserSystem.operator.priorAssessment, reference } };
};

describe('the register of Shared Resource assessments', () => {
  it('is SECAS-only, refuses a duplicate provider, and a malformed or duplicate assessment reference with a 422 naming it', async () => {
    expect((await w.ctx.api('user').get('/shared-resource-providers')).status).toBe(403);
    expect((await w.ctx.api('user').post('/shared-resource-providers', { name: 'Anyone', officer })).status).toBe(403);
    const { providerId } = await recordProvider('Dune Data Centres Ltd');
    expect(providerId).toBe('dune-data-centres-ltd');
    const again = await secas().post('/shared-resource-providers', { name: 'DUNE  Data Centres LTD', officer });
    expect(again.status).toBe(409);
    const outcome = { reference: 'USA-SR-2026-101', assessedOn: today(), assuranceStatus: 'Approved', validUntil: addMonths(today(), 12) };
    const malformed = await recordOutcome(providerId, { ...outcome, reference: 'not a reference' });
    expect(malformed.status).toBe(422);
    expect(((await malformed.json()) as { errors: Array<{ pointer: string }> }).errors.map((e) => e.pointer)).toEqual(['/reference']);
    expect((await recordOutcome(providerId, outcome)).status).toBe(201);
    // The same reference again, for this provider or another: nothing written.
    const { providerId: other } = await recordProvider('Eastmarsh Hosting');
    for (const id of [providerId, other]) {
      const duplicate = await recordOutcome(id, outcome);
      expect(duplicate.status).toBe(422);
      expect(((await duplicate.json()) as { errors: Array<{ pointer: string; detail: string }> }).errors[0]).toMatchObject({ pointer: '/reference' });
    }
    expect((await recordOutcome('no-such-provider', { ...outcome, reference: 'USA-SR-2026-102' })).status).toBe(404);
    const read = (await (await secas().get(`/shared-resource-providers/${providerId}`)).json()) as Record<string, any>;
    expect(read.assessments).toHaveLength(1);
    expect(read.audit.map((e: { action: string; officer: string }) => [e.action, e.officer])).toEqual([
      ['provider-recorded', officer],
      ['assessment-recorded', officer],
    ]);
    expect((await (await secas().get(`/shared-resource-providers/${other}`)).json()) as Record<string, any>).toMatchObject({ assessments: [] });
    const list = (await (await secas().get('/shared-resource-providers')).json()) as { items: Array<{ providerId: string }> };
    expect(list.items.map((p) => p.providerId)).toEqual(expect.arrayContaining([providerId, other]));
  });

  it('triages notices by the register, flags what it does not bear out to the SSC, and tells the Users of a new outcome', async () => {
    const validUntil = addMonths(today(), 12);
    const harbour = await recordProvider('Harbour Shared Services plc');
    expect(
      (await recordOutcome(harbour.providerId, { reference: 'USA-SR-2025-019', assessedOn: addMonths(today(), -2), assuranceStatus: 'Approved', validUntil }))
        .status,
    ).toBe(201);
    const fenland = await recordProvider('Fenland Compute');
    expect(
      (
        await recordOutcome(fenland.providerId, {
          reference: 'USA-SR-2024-007',
          assessedOn: addMonths(today(), -13),
          assuranceStatus: 'Approved',
          validUntil: addMonths(today(), -1),
        })
      ).status,
    ).toBe(201);
    const marsh = await recordProvider('Marsh Cloud');
    expect(
      (await recordOutcome(marsh.providerId, { reference: 'USA-SR-2026-040', assessedOn: addMonths(today(), -1), assuranceStatus: 'Rejected', validUntil }))
        .status,
    ).toBe(201);

    // The sample names Harbour and USA-SR-2025-019: current and Approved.
    const approved = await w.submit();
    const unknown = await w.submit(naming('Nowhere Hosting Ltd', 'USA-SR-2025-019'));
    const expired = await w.submit(naming('fenland compute', 'usa-sr-2024-007'));
    const rejected = await w.submit(naming('Marsh Cloud', 'USA-SR-2026-040'));
    const expected = [
      [approved, 'DeferToAnnualReview', 'CurrentApproved', false],
      [unknown, 'AdHocAssessment', 'UnknownProvider', true],
      [expired, 'AdHocAssessment', 'ExpiredAssessment', true],
      [rejected, 'AdHocAssessment', 'Rejected', true],
    ] as const;
    for (const [filed, recommendation, finding, flagged] of expected) {
      const c = await w.waitForStatus(filed.reference, 'AwaitingSscDecision');
      expect(c.triage, filed.reference).toMatchObject({ recommendation, register: { finding, flagged } });
      const { email, link } = await w.sscEmail(filed.reference);
      expect(email.body.text.includes('SHARED RESOURCE REGISTER'), filed.reference).toBe(flagged);
      const page = await (await fetch(link('ad-hoc-assessment'))).text();
      expect(page.includes('does not bear out'), filed.reference).toBe(flagged);
    }
    expect((await w.sscEmail(unknown.reference)).email.body.text).toContain('no provider named Nowhere Hosting Ltd');
    // The entries written under the providers are no cases: the User's list holds its four cases and nothing else.
    const listed = (await (await w.ctx.api('user').get('/notifications')).json()) as { items: Array<{ reference: string }> };
    expect(listed.items.map((c) => c.reference).sort()).toEqual([approved, unknown, expired, rejected].map((c) => c.reference).sort());

    // A second Harbour case, withdrawn: no longer open, so not told.
    const withdrawn = await w.submit();
    await w.waitForStatus(withdrawn.reference, 'AwaitingSscDecision');
    expect((await w.post(`/notifications/${withdrawn.reference}/withdrawal`, { reason: 'Procurement cancelled.' })).status).toBe(202);
    await w.waitForStatus(withdrawn.reference, 'Withdrawn');

    // SECAS records a new outcome for Harbour: Rejected.
    const recorded = await recordOutcome(harbour.providerId, { reference: 'USA-SR-2026-050', assessedOn: today(), assuranceStatus: 'Rejected', validUntil });
    expect(recorded.status).toBe(201);
    const provider = (await recorded.json()) as Record<string, any>;
    expect(provider.audit.at(-1)).toMatchObject({
      action: 'assessment-recorded',
      officer,
      assessmentReference: 'USA-SR-2026-050',
      notifiedCases: [approved.reference],
    });
    const told = await w.emailTo(approved.user, `Shared Resource assessment Rejected: Harbour Shared Services plc (${approved.reference})`);
    expect(told.body.text).toContain('SEC G10.8');
    expect(told.body.text).toContain('USA-SR-2026-050');
    const alert = await w.emailTo(w.ctx.secasAddress, '[REJECTED] Shared Resource Provider Harbour Shared Services plc: 1 open case employ');
    expect(alert.destination.to).toEqual([w.ctx.secasAddress, w.ctx.sscAddress]);
    expect(alert.body.text).toContain(approved.reference);
    expect(alert.body.text).not.toContain(withdrawn.reference);
    expect((await emailsTo(w.ctx.sandbox.sesUrl, withdrawn.user)).filter((e) => e.subject.startsWith('Shared Resource assessment'))).toEqual([]);
    // Users of other providers' cases are not told.
    for (const other of [unknown, expired, rejected])
      expect((await emailsTo(w.ctx.sandbox.sesUrl, other.user)).filter((e) => e.subject.startsWith('Shared Resource assessment'))).toEqual([]);

    // An Approved outcome tells the Users, and alerts nobody.
    const alertsBefore = (await emailsTo(w.ctx.sandbox.sesUrl, w.ctx.secasAddress)).filter((e) => e.subject.includes('Shared Resource Provider')).length;
    expect((await recordOutcome(marsh.providerId, { reference: 'USA-SR-2026-051', assessedOn: today(), assuranceStatus: 'Approved', validUntil })).status).toBe(
      201,
    );
    await w.emailTo(rejected.user, `Shared Resource assessment Approved: Marsh Cloud (${rejected.reference})`);
    expect((await emailsTo(w.ctx.sandbox.sesUrl, w.ctx.secasAddress)).filter((e) => e.subject.includes('Shared Resource Provider'))).toHaveLength(alertsBefore);
    // A notice filed now against Marsh's new Approved outcome supports deferral.
    const after = await w.submit(naming('Marsh Cloud', 'USA-SR-2026-051'));
    expect((await w.waitForStatus(after.reference, 'AwaitingSscDecision')).triage).toMatchObject({ recommendation: 'DeferToAnnualReview' });
  });

  it('reaches the cases filed before the register kept their entries, once backfilled after the deploy: open ones only, and once', async () => {
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject('dynamodbUrl') }));
    const table = w.ctx.sandbox.tableName;
    const ridgeway = await recordProvider('Ridgeway Hosting Ltd');
    const open = await w.submit(naming('Ridgeway Hosting Ltd', 'USA-SR-2026-060'));
    const ended = await w.submit(naming('Ridgeway Hosting Ltd', 'USA-SR-2026-060'));
    await w.waitForStatus(open.reference, 'AwaitingSscDecision');
    await w.waitForStatus(ended.reference, 'AwaitingSscDecision');
    expect((await w.post(`/notifications/${ended.reference}/withdrawal`, { reason: 'Procurement cancelled.' })).status).toBe(202);
    await w.waitForStatus(ended.reference, 'Withdrawn');
    // As v1.1.0 stored them: no entry under the provider.
    const entryKey = (reference: string) => ({ pk: `PROVIDER#${ridgeway.providerId}`, sk: `CASE#${reference}` });
    const entry = async (reference: string) =>
      (await documents.send(new GetCommand({ TableName: table, Key: entryKey(reference), ConsistentRead: true }))).Item;
    for (const c of [open, ended]) {
      expect(await entry(c.reference), c.reference).toBeDefined();
      await documents.send(new DeleteCommand({ TableName: table, Key: entryKey(c.reference) }));
    }

    const first = await backfillProviderEmployments(documents, table);
    expect(first.written).toEqual([open.reference]);
    expect(first.read).toBeGreaterThanOrEqual(first.naming);
    expect(await entry(open.reference)).toEqual({ ...entryKey(open.reference), reference: open.reference });
    expect(await entry(ended.reference)).toBeUndefined();
    // Again: every open case has its entry, nothing is written.
    const second = await backfillProviderEmployments(documents, table);
    expect(second.written).toEqual([]);
    expect(second.naming).toBe(first.naming);

    expect(
      (
        await recordOutcome(ridgeway.providerId, {
          reference: 'USA-SR-2026-061',
          assessedOn: today(),
          assuranceStatus: 'Approved',
          validUntil: addMonths(today(), 12),
        })
      ).status,
    ).toBe(201);
    await w.emailTo(open.user, `Shared Resource assessment Approved: Ridgeway Hosting Ltd (${open.reference})`);
    expect((await emailsTo(w.ctx.sandbox.sesUrl, ended.user)).filter((e) => e.subject.startsWith('Shared Resource assessment'))).toEqual([]);
  });
});
