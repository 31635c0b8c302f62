import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { notificationsTableDesign } from '../../functions/adapters/table-design';

/**
 * NotificationsTable: every case, its reference sequence and its SSC decision requests.
 * Compliance records: point-in-time recovery, deletion protection, kept if the stack goes,
 * and encrypted with a key of our own (notifications describe security architecture).
 */
export class NotificationsTable extends Construct {
  readonly table: TableV2;
  readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const { partitionKey, sortKey, timeToLiveAttribute, indexes } = notificationsTableDesign;
    const key = new Key(this, 'Key', {
      description: 'Encrypts the NotificationsTable (SECMP0057 notifications)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key = key;
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: partitionKey, type: AttributeType.STRING },
      sortKey: { name: sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(key),
      timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Whole items: a list page shows a summary of each case, and cases are few (tens a year).
      globalSecondaryIndexes: Object.values(indexes).map((index) => ({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      })),
    });
  }
}
