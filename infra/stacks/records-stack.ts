import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AccessTokenKey } from '../constructs/access-token-key';
import { CaseHistoryAnchors } from '../constructs/case-history-anchors';
import { DecisionLinkKeyring } from '../constructs/decision-link-keyring';
import { NotificationsTable } from '../constructs/notifications-table';
import { SecasAlarmTopic } from '../constructs/secas-alarm-topic';
import { SecMail } from '../constructs/sec-mail';

export interface SecondUserSystemRecordsProps extends StackProps {
  sesIdentityDomain: string;
  /** Who every alarm tells (SECAS's operations addresses). */
  alarmAddresses: string[];
}

/**
 * The stateful half: what holds cases, keys and identities, and so must outlive every
 * deploy of the code. Termination-protected; every resource is retained if the stack goes and
 * none has a fixed name (a retained resource with a fixed name would block the next deploy).
 * It changes rarely, and a test pins each resource's logical ID and the properties whose change
 * would replace it (test/infra/stateful-identity.test.ts).
 */
export class SecondUserSystemRecords extends Stack {
  readonly table: NotificationsTable['table'];
  readonly tableKey: NotificationsTable['key'];
  readonly keyring: DecisionLinkKeyring['secret'];
  readonly keyringKey: DecisionLinkKeyring['key'];
  readonly mail: SecMail;
  /** Signs the access tokens the API's token endpoint issues (the register of SEC Users is in the table). */
  readonly accessTokenKey: AccessTokenKey['key'];
  readonly alarmTopic: SecasAlarmTopic['topic'];
  readonly historyAnchors: CaseHistoryAnchors['bucket'];

  constructor(scope: Construct, id: string, props: SecondUserSystemRecordsProps) {
    super(scope, id, { terminationProtection: true, ...props });
    const notifications = new NotificationsTable(this, 'NotificationsTable');
    this.table = notifications.table;
    this.tableKey = notifications.key;
    const keyring = new DecisionLinkKeyring(this, 'DecisionLinkKeyring');
    this.keyring = keyring.secret;
    this.keyringKey = keyring.key;
    this.mail = new SecMail(this, 'SecMail', { identityDomain: props.sesIdentityDomain });
    this.accessTokenKey = new AccessTokenKey(this, 'AccessTokenKey').key;
    this.alarmTopic = new SecasAlarmTopic(this, 'SecasAlarmTopic', { addresses: props.alarmAddresses }).topic;
    // Seven years: the six of the Limitation Act 1980 within which a decision may be disputed, and one to spare.
    this.historyAnchors = new CaseHistoryAnchors(this, 'CaseHistoryAnchors', { retentionYears: 7 }).bucket;
  }
}
