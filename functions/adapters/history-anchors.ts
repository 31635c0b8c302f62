import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { ChainHead } from '../domain/history-chain';
import { s3Client } from './aws-clients';
import { setting } from './config';

/**
 * The anchors of the cases' history chains, outside the table: one object a day in an S3 bucket
 * whose Object Lock (compliance mode, records stack) lets no one, not even the account's root,
 * overwrite or delete a version before its retention ends. Only AnchorCaseHistories may put an
 * object, and it may not write the table; the table's writers may not write the bucket. Keys sort
 * by time (anchors/<ISO time>.json), so the latest anchor is the last listed.
 */
export interface Anchor {
  at: string;
  /** Every case's head at that time, by reference. */
  heads: Record<string, ChainHead>;
}

const PREFIX = 'anchors/';
const bucket = () => setting('HISTORY_ANCHOR_BUCKET');

export const putAnchor = async (anchor: Anchor): Promise<string> => {
  const key = `${PREFIX}${anchor.at}.json`;
  await s3Client().send(
    new PutObjectCommand({ Bucket: bucket(), Key: key, Body: JSON.stringify(anchor), ContentType: 'application/json', ChecksumAlgorithm: 'SHA256' }),
  );
  return key;
};

/** The latest anchor's key, listing the keys page by page (one a day: some 365 a year). */
const latestKey = async (): Promise<string | undefined> => {
  let latest: string | undefined;
  let token: string | undefined;
  do {
    const page = await s3Client().send(new ListObjectsV2Command({ Bucket: bucket(), Prefix: PREFIX, ...(token ? { ContinuationToken: token } : {}) }));
    for (const object of page.Contents ?? []) if (object.Key && (!latest || object.Key > latest)) latest = object.Key;
    token = page.NextContinuationToken;
  } while (token);
  return latest;
};

/** The latest anchor, if any was written. */
export const latestAnchor = async (): Promise<Anchor | undefined> => {
  const key = await latestKey();
  if (!key) return undefined;
  const { Body } = await s3Client().send(new GetObjectCommand({ Bucket: bucket(), Key: key }));
  return JSON.parse(await (Body as { transformToString: () => Promise<string> }).transformToString()) as Anchor;
};

/** The latest anchor, read once for a run however many cases ask (it holds every case's head: some 80 bytes a case). */
export const latestAnchorOnce = (): (() => Promise<Anchor | undefined>) => {
  let read: Promise<Anchor | undefined> | undefined;
  return () => {
    read ??= latestAnchor();
    return read;
  };
};

/** The head of a case in an anchor, if it includes the case (one filed since is in none yet). */
export const anchoredHeadIn = (anchor: Anchor | undefined, reference: string): (ChainHead & { at: string }) | undefined => {
  const head = anchor?.heads[reference];
  return anchor && head ? { ...head, at: anchor.at } : undefined;
};

/** The head of this case in the latest anchor, if that anchor includes the case. */
export const latestAnchoredHead = async (reference: string): Promise<(ChainHead & { at: string }) | undefined> =>
  anchoredHeadIn(await latestAnchor(), reference);
