import type { CaseRecord } from './case';

/** Who is calling the API: a SEC User's machine client, or SECAS's. */
export interface Caller {
  kind: 'User' | 'SECAS';
  /** The OAuth client id: a User's cases are owned by it. */
  id: string;
}

/** A User sees only the cases it filed; SECAS sees every User's. */
export const canSee = (caller: Caller, record: Pick<CaseRecord, 'ownerId'>): boolean => caller.kind === 'SECAS' || record.ownerId === caller.id;
