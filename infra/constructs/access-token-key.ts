import { RemovalPolicy } from 'aws-cdk-lib';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * AccessTokenKey: the asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY) that signs the API's access
 * tokens (ES256). Its private half never leaves KMS; the authorizer verifies with its public half.
 * Stateful: replacing it would refuse every token issued under it, so it is retained and its
 * logical id pinned with the rest of the records stack. Asymmetric KMS keys cannot rotate
 * automatically; a rotation is a new key and a deploy, after which tokens of the old key (an hour
 * at most) are refused.
 */
export class AccessTokenKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: "Signs the SEC second User System API's access tokens (ES256)",
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
