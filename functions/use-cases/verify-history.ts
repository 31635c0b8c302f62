import { casePartition, chainEvidenceOf } from '../adapters/cases-repository';
import { latestAnchoredHead } from '../adapters/history-anchors';
import { type ChainReport, verifyChain } from '../domain/history-chain';
import { notFound } from '../domain/problem';
import { isReference } from '../domain/reference';

/**
 * Verifies one case's tamper-evident history (history-chain.ts), read whole from its partition,
 * against the latest anchor that includes it.
 * A broken chain is a report like any other, never an error: only an unknown case is a 404.
 */
export const verifyCaseHistory = async (reference: string): Promise<ChainReport> => {
  const evidence = isReference(reference) ? chainEvidenceOf(reference, await casePartition(reference)) : undefined;
  if (!evidence) throw notFound(`Case ${reference}`);
  const anchor = await latestAnchoredHead(reference);
  return verifyChain({ ...evidence, ...(anchor ? { anchor } : {}) });
};
