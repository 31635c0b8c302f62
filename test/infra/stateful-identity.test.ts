import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Synthesized, synth } from './synth';

/**
 * The records stack's resources keep their identity, whatever changes around them: each keeps its
 * logical ID (a new one is a new resource, the old one deleted, or orphaned where retained) and the
 * properties whose change makes CloudFormation replace it. They are pinned in
 * stateful-identity.json; changing the pin is a deliberate, reviewed act, and a data migration.
 */
type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string }> };

/** The properties whose update means replacement (CloudFormation's resource reference, "Update requires: Replacement"). */
const replacing: Record<string, string[]> = {
  'AWS::DynamoDB::GlobalTable': ['TableName', 'KeySchema', 'LocalSecondaryIndexes'],
  'AWS::KMS::Key': ['KeySpec', 'KeyUsage', 'MultiRegion', 'Origin'],
  'AWS::SecretsManager::Secret': ['Name'],
  'AWS::SES::ConfigurationSet': ['Name'],
  'AWS::SES::EmailIdentity': ['EmailIdentity'],
  'AWS::SNS::Topic': ['TopicName', 'FifoTopic'],
  'AWS::SNS::TopicPolicy': [],
  'AWS::SNS::Subscription': ['Endpoint', 'Protocol', 'TopicArn'],
  'AWS::S3::Bucket': ['BucketName', 'ObjectLockEnabled'],
  'AWS::S3::BucketPolicy': ['Bucket'],
};

const identityOf = (template: Template) =>
  Object.fromEntries(
    Object.entries(template.Resources)
      .filter(([, r]) => r.Type !== 'AWS::CDK::Metadata')
      .map(([id, r]) => {
        const props = replacing[r.Type];
        if (!props) throw new Error(`${id}: ${r.Type} has no list of replacing properties here; add it from CloudFormation's reference`);
        return [
          id,
          {
            type: r.Type,
            deletionPolicy: r.DeletionPolicy ?? 'Delete',
            replacing: Object.fromEntries(props.filter((p) => r.Properties?.[p] !== undefined).map((p) => [p, r.Properties?.[p]])),
          },
        ];
      }),
  );

const pinned = JSON.parse(readFileSync(new URL('./stateful-identity.json', import.meta.url), 'utf8')) as Record<string, unknown>;

let base: Synthesized;
beforeAll(() => {
  base = synth();
});

describe('the stateful resources', () => {
  it('keep the logical IDs, types, deletion policies and replacing properties pinned in stateful-identity.json', () => {
    const current = identityOf(base.records.toJSON() as Template);
    expect(current, `if this change is deliberate (a migration), pin:\n${JSON.stringify(current, null, 2)}`).toEqual(pinned);
  });

  // One synthesis each (both stacks, cdk-nag on): several seconds apiece on a busy machine.
  it.each([
    ['other deadlines', { deadlines: '{"userInformationWorkingDays":15,"hardLimitWorkingDays":30}' }],
    ['another meeting calendar', { sscMeetings: '{"rule":{"weekday":"Thursday","weeksOfMonth":[1,3]}}' }],
    ['another base URL', { publicBaseUrl: 'https://ssc.secas.example.org' }],
    ['other addresses', { senderAddress: 'other@secas.example.org', sscAddress: 'a@secas.example.org,b@secas.example.org' }],
  ])('are untouched by a change on the stateless side: %s', (_, context: Record<string, unknown>) => {
    const resourcesOf = (s: Synthesized) => (s.records.toJSON() as Template).Resources;
    expect(resourcesOf(synth(context)), JSON.stringify(context)).toEqual(resourcesOf(base));
  });

  it('never carry a fixed name where they are kept, in either stack (a kept resource with a fixed name blocks the next deploy)', () => {
    const nameProps = ['TableName', 'Name', 'TopicName', 'QueueName', 'FunctionName', 'RoleName', 'LogGroupName', 'AliasName', 'BucketName'];
    for (const template of [base.records.toJSON(), base.service.toJSON()] as Template[]) {
      for (const [id, r] of Object.entries(template.Resources)) {
        if (r.DeletionPolicy !== 'Retain') continue;
        for (const prop of nameProps) {
          const name = r.Properties?.[prop];
          if (name === undefined) continue;
          // A name made from this stack instance's own id is not fixed: a re-created stack gets another.
          expect(JSON.stringify(name), `${id}.${prop}`).toContain('"Ref":"AWS::StackId"');
        }
      }
    }
  });

  it('and every name that must be unique in the account comes from the stage: two stages side by side share none', () => {
    const staging = synth({ stage: 'staging' });
    // The properties that name a resource uniquely in an account and region (or globally).
    const uniqueName: Record<string, string> = {
      'AWS::CloudWatch::Alarm': 'AlarmName',
      'AWS::CloudWatch::Dashboard': 'DashboardName',
      'AWS::StepFunctions::StateMachine': 'StateMachineName',
      'AWS::Lambda::Function': 'FunctionName',
      'AWS::IAM::Role': 'RoleName',
      'AWS::SQS::Queue': 'QueueName',
      'AWS::Logs::LogGroup': 'LogGroupName',
      'AWS::Scheduler::ScheduleGroup': 'Name',
      'AWS::SNS::Topic': 'TopicName',
      'AWS::DynamoDB::GlobalTable': 'TableName',
      'AWS::SecretsManager::Secret': 'Name',
      'AWS::SES::ConfigurationSet': 'Name',
      'AWS::S3::Bucket': 'BucketName',
    };
    const names = (s: Synthesized) => {
      const found = new Set<string>([s.recordsName, s.serviceName]);
      for (const template of [s.records.toJSON(), s.service.toJSON()] as Template[])
        for (const r of Object.values(template.Resources)) {
          const prop = uniqueName[r.Type];
          const value = prop ? r.Properties?.[prop] : undefined;
          if (value !== undefined) found.add(JSON.stringify(value));
        }
      return found;
    };
    const prod = names(base);
    const other = names(staging);
    expect([...prod].filter((n) => other.has(n))).toEqual([]);
    expect(prod.size).toBeGreaterThan(60);
  });
});
