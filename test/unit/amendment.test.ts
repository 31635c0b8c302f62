import { describe, expect, it } from 'vitest';
import {
  afterDecisionRefusal,
  amendNotice,
  changesSince,
  etagOf,
  fieldChanges,
  mergePatch,
  unknownFields,
  versionNamed,
} from '../../functions/domain/amendment';
import { NotificationSubmission } from '../../functions/domain/notification';
import { fixture } from '../support/fixtures';

const today = '2026-12-07';
const filed = (): NotificationSubmission => NotificationSubmission.parse(fixture(today));

describe('mergePatch (RFC 7396)', () => {
  // The examples of RFC 7396 Appendix A, each [target, patch, result].
  const examples: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  it.each(examples)('patches %j with %j', (target, patch, result) => {
    expect(mergePatch(target as never, patch as never)).toEqual(result);
  });

  it('leaves the target as it was', () => {
    const target = { a: { b: 'c' } };
    mergePatch(target, { a: { b: null } });
    expect(target).toEqual({ a: { b: 'c' } });
  });
});

describe('unknownFields', () => {
  it('names every key the notification does not have, at any depth, null or not', () => {
    expect(unknownFields({ newUserSystem: { operator: { providerNme: 'x' }, plannedLiveOn: '2027-01-01' }, extra: null, party: { name: 'P' } })).toEqual([
      { pointer: '/newUserSystem/operator/providerNme', detail: expect.stringContaining('unknown field') },
      { pointer: '/extra', detail: expect.stringContaining('unknown field') },
    ]);
  });

  it("knows every union branch's fields (a provider's, a new User ID approach's) and escapes pointers", () => {
    expect(unknownFields({ newUserSystem: { operator: { providerName: null, priorAssessment: { reference: 'R' } }, userIds: { userIds: [] } } })).toEqual([]);
    expect(unknownFields({ 'a/b': 1, '~': 2 }).map((e) => e.pointer)).toEqual(['/a~1b', '/~0']);
  });
});

describe('fieldChanges', () => {
  it('lists each changed leaf with its value before and after, a removed field with no after', () => {
    const before = filed();
    const after = structuredClone(before) as Record<string, any>;
    after.newUserSystem.plannedLiveOn = '2027-09-01';
    delete after.newUserSystem.operator.priorAssessment;
    after.withheldDetails = 'Hosting details withheld.';
    expect(fieldChanges(before, after)).toEqual([
      {
        field: '/newUserSystem/operator/priorAssessment',
        before: before.newUserSystem.operator.kind === 'SharedResourceProvider' ? before.newUserSystem.operator.priorAssessment : undefined,
      },
      { field: '/newUserSystem/plannedLiveOn', before: before.newUserSystem.plannedLiveOn, after: '2027-09-01' },
      { field: '/withheldDetails', after: 'Hosting details withheld.' },
    ]);
  });

  it('takes an operator that changes kind as one change, and arrays as wholes', () => {
    const before = filed();
    const after = structuredClone(before) as Record<string, any>;
    after.newUserSystem.operator = { kind: 'InHouse' };
    after.userRoles = [...before.userRoles].reverse();
    expect(fieldChanges(before, after).map((c) => c.field)).toEqual(['/userRoles', '/newUserSystem/operator']);
  });

  it('finds nothing between equal notices', () => {
    expect(fieldChanges(filed(), filed())).toEqual([]);
  });
});

describe('amendNotice', () => {
  it('applies a patch and says what it changed', () => {
    const outcome = amendNotice(filed(), { newUserSystem: { name: '  Harbour Portal II  ' } }, today);
    expect(outcome.ok && outcome.submission.newUserSystem.name).toBe('Harbour Portal II');
    expect(outcome.ok && outcome.changes).toEqual([{ field: '/newUserSystem/name', before: filed().newUserSystem.name, after: 'Harbour Portal II' }]);
  });

  it('refuses an unknown field, even one only removed, naming it', () => {
    const outcome = amendNotice(filed(), { newUserSystem: { colour: null } }, today);
    expect(!outcome.ok && outcome.problem.status).toBe(422);
    expect(!outcome.ok && outcome.problem.errors?.map((e) => e.pointer)).toEqual(['/newUserSystem/colour']);
  });

  it('refuses, as intake does, a required field removed, a text too long, a live date before procurement', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ contact: { email: null } }, '/contact/email'],
      [{ newUserSystem: { name: '界'.repeat(201) } }, '/newUserSystem/name'],
      [{ newUserSystem: { plannedLiveOn: '2026-12-08', plannedProcurementOn: '2027-01-01' } }, '/newUserSystem/plannedLiveOn'],
      [{ userRoles: ['ImportSupplier', 'ImportSupplier'] }, '/userRoles'],
      [{ newUserSystem: { operator: { kind: 'InHouse' } } }, '/newUserSystem/operator/providerName'],
    ];
    for (const [patch, pointer] of cases) {
      const outcome = amendNotice(filed(), patch, today);
      expect(!outcome.ok && outcome.problem.status, JSON.stringify(patch)).toBe(422);
      expect(!outcome.ok && outcome.problem.errors?.map((e) => e.pointer), JSON.stringify(patch)).toContain(pointer);
    }
  });

  it("holds a changed date to intake's window on today, and leaves unchanged ones as admitted", () => {
    const far = amendNotice(filed(), { newUserSystem: { plannedLiveOn: '2035-01-01' } }, today);
    expect(!far.ok && far.problem.errors?.map((e) => e.pointer)).toEqual(['/newUserSystem/plannedLiveOn']);
    // A year on, the annual review filed is past its window; moving the live date does not restate it.
    const later = amendNotice(filed(), { newUserSystem: { plannedLiveOn: '2028-02-01' } }, '2027-12-01');
    expect(later.ok).toBe(true);
  });

  it('changes nothing for a patch that restates the notice', () => {
    const outcome = amendNotice(filed(), { party: filed().party }, today);
    expect(outcome.ok && outcome.changes).toEqual([]);
  });
});

describe('ETags', () => {
  it('names a version, quoted, and reads it back; anything else names none, or no version of ours', () => {
    expect(etagOf(3)).toBe('"3"');
    expect(versionNamed('"3"')).toBe(3);
    expect(versionNamed(' "12" ')).toBe(12);
    expect(versionNamed(undefined)).toBeUndefined();
    expect(versionNamed('*')).toBeUndefined();
    for (const other of ['3', 'W/"3"', '"03"', '"0"', '"3", "4"', '"1234567890"']) expect(versionNamed(other), other).toBe(0);
  });
});

describe('after the SSC decision', () => {
  const reference = 'SUS-NF29F-2026-0042';
  const changesOf = (patch: Record<string, unknown>) => {
    const outcome = amendNotice(filed(), patch, today);
    if (!outcome.ok) throw outcome.problem;
    return outcome.changes;
  };

  it('takes dates only', () => {
    expect(
      afterDecisionRefusal(reference, changesOf({ newUserSystem: { plannedLiveOn: '2027-02-01' }, existingUserSystem: { nextAnnualReviewOn: '2027-06-30' } })),
    ).toBeUndefined();
  });

  it('refuses a change of operator, provider or system identity, saying to file a new notification naming the case', () => {
    for (const patch of [
      { newUserSystem: { operator: { kind: 'InHouse', providerName: null, priorAssessment: null } } },
      { newUserSystem: { operator: { providerName: 'Another Provider Ltd' } } },
      { newUserSystem: { name: 'Another system' } },
      { newUserSystem: { userIds: { approach: 'New' } } },
      { party: { id: 'SEC-ORG-9999' } },
    ]) {
      const problem = afterDecisionRefusal(reference, changesOf({ ...patch, newUserSystem: { ...(patch.newUserSystem ?? {}), plannedLiveOn: '2027-02-01' } }));
      expect(problem?.status, JSON.stringify(patch)).toBe(409);
      expect(problem?.message).toContain(`File a new notification, naming ${reference}`);
      expect(problem?.errors?.map((e) => e.pointer).some((p) => !p.includes('plannedLiveOn'))).toBe(true);
    }
  });

  it('refuses any other field, naming it', () => {
    const problem = afterDecisionRefusal(reference, changesOf({ newUserSystem: { purpose: 'Another purpose' } }));
    expect(problem?.status).toBe(409);
    expect(problem?.title).toBe('Only dates can be amended now');
    expect(problem?.errors?.map((e) => e.pointer)).toEqual(['/newUserSystem/purpose']);
  });
});

describe('changesSince', () => {
  const amendments = [
    { version: 2, changes: [{ field: '/a', before: 'x', after: 'y' }] },
    {
      version: 3,
      changes: [
        { field: '/a', before: 'y', after: 'z' },
        { field: '/b', after: 'new' },
      ],
    },
    {
      version: 4,
      changes: [
        { field: '/b', before: 'new' },
        { field: '/c', before: 1, after: 2 },
      ],
    },
  ];
  it('combines the amendments after a version: each field from before the first to after the last, a field back where it was dropped', () => {
    expect(changesSince(amendments, 1)).toEqual([
      { field: '/a', before: 'x', after: 'z' },
      { field: '/c', before: 1, after: 2 },
    ]);
    expect(changesSince(amendments, 2)).toEqual([
      { field: '/a', before: 'y', after: 'z' },
      { field: '/c', before: 1, after: 2 },
    ]);
    expect(changesSince(amendments, 4)).toEqual([]);
  });
});
