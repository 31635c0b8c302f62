import { destroyCase, disposalIn, recordDisposal } from '../adapters/case-disposal';
import { casePartition } from '../adapters/cases-repository';
import { type Anchor, anchoredHeadIn } from '../adapters/history-anchors';
import { logger } from '../adapters/powertools';
import { type CaseStatus, isFinal } from '../domain/case';
import type { CaseDisposal } from '../domain/disposal';
import type { NotificationSubmission } from '../domain/notification';
import { providerOf } from './submit-notification';
import { verifyPartition } from './verify-history';

/** What the daily run did with the cases whose decision record's period has run out. */
export interface DisposalRun {
  /** Cases destroyed, their disposal record left in their place (a run cut short counts when the next finishes it). */
  disposed: number;
  /** Cases due whose history did not verify against the latest anchor: left whole for SECAS to investigate. */
  unverifiable: number;
  /** Cases due that no anchor holds (or with no chained head yet): left until one does. */
  unanchored: number;
}

/**
 * Disposes of one ended case past its decision record's period: its history is verified against
 * the latest anchor first, and a case that does not verify is left as it is (disposing of it would
 * destroy the evidence of its tampering); then its disposal record is written, with the head
 * verified, and the case destroyed, the case item last. A case whose record is written already
 * (a run cut short) is not verified again, its destruction having begun: it is finished.
 */
const disposeOf = async (
  reference: string,
  endedAt: string,
  retention: CaseDisposal['retention'],
  anchor: () => Promise<Anchor | undefined>,
  now: Date,
): Promise<keyof DisposalRun | undefined> => {
  const items = await casePartition(reference);
  const caseItem = items.find((i) => i.sk === 'CASE');
  if (!caseItem || !isFinal(caseItem.status as CaseStatus)) return undefined;
  let stored = disposalIn(items);
  if (!stored) {
    const report = await verifyPartition(reference, items, async (ref) => anchoredHeadIn(await anchor(), ref));
    if (!report?.ok) {
      logger.error('case past its decision record period left undisposed: its history does not verify', { reference, broken: report?.broken });
      return 'unverifiable';
    }
    if (!report.head || !report.anchored) {
      logger.warn('case past its decision record period left undisposed: no anchor holds its head yet', { reference });
      return 'unanchored';
    }
    const written = await recordDisposal({
      ownerId: String(caseItem.ownerId),
      disposal: {
        reference,
        finalStatus: caseItem.status as CaseDisposal['finalStatus'],
        endedAt,
        disposedAt: now.toISOString(),
        retention,
        finalHead: { ...report.head, events: report.events },
        anchored: report.anchored,
      },
    });
    // A record already there that does not name this head (or does not parse) was not written by this task: a break, not a disposal.
    if (written?.disposal.finalHead.hash !== report.head.hash) {
      logger.error('case past its decision record period left undisposed: a disposal record not its own is in its partition', { reference });
      return 'unverifiable';
    }
    stored = written;
  }
  const deleted = await destroyCase(reference, stored.disposal.finalStatus, providerOf(caseItem.submission as NotificationSubmission));
  if (deleted === 'moved-on') {
    logger.error('case being disposed of no longer holds its final status: left for SECAS', { reference, finalStatus: stored.disposal.finalStatus });
    return undefined;
  }
  logger.info('case disposed of', { reference, itemsDeleted: deleted });
  return 'disposed';
};

/**
 * Disposes of each of the ended cases whose decision record's period has run out, one after
 * another, against the latest anchor, read once for the run (latestAnchorOnce) when the first needs it.
 */
export const disposeOfExpiredCases = async (
  expired: ReadonlyArray<{ reference: string; endedAt: string }>,
  retention: CaseDisposal['retention'],
  anchor: () => Promise<Anchor | undefined>,
  now: Date,
): Promise<DisposalRun> => {
  const run: DisposalRun = { disposed: 0, unverifiable: 0, unanchored: 0 };
  for (const { reference, endedAt } of expired) {
    const outcome = await disposeOf(reference, endedAt, retention, anchor, now);
    if (outcome) run[outcome]++;
  }
  return run;
};
