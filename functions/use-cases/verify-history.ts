import { disposalIn } from '../adapters/case-disposal';
import { casePartition, chainEvidenceOf } from '../adapters/cases-repository';
import { latestAnchoredHead } from '../adapters/history-anchors';
import { caseGone } from '../domain/disposal';
import { type ChainReport, verifyChain } from '../domain/history-chain';
import { notFound } from '../domain/problem';
import { isReference } from '../domain/reference';

/**
 * Verifies a case's tamper-evident history (history-chain.ts) from the items of its partition,
 * read whole, against the latest anchor that includes it; undefined when the partition holds no
 * case. The verification route and the case file both verify through this; the disposal too,
 * giving the anchor it read once for the whole run (`anchoredHead`).
 * A broken chain is a report like any other, never an error.
 */
export const verifyPartition = async (
  reference: string,
  items: Array<Record<string, unknown>>,
  anchoredHead: typeof latestAnchoredHead = latestAnchoredHead,
): Promise<ChainReport | undefined> => {
  const evidence = chainEvidenceOf(reference, items);
  if (!evidence) return undefined;
  const anchor = await anchoredHead(reference);
  return verifyChain({ ...evidence, ...(anchor ? { anchor } : {}) });
};

/**
 * Verifies one case's history: an unknown case is a 404; a disposed one (or one being disposed of,
 * its record read in the same query) a 410 with the head it was verified at before.
 */
export const verifyCaseHistory = async (reference: string): Promise<ChainReport> => {
  const items = isReference(reference) ? await casePartition(reference) : [];
  const disposed = disposalIn(items);
  if (disposed) throw caseGone(disposed.disposal);
  const report = await verifyPartition(reference, items);
  if (!report) throw notFound(`Case ${reference}`);
  return report;
};
