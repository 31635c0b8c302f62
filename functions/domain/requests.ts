import * as z from 'zod';
import { AssuranceStatus, CaseStatus } from './case';
import { line, text } from './text';

/** Bodies of the case actions. Like the notification, these schemas are the API's contract. */

export const InformationAnswer = z
  .strictObject({ answer: text(10_000).describe("The User's answer to the SSC's question") })
  .describe('POST /notifications/{reference}/information');
export type InformationAnswer = z.infer<typeof InformationAnswer>;

export const WithdrawalRequest = z
  .strictObject({ reason: text(2000).optional().describe('Why the User withdraws the notification') })
  .describe('POST /notifications/{reference}/withdrawal');
export type WithdrawalRequest = z.infer<typeof WithdrawalRequest>;

export const AssessmentScheduleRecord = z
  .strictObject({ scheduledOn: z.iso.date().describe('When the User CIO will carry out the ad-hoc User Security Assessment') })
  .describe('SECAS records the date of the ad-hoc assessment');

/** What every outcome says besides its assurance status and conditions. */
const outcomeFields = { reportReference: line(200).optional(), completedOn: z.iso.date() };

export const AssessmentOutcomeRecord = z
  .strictObject({
    // Conditions are required for ApprovedSubjectTo: one shape per status, so JSON Schema says so too (oneOf).
    outcome: z
      .discriminatedUnion(
        'assuranceStatus',
        [
          z.strictObject({
            assuranceStatus: z.literal('ApprovedSubjectTo'),
            conditions: text(10_000, 'conditions are required for ApprovedSubjectTo').describe('The conditions the approval is subject to'),
            ...outcomeFields,
          }),
          z.strictObject({ assuranceStatus: AssuranceStatus.exclude(['ApprovedSubjectTo']), conditions: text(10_000).optional(), ...outcomeFields }),
        ],
        { error: `must be one of ${AssuranceStatus.options.join(', ')}` },
      )
      .describe('The outcome. conditions are required when assuranceStatus is ApprovedSubjectTo'),
  })
  .describe('SECAS records the outcome of the ad-hoc assessment (SEC G8.34 assurance status)');

/** The date, or the outcome: exactly one of them (oneOf), a body with both refused naming each. */
export const AssessmentRecord = z.xor([AssessmentScheduleRecord, AssessmentOutcomeRecord]).describe('POST /notifications/{reference}/assessment');
export type AssessmentRecord = z.infer<typeof AssessmentRecord>;

/** GET /notifications: newest first, a page at a time. */
export const ListQuery = z
  .strictObject({
    limit: z
      .string()
      // Plain decimal digits only: Number() would also take 0x10, 1e2, +7, ' 7' or '7.0'.
      .regex(/^[0-9]{1,3}$/, 'must be a whole number written in decimal digits, 1 to 100')
      .transform(Number)
      .pipe(z.int().min(1).max(100))
      .default(25)
      .describe('Cases per page, 1 to 100 (25 when not given), in decimal digits'),
    cursor: z.string().max(2000).optional().describe('The `next` link of the previous page carries it'),
    status: CaseStatus.optional().describe('Only cases in this status'),
    owner: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be an OAuth client id: 1 to 128 letters, digits, _ or -')
      .optional()
      .describe("SECAS only: one User's cases (its OAuth client id)"),
  })
  .describe('GET /notifications');
export type ListQuery = z.infer<typeof ListQuery>;

export const CaseFileQuery = z
  .strictObject({
    format: z
      .enum(['json', 'html'])
      .optional()
      .describe(
        '`html`: the printable page; `json`: the document. Without it, the Accept header decides: text/html named before application/json gives the page, anything else JSON',
      ),
  })
  .describe('GET /notifications/{reference}/case-file');
