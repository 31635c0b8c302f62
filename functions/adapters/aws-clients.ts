import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * One client of each kind per process, created on first use so that the endpoint variables
 * (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SESV2, AWS_ENDPOINT_URL_SFN, AWS_ENDPOINT_URL_SCHEDULER) that the local
 * sandbox sets are read, exactly as Lambda reads its own environment.
 */
let dynamodb: DynamoDBClient | undefined;
let documents: DynamoDBDocumentClient | undefined;
let ses: SESv2Client | undefined;
let sfn: SFNClient | undefined;
let scheduler: SchedulerClient | undefined;
let s3: S3Client | undefined;

/** The one DynamoDB client: the document client wraps it, and Powertools' idempotency records go through it. */
export const dynamodbClient = (): DynamoDBClient => {
  dynamodb ??= new DynamoDBClient({});
  return dynamodb;
};

export const documentClient = (): DynamoDBDocumentClient => {
  documents ??= DynamoDBDocumentClient.from(dynamodbClient(), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documents;
};

export const sesClient = (): SESv2Client => {
  ses ??= new SESv2Client({});
  return ses;
};

export const sfnClient = (): SFNClient => {
  sfn ??= new SFNClient({});
  return sfn;
};

export const schedulerClient = (): SchedulerClient => {
  scheduler ??= new SchedulerClient({});
  return scheduler;
};

/**
 * Path-style addressing where an endpoint is set (the sandbox's S3 on localhost, whose bucket names
 * are no host names); on AWS, S3's own virtual-hosted endpoints.
 */
export const s3Client = (): S3Client => {
  s3 ??= new S3Client({ forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined });
  return s3;
};
