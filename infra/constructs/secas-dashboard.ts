import { Duration } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IMetric,
  MathExpression,
  Metric,
  PeriodOverride,
  SingleValueWidget,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { AssuranceStatus, CaseStatus, isFinal } from '../../functions/domain/case';
import { SscDecisionKind } from '../../functions/domain/ssc-decision';

export interface SecasDashboardProps {
  /** Unique in the account and region: the stack's name. */
  dashboardName: string;
  /** The stage's Powertools service name, a dimension of every business metric. */
  serviceName: string;
  api: IHttpApi;
  stateMachine: IStateMachine;
  /** Every alarm, for their state at a glance. */
  alarms: IAlarm[];
}

/** The product's business metrics (functions/adapters/powertools.ts), as Powertools publishes them. */
export const BUSINESS_NAMESPACE = 'SecondUserSystem';

/** A business metric of one stage (its service name is a dimension of every one). */
export const businessMetric = (
  serviceName: string,
  metricName: string,
  dimensions: Record<string, string>,
  label: string,
  statistic = 'Sum',
  period = Duration.days(1),
) => new Metric({ namespace: BUSINESS_NAMESPACE, metricName, dimensionsMap: { service: serviceName, ...dimensions }, statistic, period, label });

const words = (name: string) => name.replace(/([a-z])([A-Z])/g, '$1 $2');

/**
 * SecasDashboard: the product at a glance for SECAS, an administrator, in SEC terms: what is open
 * and with whom, what is late, what the SSC decided, what ended overdue, whether any alarm is on,
 * and whether the API and the workflow are healthy. Business metrics come from the use cases
 * (Powertools Metrics, EMF) and from PublishCaseGauges; the rest is AWS's own.
 */
export class SecasDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: SecasDashboardProps) {
    super(scope, id);
    const business = (metricName: string, dimensions: Record<string, string>, label: string, statistic = 'Sum', period = Duration.days(1)) =>
      businessMetric(props.serviceName, metricName, dimensions, label, statistic, period);
    // A gauge's latest reading (PublishCaseGauges writes one every 15 minutes).
    const gauge = (metricName: string, dimensions: Record<string, string>, label: string) =>
      business(metricName, dimensions, label, 'Maximum', Duration.minutes(15));
    const open = CaseStatus.options.filter((s) => !isFinal(s));
    const parties = [
      ['SSC', 'the SSC (a decision)'],
      ['User', 'a User (an answer)'],
      ['SECAS', 'SECAS (an assessment record)'],
    ] as const;
    const waits = ['SscDecision', 'UserInformation', 'AssessmentSchedule', 'AssessmentOutcome'];
    const perWeek = (metrics: IMetric[], title: string, left: string) =>
      new GraphWidget({
        title,
        left: metrics,
        leftYAxis: { label: left, min: 0, showUnits: false },
        stacked: true,
        width: 12,
        height: 6,
        period: Duration.days(7),
      });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(90),
      periodOverride: PeriodOverride.INHERIT,
      widgets: [
        [
          new TextWidget({
            markdown: [
              '# Second User System notifications — SECAS overview',
              'Users notify the SSC before they employ a second or subsequent User System (SECMP0057, SEC G3.9). Counts below are cases; "waiting on" is whose move it is. Case details: the Step Functions console (executions are named by case reference) or `GET /notifications/{reference}`. What an alarm means and what to do: the README\'s runbook.',
            ].join('\n\n'),
            width: 24,
            height: 3,
          }),
        ],
        [
          new SingleValueWidget({
            title: 'Open cases, by status (now)',
            metrics: open.map((status) => gauge('OpenCases', { Status: status }, words(status))),
            width: 24,
            height: 4,
          }),
        ],
        [
          new SingleValueWidget({
            title: 'Oldest case waiting on… (days since the wait began)',
            metrics: parties.map(([p, who]) => gauge('OldestWaitDays', { WaitingOn: p }, who)),
            width: 10,
            height: 4,
          }),
          new SingleValueWidget({
            title: 'Waits past their due date, on…',
            metrics: parties.map(([p, who]) => gauge('WaitsPastDue', { WaitingOn: p }, who)),
            width: 10,
            height: 4,
          }),
          new SingleValueWidget({
            title: 'SSC meeting dates left (days; blank for a rule)',
            metrics: [gauge('SscMeetingCalendarDaysLeft', {}, 'Days to the last paper deadline')],
            width: 4,
            height: 4,
          }),
        ],
        [
          perWeek(
            [
              business('NotificationsFiled', { Late: 'false' }, 'On time'),
              business('NotificationsFiled', { Late: 'true' }, 'Late (after employing, or too close to going live)'),
            ],
            'Notifications filed per week',
            'notifications',
          ),
          perWeek(
            [...SscDecisionKind.options.map((k) => business('SscDecisions', { Decision: k }, words(k))), business('AnswersGiven', {}, "Users' answers")],
            'SSC decisions per week, and Users’ answers',
            'decisions',
          ),
        ],
        [
          perWeek(
            [
              ...waits.map((w) => business('Escalations', { Wait: w }, `Escalated: ${words(w)}`)),
              ...waits.map((w) => business('OverdueEndings', { Wait: w }, `Ended overdue: ${words(w)}`)),
            ],
            'Escalations and cases ended overdue per week, by wait',
            'cases',
          ),
          perWeek(
            AssuranceStatus.options.map((s) => business('AssessmentOutcomes', { AssuranceStatus: s }, words(s))),
            'Ad-hoc assessment outcomes per week (G8.34)',
            'assessments',
          ),
        ],
        [
          perWeek(
            [
              business('WorkflowFaults', { Status: 'FAILED' }, 'Workflow stopped: failed'),
              business('WorkflowFaults', { Status: 'TIMED_OUT' }, 'Workflow stopped: timed out'),
              business('WorkflowFaults', { Status: 'ABORTED' }, 'Workflow stopped: stopped by hand'),
              ...(['User', 'SSC', 'SECAS'] as const).map((r) => business('UndeliveredEmails', { RecipientRole: r }, `Emails that did not arrive: ${r}`)),
              business('BrokenHistories', {}, 'Case histories found broken'),
            ],
            'Workflow faults, emails that did not arrive, histories found broken',
            'events',
          ),
          new AlarmStatusWidget({ title: 'Alarms (red: see the runbook)', alarms: props.alarms, width: 12, height: 6 }),
        ],
        [
          new GraphWidget({
            title: 'API: requests and errors',
            left: [
              new Metric({ namespace: 'AWS/ApiGateway', metricName: 'Count', dimensionsMap: { ApiId: props.api.apiId }, statistic: 'Sum', label: 'Requests' }),
              new Metric({
                namespace: 'AWS/ApiGateway',
                metricName: '4xx',
                dimensionsMap: { ApiId: props.api.apiId },
                statistic: 'Sum',
                label: 'Refused (4xx)',
              }),
              new Metric({
                namespace: 'AWS/ApiGateway',
                metricName: '5xx',
                dimensionsMap: { ApiId: props.api.apiId },
                statistic: 'Sum',
                label: 'Failed (5xx)',
              }),
            ],
            width: 8,
            height: 6,
          }),
          new GraphWidget({
            title: 'API: response time (ms)',
            left: ['p50', 'p95'].map(
              (statistic) =>
                new Metric({ namespace: 'AWS/ApiGateway', metricName: 'Latency', dimensionsMap: { ApiId: props.api.apiId }, statistic, label: statistic }),
            ),
            width: 8,
            height: 6,
          }),
          new GraphWidget({
            title: 'Case workflows: started, ended, stopped on a fault',
            left: [
              props.stateMachine.metricStarted({ label: 'Started' }),
              props.stateMachine.metricSucceeded({ label: 'Ended (a named final state)' }),
              new MathExpression({
                expression: 'failed + timedOut + aborted',
                usingMetrics: {
                  failed: props.stateMachine.metricFailed(),
                  timedOut: props.stateMachine.metricTimedOut(),
                  aborted: props.stateMachine.metricAborted(),
                },
                label: 'Stopped on a fault',
              }),
            ],
            width: 8,
            height: 6,
          }),
        ],
      ],
    });
  }
}
