import { Duration } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Function as LambdaFunctionResource } from 'aws-cdk-lib/aws-lambda';
import { CfnConfigurationSetEventDestination } from 'aws-cdk-lib/aws-ses';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { asyncDeadLetters } from './dead-letter-queue';

export interface DeliveryProblemTrackingProps {
  /** The configuration set every email goes through (kept by the records stack). */
  configurationSetName: string;
  /** RecordDeliveryProblem: records each problem on its case and tells SECAS of a notice that did not arrive. */
  handler: LambdaFunctionResource;
  /** SES's detail types that reach it (catalogue: RecordDeliveryProblem). */
  detailTypes: string[];
}

/**
 * DeliveryProblemTracking: the configuration set every email goes through publishes its bounces,
 * rejects, complaints and delivery delays to EventBridge (SES publishes only to the default bus),
 * and a rule hands those of this configuration set to RecordDeliveryProblem. EventBridge retries a
 * failed delivery for a day, Lambda a failed recording twice; what did not happen ends in one
 * dead-letter queue (alarmed). A send that SES accepted but that never arrived is then on its case.
 */
export class DeliveryProblemTracking extends Construct {
  readonly deadLetters: Queue;

  constructor(scope: Construct, id: string, props: DeliveryProblemTrackingProps) {
    super(scope, id);
    const bus = EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    // Here, beside its rule, rather than in the records stack: the destination is wiring, not a record.
    new CfnConfigurationSetEventDestination(this, 'ToEventBridge', {
      configurationSetName: props.configurationSetName,
      eventDestination: {
        enabled: true,
        matchingEventTypes: ['bounce', 'reject', 'complaint', 'deliveryDelay'],
        eventBridgeDestination: { eventBusArn: bus.eventBusArn },
      },
    });
    this.deadLetters = asyncDeadLetters(this, 'UnrecordedProblems', props.handler, 'the delivery-problem records');
    new Rule(this, 'EmailProblem', {
      description: 'An email of a case bounced, was rejected, delayed or marked as spam',
      eventBus: bus,
      eventPattern: {
        source: ['aws.ses'],
        detailType: props.detailTypes,
        detail: { mail: { tags: { 'ses:configuration-set': [props.configurationSetName] } } },
      },
      targets: [new LambdaFunction(props.handler, { retryAttempts: 185, maxEventAge: Duration.hours(24), deadLetterQueue: this.deadLetters })],
    });
  }
}
