import * as z from 'zod';
import { FINAL_STATUSES } from './case';
import { Problem } from './problem';
import { dateInWords } from './wording';
import { londonDate } from './working-days';

/**
 * The end of a case's retention: once its decision record's period has run out, the case is
 * destroyed, item by item, and a disposal record (its tombstone, in its own partition) says that
 * it was, when, under which schedule, and the head its history was verified at just before. The
 * record holds no personal data (personal-data.ts classes): the reference, the final status, dates,
 * the period and the chain's hashes; the owner's client id is kept beside it, so that only the owner
 * and SECAS learn the case existed.
 */

const Head = z.strictObject({ seq: z.int().min(1), hash: z.string() });

export const CaseDisposal = z
  .strictObject({
    reference: z.string(),
    finalStatus: z.enum(FINAL_STATUSES).describe('The status the case ended in'),
    endedAt: z.iso.datetime().describe("When the case ended (its last event before the retention schedule's own)"),
    disposedAt: z.iso.datetime().describe('When it was disposed of'),
    retention: z
      .strictObject({
        months: z.int().describe("The decision record's period: whole months after the case ended"),
        source: z.enum(['default', 'secas']).describe("The schedule in force: the deployment's default, or SECAS's"),
        version: z.int().min(1).optional().describe("The version of SECAS's schedule, when it was SECAS's"),
      })
      .describe('The retention schedule it was disposed of under'),
    finalHead: Head.extend({ events: z.int().min(1).describe('How many events its history held') }).describe(
      'The last chained event of its history, as verified before disposal',
    ),
    anchored: Head.extend({ at: z.iso.datetime().describe('The anchor the head was verified against') }).describe(
      'The head the latest anchor (in the Object-Locked bucket) held for it, which the history matched',
    ),
  })
  .describe("A disposed case's record: when and under what it was disposed of, and its final verified head");
export type CaseDisposal = z.infer<typeof CaseDisposal>;

/** The schedule's words for a period: "84 months after it ended on 6 December 2026". */
export const periodInWords = (disposal: Pick<CaseDisposal, 'retention' | 'endedAt'>): string =>
  `${disposal.retention.months} months after it ended on ${dateInWords(londonDate(new Date(disposal.endedAt)))}`;

const scheduleInWords = ({ source, version }: CaseDisposal['retention']): string =>
  source === 'secas' ? `SECAS's retention schedule (version ${version})` : "the deployment's default retention schedule";

/** The 410 its owner and SECAS get for a disposed case, whatever they asked of it: when, under what, and its final head. */
export const caseGone = (disposal: CaseDisposal): Problem =>
  new Problem(
    410,
    'gone',
    'Disposed of',
    `Case ${disposal.reference} was disposed of on ${dateInWords(londonDate(new Date(disposal.disposedAt)))} at the end of its decision record's retention period under ${scheduleInWords(disposal.retention)}: ${periodInWords(disposal)}. Its history was verified before (final event ${disposal.finalHead.seq}).`,
    { disposal },
  );
