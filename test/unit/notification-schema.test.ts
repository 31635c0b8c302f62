import { describe, expect, it } from 'vitest';
import { NotificationSubmission } from '../../functions/domain/notification';
import { validationProblem } from '../../functions/domain/problem';
import { fixture } from '../support/fixtures';

const pointersOf = (body: unknown) => {
  const result = NotificationSubmission.safeParse(body);
  if (result.success) return [];
  return validationProblem(result.error).errors?.map((e) => e.pointer) ?? [];
};

const today = '2026-11-24';

describe('NotificationSubmission', () => {
  it('accepts the sample notification', () => {
    expect(NotificationSubmission.safeParse(fixture(today)).success).toBe(true);
  });

  it('names every missing field by its JSON pointer', () => {
    const body = fixture(today);
    delete body.contact.email;
    delete body.newUserSystem.plannedLiveOn;
    expect(pointersOf(body)).toEqual(expect.arrayContaining(['/contact/email', '/newUserSystem/plannedLiveOn']));
  });

  it('rejects unknown fields, naming each', () => {
    const body = fixture(today);
    body.sneaky = 1;
    body.party.extra = 'x';
    expect(pointersOf(body)).toEqual(expect.arrayContaining(['/sneaky', '/party/extra']));
  });

  it.each([
    ['a live date before procurement', (b: any) => (b.newUserSystem.plannedLiveOn = '2027-01-01'), '/newUserSystem/plannedLiveOn'],
    ['a repeated User Role', (b: any) => (b.userRoles = ['ImportSupplier', 'ImportSupplier']), '/userRoles'],
    ['an unknown User Role', (b: any) => (b.userRoles = ['Supplier']), '/userRoles/0'],
    ['an invalid contact email', (b: any) => (b.contact.email = 'not-an-address'), '/contact/email'],
    ['a date in the wrong format', (b: any) => (b.newUserSystem.plannedLiveOn = '05/04/2027'), '/newUserSystem/plannedLiveOn'],
    ['an impossible date', (b: any) => (b.newUserSystem.plannedLiveOn = '2027-02-30'), '/newUserSystem/plannedLiveOn'],
    ['a malformed EUI-64 User ID', (b: any) => (b.newUserSystem.userIds = { approach: 'New', userIds: ['00-11-22'] }), '/newUserSystem/userIds/userIds/0'],
    ['a string where a boolean belongs', (b: any) => (b.newUserSystem.alreadyInUse = 'no'), '/newUserSystem/alreadyInUse'],
    ['an unknown operator kind', (b: any) => (b.newUserSystem.operator = { kind: 'Outsourced' }), '/newUserSystem/operator/kind'],
    ['a blank system name', (b: any) => (b.newUserSystem.name = '   '), '/newUserSystem/name'],
  ])('rejects %s', (_, mutate, pointer) => {
    const body = fixture(today);
    mutate(body);
    expect(pointersOf(body)).toContain(pointer);
  });

  it('accepts new User IDs given as EUI-64 in either notation', () => {
    const body = fixture(today);
    body.newUserSystem.userIds = { approach: 'New', userIds: ['90B1110000000001', '90-B1-11-00-00-00-00-02'] };
    expect(NotificationSubmission.safeParse(body).success).toBe(true);
  });

  it('accepts an in-house system with no provider fields', () => {
    const body = fixture(today);
    body.newUserSystem.operator = { kind: 'InHouse' };
    expect(NotificationSubmission.safeParse(body).success).toBe(true);
  });
});
