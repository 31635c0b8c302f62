import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type FunctionName,
  functionNames,
  routeScopes,
  routes,
  settingsOf,
  specOf,
  substitutionFor,
  triggeredBy,
  workflowTaskNames,
} from '../../functions/catalogue';
import definition from '../../statemachines/ssc-triage.asl.json' with { type: 'json' };
import { type Statement, type Synthesized, actions, statementsOf, synth } from './synth';

/** Bundled once here, as `cdk synth` does: the other infra tests leave the code out. */
let s: Synthesized;
// Bundling forty-odd functions (one esbuild run, each staged) takes tens of seconds on a busy two-core machine.
beforeAll(() => {
  s = synth({}, { bundle: true });
}, 240_000);

type Resource = { Properties: Record<string, any>; DeletionPolicy?: string };
const resources = (type: string) => s.service.findResources(type) as Record<string, Resource>;
const fnStatements = (name: FunctionName) => statementsOf(s.service, `Functions${name}Role`);
const asyncTriggered = [
  ...triggeredBy('every'),
  ...triggeredBy('workflow-status'),
  ...triggeredBy('email-events'),
  ...triggeredBy('annual-review-schedule'),
].map((t) => t.name);

describe('SecondUserSystem service stack (stateless)', () => {
  it('runs the ASL file as a traced, logged Standard workflow with every substitution filled, logging under /aws/vendedlogs/', () => {
    const [machine] = Object.values(resources('AWS::StepFunctions::StateMachine'));
    expect(machine?.Properties).toMatchObject({
      StateMachineName: `${s.serviceName}-SscTriageWorkflow`,
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      DefinitionS3Location: expect.any(Object),
    });
    const expected = [...workflowTaskNames.map(substitutionFor), 'NotificationsTableName'];
    expect(Object.keys(machine?.Properties.DefinitionSubstitutions).sort()).toEqual(expected.sort());
    // Vended logs need no entry in the account's size-capped CloudWatch Logs resource policy; the
    // kept group is named after this stack instance, so a re-created stack does not collide with it.
    const [logsId, logs] = Object.entries(resources('AWS::Logs::LogGroup')).find(([id]) => id.startsWith('SscTriageWorkflowLogs')) as [string, Resource];
    expect(JSON.stringify(logs.Properties.LogGroupName)).toMatch(/"\/aws\/vendedlogs\/states\/.*\{"Ref":"AWS::StackId"\}/);
    expect(logs.DeletionPolicy).toBe('Retain');
    expect(JSON.stringify(machine?.Properties.LoggingConfiguration)).toContain(logsId);
  });

  it('deploys every function of the catalogue on Node 24, arm64, with active tracing and its own retained log group', () => {
    const functions = Object.values(resources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(functionNames.length);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
    }
    s.service.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it("stays inside CloudFormation's quotas for one stack, with room to grow: a template of 1 MB, 500 resources", () => {
    const template = statSync(join(s.app.outdir, `${s.serviceName}.template.json`)).size;
    expect(template).toBeLessThan(0.8 * 1_000_000);
    expect(Object.keys(s.service.toJSON().Resources).length).toBeLessThan(480);
  });

  it("stages each function with its own entry's bundle, however many share one esbuild run: index.mjs exporting the handler, and its source map", () => {
    const staged = functionNames.map((name) => {
      const [, fn] = Object.entries(resources('AWS::Lambda::Function')).find(([id]) => id.startsWith(`Functions${name}Function`)) as [string, Resource];
      expect(fn.Properties.Handler).toBe('index.handler');
      const asset = join(s.app.outdir, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
      expect(readdirSync(asset).sort(), name).toEqual(['index.mjs', 'index.mjs.map']);
      expect(readFileSync(join(asset, 'index.mjs'), 'utf8')).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}/);
      // The handler files the bundle was built from: its own entry, and no other function's.
      const { sources } = JSON.parse(readFileSync(join(asset, 'index.mjs.map'), 'utf8')) as { sources: string[] };
      const entries = functionNames.map((other) => specOf(other).entry).filter((entry) => sources.some((source) => source.endsWith(`/${entry}`)));
      expect(entries, name).toEqual([specOf(name).entry]);
      return asset;
    });
    expect(new Set(staged).size).toBe(functionNames.length);
  });

  it("gives each function exactly the settings its catalogue entry implies, and the stage's service name", () => {
    for (const name of functionNames) {
      const [fn] = Object.entries(resources('AWS::Lambda::Function')).filter(([id]) => id.startsWith(`Functions${name}Function`));
      const variables = Object.keys(fn?.[1].Properties.Environment.Variables ?? {}).filter((v) => !/^(NODE_OPTIONS|POWERTOOLS_)/.test(v));
      const optionalUnset = ['LINK_KEYRING_CACHE_SECONDS', 'ACCESS_TOKEN_SECONDS'];
      expect(variables.sort(), name).toEqual(settingsOf(specOf(name)).filter((v) => !optionalUnset.includes(v)));
      expect(fn?.[1].Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).toBe('second-user-system-prod');
    }
    const [manage] = Object.entries(resources('AWS::Lambda::Function')).filter(([id]) => id.startsWith('FunctionsManageDeadlineFunction'));
    expect(manage?.[1].Properties.Environment.Variables).toMatchObject({
      USER_INFORMATION_WORKING_DAYS: '10',
      ASSESSMENT_SCHEDULE_WORKING_DAYS: '20',
      ASSESSMENT_OUTCOME_WORKING_DAYS: '20',
      REMINDER_LEAD_WORKING_DAYS: '3',
      HARD_LIMIT_WORKING_DAYS: '20',
      ANNUAL_REVIEW_REMINDER_LEAD_WORKING_DAYS: '10',
      SSC_MEETINGS: '{"rule":{"weekday":"Wednesday","weeksOfMonth":[2,4]}}',
      SSC_PAPER_DEADLINE_WORKING_DAYS: '5',
    });
  });

  it('serves exactly the route table the sandbox serves, with access logs and throttling', () => {
    const routeKeys = Object.values(resources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey);
    expect(routeKeys.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    s.service.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it('puts every route with scopes behind the Lambda authorizer, cached 300 s by token and route key; the token endpoint, signed links and the description open', () => {
    const authorizers = Object.values(resources('AWS::ApiGatewayV2::Authorizer'));
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0]?.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: 300,
      IdentitySource: ['$request.header.Authorization', '$context.routeKey'],
    });
    expect(JSON.stringify(authorizers[0]?.Properties.AuthorizerUri)).toContain('FunctionsAuthorizeRequestFunction');
    const byKey = new Map(Object.values(resources('AWS::ApiGatewayV2::Route')).map((r) => [r.Properties.RouteKey, r.Properties]));
    for (const route of routes) {
      const deployed = byKey.get(`${route.method} ${route.path}`);
      expect(deployed, route.name).toBeDefined();
      expect(deployed?.AuthorizationType ?? 'NONE', route.name).toBe(routeScopes(route).length ? 'CUSTOM' : 'NONE');
    }
    // The token endpoint signs with the KMS key, the authorizer reads its public half: each its one action, on that key only.
    const kmsOf = (name: FunctionName) => fnStatements(name).filter((st) => actions(st).some((a) => /^kms:(Sign|GetPublicKey)$/.test(a)));
    expect(kmsOf('IssueAccessToken').flatMap(actions)).toEqual(['kms:Sign']);
    expect(kmsOf('AuthorizeRequest').flatMap(actions)).toEqual(['kms:GetPublicKey']);
    for (const name of functionNames.filter((n) => n !== 'IssueAccessToken' && n !== 'AuthorizeRequest')) expect(kmsOf(name), name).toEqual([]);
  });

  it('ends every asynchronous invocation, after its retries, in an alarmed dead-letter queue: delivery errors and function errors alike', () => {
    const rules = Object.values(resources('AWS::Events::Rule'));
    const alarmedQueues = new Set(
      Object.values(resources('AWS::CloudWatch::Alarm'))
        .filter((a) => a.Properties.Namespace === 'AWS/SQS' || JSON.stringify(a.Properties.Metrics ?? []).includes('AWS/SQS'))
        .map((a) => JSON.stringify(a.Properties).match(/"Fn::GetAtt":\["([A-Za-z0-9]+)","QueueName"\]/)?.[1]),
    );
    expect(asyncTriggered.sort()).toEqual([
      'AlertSecasOfWorkflowFault',
      'AnchorCaseHistories',
      'EraseExpiredPersonalData',
      'PublishCaseGauges',
      'RecordDeliveryProblem',
      'RecordWorkflowRedrive',
      'RemindOfAnnualReview',
      'ResumeUnstartedCases',
      'SendMeetingPapers',
      'SendQuarterlyReport',
    ]);
    for (const name of asyncTriggered) {
      // Lambda's own retries of a function error, then the on-failure destination.
      const [config] = Object.values(resources('AWS::Lambda::EventInvokeConfig')).filter((c) =>
        JSON.stringify(c.Properties.FunctionName).includes(`Functions${name}Function`),
      );
      expect(config?.Properties, name).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } } },
      });
      const queue = config?.Properties.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0] as string;
      expect(resources('AWS::SQS::Queue')[queue], name).toBeDefined();
      expect(alarmedQueues.has(queue), `${name}: ${queue} alarmed`).toBe(true);
      // An EventBridge rule's delivery failures go to the same queue.
      const rule = rules.find((r) => JSON.stringify(r.Properties.Targets ?? []).includes(`Functions${name}Function`));
      if (name === 'RemindOfAnnualReview') {
        expect(rule).toBeUndefined();
        continue;
      }
      expect(rule?.Properties.Targets[0], name).toMatchObject({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } }, RetryPolicy: expect.any(Object) });
    }
  });

  it('alerts SECAS on every stopped execution of this state machine, and records every redrive, retried by EventBridge for a day', () => {
    const rules = Object.values(resources('AWS::Events::Rule'));
    const statusRules = rules.filter((r) => r.Properties.EventPattern?.['detail-type']?.[0] === 'Step Functions Execution Status Change');
    const redriveRule = statusRules.find((r) => r.Properties.EventPattern.detail.redriveCount);
    expect(redriveRule?.Properties.EventPattern.detail).toMatchObject({ status: ['RUNNING'], redriveCount: [{ numeric: ['>', 0] }] });
    expect(redriveRule?.Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^FunctionsRecordWorkflowRedriveFunction/), 'Arn'] });
    const alertRule = statusRules.find((r) => !r.Properties.EventPattern.detail.redriveCount);
    expect(alertRule?.Properties.EventPattern).toMatchObject({
      source: ['aws.states'],
      detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [expect.any(Object)] },
    });
    expect(JSON.stringify(alertRule?.Properties.EventPattern.detail.stateMachineArn)).toContain(`:stateMachine:${s.serviceName}-SscTriageWorkflow`);
    expect(alertRule?.Properties.Targets[0]).toMatchObject({
      Arn: { 'Fn::GetAtt': [expect.stringMatching(/^FunctionsAlertSecasOfWorkflowFaultFunction/), 'Arn'] },
      RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
    });
    const scheduled = (fn: string) =>
      rules.find((r) => JSON.stringify(r.Properties.Targets ?? []).includes(`"Functions${fn}`) && r.Properties.ScheduleExpression);
    expect(scheduled('ResumeUnstartedCasesFunction')?.Properties.ScheduleExpression).toBe('rate(5 minutes)');
    expect(scheduled('PublishCaseGaugesFunction')?.Properties.ScheduleExpression).toBe('rate(15 minutes)');
    expect(scheduled('AnchorCaseHistoriesFunction')?.Properties.ScheduleExpression).toBe('rate(1 day)');
    expect(scheduled('SendMeetingPapersFunction')?.Properties.ScheduleExpression).toBe('rate(1 hour)');
  });

  it("leaves a deferred case's reminder to a one-time schedule: a retained group named by CloudFormation, and targets whose names outlive the stack", () => {
    const groups = Object.values(resources('AWS::Scheduler::ScheduleGroup'));
    expect(groups).toHaveLength(1);
    expect(groups[0]?.DeletionPolicy).toBe('Retain');
    expect(groups[0]?.Properties?.Name).toBeUndefined();
    // The names every schedule stores are fixed by the stack (so by the stage).
    const [reminder] = Object.values(resources('AWS::Lambda::Function')).filter((f) => f.Properties.FunctionName === `${s.serviceName}-RemindOfAnnualReview`);
    expect(reminder).toBeDefined();
    s.service.hasResourceProperties('AWS::IAM::Role', { RoleName: `${s.serviceName}-AnnualReviewInvoker` });
    s.service.hasResourceProperties('AWS::SQS::Queue', { QueueName: `${s.serviceName}-UndeliveredAnnualReviewReminders` });
    // Only ScheduleAnnualReviewReminder creates schedules, and AmendNotification (which moves one to an amended review date,
    // deleting the one it replaces): only annual-review-* ones in that group, passing only the invoker role.
    const creating = Object.values(s.service.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes('scheduler:CreateSchedule'));
    expect(creating).toHaveLength(2);
    const deleting = Object.values(s.service.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p).includes('scheduler:DeleteSchedule'));
    expect(deleting).toHaveLength(1);
    for (const [fn, scheduleActions] of [
      ['ScheduleAnnualReviewReminder', ['scheduler:CreateSchedule']],
      ['AmendNotification', ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule']],
    ] as const) {
      const create = fnStatements(fn).find((st) => actions(st).includes('scheduler:CreateSchedule'));
      expect(actions(create as Statement).sort(), fn).toEqual([...scheduleActions]);
      expect(JSON.stringify(create?.Resource)).toMatch(
        /:schedule\/","?\{?"?Ref"?:?"AnnualReviewSchedules"\}?,?"\/annual-review-\*"|:schedule\/",\{"Ref":"AnnualReviewSchedules"\},"\/annual-review-\*"/,
      );
      const pass = fnStatements(fn).find((st) => actions(st).includes('iam:PassRole'));
      expect(pass?.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
      expect(JSON.stringify(pass?.Resource)).toContain(`:role/${s.serviceName}-AnnualReviewInvoker`);
    }
    // The invoker role: assumed by the Scheduler of this account, allowed to invoke the reminder and feed the dead-letter queue.
    const [roleId, role] = Object.entries(resources('AWS::IAM::Role')).find(([id]) => id.startsWith('AnnualReviewRemindersInvokeReminderRole')) as [
      string,
      Resource,
    ];
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0]).toMatchObject({
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': expect.anything() } },
    });
    const invokerStatements = statementsOf(s.service, roleId);
    expect(invokerStatements.flatMap((st) => actions(st)).sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
  });

  it('lets only the catalogue entries that resolve or end a wait send task responses, and only on this state machine', () => {
    const sendTask = (name: FunctionName) => fnStatements(name).filter((st) => actions(st).some((a) => a.startsWith('states:SendTask')));
    for (const name of functionNames) {
      const declared = (specOf(name).uses.workflow ?? []).filter((a) => a.startsWith('SendTask'));
      const granted = sendTask(name).flatMap(actions);
      expect(granted.map((a) => a.replace('states:', '')).sort(), name).toEqual([...declared].sort());
      for (const st of sendTask(name)) expect(JSON.stringify(st.Resource), name).toContain(`:stateMachine:${s.serviceName}-SscTriageWorkflow"`);
    }
  });

  it("authorizes each email against the identity and the configuration set it is sent through (SES checks both; CDK's grant covers only the identity)", () => {
    for (const name of functionNames) {
      const send = fnStatements(name).filter((st) => actions(st).some((a) => a.startsWith('ses:')));
      if (!specOf(name).uses.mail) {
        expect(send, name).toEqual([]);
        continue;
      }
      expect(send.flatMap(actions), name).toEqual(['ses:SendEmail']);
      const resource = JSON.stringify(send[0]?.Resource);
      expect(resource, name).toContain(':identity/');
      expect(resource, name).toContain(':configuration-set/');
    }
  });

  it('grants each function the actions its catalogue entry uses and no other, besides its logs, traces and dead letters', () => {
    const derived = (name: FunctionName): string[] => {
      const { uses } = specOf(name);
      const granted = new Set<string>();
      for (const a of uses.table ?? []) granted.add(`dynamodb:${a}`);
      if (uses.indexes?.length) granted.add('dynamodb:Query');
      if (uses.table?.length || uses.indexes?.length) {
        granted.add('kms:Decrypt');
        if ((uses.table ?? []).some((a) => a !== 'GetItem' && a !== 'Query')) for (const a of ['kms:Encrypt', 'kms:GenerateDataKey']) granted.add(a);
      }
      if (uses.linkKeyring) for (const a of ['secretsmanager:GetSecretValue', 'kms:Decrypt']) granted.add(a);
      if (uses.mail) granted.add('ses:SendEmail');
      for (const a of uses.workflow ?? []) granted.add(`states:${a}`);
      if (uses.annualReviewSchedules) for (const a of ['scheduler:CreateSchedule', 'iam:PassRole']) granted.add(a);
      if (uses.annualReviewSchedules === 'move') granted.add('scheduler:DeleteSchedule');
      if (uses.historyAnchors?.includes('write')) granted.add('s3:PutObject');
      if (uses.historyAnchors?.includes('read')) for (const a of ['s3:ListBucket', 's3:GetObject']) granted.add(a);
      for (const a of uses.accessTokenKey ?? []) granted.add(`kms:${a}`);
      return [...granted].sort();
    };
    for (const name of functionNames) {
      const granted = fnStatements(name)
        .flatMap(actions)
        .filter((a) => !/^(logs|xray):/.test(a))
        // Lambda sends a failed asynchronous event to the function's dead-letter queue as the function (SendMessage only).
        .filter((a) => !(asyncTriggered.includes(name) && a === 'sqs:SendMessage'));
      expect([...new Set(granted)].sort(), name).toEqual(derived(name));
    }
  });

  it("grants the state machine exactly the DynamoDB actions of its ASL's integrations, and the invocation of its task functions", () => {
    const used = new Set(
      Object.values(definition.States as Record<string, { Resource?: string }>)
        .map((state) => /^arn:aws:states:::dynamodb:(\w+)$/.exec(state.Resource ?? '')?.[1])
        .filter((op): op is string => op !== undefined)
        .map((op) => `dynamodb:${op[0]?.toUpperCase()}${op.slice(1)}`),
    );
    const statements = statementsOf(s.service, 'SscTriageWorkflowStateMachineRole');
    const granted = statements.flatMap(actions).filter((a) => a.startsWith('dynamodb:'));
    expect(new Set(granted)).toEqual(used);
    expect(used).toEqual(new Set(['dynamodb:UpdateItem', 'dynamodb:PutItem']));
    const invoke = statements.find((st) => actions(st).includes('lambda:InvokeFunction'));
    expect([invoke?.Resource].flat()).toHaveLength(workflowTaskNames.length);
  });

  it('grants no data or workflow action on Resource "*"', () => {
    const all = Object.values(s.service.findResources('AWS::IAM::Policy')).flatMap(
      (p) => (p as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
    );
    const starred = all.filter((st) => st.Resource === '*').flatMap(actions);
    expect(starred.filter((a) => !/^(xray|logs):/.test(a))).toEqual([]);
  });

  it("sends every alarm to the records stack's SECAS topic, each named after this stack and pointing at its runbook row", () => {
    const alarms = Object.values(resources('AWS::CloudWatch::Alarm'));
    for (const alarm of alarms) {
      expect(alarm.Properties.ActionsEnabled, alarm.Properties.AlarmName).toBe(true);
      expect(JSON.stringify(alarm.Properties.AlarmActions), alarm.Properties.AlarmName).toContain('SecasAlarmTopic');
      expect(alarm.Properties.AlarmName).toMatch(new RegExp(`^${s.serviceName}-`));
      expect(alarm.Properties.AlarmDescription, alarm.Properties.AlarmName).toMatch(/Runbook: README, "Runbook", row "[^"]+"\.$/);
    }
    for (const dashboard of Object.values(resources('AWS::CloudWatch::Dashboard')))
      expect(dashboard.Properties.DashboardName).toMatch(new RegExp(`^${s.serviceName}-`));
  });

  it("alarms on what can fail unseen: stopped executions, dead letters, API 5xx, each function's errors and throttles, DynamoDB throttling, SES reputation, the SSC's meeting dates running out, a case's history found broken", () => {
    const watched = [
      ...new Set(
        Object.values(resources('AWS::CloudWatch::Alarm')).flatMap((a) =>
          (a.Properties.Metrics as Array<Record<string, any>>)
            .filter((m) => m.MetricStat)
            .map((m) => {
              const { Namespace, MetricName, Dimensions = [] } = m.MetricStat.Metric;
              const on =
                JSON.stringify(Dimensions.map((d: { Value: unknown }) => d.Value)).match(
                  /"(?:Ref|Fn::GetAtt|OutputName)":\[?"(?:PublishOutput(?:Ref|FnGetAtt))?([A-Za-z]+?)[0-9A-F]{8}/,
                )?.[1] ?? '';
              return `${Namespace} ${MetricName} ${on}`;
            }),
        ),
      ),
    ];
    const expected = [
      ...['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted', 'ExecutionThrottled'].map((m) => `AWS/States ${m} SscTriageWorkflowStateMachine`),
      'AWS/SQS ApproximateNumberOfMessagesVisible ResumeUnstartedCasesScheduleMissedRuns',
      'AWS/SQS ApproximateNumberOfMessagesVisible PublishCaseGaugesScheduleMissedRuns',
      'AWS/SQS ApproximateNumberOfMessagesVisible AnchorCaseHistoriesScheduleMissedRuns',
      'AWS/SQS ApproximateNumberOfMessagesVisible SendQuarterlyReportScheduleMissedRuns',
      'AWS/SQS ApproximateNumberOfMessagesVisible EraseExpiredPersonalDataScheduleMissedRuns',
      'AWS/SQS ApproximateNumberOfMessagesVisible SendMeetingPapersScheduleMissedRuns',
      'AWS/SQS ApproximateNumberOfMessagesVisible AlertSecasOfWorkflowFaultEventsDeadLetters',
      'AWS/SQS ApproximateNumberOfMessagesVisible RecordWorkflowRedriveEventsDeadLetters',
      'AWS/SQS ApproximateNumberOfMessagesVisible DeliveryProblemTrackingUnrecordedProblems',
      'AWS/SQS ApproximateNumberOfMessagesVisible AnnualReviewRemindersUndeliveredReminders',
      'AWS/ApiGateway 5xx NotificationsApiHttpApi',
      'AWS/DynamoDB ReadThrottleEvents NotificationsTable',
      'AWS/DynamoDB WriteThrottleEvents NotificationsTable',
      'AWS/DynamoDB SystemErrors NotificationsTable',
      'AWS/SES Reputation.BounceRate ',
      'AWS/SES Reputation.ComplaintRate ',
      'SecondUserSystem SscMeetingCalendarDaysLeft ',
      'SecondUserSystem BrokenHistories ',
    ];
    for (const fn of functionNames) expected.push(`AWS/Lambda Errors Functions${fn}Function`, `AWS/Lambda Throttles Functions${fn}Function`);
    for (const w of expected) expect(watched, w).toContain(w);
    expect(watched).toHaveLength(expected.length);
  });

  it("gives SECAS a dashboard of the stage's business metrics, the gauges, every alarm's state, the API and the workflow", () => {
    const [secas] = Object.values(resources('AWS::CloudWatch::Dashboard')).filter((d) => d.Properties.DashboardName === `${s.serviceName}-SECAS`);
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
      'BrokenHistories',
    ]) {
      expect(body, metric).toContain(`\\"SecondUserSystem\\",\\"${metric}\\"`);
    }
    expect(body).toContain('\\"service\\",\\"second-user-system-prod\\"');
    for (const status of [
      'AwaitingSscDecision',
      'AwaitingUserInformation',
      'AwaitingAssessmentSchedule',
      'AwaitingAssessmentOutcome',
      'DeferredToAnnualReview',
    ])
      expect(body).toContain(status);
    for (const alarm of Object.keys(resources('AWS::CloudWatch::Alarm'))) expect(body, alarm).toContain(alarm);
    expect(body).toMatch(/AWS\/ApiGateway.*Latency/);
    expect(body).toMatch(/AWS\/States.*ExecutionsStarted/);
  });

  it("publishes the configuration set's bounces, rejects, complaints and delays to EventBridge, for RecordDeliveryProblem", () => {
    s.service.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: Match.objectLike({ 'Fn::GetStackOutput': Match.objectLike({ StackName: s.recordsName }) }),
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ['bounce', 'reject', 'complaint', 'deliveryDelay'],
        EventBridgeDestination: { EventBusArn: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith([':event-bus/default'])]) }) },
      },
    });
    const rule = Object.values(resources('AWS::Events::Rule')).find((r) => r.Properties.EventPattern?.source?.[0] === 'aws.ses');
    expect(rule?.Properties.EventPattern).toMatchObject({
      source: ['aws.ses'],
      'detail-type': triggeredBy('email-events')[0]?.trigger.detailTypes,
      detail: { mail: { tags: { 'ses:configuration-set': [expect.any(Object)] } } },
    });
    expect(rule?.Properties.Targets[0]).toMatchObject({
      Arn: { 'Fn::GetAtt': [expect.stringMatching(/^FunctionsRecordDeliveryProblemFunction/), 'Arn'] },
      RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^DeliveryProblemTrackingUnrecordedProblems/), 'Arn'] } },
    });
  });
});
