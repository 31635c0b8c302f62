import { readDisposal } from '../adapters/case-disposal';
import { chainsToAnchor, getCaseOwner } from '../adapters/cases-repository';
import { latestAnchor, putAnchor } from '../adapters/history-anchors';
import { businessMetric, logger } from '../adapters/powertools';
import { type ChainHead, nextAnchoredHead } from '../domain/history-chain';

/**
 * Writes today's anchor: every case's head, as it stands at `now`, to the bucket no table writer
 * can write; but a case whose history no longer holds the head the previous anchor recorded keeps
 * that head (nextAnchoredHead), and is counted and logged for SECAS to look into; so is a case
 * gone from the table without a disposal record (case-disposal.ts) that holds its anchored head.
 */
export const anchorCaseHistories = async (now: Date): Promise<{ key: string; cases: number; broken: number }> => {
  const previous = await latestAnchor();
  const heads: Record<string, ChainHead> = {};
  let broken = 0;
  for await (const { reference, history, head, salt } of chainsToAnchor()) {
    const anchored = previous?.heads[reference];
    const next = nextAnchoredHead(reference, history, head, salt, anchored && previous && { ...anchored, at: previous.at });
    heads[reference] = next.head;
    if (next.broken) {
      broken++;
      logger.error("A case's history no longer holds its anchored head: that head is anchored again", { reference, broken: next.broken });
    }
  }
  // A case the previous anchor held that the index no longer finds: disposed of (its record holding the head
  // anchored), or still there (its item read by key; held to its head tomorrow); otherwise deleted outside the product.
  for (const [reference, anchored] of Object.entries(previous?.heads ?? {})) {
    if (reference in heads) continue;
    const disposal = (await readDisposal(reference))?.disposal;
    if (disposal && [disposal.finalHead.hash, disposal.anchored.hash].includes(anchored.hash)) continue;
    heads[reference] = anchored;
    if (await getCaseOwner(reference)) continue;
    broken++;
    logger.error('A case anchored before is gone without a disposal record holding its head: that head is anchored again', { reference });
  }
  // Every run, none found included: the alarm on it (OperationsMonitoring) stays on while a break is anchored over.
  businessMetric('BrokenHistories', {}, broken);
  const key = await putAnchor({ at: now.toISOString(), heads });
  return { key, cases: Object.keys(heads).length, broken };
};
