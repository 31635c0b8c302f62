import { randomUUID } from 'node:crypto';
import type { SentEmail } from './ses-local';

/**
 * SES's mailbox simulator, in the sandbox: mail to bounce@, complaint@ or suppressionlist@
 * simulator.amazonses.com (labels such as bounce+x@ too) is accepted, and then reported back as
 * SES reports it, in the shape SES publishes to EventBridge: a hard bounce ("550 5.1.1 user
 * unknown"), a complaint, or a bounce because the address is on the suppression list. As in SES,
 * events are published only for mail sent through a configuration set (the product's has an
 * EventBridge destination for bounces, rejects, complaints and delays).
 */
const SIMULATED = /^(bounce|complaint|suppressionlist)(\+[^@]*)?@simulator\.amazonses\.com$/i;

export interface EventBridgeEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export const simulatorEvents = ({ request, messageId, at }: SentEmail, where: { account: string; region: string }): EventBridgeEvent[] => {
  const configurationSet = request.ConfigurationSetName as string | undefined;
  if (!configurationSet) return [];
  const destination: string[] = [
    ...(request.Destination?.ToAddresses ?? []),
    ...(request.Destination?.CcAddresses ?? []),
    ...(request.Destination?.BccAddresses ?? []),
  ];
  const from = String(request.FromEmailAddress ?? '');
  const subject = String(request.Content?.Simple?.Subject?.Data ?? '');
  const tags: Record<string, string[]> = {
    'ses:configuration-set': [configurationSet],
    'ses:source-ip': ['127.0.0.1'],
    'ses:from-domain': [from.split('@')[1] ?? ''],
    'ses:caller-identity': ['sandbox'],
    ...Object.fromEntries(((request.EmailTags ?? []) as Array<{ Name: string; Value: string }>).map((t) => [t.Name, [t.Value]])),
  };
  const mail = {
    timestamp: at.toISOString(),
    source: from,
    sendingAccountId: where.account,
    messageId,
    destination,
    headersTruncated: false,
    headers: [
      { name: 'From', value: from },
      { name: 'To', value: destination.join(', ') },
      { name: 'Subject', value: subject },
    ],
    commonHeaders: { from: [from], to: destination, messageId, subject },
    tags,
  };
  const reported = new Date(at.getTime() + 1000).toISOString();
  const event = (detailType: string, detail: Record<string, unknown>): EventBridgeEvent => ({
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: 'aws.ses',
    account: where.account,
    time: reported,
    region: where.region,
    resources: [`arn:aws:ses:${where.region}:${where.account}:configuration-set/${configurationSet}`],
    detail: { ...detail, mail },
  });
  const bounced = (address: string, bounceSubType: string, diagnosticCode: string, reportingMTA: string) =>
    event('Email Bounced', {
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType,
        bouncedRecipients: [{ emailAddress: address, action: 'failed', status: '5.1.1', diagnosticCode }],
        timestamp: reported,
        feedbackId: `${randomUUID()}-000000`,
        reportingMTA,
      },
    });
  return destination.flatMap((address) => {
    const scenario = SIMULATED.exec(address)?.[1]?.toLowerCase();
    switch (scenario) {
      case 'bounce':
        return [bounced(address, 'General', 'smtp; 550 5.1.1 user unknown', 'dsn; sandbox.smtp-out.amazonses.com')];
      case 'suppressionlist':
        return [
          bounced(
            address,
            'OnAccountSuppressionList',
            'Amazon SES did not send the message to this address because it is on the suppression list for your account.',
            'dns; amazonses.com',
          ),
        ];
      case 'complaint':
        return [
          event('Email Complaint Received', {
            eventType: 'Complaint',
            complaint: {
              complainedRecipients: [{ emailAddress: address }],
              timestamp: reported,
              feedbackId: `${randomUUID()}-000000`,
              userAgent: 'Sandbox Feedback Loop',
              complaintFeedbackType: 'abuse',
              arrivalDate: at.toISOString(),
            },
          }),
        ];
      default:
        return [];
    }
  });
};
