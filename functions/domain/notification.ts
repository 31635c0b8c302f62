import * as z from 'zod';
import { line, text } from './text';

/**
 * The notification a User files before it employs a second or subsequent User System
 * (SECMP0057, SEC G3.9). This schema is the single source of truth for the API's types,
 * its validation and its documentation: every field carries its description.
 */

const isoDate = () => z.iso.date().describe('Calendar date, YYYY-MM-DD');

/** SEC Party categories, as in the SECMP0057 impact table. */
export const PartyCategory = z.enum(['LargeSupplier', 'SmallSupplier', 'ElectricityNetwork', 'GasNetwork', 'Other']);

/** User Roles (SEC Sections A and H). */
export const UserRole = z.enum([
  'ImportSupplier',
  'ExportSupplier',
  'GasImportSupplier',
  'GasTransporter',
  'ElectricityDistributor',
  'RegisteredSupplierAgent',
  'OtherUser',
]);

/** A User ID is an EUI-64: 16 hexadecimal digits, optionally in dash- or colon-separated pairs. */
const UserId = z
  .string()
  .regex(/^[0-9A-Fa-f]{2}([-:]?[0-9A-Fa-f]{2}){7}$/, 'must be an EUI-64 (16 hex digits)')
  .describe('User ID (EUI-64)');

export const PriorUserSecurityAssessment = z
  .strictObject({
    reference: line(100).describe('Reference of the User Security Assessment the system already passed'),
    completedOn: isoDate(),
    assessedAs: z.enum(['SharedResource', 'User']).describe('Whether it was assessed as a Shared Resource (SECMP0044) or as part of a User assessment'),
  })
  .describe('A User Security Assessment the new User System already passed');

export const Operator = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('InHouse') }).describe('Run by the User itself'),
  z
    .strictObject({
      kind: z.literal('SharedResourceProvider'),
      providerName: line(200),
      priorAssessment: PriorUserSecurityAssessment.optional(),
    })
    .describe('Provided or operated by a Shared Resource Provider'),
]);

export const UserIdApproach = z.discriminatedUnion('approach', [
  z.strictObject({ approach: z.literal('Existing') }).describe('The new system uses the existing User ID(s)'),
  z
    .strictObject({
      approach: z.literal('New'),
      userIds: z.array(UserId).min(1).max(20).optional().describe('New User IDs, where already allocated'),
    })
    .describe('The new system uses new User ID(s)'),
]);

/**
 * What the notice is about. The SSC's Agreed Interpretations (v1.7, §9) read SEC G3.9 as
 * applying to a new or additional User System, not to changes of individual components of an
 * existing one; a User unsure which it has may notify, and triage then suggests "out of scope".
 */
export const ChangeKind = z
  .enum(['NewOrAdditionalUserSystem', 'ComponentsOfExistingUserSystem'])
  .describe(
    'Whether the notice concerns a new or additional User System (the default) or changes to components of an existing one, which SEC G3.9 does not cover (SSC Agreed Interpretations v1.7, §9)',
  );

export const NotificationSubmission = z
  .strictObject({
    party: z.strictObject({
      id: line(64).describe('SEC Party identifier (the SECAS organisation number or Party Signifier)'),
      name: line(200),
      category: PartyCategory,
    }),
    userRoles: z
      .array(UserRole)
      .min(1)
      .max(UserRole.options.length)
      .refine((roles) => new Set(roles).size === roles.length, 'must not repeat a User Role')
      .meta({ uniqueItems: true })
      .describe('The SEC User Roles it acts in, each at most once'),
    contact: z.strictObject({
      name: line(200),
      email: z.email().max(254),
    }),
    existingUserSystem: z.strictObject({
      name: line(200),
      fullUserSecurityAssessmentCompletedOn: isoDate().describe('When its last Full User Security Assessment completed'),
      nextAnnualReviewOn: isoDate().describe("The User's next annual security review"),
    }),
    newUserSystem: z
      .strictObject({
        change: ChangeKind.optional(),
        name: line(200),
        purpose: text(2000).describe('What the system is for, e.g. a second engagement portal for Domestic customers'),
        operator: Operator,
        userIds: UserIdApproach,
        securityArchitectureSummary: text(10_000),
        plannedProcurementOn: isoDate(),
        plannedLiveOn: isoDate(),
        alreadyInUse: z.boolean().describe('True when the system is already employed: a retrospective notice'),
      })
      .refine((s) => s.plannedProcurementOn <= s.plannedLiveOn, {
        message: 'plannedLiveOn must not be before plannedProcurementOn',
        path: ['plannedLiveOn'],
      })
      .describe('The new User System. plannedLiveOn must not be before plannedProcurementOn'),
    withheldDetails: text(4000).optional().describe('Anything the User declines to disclose about how it will employ the system, and why (seed WG Q2/Q3)'),
  })
  .describe('A notification of a second or subsequent User System');

export type NotificationSubmission = z.infer<typeof NotificationSubmission>;
