import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { ComparisonOperator, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { BillingMode, type ITableV2, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { AxisPosition, DefaultDashboardFactory, MonitoringFacade, SnsAlarmActionStrategy } from 'cdk-monitoring-constructs';
import { Construct } from 'constructs';
import { BUSINESS_NAMESPACE, BUSINESS_SERVICE } from './secas-dashboard';

export interface OperationsMonitoringProps {
  /** Every alarm notifies it (SecasAlarmTopic). */
  topic: ITopic;
  api: IHttpApi;
  table: ITableV2;
  stateMachine: IStateMachine;
  /** The functions behind the API, the workflow's tasks, and the rest (sweep, alerts), by name. */
  functions: { api: Record<string, IFunction>; workflow: Record<string, IFunction>; other: Record<string, IFunction> };
  /** Alerts EventBridge could not deliver for a day. */
  undeliveredAlerts: IQueue;
  /** SES's reports of emails that did not arrive, which could not be recorded for a day. */
  unrecordedDeliveryProblems: IQueue;
  /** What the annual-review schedules or RemindOfAnnualReview could not deliver. */
  undeliveredAnnualReviewReminders: IQueue;
}

/** How long before the SSC's listed meeting dates run out SECAS is warned: time to get the SSC's next dates. */
const MEETING_CALENDAR_WARNING_DAYS = 30;

/** The README's runbook names each alarm by these words; an alarm's description points there. */
const runbook = (row: string, meaning: string) => `${meaning} Runbook: README, "Runbook", row "${row}".`;

/**
 * OperationsMonitoring: every alarm of the product, and an operations dashboard of the same
 * metrics, built with cdk-monitoring-constructs (cdklabs) and all notifying SECAS's alarm topic.
 * What each alarm watches, and why its threshold, is here in one place.
 */
export class OperationsMonitoring extends Construct {
  readonly facade: MonitoringFacade;

  constructor(scope: Construct, id: string, props: OperationsMonitoringProps) {
    super(scope, id);
    const m = new MonitoringFacade(this, 'Facade', {
      alarmFactoryDefaults: {
        alarmNamePrefix: 'SecondUserSystem',
        actionsEnabled: true,
        action: new SnsAlarmActionStrategy({ onAlarmTopic: props.topic }),
        datapointsToAlarm: 1,
      },
      metricFactoryDefaults: {},
      dashboardFactory: new DefaultDashboardFactory(this, 'Dashboards', {
        dashboardNamePrefix: 'SecondUserSystem-Operations',
        createDashboard: true,
        createSummaryDashboard: false,
        createAlarmDashboard: false,
      }),
    });
    this.facade = m;

    m.monitorStepFunction({
      stateMachine: props.stateMachine,
      alarmFriendlyName: 'SscTriageWorkflow',
      addFailedExecutionCountAlarm: {
        Stopped: { maxErrorCount: 0, alarmDescriptionOverride: runbook('Workflow stopped', 'A case workflow failed: its retries ran out, or a task crashed.') },
      },
      addTimedOutExecutionCountAlarm: {
        Stopped: { maxErrorCount: 0, alarmDescriptionOverride: runbook('Workflow stopped', 'A case workflow reached its one-year limit.') },
      },
      addAbortedExecutionCountAlarm: {
        Stopped: { maxErrorCount: 0, alarmDescriptionOverride: runbook('Workflow stopped', 'A case workflow was stopped by hand.') },
      },
      addThrottledExecutionCountAlarm: {
        Throttled: { maxErrorCount: 0, alarmDescriptionOverride: runbook('Throttling', 'Step Functions throttled the workflow.') },
      },
    });

    // Dead-letter queues: what EventBridge or Lambda could not hand to its handler, after their retries.
    const deadLetters = [
      [
        props.undeliveredAlerts,
        'UndeliveredWorkflowFaultAlerts',
        'Fault alert undelivered',
        'A workflow fault could not be recorded on its case or mailed to SECAS for a day.',
      ],
      [
        props.unrecordedDeliveryProblems,
        'UnrecordedDeliveryProblems',
        'Delivery problem unrecorded',
        "For a day, SES's report of an email that bounced or was rejected could not be recorded on its case.",
      ],
      [
        props.undeliveredAnnualReviewReminders,
        'UndeliveredAnnualReviewReminders',
        'Annual review reminder undelivered',
        "A deferred case's annual-review reminder could not be given: the case is still DeferredToAnnualReview.",
      ],
    ] as const;
    for (const [queue, name, row, meaning] of deadLetters) {
      m.monitorSqsQueue({
        queue,
        alarmFriendlyName: name,
        addQueueMaxSizeAlarm: { DeadLetters: { maxMessageCount: 0, alarmDescriptionOverride: runbook(row, meaning) } },
      });
    }

    m.monitorApiGatewayV2HttpApi({
      api: props.api,
      alarmFriendlyName: 'NotificationsApi',
      add5xxCountAlarm: {
        ServerErrors: {
          maxErrorCount: 0,
          alarmDescriptionOverride: runbook('API errors', 'The API answered 5xx: a dependency was down (503) or a handler failed (500).'),
        },
      },
    });

    m.monitorDynamoTable({
      table: Table.fromTableAttributes(this, 'MonitoredNotificationsTable', { tableName: props.table.tableName }),
      billingMode: BillingMode.PAY_PER_REQUEST,
      alarmFriendlyName: 'NotificationsTable',
      addReadThrottledEventsCountAlarm: {
        Throttled: { maxThrottledEventsThreshold: 0, alarmDescriptionOverride: runbook('Throttling', 'DynamoDB throttled reads of the NotificationsTable.') },
      },
      addWriteThrottledEventsCountAlarm: {
        Throttled: { maxThrottledEventsThreshold: 0, alarmDescriptionOverride: runbook('Throttling', 'DynamoDB throttled writes to the NotificationsTable.') },
      },
      addSystemErrorCountAlarm: {
        SystemErrors: { maxErrorCount: 0, alarmDescriptionOverride: runbook('Throttling', 'DynamoDB answered with internal errors.') },
      },
    });

    // An API handler turns every failure into a problem response, so a Lambda error there is a crash
    // or a timeout; so it is for the sweep and the event handlers. A workflow task raises passing
    // faults on purpose (the workflow retries them): only a run of them is worth a person's time.
    const rowOf: Record<string, string> = {
      ResumeUnstartedCases: 'Case not started',
      AlertSecasOfWorkflowFault: 'Fault alert failing',
      RecordDeliveryProblem: 'Delivery problem unrecorded',
      RemindOfAnnualReview: 'Annual review reminder undelivered',
    };
    const lambda = (name: string, fn: IFunction, errors: { maxErrorCount: number; period: Duration }) =>
      m.monitorLambdaFunction({
        lambdaFunction: fn,
        alarmFriendlyName: name,
        humanReadableName: name,
        addFaultCountAlarm: {
          Errors: {
            ...errors,
            alarmDescriptionOverride: runbook(
              rowOf[name] ?? 'Function errors',
              `${name} failed ${errors.maxErrorCount ? `more than ${errors.maxErrorCount} times` : 'at least once'} in ${errors.period.toMinutes()} minutes.`,
            ),
          },
        },
        addThrottlesCountAlarm: { Throttled: { maxErrorCount: 0, alarmDescriptionOverride: runbook('Throttling', `Lambda throttled ${name}.`) } },
      });
    for (const [name, fn] of Object.entries({ ...props.functions.api, ...props.functions.other }))
      lambda(name, fn, { maxErrorCount: 0, period: Duration.minutes(5) });
    for (const [name, fn] of Object.entries(props.functions.workflow)) lambda(name, fn, { maxErrorCount: 2, period: Duration.minutes(15) });

    // The SSC's listed meeting dates run out: the SSC's decision waits need a meeting ahead (a rule never runs out and publishes nothing).
    m.monitorCustom({
      alarmFriendlyName: 'SscMeetingCalendar',
      humanReadableName: "The SSC's meeting calendar",
      metricGroups: [
        {
          title: 'Days until the last listed paper deadline',
          metrics: [
            {
              metric: new Metric({
                namespace: BUSINESS_NAMESPACE,
                metricName: 'SscMeetingCalendarDaysLeft',
                dimensionsMap: { service: BUSINESS_SERVICE },
                statistic: 'Minimum',
                period: Duration.hours(1),
                label: 'Days left',
              }),
              alarmFriendlyName: 'DaysLeft',
              addAlarm: {
                RunningOut: {
                  threshold: MEETING_CALENDAR_WARNING_DAYS,
                  comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
                  alarmDescriptionOverride: runbook(
                    'SSC meeting calendar',
                    `The SSC's listed meeting dates run out within ${MEETING_CALENDAR_WARNING_DAYS} days: after the last paper deadline no SSC decision wait can start.`,
                  ),
                },
              },
            },
          ],
        },
      ],
    });

    // The account's reputation: SES reviews an account at a 5% bounce or 0.1% complaint rate; these
    // go off at half of that, while there is time to find the cause.
    const reputation = (metricName: string, label: string) =>
      new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1), label });
    m.monitorCustom({
      alarmFriendlyName: 'SesReputation',
      humanReadableName: 'SES sending reputation',
      metricGroups: [
        {
          title: 'Bounce and complaint rates',
          metrics: [
            {
              metric: reputation('Reputation.BounceRate', 'Bounce rate'),
              alarmFriendlyName: 'BounceRate',
              addAlarm: {
                High: {
                  threshold: 0.025,
                  comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
                  alarmDescriptionOverride: runbook('Email reputation', "SES's bounce rate passed 2.5% (SES reviews the account at 5%)."),
                },
              },
            },
            {
              metric: reputation('Reputation.ComplaintRate', 'Complaint rate'),
              alarmFriendlyName: 'ComplaintRate',
              position: AxisPosition.RIGHT,
              addAlarm: {
                High: {
                  threshold: 0.0005,
                  comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
                  alarmDescriptionOverride: runbook('Email reputation', "SES's complaint rate passed 0.05% (SES reviews the account at 0.1%)."),
                },
              },
            },
          ],
        },
      ],
    });
  }
}
