import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';

/**
 * Powertools singletons. The service name comes from POWERTOOLS_SERVICE_NAME, one per stage (the
 * stack sets it), so that two stages in one account keep their logs and metrics apart.
 */
export const logger = new Logger();
export const metrics = new Metrics({ namespace: 'SecondUserSystem' });

/**
 * The business metrics SECAS's dashboard reads, each emitted at once (EMF) with its own
 * dimensions beside the service's: one counted event (a notification filed, a decision taken…)
 * or one gauge reading (cases open in a status, the oldest wait). Dimension values are a handful
 * of fixed words (a status, a wait, a role): never a reference or any text of a case.
 */
export type BusinessMetric =
  | 'NotificationsFiled'
  | 'SscDecisions'
  | 'QuestionsAsked'
  | 'AnswersGiven'
  | 'Escalations'
  | 'OverdueEndings'
  | 'AssessmentOutcomes'
  | 'WorkflowFaults'
  | 'UndeliveredEmails'
  | 'OpenCases'
  | 'OldestWaitDays'
  | 'WaitsPastDue'
  | 'SscMeetingCalendarDaysLeft'
  | 'BrokenHistories';

export const businessMetric = (
  name: BusinessMetric,
  dimensions: Record<string, string> = {},
  value = 1,
  unit: (typeof MetricUnit)[keyof typeof MetricUnit] = MetricUnit.Count,
): void => {
  const single = metrics.singleMetric();
  for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
  single.addMetric(name, unit, value);
};
