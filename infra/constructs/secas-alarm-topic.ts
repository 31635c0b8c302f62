import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface SecasAlarmTopicProps {
  /** Who is told when an alarm goes off: SECAS's operations addresses (context `alarmAddresses`). */
  addresses: string[];
}

/**
 * SecasAlarmTopic: the one SNS topic every alarm of the product notifies, with SECAS's addresses
 * subscribed, so that no alarm only lights a console. Encrypted with a key of its own (alarm
 * texts name cases) that CloudWatch may use, and TLS-only. CloudWatch must be let in explicitly:
 * a topic policy replaces SNS's default one, and alarms cannot publish to a topic whose key they
 * may not use, which would fail silently.
 */
export class SecasAlarmTopic extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: SecasAlarmTopicProps) {
    super(scope, id);
    const { account, region, partition } = Stack.of(this);
    const alarms = `arn:${partition}:cloudwatch:${region}:${account}:alarm:*`;
    const key = new Key(this, 'Key', {
      description: 'Encrypts the SECAS alarm topic (SECMP0057 notifications)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account }, ArnLike: { 'aws:SourceArn': alarms } },
      }),
    );
    this.topic = new Topic(this, 'Topic', { displayName: 'Second User System: alarms for SECAS', masterKey: key, enforceSSL: true });
    // Kept if the stack goes: its subscribers confirmed it by email, which a new topic would ask of them again.
    this.topic.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': account }, ArnLike: { 'aws:SourceArn': alarms } },
      }),
    );
    for (const address of props.addresses) this.topic.addSubscription(new EmailSubscription(address));
  }
}
