import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * DecisionLinkKeyring: the HMAC keys that sign the SSC's decision links. Generated at
 * deploy time, never in the template: `{ "currentKeyId": "k1", "k1": "<random>" }`. To rotate,
 * add a key and point currentKeyId at it; keep the old key until its links have expired.
 */
export class DecisionLinkKeyring extends Construct {
  readonly secret: Secret;
  readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'Encrypts the SSC decision-link keyring',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.secret = new Secret(this, 'Secret', {
      description: 'HMAC keys that sign SSC decision links (SECMP0057 notifications)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ currentKeyId: 'k1' }),
        generateStringKey: 'k1',
        passwordLength: 64,
        excludePunctuation: true,
      },
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotation means adding a key beside the old one (old links stay valid until they expire), which Secrets Manager single-value rotation cannot do; SECAS rotates by the documented runbook.',
    });
  }
}
