import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Synthesized, synth } from './synth';

let s: Synthesized;
beforeAll(() => {
  s = synth();
});

/**
 * What may go with the stack, and why: each is re-created by the next deploy, and keeping it would
 * block that deploy (a name fixed by something outside the stack) or keep nothing of value.
 */
const notRetained: Record<string, string> = {
  'AWS::SES::EmailIdentity': 'named by its domain: a kept one would block re-creation; its DKIM records are published again',
  'AWS::SNS::TopicPolicy': 'configuration of the kept topic',
  'AWS::SNS::Subscription': 'made again from the alarmAddresses context',
  'AWS::S3::BucketPolicy': 'configuration of the kept anchors bucket (HTTPS only)',
};

describe('SecondUserSystem records stack (stateful)', () => {
  it('is termination-protected, and keeps every resource of value if it goes', () => {
    const stack = s.app.node.findChild(s.recordsName) as unknown as { terminationProtection: boolean };
    expect(stack.terminationProtection).toBe(true);
    const resources = Object.entries(s.records.toJSON().Resources as Record<string, { Type: string; DeletionPolicy?: string; UpdateReplacePolicy?: string }>);
    for (const [id, resource] of resources) {
      if (resource.Type in notRetained || resource.Type === 'AWS::CDK::Metadata') continue;
      expect(resource.DeletionPolicy, `${id} (${resource.Type})`).toBe('Retain');
      expect(resource.UpdateReplacePolicy, `${id} (${resource.Type})`).toBe('Retain');
    }
    // Each exception is a resource the stack has.
    for (const type of Object.keys(notRetained))
      expect(
        resources.some(([, r]) => r.Type === type),
        type,
      ).toBe(true);
  });

  it('keeps cases in a DynamoDB table with PITR, deletion protection and TTL', () => {
    s.records.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true }, DeletionProtectionEnabled: true })],
      }),
    });
  });

  it('keeps the history anchors where no one can rewrite them: Object Lock in compliance mode, versioned, private, HTTPS only', () => {
    s.records.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2557 } } },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      }),
    });
  });

  it('holds no identity service: the access-token signing key is an asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY), kept', () => {
    for (const type of ['AWS::Cognito::UserPool', 'AWS::Cognito::UserPoolClient', 'AWS::Cognito::UserPoolDomain'])
      expect(Object.keys(s.records.findResources(type)), type).toHaveLength(0);
    const signing = Object.entries(s.records.findResources('AWS::KMS::Key')).filter(([id]) => id.startsWith('AccessTokenKey'));
    expect(signing).toHaveLength(1);
    expect(signing[0]?.[1]).toMatchObject({ DeletionPolicy: 'Retain', Properties: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' } });
  });

  it('encrypts the table, the keyring and the alarm topic with customer-managed keys that rotate', () => {
    // The access-token key signs, and asymmetric keys cannot rotate automatically (see access-token-key.ts).
    const keys = Object.fromEntries(Object.entries(s.records.findResources('AWS::KMS::Key')).filter(([id]) => !id.startsWith('AccessTokenKey')));
    expect(Object.keys(keys)).toHaveLength(3);
    for (const key of Object.values(keys)) expect((key as { Properties: { EnableKeyRotation: boolean } }).Properties.EnableKeyRotation).toBe(true);
    const tableKey = Object.keys(keys).find((id) => id.startsWith('NotificationsTable')) as string;
    s.records.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [Match.objectLike({ SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [tableKey, 'Arn'] } } })],
    });
    const keyringKey = Object.keys(keys).find((id) => id.startsWith('DecisionLinkKeyring')) as string;
    s.records.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: { 'Fn::GetAtt': [keyringKey, 'Arn'] } });
  });

  it('generates the link-signing keyring at deploy time, never in the template', () => {
    s.records.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { SecretStringTemplate: '{"currentKeyId":"k1"}', GenerateStringKey: 'k1', PasswordLength: 64 },
    });
  });

  it('sends mail through a configuration set that suppresses bounces and complaints', () => {
    s.records.hasResourceProperties('AWS::SES::ConfigurationSet', { SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] } });
  });

  it('has one encrypted, TLS-only SNS topic for the alarms, that SECAS is subscribed to and CloudWatch may publish to', () => {
    const [topicId] = Object.keys(s.records.findResources('AWS::SNS::Topic'));
    expect(Object.keys(s.records.findResources('AWS::SNS::Topic'))).toHaveLength(1);
    s.records.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'secas@secas.example.org', TopicArn: { Ref: topicId } });
    const topic = s.records.findResources('AWS::SNS::Topic')[topicId as string] as { Properties: { KmsMasterKeyId: { 'Fn::GetAtt': [string, string] } } };
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    expect(JSON.stringify(s.records.findResources('AWS::KMS::Key')[keyId])).toMatch(/"Service":"cloudwatch.amazonaws.com"/);
    const statements = (
      Object.values(s.records.findResources('AWS::SNS::TopicPolicy'))[0] as { Properties: { PolicyDocument: { Statement: Array<Record<string, any>> } } }
    ).Properties.PolicyDocument.Statement;
    expect(JSON.stringify(statements)).toMatch(/"aws:SecureTransport":"false"/);
    const cloudwatch = statements.find((st) => st.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(cloudwatch).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish' });
    expect(JSON.stringify(cloudwatch?.Condition)).toContain(':alarm:*');
  });
});
