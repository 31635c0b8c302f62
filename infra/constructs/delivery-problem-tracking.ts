import { Duration } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type ConfigurationSet, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './dead-letter-queue';
import { emailEventHandlers } from '../../functions/catalogue';

export interface DeliveryProblemTrackingProps {
  configurationSet: ConfigurationSet;
  /** RecordDeliveryProblem: records each problem on its case and tells SECAS of a notice that did not arrive. */
  handler: IFunction;
}

/**
 * DeliveryProblemTracking: the configuration set every email goes through publishes its bounces,
 * rejects, complaints and delivery delays to EventBridge (SES publishes only to the default bus),
 * and a rule hands those of this configuration set to RecordDeliveryProblem, retried for a day and
 * then kept in a dead-letter queue (which OperationsMonitoring alarms on). A send that SES accepted
 * but that never arrived is then on its case, not only in SES's statistics.
 */
export class DeliveryProblemTracking extends Construct {
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: DeliveryProblemTrackingProps) {
    super(scope, id);
    const bus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    props.configurationSet.addEventDestination('ToEventBridge', {
      destination: EventDestination.eventBus(bus),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.REJECT, EmailSendingEvent.COMPLAINT, EmailSendingEvent.DELIVERY_DELAY],
    });
    this.deadLetters = deadLetterQueue(this, 'UnrecordedProblems', 'the delivery-problem rule');
    new Rule(this, 'EmailProblem', {
      description: 'An email of a case bounced, was rejected, delayed or marked as spam',
      eventBus: bus,
      eventPattern: {
        source: ['aws.ses'],
        detailType: [...emailEventHandlers.RecordDeliveryProblem.detailTypes],
        detail: { mail: { tags: { 'ses:configuration-set': [props.configurationSet.configurationSetName] } } },
      },
      targets: [new LambdaFunction(props.handler, { retryAttempts: 185, maxEventAge: Duration.hours(24), deadLetterQueue: this.deadLetters })],
    });
  }
}
