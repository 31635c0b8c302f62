import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { Problem } from '../domain/problem';
import type { LinkHolder, SscMember } from '../domain/ssc-members';
import { documentClient } from './aws-clients';
import { setting } from './config';

/**
 * The register of SSC members and their Alternates, in the NotificationsTable (single-table: see table-design.ts):
 *   SSC_MEMBERS / MEMBER#<memberId>   a member: their Alternate, whether they have left, and the audit trail
 * One partition holds the register: the SSC is a committee of some dozen people, so the decision
 * emails' recipients are one Query of it, and a link's holder is one GetItem by key. A member who
 * leaves keeps their item (marked removed), for its audit trail. No index: nothing else is looked up.
 */
export const MEMBERS_PARTITION = 'SSC_MEMBERS';
const memberKey = (memberId: string) => ({ pk: MEMBERS_PARTITION, sk: `MEMBER#${memberId}` });
const table = () => setting('TABLE_NAME');

const strip = (item: Record<string, unknown>): SscMember => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as SscMember;
};

/** The member as they stand now (strongly consistent: a removal is read at once, so a departed member's link stops at once). */
export const getMember = async (memberId: string): Promise<SscMember | undefined> => {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: memberKey(memberId), ConsistentRead: true }));
  return Item ? strip(Item) : undefined;
};

/** Every member, current and former, by one Query of the register's partition. */
export const listMembers = async (): Promise<SscMember[]> => {
  const members: SscMember[] = [];
  const pages = paginateQuery(
    { client: documentClient() },
    {
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :member)',
      ExpressionAttributeValues: { ':pk': MEMBERS_PARTITION, ':member': 'MEMBER#' },
      ConsistentRead: true,
    },
  );
  for await (const page of pages) for (const item of page.Items ?? []) members.push(strip(item));
  return members;
};

const changedMeanwhile = () =>
  new Problem(409, 'conflict', 'Conflict', 'The member was changed by another request meanwhile; nothing was changed. Read the register and try again.');

/** Writes a member: a new one only if its id is free, a changed one only if nobody changed it since it was read (its version). */
export const saveMember = async (member: SscMember): Promise<void> => {
  try {
    await documentClient().send(
      new PutCommand({
        TableName: table(),
        Item: { ...memberKey(member.memberId), ...member },
        ...(member.version === 1
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :read', ExpressionAttributeValues: { ':read': member.version - 1 } }),
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw changedMeanwhile();
    throw error;
  }
};

/**
 * A transaction's check that a link's holder still stands in the register (the member not removed;
 * for an Alternate, still the member's Alternate), written with the claim it guards.
 */
export const holderStandsCheck = (holder: LinkHolder) => ({
  ConditionCheck: {
    TableName: table(),
    Key: memberKey(holder.memberId),
    ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(removedAt)${holder.alternateId === undefined ? '' : ' AND #alternate.alternateId = :alternate'}`,
    ...(holder.alternateId === undefined
      ? {}
      : { ExpressionAttributeNames: { '#alternate': 'alternate' }, ExpressionAttributeValues: { ':alternate': holder.alternateId } }),
  },
});
