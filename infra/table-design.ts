/** The NotificationsTable's keys, shared by the CDK construct and the local sandbox. */
export const notificationsTableDesign = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'ttl',
} as const;
