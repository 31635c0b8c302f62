import type { CaseRecord } from './case';

/** Who is calling the API: a SEC User's machine client, or SECAS's. */
export interface Caller {
  kind: 'User' | 'SECAS';
  /** The OAuth client id: a User's cases are owned by it. */
  id: string;
}

/** A User sees only the cases it filed; SECAS sees every User's. */
export const canSee = (caller: Caller, record: Pick<CaseRecord, 'ownerId'>): boolean => caller.kind === 'SECAS' || record.ownerId === caller.id;

/**
 * The OAuth 2.0 scopes of the Users' and SECAS's machine clients, as the token endpoint writes them
 * into access tokens: the authorizer admits a token carrying any one of a route's scopes.
 */
export const RESOURCE_SERVER = 'second-user-system';
export const scopes = { user: `${RESOURCE_SERVER}/user`, secas: `${RESOURCE_SERVER}/secas` } as const;
