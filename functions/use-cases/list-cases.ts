import * as z from 'zod';
import { type CaseQuery, queryCases } from '../adapters/cases-repository';
import type { Caller } from '../domain/caller';
import { CaseStatus, toCaseSummary } from '../domain/case';
import { Problem } from '../domain/problem';
import { isReference } from '../domain/reference';
import type { ListQuery } from '../domain/requests';
import type { CaseList } from '../domain/responses';

/**
 * GET /notifications: a User's own cases, or (SECAS) one User's or those in one status; newest
 * first, a page at a time. The cursor is the index position DynamoDB returned, checked on the way
 * back in, so a cursor cannot be bent to reach another User's cases.
 */
const Cursor = z.strictObject({
  pk: z.string().refine((pk) => pk.startsWith('CASE#') && isReference(pk.slice('CASE#'.length))),
  sk: z.literal('CASE'),
  receivedAt: z.iso.datetime(),
  ownerId: z.string().max(128).optional(),
  status: CaseStatus.optional(),
});
type Cursor = z.infer<typeof Cursor>;

const invalidCursor = () => new Problem(400, 'invalid-cursor', 'Invalid cursor', 'Use the cursor from the `next` link of the previous page, unchanged.');

const decodeCursor = (cursor: string): Cursor => {
  try {
    return Cursor.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalidCursor();
  }
};
const encodeCursor = (key: Record<string, unknown>): string => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

const queryFor = (caller: Caller, query: ListQuery): CaseQuery => {
  if (caller.kind === 'User') {
    if (query.owner !== undefined && query.owner !== caller.id) {
      throw new Problem(403, 'forbidden', 'Forbidden', 'A User lists only its own cases; leave out `owner`.');
    }
    return { by: 'owner', ownerId: caller.id, ...(query.status ? { status: query.status } : {}) };
  }
  if (query.owner !== undefined) return { by: 'owner', ownerId: query.owner, ...(query.status ? { status: query.status } : {}) };
  if (query.status !== undefined) return { by: 'status', status: query.status };
  throw new Problem(400, 'filter-required', 'Say which cases', "SECAS lists one User's cases (`owner`) or the cases in one status (`status`).", {
    errors: [{ pointer: '/status', detail: 'give status or owner' }],
  });
};

/**
 * The cursor must continue the same listing (same index, same owner or status) and be exactly
 * that index's position: DynamoDB refuses a start key with any other attribute.
 */
const startKeyFor = (query: CaseQuery, cursor: Cursor): Record<string, unknown> => {
  const sameListing =
    query.by === 'owner' ? cursor.ownerId === query.ownerId && cursor.status === undefined : cursor.status === query.status && cursor.ownerId === undefined;
  if (!sameListing) throw invalidCursor();
  return cursor;
};

export const listCases = async (caller: Caller, query: ListQuery): Promise<CaseList> => {
  const caseQuery = queryFor(caller, query);
  const startKey = query.cursor === undefined ? undefined : startKeyFor(caseQuery, decodeCursor(query.cursor));
  const page = await queryCases(caseQuery, { limit: query.limit, ...(startKey ? { startKey } : {}) });
  const link = (cursor?: string) => {
    const params = new URLSearchParams({ limit: String(query.limit) });
    if (query.status) params.set('status', query.status);
    if (query.owner) params.set('owner', query.owner);
    if (cursor) params.set('cursor', cursor);
    return `/notifications?${params.toString()}`;
  };
  // Only the index keys go in the cursor, whatever else LastEvaluatedKey might carry.
  const next = page.lastKey ? encodeCursor(Cursor.parse(pickKeys(page.lastKey))) : undefined;
  return { items: page.items.map(toCaseSummary), links: { self: link(query.cursor), ...(next ? { next: link(next) } : {}) } };
};

const pickKeys = (key: Record<string, unknown>) => Object.fromEntries(Object.entries(key).filter(([name]) => name in Cursor.shape));
