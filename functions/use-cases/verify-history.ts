import { casePartition, chainEvidenceOf } from '../adapters/cases-repository';
import { latestAnchoredHead } from '../adapters/history-anchors';
import { type ChainReport, verifyChain } from '../domain/history-chain';
import { notFound } from '../domain/problem';
import { isReference } from '../domain/reference';

/**
 * Verifies a case's tamper-evident history (history-chain.ts) from the items of its partition,
 * read whole, against the latest anchor that includes it; undefined when the partition holds no
 * case. The verification route and the case file both verify through this.
 * A broken chain is a report like any other, never an error.
 */
export const verifyPartition = async (reference: string, items: Array<Record<string, unknown>>): Promise<ChainReport | undefined> => {
  const evidence = chainEvidenceOf(reference, items);
  if (!evidence) return undefined;
  const anchor = await latestAnchoredHead(reference);
  return verifyChain({ ...evidence, ...(anchor ? { anchor } : {}) });
};

/** Verifies one case's history: only an unknown case is a 404. */
export const verifyCaseHistory = async (reference: string): Promise<ChainReport> => {
  const report = isReference(reference) ? await verifyPartition(reference, await casePartition(reference)) : undefined;
  if (!report) throw notFound(`Case ${reference}`);
  return report;
};
