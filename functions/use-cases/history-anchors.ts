import { readDisposal } from '../adapters/case-disposal';
import { type ChainToAnchor, casePartition, chainEvidenceOf, chainsToAnchor } from '../adapters/cases-repository';
import { anchoredHeadIn, latestAnchor, putAnchor } from '../adapters/history-anchors';
import { businessMetric, logger } from '../adapters/powertools';
import { type AnchoredHead, type ChainHead, nextAnchoredHead } from '../domain/history-chain';

/**
 * Whether the case's destruction is under way (case-disposal.ts): its disposal record names the
 * head its item still holds, which the previous anchor held. Its history pages go before its
 * item, so its chain no longer holds that head, and that is no break.
 */
const disposalUnderWay = async (reference: string, head: ChainHead | undefined, anchored: AnchoredHead): Promise<boolean> => {
  const disposal = (await readDisposal(reference))?.disposal;
  return disposal !== undefined && head?.hash === disposal.finalHead.hash && [disposal.finalHead.hash, disposal.anchored.hash].includes(anchored.hash);
};

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
  const hold = async ({ reference, history, head, salt }: ChainToAnchor): Promise<void> => {
    const anchored = anchoredHeadIn(previous, reference);
    const next = nextAnchoredHead(reference, history, head, salt, anchored);
    heads[reference] = next.head;
    if (!next.broken || (anchored && (await disposalUnderWay(reference, head, anchored)))) return;
    broken++;
    logger.error("A case's history no longer holds its anchored head: that head is anchored again", { reference, broken: next.broken });
  };
  for await (const chain of chainsToAnchor()) await hold(chain);
  // A case the previous anchor held that the index no longer finds: disposed of (its record holding the head
  // anchored); still in the table, out of the index (read by key, and held to that head as the others);
  // otherwise deleted outside the product.
  for (const [reference, anchored] of Object.entries(previous?.heads ?? {})) {
    if (reference in heads) continue;
    const disposal = (await readDisposal(reference))?.disposal;
    if (disposal && [disposal.finalHead.hash, disposal.anchored.hash].includes(anchored.hash)) continue;
    const evidence = chainEvidenceOf(reference, await casePartition(reference));
    if (evidence) {
      logger.warn('A case anchored before is not in the status index: checked by key', { reference });
      await hold({
        reference,
        history: evidence.history,
        ...(evidence.head ? { head: evidence.head } : {}),
        ...(evidence.salt ? { salt: evidence.salt } : {}),
      });
      continue;
    }
    heads[reference] = anchored;
    broken++;
    logger.error('A case anchored before is gone without a disposal record holding its head: that head is anchored again', { reference });
  }
  // Every run, none found included: the alarm on it (OperationsMonitoring) stays on while a break is anchored over.
  businessMetric('BrokenHistories', {}, broken);
  const key = await putAnchor({ at: now.toISOString(), heads });
  return { key, cases: Object.keys(heads).length, broken };
};
