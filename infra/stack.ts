import { ArnFormat, type CfnElement, CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import {
  type WorkflowTaskName,
  emailEventHandlers,
  routes,
  scheduleTargets,
  scheduledTasks,
  workflowEventHandlers,
  workflowTasks,
} from '../functions/catalogue';
import { type DeadlineSettings, defaultDeadlineSettings } from '../functions/domain/deadlines';
import { type MeetingCalendar, defaultMeetingCalendar } from '../functions/domain/ssc-meetings';
import { AnnualReviewReminders } from './constructs/annual-review-reminders';
import { DecisionLinkKeyring } from './constructs/decision-link-keyring';
import { DeliveryProblemTracking } from './constructs/delivery-problem-tracking';
import { NotificationsApi } from './constructs/notifications-api';
import { NotificationsTable } from './constructs/notifications-table';
import { OperationsMonitoring } from './constructs/operations-monitoring';
import { SecasAlarmTopic } from './constructs/secas-alarm-topic';
import { SecasDashboard } from './constructs/secas-dashboard';
import { type SecUserClient, SecApiClients } from './constructs/sec-api-clients';
import { SecFunction } from './constructs/sec-function';
import { SecMail } from './constructs/sec-mail';
import { SscTriageWorkflow } from './constructs/ssc-triage-workflow';
import { ScheduledTasks } from './constructs/scheduled-tasks';
import { WorkflowFaultAlerts } from './constructs/workflow-fault-alerts';

export interface SecondUserSystemStackProps extends StackProps {
  senderAddress: string;
  sscAddresses: string[];
  secasAddresses: string[];
  sesIdentityDomain: string;
  /** Base URL of the decision links; the API's own endpoint when empty. */
  publicBaseUrl?: string;
  /** Deadlines in SEC Working Days; unset ones take the defaults of domain/deadlines.ts. */
  deadlines?: Partial<DeadlineSettings>;
  /** The SSC's meeting calendar (validated by the app); the inferred default rule when unset. */
  sscMeetings?: MeetingCalendar;
  /** The SEC Users with API access, one machine client each. */
  secUsers: SecUserClient[];
  /** Prefix of the Cognito domain serving the OAuth token endpoint. */
  tokenDomainPrefix: string;
  /** Who every alarm tells (SECAS's operations addresses); the SECAS addresses when empty. */
  alarmAddresses?: string[];
}

const deadlineEnvironment = (d: Partial<DeadlineSettings> = {}): Record<string, string> => {
  const names: Record<keyof DeadlineSettings, string> = {
    userInformationWorkingDays: 'USER_INFORMATION_WORKING_DAYS',
    assessmentScheduleWorkingDays: 'ASSESSMENT_SCHEDULE_WORKING_DAYS',
    assessmentOutcomeWorkingDays: 'ASSESSMENT_OUTCOME_WORKING_DAYS',
    reminderLeadWorkingDays: 'REMINDER_LEAD_WORKING_DAYS',
    hardLimitWorkingDays: 'HARD_LIMIT_WORKING_DAYS',
    annualReviewReminderLeadWorkingDays: 'ANNUAL_REVIEW_REMINDER_LEAD_WORKING_DAYS',
  };
  const settings = { ...defaultDeadlineSettings, ...d };
  return Object.fromEntries((Object.keys(names) as Array<keyof DeadlineSettings>).map((k) => [names[k], String(settings[k])]));
};

/**
 * SECMP0057 notifications of a second or subsequent User System: the API, the SSC triage
 * workflow, the table, the mail, and the link keys, wired with least-privilege grants.
 */
export class SecondUserSystemStack extends Stack {
  constructor(scope: Construct, id: string, props: SecondUserSystemStackProps) {
    super(scope, id, props);
    const { table } = new NotificationsTable(this, 'NotificationsTable');
    const { secret: keyring } = new DecisionLinkKeyring(this, 'DecisionLinkKeyring');
    const mail = new SecMail(this, 'SecMail', { identityDomain: props.sesIdentityDomain });

    const environment = {
      TABLE_NAME: table.tableName,
      SENDER_ADDRESS: props.senderAddress,
      SSC_ADDRESSES: props.sscAddresses.join(','),
      SECAS_ADDRESSES: props.secasAddresses.join(','),
      LINK_KEYRING_SECRET_ID: keyring.secretArn,
      SES_CONFIGURATION_SET: mail.configurationSet.configurationSetName,
      ...deadlineEnvironment(props.deadlines),
      SSC_MEETINGS: JSON.stringify((props.sscMeetings ?? defaultMeetingCalendar).schedule),
      SSC_PAPER_DEADLINE_WORKING_DAYS: String((props.sscMeetings ?? defaultMeetingCalendar).paperDeadlineWorkingDays),
    };
    const stateMachineName = `${this.stackName}-SscTriageWorkflow`;
    const stateMachineArn = this.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    // Workflow tasks first: the state machine needs their ARNs, the API needs the state machine.
    const tasks = {} as Record<WorkflowTaskName, NodejsFunction>;
    for (const [name, entry] of Object.entries(workflowTasks) as Array<[WorkflowTaskName, string]>) {
      const fn = new SecFunction(this, `${name}Function`, { entry, description: `SscTriageWorkflow task ${name}`, environment }).function;
      table.grantReadWriteData(fn);
      mail.identity.grantSendEmail(fn);
      tasks[name] = fn;
    }
    // The waiting tasks resume their own wait when a person resolved it between checkpoints.
    for (const fn of [tasks.RequestSscDecision, tasks.AskUserForInformation, tasks.AwaitAssessmentRecord]) {
      fn.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resources: [stateMachineArn] }));
    }
    // Those that write the SSC's and SECAS's links (the requests, their reminders and escalations) sign them.
    const linkWriters = [tasks.RequestSscDecision, tasks.AwaitAssessmentRecord, tasks.ManageDeadline];
    for (const fn of linkWriters) keyring.grantRead(fn);

    const workflow = new SscTriageWorkflow(this, 'SscTriageWorkflow', { table, tasks, stateMachineName });

    // A deferred case's execution ends once its annual-review reminder is a schedule of its own.
    const annualReviewReminder = new SecFunction(this, 'RemindOfAnnualReviewFunction', {
      entry: scheduleTargets.RemindOfAnnualReview.entry,
      description: 'Reminds the User and SECAS of the annual review a case was deferred to, and closes the case (invoked by its schedule)',
      environment,
    }).function;
    table.grantReadWriteData(annualReviewReminder);
    mail.identity.grantSendEmail(annualReviewReminder);
    const reminders = new AnnualReviewReminders(this, 'AnnualReviewReminders', {
      reminder: annualReviewReminder,
      scheduling: tasks.ScheduleAnnualReviewReminder,
    });

    const tokenEndpoint = `https://${props.tokenDomainPrefix}.auth.${this.region}.amazoncognito.com/oauth2/token`;
    const routeFunctions: Record<string, NodejsFunction> = {};
    for (const route of routes) {
      if (routeFunctions[route.name]) continue;
      routeFunctions[route.name] = new SecFunction(this, `${route.name}Function`, {
        entry: route.entry,
        description: `API ${route.method} ${route.path}`,
        environment:
          route.name === 'SubmitNotification'
            ? { ...environment, STATE_MACHINE_ARN: workflow.stateMachine.stateMachineArn }
            : route.name === 'OpenApiDocument'
              ? { ...environment, TOKEN_ENDPOINT: tokenEndpoint }
              : environment,
        timeout: Duration.seconds(10),
      }).function;
    }
    const route = (name: string) => routeFunctions[name] as NodejsFunction;
    table.grantReadWriteData(route('SubmitNotification'));
    workflow.stateMachine.grantStartExecution(route('SubmitNotification'));
    for (const name of ['GetNotification', 'ListNotifications', 'DecisionPage', 'AssessmentRecordForm']) table.grantReadData(route(name));
    for (const name of ['DecisionPage', 'TakeDecision', 'AssessmentRecordForm', 'SubmitAssessmentRecord']) keyring.grantRead(route(name));
    // The actions that resolve or end a wait: the SSC's decision, the User's answer or withdrawal, SECAS's records.
    for (const name of ['TakeDecision', 'AnswerInformationRequest', 'WithdrawNotification', 'RecordAssessment', 'SubmitAssessmentRecord']) {
      table.grantReadWriteData(route(name));
      workflow.stateMachine.grantTaskResponse(route(name));
    }

    // Recovery: the sweep of cases stored without a workflow, and the alert on a stopped execution.
    const executionsArn = this.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const sweep = new SecFunction(this, 'ResumeUnstartedCasesFunction', {
      entry: scheduledTasks.ResumeUnstartedCases.entry,
      description: 'Starts the workflow of any case stored without one',
      environment: { ...environment, STATE_MACHINE_ARN: workflow.stateMachine.stateMachineArn },
      timeout: Duration.minutes(2),
    }).function;
    table.grantReadWriteData(sweep);
    workflow.stateMachine.grantStartExecution(sweep);
    sweep.addToRolePolicy(new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executionsArn] }));
    const gauges = new SecFunction(this, 'PublishCaseGaugesFunction', {
      entry: scheduledTasks.PublishCaseGauges.entry,
      description: "Publishes the open cases by status and the oldest waits, for SECAS's dashboard",
      environment,
    }).function;
    table.grantReadData(gauges);
    new ScheduledTasks(this, 'ScheduledTasks', { functions: { ResumeUnstartedCases: sweep, PublishCaseGauges: gauges } });

    const alert = new SecFunction(this, 'AlertSecasOfWorkflowFaultFunction', {
      entry: workflowEventHandlers.AlertSecasOfWorkflowFault.entry,
      description: 'Records a stopped case workflow on the case and emails SECAS how to recover it',
      environment,
    }).function;
    table.grantReadWriteData(alert);
    mail.identity.grantSendEmail(alert);
    alert.addToRolePolicy(new PolicyStatement({ actions: ['states:GetExecutionHistory'], resources: [executionsArn] }));
    const faultAlerts = new WorkflowFaultAlerts(this, 'WorkflowFaultAlerts', { stateMachine: workflow.stateMachine, alertFunction: alert });

    // Emails that SES accepted but that did not arrive: recorded on their case, SECAS told.
    const deliveryProblems = new SecFunction(this, 'RecordDeliveryProblemFunction', {
      entry: emailEventHandlers.RecordDeliveryProblem.entry,
      description: 'Records an email that bounced, was rejected, delayed or marked as spam on its case; tells SECAS of a notice that did not arrive',
      environment,
    }).function;
    table.grantReadWriteData(deliveryProblems);
    mail.identity.grantSendEmail(deliveryProblems);
    const tracking = new DeliveryProblemTracking(this, 'DeliveryProblemTracking', { configurationSet: mail.configurationSet, handler: deliveryProblems });

    // CDK's table grants include the table's indexes (`<table>/index/*`): exactly CasesByOwner and
    // CasesByStatus, projections of the cases the same grant already reaches on the table.
    const tableArnToken = `<${this.resolve((table.node.defaultChild as CfnElement).logicalId)}.Arn>/index/*`;
    for (const fn of [...Object.values(tasks), ...Object.values(routeFunctions), sweep, gauges, alert, deliveryProblems, annualReviewReminder]) {
      Validations.of(fn.role ?? fn).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${tableArnToken}]`,
        reason: 'The table grant covers its two indexes (CasesByOwner, CasesByStatus), which hold only the cases the grant already reaches.',
      });
    }
    // Executions are named after case references, so they are known only as `<machine>:*`.
    for (const fn of [sweep, alert]) {
      Validations.of(fn.role ?? fn).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:${this.region}:<AWS::AccountId>:execution:${stateMachineName}:*]`,
        reason: "Every execution of this one state machine (they are named after case references); no other state machine's.",
      });
    }

    const clients = new SecApiClients(this, 'SecApiClients', { users: props.secUsers, domainPrefix: props.tokenDomainPrefix });
    const api = new NotificationsApi(this, 'NotificationsApi', { handlers: routeFunctions, authorizer: clients.authorizer });
    // The functions that write links need the public URL; the pages post back relatively.
    for (const fn of linkWriters) fn.addEnvironment('PUBLIC_BASE_URL', props.publicBaseUrl || api.httpApi.apiEndpoint);

    const alarmTopic = new SecasAlarmTopic(this, 'SecasAlarmTopic', { addresses: props.alarmAddresses?.length ? props.alarmAddresses : props.secasAddresses });
    const operations = new OperationsMonitoring(this, 'OperationsMonitoring', {
      topic: alarmTopic.topic,
      api: api.httpApi,
      table,
      stateMachine: workflow.stateMachine,
      functions: {
        api: routeFunctions,
        workflow: tasks,
        other: {
          ResumeUnstartedCases: sweep,
          PublishCaseGauges: gauges,
          AlertSecasOfWorkflowFault: alert,
          RecordDeliveryProblem: deliveryProblems,
          RemindOfAnnualReview: annualReviewReminder,
        },
      },
      undeliveredAlerts: faultAlerts.deadLetters,
      unrecordedDeliveryProblems: tracking.deadLetters,
      undeliveredAnnualReviewReminders: reminders.deadLetters,
    });
    new SecasDashboard(this, 'SecasDashboard', {
      api: api.httpApi,
      stateMachine: workflow.stateMachine,
      alarms: operations.facade.createdAlarms().map((a) => a.alarm),
    });

    new CfnOutput(this, 'ApiUrl', { value: api.httpApi.apiEndpoint });
    new CfnOutput(this, 'StateMachineArn', { value: workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'NotificationsTableName', { value: table.tableName });
    new CfnOutput(this, 'TokenEndpoint', { value: tokenEndpoint });
    new CfnOutput(this, 'UserPoolId', { value: clients.userPool.userPoolId });
  }
}
