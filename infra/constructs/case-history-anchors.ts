import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/**
 * CaseHistoryAnchors: the bucket of the daily anchors of every case's history chain (functions/
 * adapters/history-anchors.ts), outside the table so that a table writer cannot rewrite them.
 * Object Lock in compliance mode: no one, the account's root included, can overwrite or delete
 * an anchor's version, or shorten its retention, until it ends; governance mode would let a
 * principal with s3:BypassGovernanceRetention do both, and legal holds are lifted by whoever may
 * set them. Retained for as long as the decision records they vouch for must be kept.
 */
export class CaseHistoryAnchors extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: { retentionYears: number }) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Bucket', {
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(Math.ceil(365.25 * props.retentionYears))),
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'One object a day, written by one function and read by the verifier: CloudTrail records who reads or writes it; access logs would add a bucket of their own to keep.',
    });
  }
}
