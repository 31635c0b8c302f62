import { RemovalPolicy } from 'aws-cdk-lib';
import { ConfigurationSet, EmailIdentity, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface SecMailProps {
  /** The domain the product sends from (its DNS records are published from the identity's outputs). */
  identityDomain: string;
}

/**
 * SecMail: the SES sending identity and the configuration set every email is sent through. The
 * configuration set (named by CloudFormation) is kept if the stack goes; the identity is named by
 * its domain, so a kept one would block the next deploy: were the stack ever deleted, a new one is
 * created and its DKIM records published again.
 */
export class SecMail extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly identity: EmailIdentity;

  constructor(scope: Construct, id: string, props: SecMailProps) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSet.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: Identity.domain(props.identityDomain),
      configurationSet: this.configurationSet,
    });
  }
}
