import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { notificationDateRules, windowOf } from '../../functions/domain/admission';
import { ChangeKind, PartyCategory, UserRole } from '../../functions/domain/notification';
import { addMonths, londonDate } from '../../functions/domain/working-days';
import { waitUntil } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * Whatever the API accepts, the workflow carries: notifications generated across every field the
 * schema admits — every date at either edge of its window or between, texts at their maximum in
 * multi-byte characters, every operator and User ID shape — are each accepted and run to their
 * first wait (the SSC's decision, its email sent, the execution running in AwaitSscDecision).
 */
const w = useWorkflow();

const today = () => londonDate(new Date());
const plusDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A field's window as the server will see it: near midnight in London the server's "today" may be
 * tomorrow by the time it checks, which moves a lower edge later, so lower edges are taken from ten
 * minutes ahead.
 */
const windowFor = (pointer: string) => {
  const rule = notificationDateRules.find((r) => r.pointer === pointer) as (typeof notificationDateRules)[number];
  return { notBefore: windowOf(rule, londonDate(new Date(Date.now() + 10 * 60_000))).notBefore, notAfter: windowOf(rule, today()).notAfter };
};

/** A date in [from, to]: either edge, or anywhere between. */
const dateIn = (from: string, to: string) => {
  const span = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
  return fc.oneof(
    fc.constant(from),
    fc.constant(to),
    fc.integer({ min: 0, max: span }).map((d) => plusDays(from, d)),
  );
};

/** Text the schema takes: 1 to `max` characters (code points) after trimming, often at the maximum in 3-byte or 4-byte characters. */
const text = (max: number) =>
  fc.oneof(
    fc
      .string({ minLength: 1, maxLength: Math.min(max, 40) })
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
    fc.constantFrom('語', 'é', 'x').map((c) => c.repeat(max)),
    fc.constant('🦄'.repeat(max)),
    fc.constant(`<script>alert(1)</script>${'\r\n'}Bcc: x@y`.slice(0, max)),
  );

const eui64 = fc
  .array(fc.integer({ min: 0, max: 255 }), { minLength: 8, maxLength: 8 })
  .chain((bytes) => fc.constantFrom('', '-', ':').map((sep) => bytes.map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(sep)));

const notification = fc
  .record({
    party: fc.record({ id: text(64), name: text(200), category: fc.constantFrom(...PartyCategory.options) }),
    userRoles: fc.uniqueArray(fc.constantFrom(...UserRole.options), { minLength: 1, maxLength: UserRole.options.length }),
    contact: fc.record({
      name: text(200),
      email: fc
        .stringMatching(/^[a-z][a-z0-9]{0,15}(\.[a-z0-9]{1,8})?$/)
        .map((local) => `${local}+${Math.random().toString(36).slice(2, 8)}@northwold.example.co.uk`),
    }),
    fusa: fc.constant(null).chain(() => {
      const win = windowFor('/existingUserSystem/fullUserSecurityAssessmentCompletedOn');
      return dateIn(win.notBefore, win.notAfter);
    }),
    review: fc.constant(null).chain(() => {
      const win = windowFor('/existingUserSystem/nextAnnualReviewOn');
      return dateIn(win.notBefore, win.notAfter);
    }),
    live: fc.constant(null).chain(() => {
      const win = windowFor('/newUserSystem/plannedLiveOn');
      return dateIn(win.notBefore, win.notAfter);
    }),
    existingName: text(200),
    name: text(200),
    purpose: text(2000),
    security: text(10_000),
    operator: fc.oneof(
      fc.constant({ kind: 'InHouse' }),
      fc.record({
        kind: fc.constant('SharedResourceProvider'),
        providerName: text(200),
        priorAssessment: fc.option(
          fc.record({
            reference: text(100),
            completedOn: fc.constant(null).chain(() => {
              const win = windowFor('/newUserSystem/operator/priorAssessment/completedOn');
              return dateIn(win.notBefore, win.notAfter);
            }),
            assessedAs: fc.constantFrom('SharedResource', 'User'),
          }),
          { nil: undefined },
        ),
      }),
    ),
    userIds: fc.oneof(
      fc.constant({ approach: 'Existing' }),
      fc.record({ approach: fc.constant('New'), userIds: fc.option(fc.array(eui64, { minLength: 1, maxLength: 20 }), { nil: undefined }) }),
    ),
    alreadyInUse: fc.boolean(),
    change: fc.option(fc.constantFrom(...ChangeKind.options), { nil: undefined }),
    withheldDetails: fc.option(text(4000), { nil: undefined }),
  })
  .chain((n) => {
    const from = windowFor('/newUserSystem/plannedProcurementOn').notBefore;
    return dateIn(from, n.live).map((procurement) => ({ ...n, procurement }));
  })
  .map((n) => {
    const operator =
      n.operator.kind === 'SharedResourceProvider' && 'priorAssessment' in n.operator && n.operator.priorAssessment === undefined
        ? { kind: n.operator.kind, providerName: n.operator.providerName }
        : n.operator;
    const userIds = n.userIds.approach === 'New' && 'userIds' in n.userIds && n.userIds.userIds === undefined ? { approach: 'New' } : n.userIds;
    return {
      party: n.party,
      userRoles: n.userRoles,
      contact: n.contact,
      existingUserSystem: { name: n.existingName, fullUserSecurityAssessmentCompletedOn: n.fusa, nextAnnualReviewOn: n.review },
      newUserSystem: {
        ...(n.change !== undefined ? { change: n.change } : {}),
        name: n.name,
        purpose: n.purpose,
        operator,
        userIds,
        securityArchitectureSummary: n.security,
        plannedProcurementOn: n.procurement,
        plannedLiveOn: n.live,
        alreadyInUse: n.alreadyInUse,
      },
      ...(n.withheldDetails !== undefined ? { withheldDetails: n.withheldDetails } : {}),
    };
  });

describe('accepted inputs', () => {
  it('are each carried to the first wait: 100 generated notifications, edges included', async () => {
    const seen = { accepted: 0, late: 0, edgeDates: 0, componentChanges: 0 };
    await fc.assert(
      fc.asyncProperty(notification, async (body) => {
        const response = await w.post('/notifications', body);
        expect(response.status, await response.clone().text()).toBe(201);
        const { reference, late } = (await response.json()) as { reference: string; late: boolean };
        seen.accepted++;
        if (late) seen.late++;
        const edges = [body.existingUserSystem.nextAnnualReviewOn, body.newUserSystem.plannedLiveOn].filter(
          (d) => d === today() || d === addMonths(today(), 13) || d === addMonths(today(), 36),
        );
        seen.edgeDates += edges.length;
        const c = await waitUntil(async () => {
          const view = await w.getCase(reference);
          return view.deadline?.wait === 'SscDecision' && view.history.some((e: { type: string }) => e.type === 'SscDecisionRequested') ? view : undefined;
        }, `${reference} to wait for the SSC`);
        expect(c.status).toBe('AwaitingSscDecision');
        // A notice of changed components is carried the same way, the SSC offered out of scope.
        if (body.newUserSystem.change === 'ComponentsOfExistingUserSystem') {
          seen.componentChanges++;
          expect(c.triage.recommendation).toBe('OutOfScope');
        }
        const execution = w.execution(reference);
        expect(execution?.status).toBe('RUNNING');
        const entered = execution?.history.filter((h) => h.type.endsWith('StateEntered')).at(-1)?.stateEnteredEventDetails as { name: string };
        expect(entered.name).toBe('AwaitSscDecision');
      }),
      { numRuns: 100 },
    );
    expect(seen.accepted).toBe(100);
    expect(seen.edgeDates).toBeGreaterThan(0);
    expect(seen.componentChanges).toBeGreaterThan(0);
    process.stdout.write(
      `accepted inputs: ${seen.accepted} accepted and carried to AwaitSscDecision (${seen.late} late, ${seen.edgeDates} dates on a window's edge, ${seen.componentChanges} component changes)\n`,
    );
  }, 180_000);
});
