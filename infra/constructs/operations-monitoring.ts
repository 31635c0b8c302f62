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
import { type FunctionName, functionNames, specOf } from '../../functions/catalogue';
import { businessMetric } from './secas-dashboard';

export interface OperationsMonitoringProps {
  /** Unique in the account and region (the stack's name): every alarm's and the dashboard's name starts with it. */
  namePrefix: string;
  /** The stage's Powertools service name, a dimension of the business metrics. */
  serviceName: string;
  /** Every alarm notifies it (SecasAlarmTopic). */
  topic: ITopic;
  api: IHttpApi;
  table: ITableV2;
  stateMachine: IStateMachine;
  /** Every function of the catalogue, by name. */
  functions: Record<FunctionName, IFunction>;
  /** What an asynchronous trigger or Lambda could not deliver, after their retries: each queue, its alarm's name and runbook row. */
  deadLetters: Array<{ queue: IQueue; name: string; row: string; meaning: string }>;
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
        alarmNamePrefix: props.namePrefix,
        actionsEnabled: true,
        action: new SnsAlarmActionStrategy({ onAlarmTopic: props.topic }),
        datapointsToAlarm: 1,
      },
      metricFactoryDefaults: {},
      dashboardFactory: new DefaultDashboardFactory(this, 'Dashboards', {
        dashboardNamePrefix: `${props.namePrefix}-Operations`,
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
    for (const { queue, name, row, meaning } of props.deadLetters) {
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
    const lambda = (name: string, fn: IFunction, errors: { maxErrorCount: number; period: Duration }) =>
      m.monitorLambdaFunction({
        lambdaFunction: fn,
        alarmFriendlyName: name,
        humanReadableName: name,
        addFaultCountAlarm: {
          Errors: {
            ...errors,
            alarmDescriptionOverride: runbook(
              specOf(name as FunctionName).runbook?.row ?? 'Function errors',
              `${name} failed ${errors.maxErrorCount ? `more than ${errors.maxErrorCount} times` : 'at least once'} in ${errors.period.toMinutes()} minutes.`,
            ),
          },
        },
        addThrottlesCountAlarm: { Throttled: { maxErrorCount: 0, alarmDescriptionOverride: runbook('Throttling', `Lambda throttled ${name}.`) } },
      });
    for (const name of functionNames) {
      const errors =
        specOf(name).trigger.kind === 'workflow-task' ? { maxErrorCount: 2, period: Duration.minutes(15) } : { maxErrorCount: 0, period: Duration.minutes(5) };
      lambda(name, props.functions[name], errors);
    }

    // The SSC's listed meeting dates run out: the SSC's decision waits need a meeting ahead (a rule never runs out and publishes nothing).
    m.monitorCustom({
      alarmFriendlyName: 'SscMeetingCalendar',
      humanReadableName: "The SSC's meeting calendar",
      metricGroups: [
        {
          title: 'Days until the last listed paper deadline',
          metrics: [
            {
              metric: businessMetric(props.serviceName, 'SscMeetingCalendarDaysLeft', {}, 'Days left', 'Minimum', Duration.hours(1)),
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

    // A case's history found broken (the daily anchoring, which anchors its earlier head again, or the
    // erasure, which leaves the case): the table was written outside the product. A day's sum, so it
    // stays on while the break stands.
    m.monitorCustom({
      alarmFriendlyName: 'CaseHistories',
      humanReadableName: "The cases' tamper-evident histories",
      metricGroups: [
        {
          title: 'Case histories found broken',
          metrics: [
            {
              metric: businessMetric(props.serviceName, 'BrokenHistories', {}, 'Broken histories', 'Sum', Duration.days(1)),
              alarmFriendlyName: 'Broken',
              addAlarm: {
                Found: {
                  threshold: 0,
                  comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
                  alarmDescriptionOverride: runbook('History broken', "A case's history no longer verifies: changed, deleted or put back outside the product."),
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
