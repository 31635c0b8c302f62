import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  RESOURCE_SERVER,
  emailEventHandlers,
  routeScopes,
  routes,
  scheduleTargets,
  scheduledTasks,
  substitutionFor,
  workflowEventHandlers,
  workflowTasks,
} from '../../functions/catalogue';
import definition from '../../statemachines/ssc-triage.asl.json' with { type: 'json' };
import { buildApp } from '../../infra/app';

/** The synthesized CloudFormation template, with cdk-nag's AwsSolutions checks on (as in `cdk synth`). */
let template: Template;

beforeAll(() => {
  const app = new App({
    context: {
      senderAddress: 'ssc-notifications@secas.example.org',
      sscAddress: 'ssc@secas.example.org',
      secasAddress: 'secas@secas.example.org',
      sesIdentityDomain: 'secas.example.org',
      tokenDomainPrefix: 'sec-sus-test',
      secUsers: [
        { id: 'northwold-energy', name: 'Northwold Energy' },
        { id: 'fenland-power', name: 'Fenland Power' },
      ],
    },
  });
  const { stack } = buildApp(app);
  // Synthesis runs the cdk-nag plugin: an unacknowledged finding throws here.
  app.synth();
  template = Template.fromStack(stack);
});

type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };
const statementsOf = (roleLogicalIdPrefix: string): Statement[] =>
  Object.entries(template.findResources('AWS::IAM::Policy'))
    .filter(([, policy]) => JSON.stringify((policy as { Properties: { Roles: unknown } }).Properties.Roles).includes(roleLogicalIdPrefix))
    .flatMap(([, policy]) => (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement);
const actions = (s: Statement) => [s.Action].flat();

describe('SecondUserSystem stack', () => {
  it('keeps cases in a DynamoDB table with PITR, deletion protection and TTL, retained on delete', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
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

  it('runs the ASL file as a traced, logged Standard workflow with every substitution filled', () => {
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')) as Array<{ Properties: Record<string, any> }>;
    expect(machine?.Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      DefinitionS3Location: expect.any(Object),
    });
    const expected = [...Object.keys(workflowTasks).map((t) => substitutionFor(t as keyof typeof workflowTasks)), 'NotificationsTableName'];
    expect(Object.keys(machine?.Properties.DefinitionSubstitutions).sort()).toEqual(expected.sort());
  });

  it('deploys every function on Node 24, arm64, with active tracing and its own retained log group', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as Array<{ Properties: Record<string, any> }>;
    const handlers =
      Object.keys(workflowTasks).length +
      new Set(routes.map((r) => r.name)).size +
      Object.keys(scheduledTasks).length +
      Object.keys(workflowEventHandlers).length +
      Object.keys(emailEventHandlers).length +
      Object.keys(scheduleTargets).length;
    expect(functions).toHaveLength(handlers);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('serves exactly the route table the sandbox serves, with access logs and throttling', () => {
    const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
      (r) => (r as { Properties: { RouteKey: string } }).Properties.RouteKey,
    );
    expect(routeKeys.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it("puts every route but the signed links and the API description behind the Cognito JWT authorizer, with the catalogue's scopes", () => {
    const authorizers = Object.values(template.findResources('AWS::ApiGatewayV2::Authorizer')) as Array<{ Properties: Record<string, any> }>;
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0]?.Properties).toMatchObject({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
    // Its audience: one app client per SEC User, and SECAS's.
    expect(authorizers[0]?.Properties.JwtConfiguration.Audience).toHaveLength(3);
    const byKey = new Map(
      (Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as Array<{ Properties: Record<string, any> }>).map((r) => [
        r.Properties.RouteKey,
        r.Properties,
      ]),
    );
    for (const route of routes) {
      const deployed = byKey.get(`${route.method} ${route.path}`);
      if (route.access === 'signed-link' || route.access === 'public') {
        expect(deployed, route.name).toBeDefined();
        expect(deployed?.AuthorizationType ?? 'NONE', route.name).toBe('NONE');
        continue;
      }
      expect(deployed, route.name).toMatchObject({ AuthorizationType: 'JWT', AuthorizationScopes: routeScopes(route) });
    }
  });

  it('issues client-credentials tokens only: one app client per SEC User with the user scope, SECAS with its own', () => {
    const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient')) as Array<{ Properties: Record<string, any> }>;
    expect(clients.map((c) => c.Properties.ClientName).sort()).toEqual(['Fenland Power', 'Northwold Energy', 'SECAS']);
    for (const client of clients) {
      expect(client.Properties).toMatchObject({ GenerateSecret: true, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthFlowsUserPoolClient: true });
      const scope = client.Properties.ClientName === 'SECAS' ? 'secas' : 'user';
      expect(JSON.stringify(client.Properties.AllowedOAuthScopes)).toContain(`/${scope}`);
      expect(client.Properties.AllowedOAuthScopes).toHaveLength(1);
    }
    template.hasResourceProperties('AWS::Cognito::UserPool', { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true }, DeletionProtection: 'ACTIVE' });
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', { Identifier: RESOURCE_SERVER });
  });

  it('alerts SECAS on every stopped execution, retried for a day into a dead-letter queue', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule')) as Array<{ Properties: Record<string, any> }>;
    const alertRule = rules.find((r) => r.Properties.EventPattern?.['detail-type']?.[0] === 'Step Functions Execution Status Change');
    expect(alertRule?.Properties.EventPattern).toMatchObject({
      source: ['aws.states'],
      detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [expect.any(Object)] },
    });
    expect(alertRule?.Properties.Targets[0]).toMatchObject({
      Arn: { 'Fn::GetAtt': [expect.stringMatching(/^AlertSecasOfWorkflowFaultFunction/), 'Arn'] },
      RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
      DeadLetterConfig: { Arn: expect.any(Object) },
    });
    const scheduled = (fn: string) => rules.find((r) => JSON.stringify(r.Properties.Targets ?? []).includes(`"${fn}`) && r.Properties.ScheduleExpression);
    expect(scheduled('ResumeUnstartedCasesFunction')?.Properties.ScheduleExpression).toBe('rate(5 minutes)');
    expect(scheduled('PublishCaseGaugesFunction')?.Properties.ScheduleExpression).toBe('rate(15 minutes)');
    // Only these two may look at executions, and only this state machine's.
    for (const name of ['ResumeUnstartedCasesFunction', 'AlertSecasOfWorkflowFaultFunction']) {
      const execution = statementsOf(name).filter((st) => actions(st).some((a) => a === 'states:DescribeExecution' || a === 'states:GetExecutionHistory'));
      expect(execution, name).toHaveLength(1);
      expect(JSON.stringify(execution[0]?.Resource)).toContain(':execution:SecondUserSystem-SscTriageWorkflow:*');
    }
  });

  it("leaves a deferred case's reminder to a one-time schedule: its own retained group, a role that may only invoke RemindOfAnnualReview, retries and one dead-letter queue", () => {
    const [group] = Object.values(template.findResources('AWS::Scheduler::ScheduleGroup')) as Array<{ Properties: { Name: string }; DeletionPolicy: string }>;
    expect(group).toMatchObject({ Properties: { Name: 'SecondUserSystem-AnnualReviews' }, DeletionPolicy: 'Retain' });
    // Only ScheduleAnnualReviewReminder creates schedules, only annual-review-* ones in that group, and passes only the invoker role.
    const creating = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p).includes('scheduler:CreateSchedule'))
      .map((p) => JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles));
    expect(creating).toHaveLength(1);
    expect(creating[0]).toMatch(/^\[\{"Ref":"ScheduleAnnualReviewReminderFunctionRole[0-9A-F]+"\}\]$/);
    const create = statementsOf('ScheduleAnnualReviewReminderFunction').find((st) => actions(st).includes('scheduler:CreateSchedule'));
    expect(JSON.stringify(create?.Resource)).toContain(':schedule/SecondUserSystem-AnnualReviews/annual-review-*');
    const pass = statementsOf('ScheduleAnnualReviewReminderFunction').find((st) => actions(st).includes('iam:PassRole'));
    expect(pass?.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
    expect(JSON.stringify(pass?.Resource)).toMatch(/AnnualReviewRemindersInvokeReminderRole/);
    // The invoker role: assumed by the Scheduler of this account, allowed to invoke the reminder and feed the dead-letter queue.
    const [roleId, role] = Object.entries(template.findResources('AWS::IAM::Role')).find(([id]) =>
      id.startsWith('AnnualReviewRemindersInvokeReminderRole'),
    ) as [string, { Properties: Record<string, any> }];
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0]).toMatchObject({
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': expect.anything() } },
    });
    const [policy] = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles).includes(roleId),
    ) as Array<{ Properties: { PolicyDocument: { Statement: Statement[] } } }>;
    const invoke = policy?.Properties.PolicyDocument.Statement.find((st) => actions(st).includes('lambda:InvokeFunction'));
    expect(JSON.stringify(invoke?.Resource)).toMatch(/^\{"Fn::GetAtt":\["RemindOfAnnualReviewFunction[0-9A-F]+","Arn"\]\}$/);
    expect(policy?.Properties.PolicyDocument.Statement.some((st) => actions(st).includes('sqs:SendMessage'))).toBe(true);
    // A function error: Lambda retries twice, then the same dead-letter queue.
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^RemindOfAnnualReviewFunction') },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AnnualReviewRemindersUndeliveredReminders'), 'Arn'] } } },
    });
    // The schedule-making task knows where its schedules go.
    const [task] = Object.entries(template.findResources('AWS::Lambda::Function'))
      .filter(([id]) => id.startsWith('ScheduleAnnualReviewReminderFunction'))
      .map(([, fn]) => fn as { Properties: { Environment: { Variables: Record<string, unknown> } } });
    expect(Object.keys(task?.Properties.Environment.Variables ?? {})).toEqual(
      expect.arrayContaining([
        'ANNUAL_REVIEW_SCHEDULE_GROUP',
        'ANNUAL_REVIEW_REMINDER_ARN',
        'ANNUAL_REVIEW_SCHEDULER_ROLE_ARN',
        'ANNUAL_REVIEW_DEAD_LETTER_ARN',
      ]),
    );
  });

  it('lets only the people-facing actions and the waiting tasks resume a wait, and only on this state machine', () => {
    const sendTask = (prefix: string) => statementsOf(`${prefix}Function`).filter((s) => actions(s).some((a) => a.startsWith('states:SendTask')));
    const allowed = [
      'TakeDecision',
      'AnswerInformationRequest',
      'WithdrawNotification',
      'RecordAssessment',
      'SubmitAssessmentRecord',
      'RequestSscDecision',
      'AskUserForInformation',
      'AwaitAssessmentRecord',
    ];
    for (const name of allowed) {
      expect(sendTask(name), name).not.toHaveLength(0);
      // Either a reference to the state machine, or its ARN built from its fixed name: nothing wider.
      for (const s of sendTask(name)) {
        const resource = JSON.stringify(s.Resource);
        expect(resource, name).toMatch(/^\{"Ref":"SscTriageWorkflowStateMachine[0-9A-F]+"\}$|:stateMachine:SecondUserSystem-SscTriageWorkflow"\]\]\}$/);
      }
    }
    const everyFunction = [...new Set([...routes.map((r) => r.name), ...Object.keys(workflowTasks)])];
    for (const name of everyFunction.filter((n) => !allowed.includes(n))) expect(sendTask(name), name).toHaveLength(0);
  });

  it('gives the state machine its fixed name, which the waiting tasks are granted', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'SecondUserSystem-SscTriageWorkflow' });
    const granted = JSON.stringify(statementsOf('RequestSscDecisionFunction').filter((s) => actions(s).includes('states:SendTaskSuccess')));
    expect(granted).toContain(':stateMachine:SecondUserSystem-SscTriageWorkflow');
  });

  it('sends every alarm to one encrypted, TLS-only SNS topic that SECAS is subscribed to and CloudWatch may publish to', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Array<{ Properties: Record<string, any> }>;
    const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
    expect(Object.keys(template.findResources('AWS::SNS::Topic'))).toHaveLength(1);
    for (const alarm of alarms) {
      expect(alarm.Properties.ActionsEnabled, alarm.Properties.AlarmName).toBe(true);
      expect(alarm.Properties.AlarmActions, alarm.Properties.AlarmName).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.AlarmDescription, alarm.Properties.AlarmName).toMatch(/Runbook: README, "Runbook", row "[^"]+"\.$/);
    }
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'secas@secas.example.org', TopicArn: { Ref: topicId } });
    const topic = template.findResources('AWS::SNS::Topic')[topicId as string] as { Properties: { KmsMasterKeyId: { 'Fn::GetAtt': [string, string] } } };
    const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
    const key = JSON.stringify(template.findResources('AWS::KMS::Key')[keyId]);
    expect(key).toMatch(/"Service":"cloudwatch.amazonaws.com"/);
    const policy = JSON.stringify(template.findResources('AWS::SNS::TopicPolicy'));
    expect(policy).toMatch(/"aws:SecureTransport":"false"/);
    const statements = (
      Object.values(template.findResources('AWS::SNS::TopicPolicy'))[0] as { Properties: { PolicyDocument: { Statement: Array<Record<string, any>> } } }
    ).Properties.PolicyDocument.Statement;
    const cloudwatch = statements.find((st) => st.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(cloudwatch).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish' });
    expect(JSON.stringify(cloudwatch?.Condition)).toContain(':alarm:*');
  });

  it("alarms on what can fail unseen: stopped executions, undelivered alerts, API 5xx, each function's errors and throttles, DynamoDB throttling, SES reputation, the SSC's meeting dates running out", () => {
    // What each alarm watches: namespace, metric and the resource it names (SystemErrors sums one metric per operation).
    const watched = [
      ...new Set(
        (Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Array<{ Properties: { Metrics: Array<Record<string, any>> } }>).flatMap((a) =>
          a.Properties.Metrics.filter((m) => m.MetricStat).map((m) => {
            const { Namespace, MetricName, Dimensions = [] } = m.MetricStat.Metric;
            const on = JSON.stringify(Dimensions.map((d: { Value: unknown }) => d.Value)).match(/"(?:Ref|Fn::GetAtt)":\[?"([A-Za-z]+?)[0-9A-F]{8}/)?.[1] ?? '';
            return `${Namespace} ${MetricName} ${on}`;
          }),
        ),
      ),
    ];
    const expected = [
      ...['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted', 'ExecutionThrottled'].map((m) => `AWS/States ${m} SscTriageWorkflowStateMachine`),
      'AWS/SQS ApproximateNumberOfMessagesVisible WorkflowFaultAlertsUndeliveredAlerts',
      'AWS/SQS ApproximateNumberOfMessagesVisible DeliveryProblemTrackingUnrecordedProblems',
      'AWS/SQS ApproximateNumberOfMessagesVisible AnnualReviewRemindersUndeliveredReminders',
      'AWS/ApiGateway 5xx NotificationsApiHttpApi',
      'AWS/DynamoDB ReadThrottleEvents NotificationsTable',
      'AWS/DynamoDB WriteThrottleEvents NotificationsTable',
      'AWS/DynamoDB SystemErrors NotificationsTable',
      'AWS/SES Reputation.BounceRate ',
      'AWS/SES Reputation.ComplaintRate ',
      'SecondUserSystem SscMeetingCalendarDaysLeft ',
    ];
    const functions = [
      ...new Set(routes.map((r) => r.name)),
      ...Object.keys(workflowTasks),
      ...Object.keys(scheduledTasks),
      ...Object.keys(workflowEventHandlers),
      ...Object.keys(emailEventHandlers),
      ...Object.keys(scheduleTargets),
    ];
    for (const fn of functions) expected.push(`AWS/Lambda Errors ${fn}Function`, `AWS/Lambda Throttles ${fn}Function`);
    for (const w of expected) expect(watched, w).toContain(w);
    expect(watched).toHaveLength(expected.length);
  });

  it("gives SECAS a dashboard of the business metrics, the gauges, every alarm's state, the API and the workflow", () => {
    const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
    const [secas] = Object.values(dashboards).filter(
      (d) => (d as { Properties: { DashboardName?: string } }).Properties.DashboardName === 'SecondUserSystem-SECAS',
    ) as Array<{ Properties: { DashboardBody: unknown } }>;
    expect(secas).toBeDefined();
    const body = JSON.stringify(secas?.Properties.DashboardBody);
    for (const metric of [
      'OpenCases',
      'OldestWaitDays',
      'WaitsPastDue',
      'SscMeetingCalendarDaysLeft',
      'NotificationsFiled',
      'SscDecisions',
      'AnswersGiven',
      'Escalations',
      'OverdueEndings',
      'AssessmentOutcomes',
      'WorkflowFaults',
      'UndeliveredEmails',
    ]) {
      expect(body, metric).toContain(`\\"SecondUserSystem\\",\\"${metric}\\"`);
    }
    expect(body).toContain('\\"service\\",\\"second-user-system\\"');
    for (const status of [
      'AwaitingSscDecision',
      'AwaitingUserInformation',
      'AwaitingAssessmentSchedule',
      'AwaitingAssessmentOutcome',
      'DeferredToAnnualReview',
    ])
      expect(body).toContain(status);
    // Every alarm's state is on it.
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
    for (const alarm of alarms) expect(body, alarm).toContain(alarm);
    expect(body).toMatch(/AWS\/ApiGateway.*Latency/);
    expect(body).toMatch(/AWS\/States.*ExecutionsStarted/);
    const gauges = statementsOf('PublishCaseGaugesFunction')
      .flatMap(actions)
      .filter((a) => a.startsWith('dynamodb:'));
    expect(gauges.filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
  });

  it("grants the state machine exactly the DynamoDB actions of its ASL's integrations", () => {
    const used = new Set(
      Object.values(definition.States as Record<string, { Resource?: string }>)
        .map((state) => /^arn:aws:states:::dynamodb:(\w+)$/.exec(state.Resource ?? '')?.[1])
        .filter((op): op is string => op !== undefined)
        .map((op) => `dynamodb:${op[0]?.toUpperCase()}${op.slice(1)}`),
    );
    const granted = statementsOf('SscTriageWorkflowStateMachineRole')
      .flatMap(actions)
      .filter((a) => a.startsWith('dynamodb:'));
    expect(new Set(granted)).toEqual(used);
    expect(used).toEqual(new Set(['dynamodb:UpdateItem', 'dynamodb:PutItem']));
  });

  it('grants no data or workflow action on Resource "*"', () => {
    const all = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
    );
    const starred = all.filter((s) => s.Resource === '*').flatMap(actions);
    expect(starred.filter((a) => !/^(xray|logs):/.test(a))).toEqual([]);
  });

  it('lets the read-only routes only read the table', () => {
    for (const name of ['GetNotificationFunction', 'ListNotificationsFunction', 'DecisionPageFunction', 'AssessmentRecordFormFunction']) {
      const dynamo = statementsOf(name)
        .flatMap(actions)
        .filter((a) => a.startsWith('dynamodb:'));
      expect(dynamo.length).toBeGreaterThan(0);
      expect(dynamo.filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
    }
  });

  it('gives every function the deadline settings and the SSC meeting calendar, defaulting to the documented ones', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as Array<{
      Properties: { Environment: { Variables: Record<string, string> } };
    }>;
    for (const fn of functions) {
      expect(fn.Properties.Environment.Variables).toMatchObject({
        USER_INFORMATION_WORKING_DAYS: '10',
        ASSESSMENT_SCHEDULE_WORKING_DAYS: '20',
        ASSESSMENT_OUTCOME_WORKING_DAYS: '20',
        REMINDER_LEAD_WORKING_DAYS: '3',
        HARD_LIMIT_WORKING_DAYS: '20',
        ANNUAL_REVIEW_REMINDER_LEAD_WORKING_DAYS: '10',
        SSC_MEETINGS: '{"rule":{"weekday":"Wednesday","weeksOfMonth":[2,4]}}',
        SSC_PAPER_DEADLINE_WORKING_DAYS: '5',
      });
    }
  });

  it('encrypts the table, the keyring and the alarm topic with customer-managed keys that rotate, the table usable by the workflow', () => {
    const keys = template.findResources('AWS::KMS::Key');
    expect(Object.keys(keys)).toHaveLength(3);
    for (const key of Object.values(keys)) expect((key as { Properties: { EnableKeyRotation: boolean } }).Properties.EnableKeyRotation).toBe(true);
    const tableKey = Object.keys(keys).find((id) => id.startsWith('NotificationsTable')) as string;
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [Match.objectLike({ SSESpecification: { KMSMasterKeyId: { 'Fn::GetAtt': [tableKey, 'Arn'] } } })],
    });
    const keyringKey = Object.keys(keys).find((id) => id.startsWith('DecisionLinkKeyring')) as string;
    template.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: { 'Fn::GetAtt': [keyringKey, 'Arn'] } });
    const workflowKms = statementsOf('SscTriageWorkflowStateMachineRole').filter((s) => actions(s).includes('kms:Decrypt'));
    expect(JSON.stringify(workflowKms)).toContain(tableKey);
  });

  it('generates the link-signing keyring at deploy time, never in the template', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { SecretStringTemplate: '{"currentKeyId":"k1"}', GenerateStringKey: 'k1', PasswordLength: 64 },
    });
  });

  it('sends mail through a configuration set that suppresses bounces and complaints', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
    });
  });

  it("publishes the configuration set's bounces, rejects, complaints and delays to EventBridge, for RecordDeliveryProblem", () => {
    const [setId] = Object.keys(template.findResources('AWS::SES::ConfigurationSet'));
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: setId },
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'reject', 'complaint', 'deliveryDelay'],
        EventBridgeDestination: { EventBusArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':event-bus/default'])]) }) },
      },
    });
    const rules = Object.values(template.findResources('AWS::Events::Rule')) as Array<{ Properties: Record<string, any> }>;
    const rule = rules.find((r) => r.Properties.EventPattern?.source?.[0] === 'aws.ses');
    expect(rule?.Properties.EventPattern).toEqual({
      source: ['aws.ses'],
      'detail-type': [...emailEventHandlers.RecordDeliveryProblem.detailTypes],
      detail: { mail: { tags: { 'ses:configuration-set': [{ Ref: setId }] } } },
    });
    expect(rule?.Properties.Targets[0]).toMatchObject({
      Arn: { 'Fn::GetAtt': [expect.stringMatching(/^RecordDeliveryProblemFunction/), 'Arn'] },
      RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryProblemTrackingUnrecordedProblems/), 'Arn'] } },
    });
    const granted = statementsOf('RecordDeliveryProblemFunction').flatMap(actions);
    expect(granted).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'ses:SendEmail']));
  });
});
