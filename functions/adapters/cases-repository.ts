import { setTimeout as sleep } from 'node:timers/promises';
import canonicalize from 'canonicalize';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import {
  type Amendment,
  type CaseEvent,
  type CaseFile,
  type CaseRecord,
  CaseStatus,
  type InformationExchange,
  type SscDecisionRecord,
  WITHDRAWABLE,
  type WaitResolution,
  awaitingStatus,
  eventText,
  inSequence,
  isFinal,
} from '../domain/case';
import type { AssessmentStage } from '../domain/assessment-link';
import {
  type AnchoredHead,
  type ChainEvidence,
  type ChainHead,
  type ItemDigest,
  type StoredEvent,
  itemDigest,
  planAppend,
  planRebase,
} from '../domain/history-chain';
import { newDecisionId } from '../domain/decision-link';
import type { DecidedAs, LinkHolder } from '../domain/ssc-members';
import { holderStandsCheck } from './ssc-member-register';
import { type PaperCase, paperCaseOf } from '../domain/meeting-papers';
import { PERSONAL_CLASSES, type PersonalClass, newSalt, sealEvent, sealItem, sealKey, sealRecord } from '../domain/personal-data';
import type { RetentionSchedule, RetentionScheduleView } from '../domain/retention';
import { newLinkId } from '../domain/signed-link';
import type { DeliveryProblem } from '../domain/delivery';
import type { WaitKind } from '../domain/deadlines';
import { filerCode, formatReference, referenceYear } from '../domain/reference';
import type { ReportCase } from '../domain/service-report';
import type { SscDecisionKind } from '../domain/ssc-decision';
import { documentClient } from './aws-clients';
import { setting } from './config';
import { notificationsTableDesign } from './table-design';

/**
 * The NotificationsTable, one table for every item of a case:
 *   CASE#<reference>            / CASE      the case: status, submission, latest history, waits
 *   CASE#<reference>            / EXCHANGE#<askedAt>#<decisionId>  one SSC question and the User's answer
 *   CASE#<reference>            / HISTORY#<nnnnnn>  a page of earlier history, oldest first
 *   CASE#<reference>            / AMENDMENT#<nnnnnn>  an amendment of the notice: the version it made, each field before and after
 *   CASE#<reference>            / DELIVERY#<messageId>#<kind>#<recipient>  an email that bounced, was rejected, delayed or marked as spam
 *   REFERENCE_SEQUENCE#<filer>#<year> / SEQUENCE  the last reference number issued to that filer that year
 *   DECISION#<decisionId>       / DECISION  an SSC decision request: what its links resolve to
 *   ASSESSMENT_RECORD#<recordId> / ASSESSMENT_RECORD  a SECAS record request: what its assessment link resolves to
 *   IDEMPOTENCY#SubmitNotification / <key>  Powertools' record of an intake with an Idempotency-Key
 *   QUARTERLY_REPORT#<yyyy>-Q<n>  / SENT      when that quarter's service report was emailed to SECAS
 *   PROVIDER#<providerId>       / CASE#<reference>  a case that employs a Shared Resource Provider (shared-resource-register.ts)
 *   MEETING_PAPERS#<meeting date> / PAPERS  the claim that an SSC meeting's papers were sent (once)
 * and two indexes over the cases: CasesByOwner (ownerId, receivedAt), CasesByStatus (status, receivedAt).
 */
const caseKey = (reference: string) => ({ pk: `CASE#${reference}`, sk: 'CASE' });
const decisionKey = (decisionId: string) => ({ pk: `DECISION#${decisionId}`, sk: 'DECISION' });
const table = () => setting('TABLE_NAME');

const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException || error instanceof TransactionCanceledException;
export const isConflict = isConditionFailure;

const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ttl: _ttl, chain: _chain, personalSalt: _salt, ...rest } = item;
  return rest as T;
};

/** The case item's chain head, and the question-and-answer item its chain covers last (so the next write need not look for it again). */
export interface StoredHead extends ChainHead {
  exchange?: string;
}

const readCaseItem = async (reference: string): Promise<Record<string, unknown> | undefined> =>
  (await documentClient().send(new GetCommand({ TableName: table(), Key: caseKey(reference), ConsistentRead: true }))).Item;

const exchangeSk = (decision: Pick<SscDecisionRecord, 'decidedAt' | 'decisionId'>) => `EXCHANGE#${decision.decidedAt}#${decision.decisionId}`;

/**
 * The history pages' events of a case: read at the first chained write of a case stored before
 * the chain (once, and only for a case long enough to have pages) so the chain's start covers
 * them too, and by the anchoring. Page by page with GetItem: the writers' grant, and the pages are numbered.
 */
const historyPageEvents = async (reference: string, pages: number): Promise<StoredEvent[]> => {
  const events: StoredEvent[] = [];
  for (let page = 1; page <= pages; page++) {
    const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: historyPageKey(reference, page), ConsistentRead: true }));
    events.push(...((Item?.events as StoredEvent[] | undefined) ?? []));
  }
  return events;
};

/**
 * The workflow writes the User's answer to the SSC's question as an item of its own (the state
 * machine's PutItem): the next chained write of the case covers it, found by the key the question
 * gives (the SSC's decision now on the case), unless its head says it already did.
 */
const uncoveredExchange = async (reference: string, record: CaseRecord, head: StoredHead | undefined): Promise<Record<string, unknown> | undefined> => {
  const decision = record.sscDecision;
  if (decision?.kind !== 'MoreInformationNeeded') return undefined;
  const sk = exchangeSk(decision);
  if (head?.exchange === sk) return undefined;
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: caseKey(reference).pk, sk }, ConsistentRead: true }));
  return Item;
};

/** The case's salt, which personal values are hashed with (personal-data.ts): none before the chain, and none once every class is erased. */
const saltOf = (item: Record<string, unknown>): string | undefined => (typeof item.personalSalt === 'string' ? item.personalSalt : undefined);

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A write that appends events to a case's history, with whatever else it changes on the case item. */
interface ChainedWrite {
  set?: string[];
  remove?: string[];
  /** This write's own condition (besides the chain's). */
  condition?: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
  events: CaseEvent[];
  /** The recorded fields it changes; the others stay as read. */
  changes?: Partial<CaseRecord>;
  /** Items of the case's own it writes alongside (in `alongside`), digested with the case's salt. */
  covers?: Array<Record<string, unknown>>;
  /** Other items written in the same transaction. */
  alongside?: TransactItem[];
  /** Rewrites the whole history as stored, chain unchanged (erasure: each personal value to the salted digest it is hashed as). */
  rewriteHistory?: (history: StoredEvent[]) => StoredEvent[];
}

/** Each round one of the writers racing on a case wins; a crowd of twenty settles well within this many. */
const MAX_CHAINED_ATTEMPTS = 30;

const noCase = (reference: string) => new ConditionalCheckFailedException({ message: `case ${reference} does not exist`, $metadata: {} });

const sameHead = (a: Record<string, unknown>, b: Record<string, unknown>): boolean =>
  (a.chain as StoredHead | undefined)?.hash === (b.chain as StoredHead | undefined)?.hash &&
  (a.history as unknown[]).length === (b.history as unknown[]).length;

/**
 * Appends events to a case's chained history (history-chain.ts) in the same conditional write as
 * the rest of the change: it reads the case item, chains the events after its head (and the
 * workflow's events written since, unchained), and writes only while the head and the history's
 * length are still those it read. Writers therefore serialise: one that lost the race reads
 * again and chains after the winner, so no event is lost or chained twice. When the write's own
 * condition is what failed (the head is unchanged), the failure is the caller's, as before.
 * Returns the case after it (read again after a transaction, which returns nothing), its oldest
 * events moved to a history page once it is long (compactHistory): every writer does both.
 */
const writeChained = async (reference: string, write: ChainedWrite): Promise<CaseRecord> => {
  let item = await readCaseItem(reference);
  for (let attempt = 1; ; attempt++) {
    if (!item) throw noCase(reference);
    const record = strip<CaseRecord>(item) as CaseRecord;
    const head = item.chain as StoredHead | undefined;
    const earlier = !head && record.historyPages > 0 ? await historyPageEvents(reference, record.historyPages) : undefined;
    const exchange = await uncoveredExchange(reference, record, head);
    const salt = saltOf(item);
    const plan = planAppend(
      reference,
      { history: record.history, ...(head ? { head } : {}), ...(earlier ? { earlier } : {}), ...(salt ? { salt } : {}) },
      {
        events: write.events.map(bounded),
        stateBefore: record,
        stateAfter: { ...record, ...write.changes },
        covers: [...(write.covers ?? []), ...(exchange ? [exchange] : [])].map(
          (covered): ItemDigest => ({ sk: String(covered.sk), digest: itemDigest(covered, salt) }),
        ),
      },
    );
    const coveredExchange = exchange ? String(exchange.sk) : head?.exchange;
    const rewrite = plan.rewrite || write.rewriteHistory !== undefined;
    const history = write.rewriteHistory ? write.rewriteHistory(plan.history) : plan.history;
    const chain: StoredHead = { seq: plan.head.seq, hash: plan.head.hash, ...(coveredExchange ? { exchange: coveredExchange } : {}) };
    const update = {
      TableName: table(),
      Key: caseKey(reference),
      UpdateExpression: [
        `SET ${[...(write.set ?? []), `history = ${rewrite ? ':history' : 'list_append(history, :history)'}`, '#chain = :chain'].join(', ')}`,
        ...(write.remove?.length ? [`REMOVE ${write.remove.join(', ')}`] : []),
      ].join(' '),
      ConditionExpression: [
        ...(write.condition ? [`(${write.condition})`] : []),
        head ? '#chain.#hash = :head' : 'attribute_not_exists(#chain)',
        'size(history) = :historySize',
      ].join(' AND '),
      ExpressionAttributeNames: { ...write.names, '#chain': 'chain', ...(head ? { '#hash': 'hash' } : {}) },
      ExpressionAttributeValues: {
        ...write.values,
        ':history': rewrite ? history : plan.appended,
        ':chain': chain,
        ':historySize': record.history.length,
        ...(head ? { ':head': head.hash } : {}),
      },
    };
    let written: CaseRecord | undefined;
    try {
      if (write.alongside) await documentClient().send(new TransactWriteCommand({ TransactItems: [...write.alongside, { Update: update }] }));
      else written = strip<CaseRecord>((await documentClient().send(new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' }))).Attributes);
    } catch (error) {
      if (!isConditionFailure(error) || attempt >= MAX_CHAINED_ATTEMPTS) throw error;
      // Another writer appended first: a short random pause spreads the next round of a crowd of writers.
      await sleep(Math.random() * 10 * attempt);
      const again = await readCaseItem(reference);
      if (again && sameHead(again, item)) throw error;
      item = again;
      continue;
    }
    // A transaction returns nothing: the case is read after it.
    const after = written ?? ((await getCase(reference)) as CaseRecord);
    await compactHistory(after);
    return after;
  }
};

/** A chained write (writeChained), or undefined when its condition, or another item's of its transaction, no longer holds. */
const writeChainedIf = async (reference: string, write: ChainedWrite): Promise<CaseRecord | undefined> => {
  try {
    return await writeChained(reference, write);
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
};

/**
 * Issues the User `ownerId` its next reference for the year. An atomic counter (ADD) never
 * hands the same number out twice, however many intakes run at once; a number whose case then
 * fails to be written is skipped, never reused.
 */
export const allocateReference = async (receivedAt: Date, ownerId: string): Promise<string> => {
  const year = referenceYear(receivedAt);
  const filer = filerCode(ownerId);
  const { Attributes } = await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: `REFERENCE_SEQUENCE#${filer}#${year}`, sk: 'SEQUENCE' },
      UpdateExpression: 'ADD lastNumber :one',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return formatReference(filer, year, Number(Attributes?.lastNumber));
};

/** Writes a new case, never over an existing one; with `alongside`, an item written in the same transaction (its entry under a Shared Resource Provider). */
export const createCase = async (record: CaseRecord, alongside?: Record<string, unknown>): Promise<void> => {
  const personalSalt = newSalt();
  const { history, head } = planAppend(record.reference, { history: [], salt: personalSalt }, { events: record.history.map(bounded), stateAfter: record });
  const put = {
    TableName: table(),
    // A case filed with no event (only tests make one) has no head yet: its first write starts the chain.
    Item: { ...caseKey(record.reference), ...record, history, personalSalt, ...(head.seq > 0 ? { chain: head } : {}) },
    ConditionExpression: 'attribute_not_exists(pk)',
  };
  if (!alongside) {
    await documentClient().send(new PutCommand(put));
    return;
  }
  await documentClient().send(new TransactWriteCommand({ TransactItems: [{ Put: put }, { Put: { TableName: table(), Item: alongside } }] }));
};

export const getCase = async (reference: string): Promise<CaseRecord | undefined> => {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: caseKey(reference), ConsistentRead: true }));
  return strip<CaseRecord>(Item);
};

/**
 * Who owns a case, read without the rest of it (its key and owner only): whether a caller may
 * see a case is decided on this, so another User's case, however large, and a reference never
 * issued cost the same small read before their 404.
 */
export const getCaseOwner = async (reference: string): Promise<string | undefined> => {
  const { Item } = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: caseKey(reference),
      ProjectionExpression: 'pk, ownerId',
      ConsistentRead: true,
    }),
  );
  return typeof Item?.ownerId === 'string' ? Item.ownerId : undefined;
};

/**
 * The whole case in one query of its partition, in key order: the case item, its questions and
 * answers (EXCHANGE#, by the time asked), then its history pages (HISTORY#, oldest first).
 */
export const loadCase = async (reference: string): Promise<CaseFile | undefined> => caseFileOf(await casePartition(reference));

/** Every item of a case's partition, in key order. */
export const casePartition = async (reference: string): Promise<Array<Record<string, unknown>>> => {
  const items: Array<Record<string, unknown>> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': caseKey(reference).pk },
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};

/**
 * What a case's chain is verified on, from the items of its partition in key order: every event
 * as stored (pages', then the case item's), the head, the recorded fields, and the digests of its
 * items of their own (questions and answers, delivery problems) as they are now.
 */
export const chainEvidenceOf = (reference: string, items: Array<Record<string, unknown>>): Omit<ChainEvidence, 'anchor'> | undefined => {
  const item = items.find((i) => i.sk === 'CASE');
  if (!item) return undefined;
  const record = strip<CaseRecord>(item) as CaseRecord;
  const head = item.chain as StoredHead | undefined;
  const salt = saltOf(item);
  const pages = items.filter((i) => String(i.sk).startsWith('HISTORY#')).flatMap((page) => page.events as StoredEvent[]);
  return {
    reference,
    history: [...pages, ...record.history],
    ...(head ? { head: { seq: head.seq, hash: head.hash } } : {}),
    record,
    items: items.filter((i) => /^(EXCHANGE|DELIVERY|AMENDMENT)#/.test(String(i.sk))).map((i) => ({ sk: String(i.sk), digest: itemDigest(i, salt) })),
    ...(salt ? { salt } : {}),
    ...(record.sscDecision?.kind === 'MoreInformationNeeded' ? { awaited: exchangeSk(record.sscDecision) } : {}),
  };
};

/**
 * A case's file from the items of its partition in key order, however they were written: by this
 * release or the one before (test/unit/release-contract.test.ts reads the previous release's).
 */
export const caseFileOf = (items: Array<Record<string, unknown>>): CaseFile | undefined => {
  const item = items.find((i) => i.sk === 'CASE');
  if (!item) return undefined;
  const record = strip<CaseRecord>(item) as CaseRecord;
  const of = (prefix: string) => items.filter((i) => String(i.sk).startsWith(prefix));
  return {
    record,
    // Pages in key order (HISTORY#000001 …), then the item's latest events: the order they were recorded.
    history: inSequence([...of('HISTORY#').flatMap((page) => page.events as CaseEvent[]), ...record.history]),
    informationExchanges: of('EXCHANGE#').map(
      ({ question, askedAt, answer, answeredAt }) => ({ question, askedAt, answer, answeredAt }) as InformationExchange,
    ),
    deliveryProblems: of('DELIVERY#')
      .map((item) => strip<DeliveryProblem & { alerted?: boolean }>(item) as DeliveryProblem & { alerted?: boolean })
      .map(({ alerted: _alerted, ...problem }) => problem)
      .sort((a, b) => a.at.localeCompare(b.at)),
    // Numbered from version 2, so key order is the order they were made.
    amendments: of('AMENDMENT#').map(({ version, at, changes }) => ({ version, at, changes }) as Amendment),
  };
};

/** Events as stored: their text no longer than a note (the whole text is in its own field). */
const bounded = (event: CaseEvent): CaseEvent => (event.text === undefined ? event : { ...event, text: eventText(event.text) });

/**
 * The case item keeps at most this many events (plus the few a workflow step may add before the
 * next Lambda runs); beyond it, all but the latest HISTORY_KEPT move to a history page.
 */
export const HISTORY_COMPACT_AT = 40;
export const HISTORY_KEPT = 10;

const historyPageKey = (reference: string, page: number) => ({ pk: `CASE#${reference}`, sk: `HISTORY#${String(page).padStart(6, '0')}` });

/**
 * Moves the oldest events of a long history to the next history page, in one transaction that
 * applies only while the history still starts with them (events are only ever appended, so the
 * positions of the moved ones cannot change under it). A concurrent compaction wins; this one
 * then changes nothing. Every writer that appends events calls it with the item it got back.
 */
const compactHistory = async (record: CaseRecord | undefined): Promise<void> => {
  if (!record || record.history.length <= HISTORY_COMPACT_AT) return;
  const moving = record.history.slice(0, record.history.length - HISTORY_KEPT);
  const first = moving[0] as CaseEvent;
  const pages = record.historyPages ?? 0;
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: table(),
              Item: { ...historyPageKey(record.reference, pages + 1), events: moving },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Update: {
              TableName: table(),
              Key: caseKey(record.reference),
              UpdateExpression: `SET historyPages = :next REMOVE ${moving.map((_, i) => `history[${i}]`).join(', ')}`,
              ConditionExpression:
                '(historyPages = :pages OR (attribute_not_exists(historyPages) AND :pages = :zero)) AND history[0].#at = :at AND history[0].#type = :type',
              ExpressionAttributeNames: { '#at': 'at', '#type': 'type' },
              ExpressionAttributeValues: { ':next': pages + 1, ':pages': pages, ':zero': 0, ':at': first.at, ':type': first.type },
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
};

export type CaseQuery = { by: 'owner'; ownerId: string; status?: CaseStatus } | { by: 'status'; status: CaseStatus; receivedBefore?: string };

export interface CasePage {
  items: CaseRecord[];
  /** Where the next page starts; absent on the last page. */
  lastKey?: Record<string, unknown>;
}

/**
 * One page of cases from an index: a User's (newest first, optionally in one status) or those in
 * one status (newest first, or oldest first up to a time, for the sweep of unstarted cases).
 */
export const queryCases = async (query: CaseQuery, page: { limit: number; startKey?: Record<string, unknown>; oldestFirst?: boolean }): Promise<CasePage> => {
  const { byOwner, byStatus } = notificationsTableDesign.indexes;
  const request =
    query.by === 'owner'
      ? {
          IndexName: byOwner.indexName,
          KeyConditionExpression: '#owner = :owner',
          ...(query.status ? { FilterExpression: '#status = :status' } : {}),
          ExpressionAttributeNames: { '#owner': byOwner.partitionKey, ...(query.status ? { '#status': 'status' } : {}) },
          ExpressionAttributeValues: { ':owner': query.ownerId, ...(query.status ? { ':status': query.status } : {}) },
        }
      : {
          IndexName: byStatus.indexName,
          KeyConditionExpression: `#status = :status${query.receivedBefore ? ' AND #received < :before' : ''}`,
          ExpressionAttributeNames: { '#status': byStatus.partitionKey, ...(query.receivedBefore ? { '#received': byStatus.sortKey } : {}) },
          ExpressionAttributeValues: { ':status': query.status, ...(query.receivedBefore ? { ':before': query.receivedBefore } : {}) },
        };
  const { Items, LastEvaluatedKey } = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      ...request,
      ScanIndexForward: page.oldestFirst ?? false,
      Limit: page.limit,
      ...(page.startKey ? { ExclusiveStartKey: page.startKey } : {}),
    }),
  );
  return {
    items: (Items ?? []).map((item) => strip<CaseRecord>(item) as CaseRecord),
    ...(LastEvaluatedKey ? { lastKey: LastEvaluatedKey } : {}),
  };
};

/** Sets top-level attributes of a case and appends an audit event, in one write. */
export const updateCase = async (reference: string, set: Partial<CaseRecord>, event: CaseEvent): Promise<CaseRecord> => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const assignments = Object.entries(set).map(([key, value], i) => {
    names[`#a${i}`] = key;
    values[`:a${i}`] = value;
    return `#a${i} = :a${i}`;
  });
  return writeChained(reference, { set: assignments, names, values, events: [event], changes: set });
};

/** Moves a case from one status to another, with its events, in one write; undefined when it is no longer in `from`. */
export const transitionCase = async (reference: string, from: CaseStatus, to: CaseStatus, events: CaseEvent[]): Promise<CaseRecord | undefined> => {
  try {
    const record = await writeChained(reference, {
      set: ['#status = :to'],
      condition: '#status = :from',
      names: { '#status': 'status' },
      values: { ':from': from, ':to': to },
      events,
      changes: { status: to },
    });
    return record;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
};

export const appendCaseEvent = async (reference: string, event: CaseEvent): Promise<void> => {
  await updateCase(reference, {}, event);
};

/**
 * The workflow enters (or re-enters, after a reminder or a retry) a wait: the wait's task
 * token is the new one from now on. A resolution a person gave meanwhile is kept.
 */
export const enterWait = async (reference: string, kind: WaitKind, taskToken: string, amendable = false): Promise<CaseRecord> => {
  const send = (firstEntry: boolean) =>
    documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: caseKey(reference),
        UpdateExpression: firstEntry
          ? 'SET pendingWait = :wait'
          : `SET pendingWait.taskToken = :token${amendable ? ', pendingWait.amendable = :amendable' : ''}`,
        ConditionExpression: firstEntry ? 'attribute_exists(pk) AND attribute_not_exists(pendingWait)' : 'pendingWait.kind = :kind',
        ExpressionAttributeValues: firstEntry
          ? { ':wait': { kind, taskToken, ...(amendable ? { amendable } : {}) } }
          : { ':token': taskToken, ':kind': kind, ...(amendable ? { ':amendable': amendable } : {}) },
        ReturnValues: 'ALL_NEW',
      }),
    );
  const record = await firstThatApplies([false, true], async (firstEntry) => strip<CaseRecord>((await send(firstEntry)).Attributes) as CaseRecord);
  if (!record) throw new Error(`case ${reference} is in another wait than ${kind}`);
  return record;
};

/** Records that the people a wait depends on have been told (the SSC's links, the User's question…). */
export const markWaitNotified = async (reference: string, kind: WaitKind, event: CaseEvent): Promise<void> => {
  await writeChained(reference, {
    set: ['pendingWait.notified = :true'],
    condition: 'pendingWait.kind = :kind',
    values: { ':true': true, ':kind': kind },
    events: [event],
  });
};

/**
 * Records that the SSC has been told of version `version` of the notice: false, changing nothing,
 * when the notice was amended after the email was made (the amendment has the SSC told again).
 */
export const markSscToldOf = async (reference: string, version: number, event: CaseEvent): Promise<boolean> => {
  try {
    await writeChained(reference, {
      set: ['pendingWait.notified = :true', 'pendingWait.toldVersion = :version'],
      condition: 'pendingWait.kind = :kind AND (#version = :version OR (attribute_not_exists(#version) AND :version = :one))',
      names: { '#version': 'version' },
      values: { ':true': true, ':kind': 'SscDecision', ':version': version, ':one': 1 },
      events: [event],
    });
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

/**
 * Tries conditional writes in turn until one applies; undefined when none does. A person's
 * resolution and the task's entry can interleave between two attempts, so the round is tried
 * again: a wait only moves forward (none → entered or resolved ahead → resolved), so a few
 * rounds settle it.
 */
const firstThatApplies = async <A, R>(attempts: A[], write: (attempt: A) => Promise<R>): Promise<R | undefined> => {
  for (let round = 0; round < 3; round++) {
    for (const attempt of attempts) {
      try {
        return await write(attempt);
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
  }
  return undefined;
};

/**
 * A person resolves the case's current wait (an answer, an assessment date or outcome): once,
 * only while that wait is open and the case is not being withdrawn. If the case already shows
 * the status of that wait but its task has not yet entered it, the resolution is stored ahead
 * and the task resumes with it on entry. Returns the case (with the task token to resume, when
 * there is one), or undefined when the case is not in that wait.
 */
export const claimWait = async (reference: string, kind: WaitKind, resolution: WaitResolution, event: CaseEvent): Promise<CaseRecord | undefined> => {
  const attempt = (ahead: boolean) =>
    writeChained(reference, {
      set: [ahead ? 'pendingWait = :wait' : 'pendingWait.resolution = :resolution'],
      condition: ahead
        ? 'attribute_not_exists(pendingWait) AND #status = :status AND attribute_not_exists(withdrawal)'
        : 'pendingWait.kind = :kind AND attribute_not_exists(pendingWait.resolution) AND attribute_not_exists(withdrawal)',
      ...(ahead ? { names: { '#status': 'status' } } : {}),
      values: ahead ? { ':wait': { kind, resolution }, ':status': awaitingStatus[kind] } : { ':resolution': resolution, ':kind': kind },
      events: [event],
    });
  return firstThatApplies([false, true], attempt);
};

/** Undoes a claim whose workflow could not be resumed for a passing reason, so the person can retry. */
export const releaseWait = async (reference: string, kind: WaitKind, event: CaseEvent): Promise<void> => {
  await writeChained(reference, {
    remove: ['pendingWait.resolution'],
    condition: 'pendingWait.kind = :kind',
    values: { ':kind': kind },
    events: [event],
  });
};

/** Withdraws a case before the SSC has decided. Undefined when it is too late (or already withdrawn). */
export const requestWithdrawal = async (reference: string, withdrawal: { at: string; reason: string }, event: CaseEvent): Promise<CaseRecord | undefined> => {
  const statuses = Object.fromEntries(WITHDRAWABLE.map((s, i) => [`:s${i}`, s]));
  try {
    const record = await writeChained(reference, {
      set: ['withdrawal = :withdrawal'],
      condition: `#status IN (${Object.keys(statuses).join(', ')}) AND attribute_not_exists(withdrawal) AND (attribute_not_exists(pendingWait) OR attribute_not_exists(pendingWait.resolution))`,
      names: { '#status': 'status' },
      values: { ...statuses, ':withdrawal': withdrawal },
      events: [event],
      changes: { withdrawal },
    });
    return record;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
};

const amendmentKey = (reference: string, version: number) => ({ pk: `CASE#${reference}`, sk: `AMENDMENT#${String(version).padStart(6, '0')}` });

/** What an amendment writes besides the notice and its own item. */
export interface AmendmentWrite {
  expected: number;
  statuses: ReadonlyArray<CaseStatus>;
  amendment: Amendment;
  /** The recorded fields it changes besides the version: the notice, its triage and lateness. */
  changes: Partial<CaseRecord>;
  event: CaseEvent;
  /** The SSC's wait as the amendment found it: open (its email sent, its decision request open) or none. */
  sscWait: { decisionId?: string } | 'none';
  /** The provider entries (SEC G10.8: who employs it) to write and delete, when the notice names another provider. */
  employment?: { put?: Record<string, unknown>; remove?: Record<string, unknown> };
}

/**
 * Amends the notice: the case's recorded fields (`changes`: the notice, version one more, and what
 * follows from them) and the amendment's own item, with its history event, in one transaction that
 * applies only while the case is still at `expected` version, in one of `statuses`, not being
 * withdrawn, with no decision claimed, and its SSC wait as the amendment found it. An open SSC
 * wait is reset to tell the SSC again (its email and decision request are for the notice as it
 * was). Undefined when a condition no longer holds (the caller reads the case again to say which).
 */
export const recordAmendment = async (reference: string, input: AmendmentWrite): Promise<CaseRecord | undefined> => {
  const statuses = Object.fromEntries(input.statuses.map((s, i) => [`:s${i}`, s]));
  const fields = { ...input.changes, version: input.amendment.version };
  const names: Record<string, string> = { '#status': 'status', '#version': 'version' };
  const values: Record<string, unknown> = { ...statuses, ':expected': input.expected, ':one': 1, ':ssc': 'SscDecision' };
  const set = Object.entries(fields).map(([key, value], i) => {
    names[`#f${i}`] = key;
    values[`:f${i}`] = value;
    return `#f${i} = :f${i}`;
  });
  const wait = input.sscWait;
  if (wait !== 'none' && wait.decisionId) values[':decision'] = wait.decisionId;
  const item = { ...amendmentKey(reference, input.amendment.version), ...input.amendment };
  const { put, remove } = input.employment ?? {};
  return writeChainedIf(reference, {
    set,
    remove: wait === 'none' ? [] : ['pendingWait.notified', 'openDecisionId'],
    condition: [
      '(#version = :expected OR (attribute_not_exists(#version) AND :expected = :one))',
      `#status IN (${Object.keys(statuses).join(', ')})`,
      'attribute_not_exists(withdrawal)',
      wait === 'none'
        ? '(attribute_not_exists(pendingWait.kind) OR pendingWait.kind <> :ssc)'
        : `pendingWait.kind = :ssc AND attribute_not_exists(pendingWait.resolution) AND ${wait.decisionId ? 'openDecisionId = :decision' : 'attribute_not_exists(openDecisionId)'}`,
    ].join(' AND '),
    names,
    values,
    events: [input.event],
    changes: fields,
    covers: [item],
    alongside: [
      { Put: { TableName: table(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
      ...(put ? [{ Put: { TableName: table(), Item: put } }] : []),
      ...(remove ? [{ Delete: { TableName: table(), Key: { pk: remove.pk, sk: remove.sk } } }] : []),
    ],
  });
};

export type DecisionRequestStatus = 'Pending' | 'Decided' | 'Lapsed';

export interface DecisionRequest {
  decisionId: string;
  reference: string;
  status: DecisionRequestStatus;
  /** Epoch seconds after which the links no longer work. */
  expiresAt: number;
  decision?: SscDecisionKind;
  advice?: string;
  decidedAt?: string;
  /** The SSC member who confirmed it, as they typed their name. */
  decidedBy?: string;
  /** Who that was in the register of SSC members, when the link was bound to them. */
  decidedAs?: DecidedAs;
}

export const getDecisionRequest = async (decisionId: string): Promise<DecisionRequest | undefined> => {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: decisionKey(decisionId), ConsistentRead: true }));
  return strip<DecisionRequest>(Item);
};

/**
 * Opens the SSC decision request for this round, or returns the one already open (the
 * workflow re-entered the wait after a reminder), so links already emailed keep working.
 */
export const openDecisionRequest = async (reference: string, expiresAt: number): Promise<{ decisionId: string; expiresAt: number }> => {
  const current = await getCase(reference);
  if (!current) throw new Error(`case ${reference} does not exist`);
  if (current.openDecisionId) {
    const open = await getDecisionRequest(current.openDecisionId);
    return { decisionId: current.openDecisionId, expiresAt: open?.expiresAt ?? expiresAt };
  }
  const decisionId = newDecisionId();
  const request: DecisionRequest = { decisionId, reference, status: 'Pending', expiresAt };
  await documentClient().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: table(),
            // TTL removes the request 30 days after its links expire.
            Item: { ...decisionKey(decisionId), ...request, ttl: expiresAt + 30 * 86_400 },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: table(),
            Key: caseKey(reference),
            UpdateExpression: 'SET openDecisionId = :id',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(openDecisionId)',
            ExpressionAttributeValues: { ':id': decisionId },
          },
        },
      ],
    }),
  );
  return { decisionId, expiresAt };
};

/**
 * Takes the SSC's decision, once: the request goes Pending → Decided and the case's SSC wait
 * gets its resolution, in one transaction. Returns the case (with the task token to resume),
 * or undefined when the request or the case had moved on.
 */
type TransactUpdate = NonNullable<NonNullable<TransactWriteCommandInput['TransactItems']>[number]['Update']>;
type Update = Omit<TransactUpdate, 'TableName'>;

/**
 * A signed link's claim and the resolution of its case's wait, in one transaction: undefined when
 * either condition no longer holds (used, expired, or the case moved on), else the case after it.
 */
const claimWithCase = (reference: string, link: Update, caseWrite: ChainedWrite, checks: TransactItem[] = []): Promise<CaseRecord | undefined> =>
  writeChainedIf(reference, { ...caseWrite, alongside: [{ Update: { TableName: table(), ...link } }, ...checks] });

/** Undoes a claim whose workflow could not be resumed for a passing reason: the link works again, the case's wait is open. */
const releaseWithCase = async (reference: string, link: Update, caseWrite: ChainedWrite): Promise<void> => {
  await writeChained(reference, { ...caseWrite, alongside: [{ Update: { TableName: table(), ...link } }] });
};

export const claimDecision = async (input: {
  decision: SscDecisionRecord;
  reference: string;
  event: CaseEvent;
  /** The register entry the link is bound to: it must still stand when the claim is written. */
  holder?: LinkHolder;
}): Promise<CaseRecord | undefined> => {
  const { decision } = input;
  const as = decision.decidedAs ? { ...decision.decidedAs, decisionId: decision.decisionId } : undefined;
  return claimWithCase(
    input.reference,
    {
      Key: decisionKey(decision.decisionId),
      UpdateExpression: `SET #status = :decided, decision = :decision, advice = :advice, decidedAt = :at, decidedBy = :by${as ? ', decidedAs = :as' : ''}`,
      ConditionExpression: '#status = :pending AND expiresAt > :now',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':decided': 'Decided',
        ':pending': 'Pending',
        ':decision': decision.kind,
        ':advice': decision.advice,
        ':at': decision.decidedAt,
        ':by': decision.decidedBy,
        ':now': Math.floor(Date.parse(decision.decidedAt) / 1000),
        ...(as ? { ':as': decision.decidedAs } : {}),
      },
    },
    {
      // Who took it goes on the case beside the decision the workflow writes (CaseRecord.sscDecisionAs), chained with the claim.
      set: ['pendingWait.resolution = :resolution', ...(as ? ['sscDecisionAs = :caseAs'] : [])],
      condition: 'openDecisionId = :id AND pendingWait.kind = :kind AND attribute_not_exists(pendingWait.resolution) AND attribute_not_exists(withdrawal)',
      values: { ':resolution': decision, ':id': decision.decisionId, ':kind': 'SscDecision', ...(as ? { ':caseAs': as } : {}) },
      ...(as ? { changes: { sscDecisionAs: as } } : {}),
      events: [input.event],
    },
    // A holder who leaves the register between the page's check and this write decides nothing either.
    input.holder ? [holderStandsCheck(input.holder)] : [],
  );
};

/** Undoes a decision claim whose workflow could not be resumed for a passing reason. */
export const releaseDecision = (decisionId: string, reference: string, decidedAt: string, event: CaseEvent, attributed = false): Promise<void> =>
  releaseWithCase(
    reference,
    {
      Key: decisionKey(decisionId),
      UpdateExpression: 'SET #status = :pending REMOVE decision, advice, decidedAt, decidedBy, decidedAs',
      ConditionExpression: '#status = :decided AND decidedAt = :at',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pending': 'Pending', ':decided': 'Decided', ':at': decidedAt },
    },
    {
      // An attributed claim wrote who took it: that goes too (an unattributed one leaves an earlier round's).
      remove: ['pendingWait.resolution', ...(attributed ? ['sscDecisionAs'] : [])],
      condition: 'pendingWait.resolution.decisionId = :id',
      values: { ':id': decisionId },
      ...(attributed ? { changes: { sscDecisionAs: undefined } } : {}),
      events: [event],
    },
  );

/** Marks a decision request that can no longer act (its case moved on): its links then say so. */
export const lapseDecision = async (decisionId: string): Promise<void> => {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: decisionKey(decisionId),
      UpdateExpression: 'SET #status = :lapsed',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':lapsed': 'Lapsed' },
    }),
  );
};

/**
 * Records a workflow fault on the case, once per stop of its execution (EventBridge may deliver
 * the event more than once): 'recorded' when this call recorded it, or an earlier one did but
 * SECAS has not been told yet; 'already-alerted' when SECAS was told; 'no-case' when there is none.
 */
export const recordWorkflowFault = async (
  reference: string,
  fault: { at: string; status: string; state?: string; error: string },
  event: CaseEvent,
): Promise<'recorded' | 'already-alerted' | 'no-case'> => {
  try {
    await writeChained(reference, {
      set: ['workflowFault = :fault'],
      condition: 'attribute_not_exists(workflowFault) OR workflowFault.#at <> :at',
      names: { '#at': 'at' },
      values: { ':fault': { ...fault, alerted: false }, ':at': fault.at },
      events: [event],
    });
    return 'recorded';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  const current = await getCase(reference);
  if (!current) return 'no-case';
  return current.workflowFault?.at === fault.at && current.workflowFault.alerted ? 'already-alerted' : 'recorded';
};

/**
 * A redrive of the case's execution, recorded once per redrive (its count): the history says when
 * SECAS set the stopped workflow going again, after the fault it recorded.
 */
export const recordWorkflowRedrive = async (
  reference: string,
  redriveCount: number,
  event: CaseEvent,
): Promise<'recorded' | 'already-recorded' | 'no-case'> => {
  try {
    await writeChained(reference, {
      set: ['workflowRedrives = :count'],
      condition: 'attribute_not_exists(workflowRedrives) OR workflowRedrives < :count',
      values: { ':count': redriveCount },
      events: [event],
    });
    return 'recorded';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  return (await getCase(reference)) ? 'already-recorded' : 'no-case';
};

export const markWorkflowFaultAlerted = async (reference: string, at: string): Promise<void> => {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: caseKey(reference),
      UpdateExpression: 'SET workflowFault.alerted = :true',
      ConditionExpression: 'workflowFault.#at = :at',
      ExpressionAttributeNames: { '#at': 'at' },
      ExpressionAttributeValues: { ':true': true, ':at': at },
    }),
  );
};

const deliveryKey = (reference: string, p: Pick<DeliveryProblem, 'messageId' | 'kind' | 'recipient'>) => ({
  pk: `CASE#${reference}`,
  sk: `DELIVERY#${p.messageId}#${p.kind}#${p.recipient.toLowerCase()}`,
});

/**
 * Records that an email of the case did not arrive (or was delayed, or marked as spam), with its
 * audit event, once per message, recipient and kind (SES and EventBridge may report it again):
 * 'recorded', or whether the earlier record was alerted; 'no-case' when the case is gone.
 */
export const recordDeliveryProblem = async (
  reference: string,
  problem: DeliveryProblem,
  event: CaseEvent,
): Promise<'recorded' | 'already-recorded' | 'already-alerted' | 'no-case'> => {
  try {
    const item = { ...deliveryKey(reference, problem), ...problem, alerted: false };
    await writeChained(reference, {
      events: [event],
      covers: [item],
      alongside: [{ Put: { TableName: table(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } }],
    });
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: deliveryKey(reference, problem), ConsistentRead: true }));
    if (!Item) return 'no-case';
    return Item.alerted ? 'already-alerted' : 'already-recorded';
  }
  return 'recorded';
};

export const markDeliveryProblemAlerted = async (reference: string, problem: DeliveryProblem): Promise<void> => {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: deliveryKey(reference, problem),
      UpdateExpression: 'SET alerted = :true',
      ExpressionAttributeValues: { ':true': true },
    }),
  );
};

/**
 * Records that the case's workflow could not be started, once per distinct error: the sweep
 * retries every few minutes, and the history should say so once, not every time.
 */
export const recordStartFailure = async (reference: string, failure: { at: string; error: string }, event: CaseEvent): Promise<void> => {
  try {
    await writeChained(reference, {
      set: ['startFailure = :failure'],
      condition: 'attribute_not_exists(startFailure) OR startFailure.#error <> :error',
      names: { '#error': 'error' },
      values: { ':failure': failure, ':error': failure.error },
      events: [event],
    });
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
};

/**
 * SECAS's assessment record requests: what an assessment link resolves to, one per stage (the
 * date, then the outcome), used once.
 *   ASSESSMENT_RECORD#<recordId> / ASSESSMENT_RECORD
 */
export interface AssessmentRecordRequest {
  recordId: string;
  reference: string;
  stage: AssessmentStage;
  status: 'Pending' | 'Used' | 'Lapsed';
  /** Epoch seconds after which the link no longer works. */
  expiresAt: number;
  usedAt?: string;
  usedBy?: string;
}

const assessmentRecordKey = (recordId: string) => ({ pk: `ASSESSMENT_RECORD#${recordId}`, sk: 'ASSESSMENT_RECORD' });

export const getAssessmentRecordRequest = async (recordId: string): Promise<AssessmentRecordRequest | undefined> => {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: assessmentRecordKey(recordId), ConsistentRead: true }));
  return strip<AssessmentRecordRequest>(Item);
};

/**
 * Opens SECAS's record request for this stage of the assessment, or returns the one already open
 * (the workflow re-entered the wait after a reminder), so a link already emailed keeps working.
 */
export const openAssessmentRecord = async (reference: string, stage: AssessmentStage, expiresAt: number): Promise<{ recordId: string; expiresAt: number }> => {
  const current = await getCase(reference);
  if (!current) throw new Error(`case ${reference} does not exist`);
  const open = current.openAssessmentRecordId ? await getAssessmentRecordRequest(current.openAssessmentRecordId) : undefined;
  if (open && open.stage === stage) return { recordId: open.recordId, expiresAt: open.expiresAt };
  const recordId = newLinkId();
  const request: AssessmentRecordRequest = { recordId, reference, stage, status: 'Pending', expiresAt };
  await documentClient().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: table(),
            Item: { ...assessmentRecordKey(recordId), ...request, ttl: expiresAt + 30 * 86_400 },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: table(),
            Key: caseKey(reference),
            UpdateExpression: 'SET openAssessmentRecordId = :id',
            ConditionExpression: open ? 'openAssessmentRecordId = :old' : 'attribute_exists(pk) AND attribute_not_exists(openAssessmentRecordId)',
            ExpressionAttributeValues: { ':id': recordId, ...(open ? { ':old': open.recordId } : {}) },
          },
        },
      ],
    }),
  );
  return { recordId, expiresAt };
};

/**
 * SECAS records through a link, once: the request goes Pending → Used and the case's wait gets
 * its resolution, in one transaction. Returns the case (with the task token to resume), or
 * undefined when the request or the case had moved on.
 */
export const claimAssessmentRecord = (input: {
  recordId: string;
  reference: string;
  stage: AssessmentStage;
  resolution: WaitResolution;
  usedBy: string;
  usedAt: string;
  event: CaseEvent;
}): Promise<CaseRecord | undefined> =>
  claimWithCase(
    input.reference,
    {
      Key: assessmentRecordKey(input.recordId),
      UpdateExpression: 'SET #status = :used, usedAt = :at, usedBy = :by',
      ConditionExpression: '#status = :pending AND expiresAt > :now',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':used': 'Used',
        ':pending': 'Pending',
        ':at': input.usedAt,
        ':by': input.usedBy,
        ':now': Math.floor(Date.parse(input.usedAt) / 1000),
      },
    },
    {
      set: ['pendingWait.resolution = :resolution'],
      condition: 'openAssessmentRecordId = :id AND pendingWait.kind = :kind AND attribute_not_exists(pendingWait.resolution)',
      values: { ':resolution': input.resolution, ':id': input.recordId, ':kind': input.stage },
      events: [input.event],
    },
  );

/** Undoes a record claim whose workflow could not be resumed for a passing reason, so SECAS can simply try again. */
export const releaseAssessmentRecord = (recordId: string, reference: string, usedAt: string, event: CaseEvent): Promise<void> =>
  releaseWithCase(
    reference,
    {
      Key: assessmentRecordKey(recordId),
      UpdateExpression: 'SET #status = :pending REMOVE usedAt, usedBy',
      ConditionExpression: '#status = :used AND usedAt = :at',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pending': 'Pending', ':used': 'Used', ':at': usedAt },
    },
    { remove: ['pendingWait.resolution'], condition: 'openAssessmentRecordId = :id', values: { ':id': recordId }, events: [event] },
  );

/** What the gauges read of each case in a status: when it came, and its current deadline. */
export const casesInStatus = async (status: CaseStatus): Promise<Array<Pick<CaseRecord, 'receivedAt' | 'deadline'>>> => {
  const { byStatus } = notificationsTableDesign.indexes;
  const found: Array<Pick<CaseRecord, 'receivedAt' | 'deadline'>> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        IndexName: byStatus.indexName,
        KeyConditionExpression: '#status = :status',
        ProjectionExpression: 'receivedAt, deadline',
        ExpressionAttributeNames: { '#status': byStatus.partitionKey },
        ExpressionAttributeValues: { ':status': status },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    found.push(...((page.Items ?? []) as Array<Pick<CaseRecord, 'receivedAt' | 'deadline'>>));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
};

/**
 * Every item the status index holds, status by status and page by page (lib-dynamodb's paginator),
 * each status's query made by `query`: the one way the scheduled reads and the report go through
 * every case, never a Scan.
 */
async function* everyStatus(
  query: (status: CaseStatus, index: typeof notificationsTableDesign.indexes.byStatus) => Omit<QueryCommandInput, 'TableName' | 'IndexName'>,
): AsyncGenerator<Record<string, unknown>> {
  const { byStatus } = notificationsTableDesign.indexes;
  for (const status of CaseStatus.options)
    for await (const page of paginateQuery({ client: documentClient() }, { TableName: table(), IndexName: byStatus.indexName, ...query(status, byStatus) }))
      yield* page.Items ?? [];
}

/** A case's chain as the anchoring reads it: every event (pages' first), its head and its salt. */
export interface ChainToAnchor {
  reference: string;
  history: StoredEvent[];
  head?: ChainHead;
  salt?: string;
}

/**
 * Every case's chain as an anchor records it (history-chain.ts nextAnchoredHead), through the
 * status index (whole items: the head and the case item's events), status by status. A case with
 * history pages has them read too (GetItem, page by page): its head is hashed over them when it
 * was stored before the chain, and the previous anchor's head may be in one.
 */
export async function* chainsToAnchor(): AsyncGenerator<ChainToAnchor> {
  const items = everyStatus((status, byStatus) => ({
    KeyConditionExpression: '#status = :status',
    ProjectionExpression: '#reference, #chain, history, historyPages, personalSalt',
    ExpressionAttributeNames: { '#status': byStatus.partitionKey, '#reference': 'reference', '#chain': 'chain' },
    ExpressionAttributeValues: { ':status': status },
  }));
  for await (const item of items) {
    const reference = String(item.reference);
    const head = item.chain as StoredHead | undefined;
    const pages = Number(item.historyPages ?? 0);
    const earlier = pages > 0 ? await historyPageEvents(reference, pages) : [];
    const salt = saltOf(item);
    yield {
      reference,
      history: [...earlier, ...(item.history as StoredEvent[])],
      ...(head ? { head: { seq: head.seq, hash: head.hash } } : {}),
      ...(salt ? { salt } : {}),
    };
  }
}

/** What the service report reads of a case item (see service-report.ts ReportCase), every name aliased (DynamoDB reserves words such as status). */
const REPORT_FIELDS = [
  'reference',
  'status',
  'late',
  'receivedAt',
  'informationRounds',
  'submission.party.category',
  'sscDecision.kind',
  'sscDecision.decidedAt',
  'assessment.outcome.assuranceStatus',
];
const reportNames = Object.fromEntries([...new Set(REPORT_FIELDS.flatMap((f) => f.split('.')))].map((n) => [`#${n}`, n]));
const reportProjection = REPORT_FIELDS.map((f) => `#${f.replaceAll('.', '.#')}`).join(', ');

/** At most this many cases' questions are read at once: the table's on-demand capacity takes far more, a Lambda's sockets fewer. */
const EXCHANGE_READS_AT_ONCE = 16;

/**
 * Every case received between two instants, as the service report reads it: through the status
 * index (whose sort key is receivedAt), one Query per status, never a Scan; then, for each case
 * that had questions, its question-and-answer items' times (a Query of its own partition). Reads
 * are billed on the whole items read (the index projects them all), whatever the projection.
 */
export const casesReceivedBetween = async (first: string, last: string): Promise<ReportCase[]> => {
  // By reference: a case that moves on to a status read later is found twice, and counted once, as the later read found it.
  const items = new Map<string, Record<string, unknown>>();
  const received = everyStatus((status, byStatus) => ({
    KeyConditionExpression: `#${byStatus.partitionKey} = :status AND #${byStatus.sortKey} BETWEEN :first AND :last`,
    ProjectionExpression: reportProjection,
    ExpressionAttributeNames: reportNames,
    ExpressionAttributeValues: { ':status': status, ':first': first, ':last': last },
  }));
  for await (const item of received) items.set(String(item.reference), item);
  const found = [...items.values()];
  const cases: ReportCase[] = [];
  for (let i = 0; i < found.length; i += EXCHANGE_READS_AT_ONCE) {
    cases.push(...(await Promise.all(found.slice(i, i + EXCHANGE_READS_AT_ONCE).map(reportCaseOf))));
  }
  return cases;
};

const reportCaseOf = async (item: Record<string, unknown>): Promise<ReportCase> => {
  const reference = String(item.reference);
  const rounds = Number(item.informationRounds ?? 0);
  const decision = item.sscDecision as ReportCase['sscDecision'];
  const assessment = item.assessment as ReportCase['assessment'];
  return {
    reference,
    status: item.status as CaseStatus,
    late: item.late === true,
    receivedAt: String(item.receivedAt),
    informationRounds: rounds,
    partyCategory: (item.submission as { party: { category: ReportCase['partyCategory'] } }).party.category,
    ...(decision ? { sscDecision: decision } : {}),
    ...(assessment?.outcome ? { assessment } : {}),
    exchanges: rounds ? await exchangeTimes(reference) : [],
  };
};

const exchangeTimes = async (reference: string): Promise<ReportCase['exchanges']> => {
  const times: Array<ReportCase['exchanges'][number]> = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :exchange)',
        ProjectionExpression: 'askedAt, answeredAt',
        ExpressionAttributeValues: { ':pk': caseKey(reference).pk, ':exchange': 'EXCHANGE#' },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    times.push(...((page.Items ?? []) as Array<ReportCase['exchanges'][number]>));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return times;
};

const quarterlyReportKey = (quarter: string) => ({ pk: `QUARTERLY_REPORT#${quarter}`, sk: 'SENT' });

/** When the report of a quarter was emailed to SECAS, if it was. */
export const quarterlyReportSentAt = async (quarter: string): Promise<string | undefined> => {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: quarterlyReportKey(quarter), ConsistentRead: true }));
  return Item?.sentAt as string | undefined;
};

/** Records that a quarter's report was emailed, once: a second record of it (a retry that sent again) keeps the first. */
export const recordQuarterlyReportSent = async (quarter: string, sentAt: string, messageId: string): Promise<void> => {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { ...quarterlyReportKey(quarter), sentAt, messageId },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
};

/** What the meeting papers read of a case item (meeting-papers.ts paperCaseOf). */
const PAPER_ATTRIBUTES = [
  'reference',
  'status',
  'late',
  'receivedAt',
  'submission',
  'party',
  'newUserSystem',
  'name',
  'triage',
  'recommendation',
  'deadline',
  'sscDecision',
  'kind',
  'decidedAt',
  'decidedBy',
  'decisionId',
  'sscDecisionAs',
  'openDecisionId',
  'informationRounds',
];
// Every name aliased: several are DynamoDB reserved words (reference, status, name).
const PAPER_NAMES = Object.fromEntries(PAPER_ATTRIBUTES.map((a) => [`#${a}`, a]));
const PAPER_PROJECTION = [
  '#reference',
  '#status',
  '#late',
  '#receivedAt',
  '#submission.#party.#name',
  '#submission.#newUserSystem.#name',
  '#triage.#recommendation',
  '#deadline',
  '#sscDecision.#kind',
  '#sscDecision.#decidedAt',
  '#sscDecision.#decidedBy',
  '#sscDecision.#decisionId',
  '#sscDecisionAs',
  '#openDecisionId',
  '#informationRounds',
].join(', ');

/**
 * The cases an SSC meeting's papers list, through the CasesByStatus index (never a scan): every
 * case awaiting the SSC's decision (its item carries the meeting its deadline names), those that
 * ended SscDecisionOverdue from `decidedSince` on (their wait's hard limit), and in every other
 * status those with an SSC decision taken from `decidedSince` on (a filter on the query: it reads
 * the status's whole partition of the index, projected to the summary).
 */
export const casesForMeetingPapers = async (decidedSince: string): Promise<PaperCase[]> => {
  const found: PaperCase[] = [];
  const items = everyStatus((status, byStatus) => {
    const awaiting = status === 'AwaitingSscDecision';
    const since = status === 'SscDecisionOverdue' ? '#deadline.#hardLimitAt >= :since' : '#sscDecision.#decidedAt >= :since';
    return {
      KeyConditionExpression: '#status = :status',
      ...(awaiting ? {} : { FilterExpression: since }),
      ProjectionExpression: PAPER_PROJECTION,
      ExpressionAttributeNames: {
        ...PAPER_NAMES,
        '#status': byStatus.partitionKey,
        // DynamoDB refuses a name no expression uses.
        ...(status === 'SscDecisionOverdue' ? { '#hardLimitAt': 'hardLimitAt' } : {}),
      },
      ExpressionAttributeValues: { ':status': status, ...(awaiting ? {} : { ':since': decidedSince }) },
    };
  });
  for await (const item of items) found.push(paperCaseOf(item as Parameters<typeof paperCaseOf>[0]));
  return found;
};

const papersKey = (meetingOn: string) => ({ pk: `MEETING_PAPERS#${meetingOn}`, sk: 'PAPERS' });

/**
 * A run that claimed a meeting's papers and neither sent them nor gave the claim back (it timed out
 * or crashed: SendMeetingPapers' timeout is 2 minutes) leaves a claim this old at most; a later run
 * takes it over.
 */
export const PAPERS_CLAIM_STALE_MS = 15 * 60_000;

/**
 * Claims the sending of a meeting's papers: false when they were sent, or a run claimed them less
 * than PAPERS_CLAIM_STALE_MS ago, so a second run of the schedule (or a retry) sends nothing.
 */
export const claimMeetingPapers = async (meetingOn: string, at: Date): Promise<boolean> => {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        // Kept a year: long enough that no run of the schedule can send them twice.
        Item: { ...papersKey(meetingOn), meetingOn, claimedAt: at.toISOString(), ttl: Math.floor(at.getTime() / 1000) + 366 * 86_400 },
        ConditionExpression: 'attribute_not_exists(pk) OR (attribute_not_exists(sentAt) AND claimedAt < :stale)',
        ExpressionAttributeValues: { ':stale': new Date(at.getTime() - PAPERS_CLAIM_STALE_MS).toISOString() },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
};

/** Records that the claimed papers went out (SES's message id), so no later run takes the claim over. */
export const markMeetingPapersSent = async (meetingOn: string, sentAt: string, messageId: string): Promise<void> => {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: papersKey(meetingOn),
      UpdateExpression: 'SET sentAt = :at, messageId = :id',
      ExpressionAttributeValues: { ':at': sentAt, ':id': messageId },
    }),
  );
};

/**
 * A meeting's papers that did not reach a recipient, under the meeting's partition beside its claim
 * (an item per problem, once: SES may report an event twice), kept the claim's year:
 *   MEETING_PAPERS#<meeting date> / DELIVERY#<message id>#<kind>#<recipient>
 */
export const recordPapersDeliveryProblem = async (
  meetingOn: string,
  problem: DeliveryProblem,
): Promise<'recorded' | 'already-recorded' | 'already-alerted'> => {
  const key = { pk: papersKey(meetingOn).pk, sk: deliveryKey('', problem).sk };
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { ...key, meetingOn, ...problem, alerted: false, ttl: Math.floor(Date.parse(problem.at) / 1000) + 366 * 86_400 },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return 'recorded';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: key, ConsistentRead: true }));
    return Item?.alerted ? 'already-alerted' : 'already-recorded';
  }
};

export const markPapersDeliveryProblemAlerted = async (meetingOn: string, problem: DeliveryProblem): Promise<void> => {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: papersKey(meetingOn).pk, sk: deliveryKey('', problem).sk },
      UpdateExpression: 'SET alerted = :true',
      ExpressionAttributeValues: { ':true': true },
    }),
  );
};

/** Gives the claim back after the papers could not be sent, so the next run sends them. */
export const releaseMeetingPapers = async (meetingOn: string): Promise<void> => {
  await documentClient().send(new DeleteCommand({ TableName: table(), Key: papersKey(meetingOn) }));
};

/** The case item's attributes that hold personal values (personal-data.ts RECORD_PATHS). */
const PERSONAL_ATTRIBUTES = ['submission', 'sscDecision', 'withdrawal', 'assessment'] as const;
const FINAL_STATUSES = CaseStatus.options.filter(isFinal);

/** Whether erasure left an item's value as it was (nothing of the classes in it, or erased already): then it is not written. */
const unchanged = (sealed: unknown, stored: unknown): boolean => canonicalize(sealed) === canonicalize(stored);

/** A case item as the erasure task reads it through the status index. */
export interface RetentionCandidate {
  reference: string;
  status: CaseStatus;
  history: StoredEvent[];
  erased: Partial<Record<PersonalClass, string>>;
  salted: boolean;
}

/**
 * The ended cases received on or before `receivedBy` (a day): the only ones that can have ended
 * long enough ago for a period to have run. Through CasesByStatus, a final status at a time, on
 * its sort key; never a scan.
 */
export async function* endedCasesReceivedBy(receivedBy: string): AsyncGenerator<RetentionCandidate> {
  const { byStatus } = notificationsTableDesign.indexes;
  for (const status of FINAL_STATUSES)
    for await (const page of paginateQuery(
      { client: documentClient() },
      {
        TableName: table(),
        IndexName: byStatus.indexName,
        KeyConditionExpression: '#status = :status AND #received <= :by',
        ProjectionExpression: '#reference, #status, history, erased, personalSalt',
        ExpressionAttributeNames: { '#status': byStatus.partitionKey, '#received': byStatus.sortKey, '#reference': 'reference' },
        // London's date is never behind UTC's: every case received on that London day or before is in.
        ExpressionAttributeValues: { ':status': status, ':by': `${receivedBy}T23:59:59.999Z` },
      },
    ))
      for (const item of page.Items ?? [])
        yield {
          reference: String(item.reference),
          status: item.status as CaseStatus,
          history: (item.history as StoredEvent[] | undefined) ?? [],
          erased: (item.erased as Partial<Record<PersonalClass, string>> | undefined) ?? {},
          salted: typeof item.personalSalt === 'string',
        };
}

/**
 * Erases the classes of an ended case in every item of its partition where they are stored, each
 * value replaced by the salted digest the chain hashed it as, so the chain still verifies: its
 * history pages, questions and answers, delivery problems (moved to a key whose address is its
 * digest), then the case item with a chained event saying what was erased, conditioned on the
 * case being ended. Each step is safe to repeat (a digest is erased already), so a run cut short
 * is finished by the next. With the last class, the salt goes: nothing can be confirmed against
 * the digests any more. A case without a salt (stored by v1.1.0) is left as it is until it is
 * re-based on one (rebaseCaseChain): its chain hashes its values themselves, and erasing them would break it.
 */
export const eraseCasePersonalData = async (
  reference: string,
  classes: readonly PersonalClass[],
  event: CaseEvent,
): Promise<'erased' | 'unsalted' | 'not-ended'> => {
  const items = await casePartition(reference);
  const caseItem = items.find((i) => i.sk === 'CASE');
  const salt = caseItem && saltOf(caseItem);
  if (!caseItem || !isFinal(caseItem.status as CaseStatus)) return 'not-ended';
  if (!salt) return 'unsalted';
  const { pk } = caseKey(reference);
  for (const item of items) {
    const sk = String(item.sk);
    if (sk.startsWith('HISTORY#')) {
      const events = (item.events as StoredEvent[]).map((e) => sealEvent(e, salt, classes));
      if (unchanged(events, item.events)) continue;
      await documentClient().send(
        new UpdateCommand({
          TableName: table(),
          Key: { pk, sk },
          UpdateExpression: 'SET events = :events',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':events': events },
        }),
      );
    } else if (/^(EXCHANGE|DELIVERY|AMENDMENT)#/.test(sk)) {
      const { pk: _pk, sk: _sk, ...content } = item;
      const sealed = { pk, sk: sealKey(sk, salt, classes), ...sealItem(sk, content, salt, classes) };
      if (unchanged(sealed, item)) continue;
      if (sealed.sk === sk) await documentClient().send(new PutCommand({ TableName: table(), Item: sealed, ConditionExpression: 'attribute_exists(pk)' }));
      else
        await documentClient().send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: table(), Item: sealed, ConditionExpression: 'attribute_not_exists(pk)' } },
              { Delete: { TableName: table(), Key: { pk, sk }, ConditionExpression: 'attribute_exists(pk)' } },
            ],
          }),
        );
    }
  }
  const record = strip<CaseRecord>(caseItem) as CaseRecord;
  const sealed = sealRecord(record, salt, classes);
  const present = PERSONAL_ATTRIBUTES.filter((name) => record[name] !== undefined);
  const erased = { ...((caseItem.erased as Record<string, string> | undefined) ?? {}), ...Object.fromEntries(classes.map((c) => [c, event.at])) };
  const everyClass = PERSONAL_CLASSES.every((c) => c in erased);
  await writeChained(reference, {
    set: [...present.map((name) => `${name} = :${name}`), 'erased = :erased'],
    // The workflow's bookkeeping of an ended case: a resolution it kept may hold an answer's text.
    remove: ['pendingWait', ...(everyClass ? ['personalSalt'] : [])],
    condition: `#status IN (${FINAL_STATUSES.map((_status, i) => `:final${i}`).join(', ')})`,
    names: { '#status': 'status' },
    values: {
      ...Object.fromEntries(present.map((name) => [`:${name}`, sealed[name]])),
      ':erased': erased,
      ...Object.fromEntries(FINAL_STATUSES.map((status, i) => [`:final${i}`, status])),
    },
    events: [event],
    changes: Object.fromEntries(present.map((name) => [name, sealed[name]])),
    rewriteHistory: (history) => history.map((e) => sealEvent(e, salt, classes)),
  });
  return 'erased';
};

/** A transaction's limits (DynamoDB TransactWriteItems: 100 items, 4 MB): the case item and its history pages are re-based in one. */
const MOST_ITEMS_A_TRANSACTION = 100;
const MOST_BYTES_A_TRANSACTION = 4_000_000;

/**
 * Re-bases the chain of an ended case stored without a salt (planRebase), from the items of its
 * partition as the caller verified them: a new salt, every history page's events and the case
 * item's history hashed again under it, and the re-base's event, in one transaction that applies
 * only while the case is still ended, unsalted, with the head and history it was read with (and
 * its pages the lengths they were). `changed` when a write came between: the next run tries again.
 * `too-long` for a history more than a transaction takes (a hundred pages, or 4 MB: thousands of
 * events, where a long case has a few hundred); the events' JSON, a little over their stored size,
 * with a rebased event's few hundred bytes more, is what is weighed.
 */
export const rebaseCaseChain = async (
  reference: string,
  items: Array<Record<string, unknown>>,
  event: CaseEvent,
  anchor: AnchoredHead | undefined,
): Promise<'rebased' | 'salted' | 'not-ended' | 'changed' | 'too-long'> => {
  const caseItem = items.find((i) => i.sk === 'CASE');
  if (!caseItem || !isFinal(caseItem.status as CaseStatus)) return 'not-ended';
  if (saltOf(caseItem)) return 'salted';
  const pages = items.filter((i) => String(i.sk).startsWith('HISTORY#'));
  const weight = Buffer.byteLength(JSON.stringify([caseItem, ...pages])) + 1_000;
  if (pages.length + 1 > MOST_ITEMS_A_TRANSACTION || weight > MOST_BYTES_A_TRANSACTION) return 'too-long';
  const record = strip<CaseRecord>(caseItem) as CaseRecord;
  const head = caseItem.chain as StoredHead | undefined;
  const salt = newSalt();
  const plan = planRebase(
    reference,
    { history: [...pages.flatMap((page) => page.events as StoredEvent[]), ...record.history], ...(head ? { head } : {}) },
    salt,
    { event: bounded(event), record, items: items.filter((i) => /^(EXCHANGE|DELIVERY|AMENDMENT)#/.test(String(i.sk))), ...(anchor ? { anchor } : {}) },
  );
  const { pk } = caseKey(reference);
  let from = 0;
  const pageUpdates = pages.map((page): TransactItem => {
    const length = (page.events as StoredEvent[]).length;
    const events = plan.history.slice(from, from + length);
    from += length;
    return {
      Update: {
        TableName: table(),
        Key: { pk, sk: String(page.sk) },
        UpdateExpression: 'SET events = :events',
        ConditionExpression: 'size(events) = :length',
        ExpressionAttributeValues: { ':events': events, ':length': length },
      },
    };
  });
  const chain: StoredHead = { ...plan.head, ...(head?.exchange ? { exchange: head.exchange } : {}) };
  try {
    await documentClient().send(
      new TransactWriteCommand({
        TransactItems: [
          ...pageUpdates,
          {
            Update: {
              TableName: table(),
              Key: caseKey(reference),
              UpdateExpression: 'SET history = :history, #chain = :chain, personalSalt = :salt',
              ConditionExpression: [
                'attribute_not_exists(personalSalt)',
                head ? '#chain.#hash = :head' : 'attribute_not_exists(#chain)',
                'size(history) = :historySize',
                `#status IN (${FINAL_STATUSES.map((_status, i) => `:final${i}`).join(', ')})`,
              ].join(' AND '),
              ExpressionAttributeNames: { '#chain': 'chain', '#status': 'status', ...(head ? { '#hash': 'hash' } : {}) },
              ExpressionAttributeValues: {
                ':history': plan.history.slice(from),
                ':chain': chain,
                ':salt': salt,
                ':historySize': record.history.length,
                ...(head ? { ':head': head.hash } : {}),
                ...Object.fromEntries(FINAL_STATUSES.map((status, i) => [`:final${i}`, status])),
              },
            },
          },
        ],
      }),
    );
    return 'rebased';
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return 'changed';
  }
};

const RETENTION_PK = 'RETENTION_SCHEDULE';

/** SECAS's latest retention schedule, if it ever set one, and its version. */
export const storedRetentionSchedule = async (): Promise<{ schedule: RetentionSchedule; version: number } | undefined> => {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: RETENTION_PK, sk: 'CURRENT' }, ConsistentRead: true }));
  return Item ? { schedule: Item.schedule as RetentionSchedule, version: Number(Item.version) } : undefined;
};

/** Every change SECAS made to the retention schedule, oldest first: the audit trail. */
export const retentionScheduleChanges = async (): Promise<RetentionScheduleView['changes']> => {
  const changes: RetentionScheduleView['changes'] = [];
  for await (const page of paginateQuery(
    { client: documentClient() },
    {
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :change)',
      ExpressionAttributeValues: { ':pk': RETENTION_PK, ':change': 'CHANGE#' },
      ConsistentRead: true,
    },
  ))
    for (const { at, schedule, officer, reason, client } of page.Items ?? []) changes.push({ at, schedule, officer, reason, client });
  return changes;
};

/** Sets the schedule and records the change in the audit trail in one transaction, only over the version read (two officers never overwrite each other). */
export const saveRetentionSchedule = async (change: RetentionScheduleView['changes'][number], readVersion: number | undefined): Promise<void> => {
  const version = (readVersion ?? 0) + 1;
  await documentClient().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: table(),
            Item: { pk: RETENTION_PK, sk: 'CURRENT', schedule: change.schedule, version, at: change.at },
            ConditionExpression: readVersion === undefined ? 'attribute_not_exists(pk)' : 'version = :read',
            ...(readVersion === undefined ? {} : { ExpressionAttributeValues: { ':read': readVersion } }),
          },
        },
        {
          Put: {
            TableName: table(),
            Item: { pk: RETENTION_PK, sk: `CHANGE#${change.at}#${version}`, ...change },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ],
    }),
  );
};
