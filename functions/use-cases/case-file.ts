import { disposalIn } from '../adapters/case-disposal';
import { casePartition, caseFileOf } from '../adapters/cases-repository';
import type { Caller } from '../domain/caller';
import { type CaseFileDocument, assembleCaseFile } from '../domain/case-file';
import { caseGone } from '../domain/disposal';
import { notFound } from '../domain/problem';
import { mustSee } from './case-actions';
import { verifyPartition } from './verify-history';

/**
 * The file of a case for its reader (SECAS: any case, complete; a User: its own, without what
 * case-file.ts withholds), with its history verified by the verification route's own verifier on
 * the same read of the partition, so the file shows exactly what was verified.
 */
export const readCaseFile = async (reference: string, caller: Caller, now: Date): Promise<CaseFileDocument> => {
  await mustSee(reference, caller);
  const items = await casePartition(reference);
  // Its disposal under way (the record written, the case not yet destroyed): gone already.
  const disposed = disposalIn(items);
  if (disposed) throw caseGone(disposed.disposal);
  const file = caseFileOf(items);
  const verification = await verifyPartition(reference, items);
  if (!file || !verification) throw notFound(`Case ${reference}`);
  return assembleCaseFile(file, verification, caller.kind, now);
};
