/** The NotificationsTable's keys and indexes, shared by the CDK construct, the sandbox and the repository. */
export const notificationsTableDesign = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'ttl',
  /** Only case items carry both keys of these indexes, so neither holds anything else. */
  indexes: {
    /** A User's cases, newest first. */
    byOwner: { indexName: 'CasesByOwner', partitionKey: 'ownerId', sortKey: 'receivedAt' },
    /** Cases in one status, by age: SECAS's lists, and cases whose workflow never started. */
    byStatus: { indexName: 'CasesByStatus', partitionKey: 'status', sortKey: 'receivedAt' },
  },
} as const;
