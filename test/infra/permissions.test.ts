import { describe, expect, it } from 'vitest';
import { authorisedAs, named, registerSandboxNames } from '../../infra/local/aws-calls';
import { type GrantException, checkPermissions } from '../support/permissions/check';
import { Deployment, type Template } from '../support/permissions/deployment';

/**
 * The permission check itself (test/support/permissions/), on two small stacks: a stateful one
 * exporting its table and key, and a stateless one whose function reads the table, sends to its
 * dead-letter queue and is invoked by an EventBridge rule.
 */
const records: Template = {
  Resources: {
    Key: {
      Type: 'AWS::KMS::Key',
      Properties: {
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } },
              Action: 'kms:*',
              Resource: '*',
            },
          ],
        },
      },
    },
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { SSESpecification: { SSEEnabled: true, KMSMasterKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } } } },
  },
  Outputs: {
    TableArn: { Value: { 'Fn::GetAtt': ['Table', 'Arn'] } },
    TableName: { Value: { Ref: 'Table' } },
    KeyArn: { Value: { 'Fn::GetAtt': ['Key', 'Arn'] } },
  },
};
const output = (OutputName: string) => ({ 'Fn::GetStackOutput': { StackName: 'Records', OutputName, Region: 'eu-west-2' } });
const service: Template = {
  Resources: {
    Role: { Type: 'AWS::IAM::Role', Properties: {} },
    Policy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        Roles: [{ Ref: 'Role' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Scan'], Resource: output('TableArn') },
            { Effect: 'Allow', Action: 'kms:Decrypt', Resource: output('KeyArn') },
            { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] } },
            { Effect: 'Allow', Action: 'xray:PutTraceSegments', Resource: '*' },
          ],
        },
      },
    },
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        FunctionName: { 'Fn::Sub': `\${AWS::StackName}-Reader` },
        Role: { 'Fn::GetAtt': ['Role', 'Arn'] },
        Environment: { Variables: { TABLE_NAME: output('TableName'), STAGE: { 'Fn::Select': [1, { 'Fn::Split': ['-', 'x-prod-y'] }] } } },
      },
    },
    Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
    Invoke: {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: { FunctionName: { Ref: 'Fn' }, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['Queue', 'Arn'] } } } },
    },
    Rule: { Type: 'AWS::Events::Rule', Properties: { Targets: [{ Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] }, Id: 'Target0' }] } },
    Other: { Type: 'AWS::Events::Rule', Properties: {} },
    Permission: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': ['Fn', 'Arn'] },
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': ['Rule', 'Arn'] },
      },
    },
  },
};
const deployment = () => new Deployment({ Records: records, Service: service });
const functions = { Reader: { stack: 'Service', logicalId: 'Fn' } };
const table = `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/\${TABLE_NAME}`;
const tracing: GrantException = { name: 'tracing', reason: 'Lambda traces as the function', matches: (g) => g.action === 'xray:PutTraceSegments' };

describe('the deployment resolver', () => {
  it('resolves Ref, GetAtt, Join, Sub, Select, Split, the pseudo parameters and the other stack’s outputs to concrete values', () => {
    const d = deployment();
    const tableName = d.ref('Records', 'Table');
    expect(tableName).toMatch(/^Records-Table-[0-9A-Z]{12}$/);
    expect(d.resolve('Service', output('TableArn'))).toBe(`arn:aws:dynamodb:eu-west-2:123456789012:table/${tableName}`);
    expect(d.resolve('Service', service.Resources.Fn?.Properties?.Environment)).toEqual({ Variables: { TABLE_NAME: tableName, STAGE: 'prod' } });
    expect(d.getAtt('Service', 'Fn', 'Arn')).toBe('arn:aws:lambda:eu-west-2:123456789012:function:Service-Reader');
    expect(d.resolve('Service', { 'Fn::Sub': [`\${Q}/\${AWS::Region}`, { Q: { 'Fn::GetAtt': ['Queue', 'QueueName'] } }] })).toMatch(
      /^Service-Queue-[0-9A-Z]{12}\/eu-west-2$/,
    );
    expect(d.resolve('Records', records.Resources.Key?.Properties?.KeyPolicy).Statement[0].Principal.AWS).toBe('arn:aws:iam::123456789012:root');
    expect(d.resolve('Service', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] })).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses what it does not model, naming it', () => {
    expect(() => deployment().resolve('Service', { 'Fn::GetAtt': ['Rule', 'Nope'] })).toThrow('no model of AWS::Events::Rule.Nope');
    expect(() => deployment().resolve('Service', { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] })).toThrow('intrinsic Fn::Cidr');
  });
});

describe('the permission check', () => {
  it('allows a granted call and the KMS decrypt DynamoDB makes for it; names a call without a grant', async () => {
    const report = await checkPermissions(deployment(), functions, [
      { principal: 'function:Reader', action: 'dynamodb:GetItem', resource: table },
      { principal: 'function:Reader', action: 'dynamodb:PutItem', resource: table },
    ]);
    const results = report.checks.map((c) => [c.action, c.result]);
    expect(results).toEqual([
      ['dynamodb:GetItem', 'Allowed'],
      ['kms:Decrypt', 'Allowed'],
      ['dynamodb:PutItem', 'ImplicitlyDenied'],
    ]);
    expect(report.denied).toEqual([
      expect.objectContaining({ holder: 'function:Reader', action: 'dynamodb:PutItem', resource: expect.stringMatching(/:table\/Records-Table-/) }),
    ]);
    expect(report.checks[1]).toMatchObject({
      derivedFrom: expect.stringContaining('dynamodb:GetItem'),
      context: { 'kms:ViaService': 'dynamodb.eu-west-2.amazonaws.com' },
    });
  });

  it('lists each grant no allowed call used, but those excepted with a reason', async () => {
    const report = await checkPermissions(
      deployment(),
      functions,
      [
        { principal: 'function:Reader', action: 'dynamodb:GetItem', resource: table },
        { principal: 'function:Reader', action: 'sqs:SendMessage', resource: `\${on-failure-destination:Reader}` },
      ],
      [tracing],
    );
    expect(report.unexercised.map((g) => [g.holder, g.action])).toEqual([
      ['function:Reader', 'dynamodb:Scan'],
      ['service:events.amazonaws.com', 'lambda:InvokeFunction'],
    ]);
    expect(report.excepted.map((e) => [e.grant.action, e.exception])).toEqual([['xray:PutTraceSegments', 'tracing']]);
  });

  it("holds a service's call to the resource policy: EventBridge invokes the function as the rule it permits, not as another", async () => {
    const invoke = (rule: string) => ({
      principal: 'service:events.amazonaws.com',
      action: 'lambda:InvokeFunction',
      resource: `\${function:Reader}`,
      context: { 'aws:SourceArn': rule },
    });
    const report = await checkPermissions(deployment(), functions, [
      invoke(`\${events-rule-targeting:Reader}`),
      invoke(`arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/Other`),
    ]);
    expect(report.checks.map((c) => c.result)).toEqual(['Allowed', 'ImplicitlyDenied']);
    expect(report.unexercised.map((g) => g.action)).not.toContain('lambda:InvokeFunction');
  });

  it('reports a call to a resource the stacks do not have, naming the name it could not resolve', async () => {
    const report = await checkPermissions(deployment(), functions, [{ principal: 'function:Reader', action: 'dynamodb:GetItem', resource: `\${OTHER_TABLE}` }]);
    expect(report.unresolved).toEqual([expect.objectContaining({ error: expect.stringContaining(`\${OTHER_TABLE} has no deployed value`) })]);
  });
});

describe('what the recorder authorises an SDK call as', () => {
  registerSandboxNames({
    TABLE_NAME: 'Notifications-test',
    SENDER_ADDRESS: 'notices@example.org',
    SES_CONFIGURATION_SET: 'sandbox-set',
    STATE_MACHINE_ARN: 'arn:aws:states:eu-west-2:000000000000:stateMachine:Flow',
    ANNUAL_REVIEW_SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/Invoker',
  });

  it('a transaction item by item, a query on its index', () => {
    expect(
      authorisedAs('DynamoDBClient', 'TransactWriteItems', {
        TransactItems: [
          { Put: { TableName: 'Notifications-test' } },
          { ConditionCheck: { TableName: 'Notifications-test' } },
          { Update: { TableName: 'Other' } },
        ],
      }),
    ).toEqual([
      { action: 'dynamodb:PutItem', resource: table },
      { action: 'dynamodb:ConditionCheckItem', resource: table },
      { action: 'dynamodb:UpdateItem', resource: `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/Other` },
    ]);
    expect(authorisedAs('DynamoDBClient', 'Query', { TableName: 'Notifications-test', IndexName: 'ByOwner' })).toEqual([
      { action: 'dynamodb:Query', resource: `${table}/index/ByOwner` },
    ]);
  });

  it("an email on its sender's identity and on its configuration set", () => {
    expect(authorisedAs('SESv2Client', 'SendEmail', { FromEmailAddress: 'SEC <notices@example.org>', ConfigurationSetName: 'sandbox-set' })).toEqual([
      { action: 'ses:SendEmail', resource: `arn:\${AWS::Partition}:ses:\${AWS::Region}:\${AWS::AccountId}:identity/\${SENDER_ADDRESS#domain}` },
      { action: 'ses:SendEmail', resource: `arn:\${AWS::Partition}:ses:\${AWS::Region}:\${AWS::AccountId}:configuration-set/\${SES_CONFIGURATION_SET}` },
    ]);
  });

  it('an execution by its state machine, a schedule in its group with the role it passes', () => {
    expect(named('arn:aws:states:eu-west-2:000000000000:execution:Flow:SUS-1')).toBe(`\${STATE_MACHINE_ARN#execution}:SUS-1`);
    expect(
      authorisedAs('SchedulerClient', 'CreateSchedule', {
        Name: 'annual-review-1',
        GroupName: 'G',
        Target: { RoleArn: 'arn:aws:iam::000000000000:role/Invoker' },
      }),
    ).toEqual([
      { action: 'scheduler:CreateSchedule', resource: `arn:\${AWS::Partition}:scheduler:\${AWS::Region}:\${AWS::AccountId}:schedule/G/annual-review-1` },
      { action: 'iam:PassRole', resource: `\${ANNUAL_REVIEW_SCHEDULER_ROLE_ARN}`, context: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    ]);
    expect(authorisedAs('KinesisClient', 'PutRecord', {})).toEqual([{ action: 'kinesis:PutRecord', resource: '*' }]);
  });
});
