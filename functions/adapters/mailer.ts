import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { type EmailMessage, headerSafe } from '../domain/emails';
import { sesClient } from './aws-clients';
import { setting } from './config';

/**
 * Sends one rendered message through SES v2 and its configuration set, tagged with the case and
 * the notice it is: SES's bounce, complaint, delay and reject events carry both tags back. The
 * subject is made header-safe here too, whoever composed the message: it is the one header that
 * carries a person's text.
 */
export const sendEmail = async (message: EmailMessage, reference: string): Promise<string> => {
  const { MessageId } = await sesClient().send(
    new SendEmailCommand({
      FromEmailAddress: setting('SENDER_ADDRESS'),
      Destination: { ToAddresses: message.to },
      Content: {
        Simple: {
          Subject: { Data: headerSafe(message.subject), Charset: 'UTF-8' },
          Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
        },
      },
      ConfigurationSetName: setting('SES_CONFIGURATION_SET'),
      EmailTags: [
        { Name: 'case', Value: reference },
        { Name: 'notice', Value: message.notice },
      ],
    }),
  );
  return MessageId ?? '';
};

/** Sends SECAS the service report: tagged as such, with no case (SES's events about it name none). */
export const sendReportEmail = async (message: Omit<EmailMessage, 'notice'>): Promise<string> => {
  const { MessageId } = await sesClient().send(
    new SendEmailCommand({
      FromEmailAddress: setting('SENDER_ADDRESS'),
      Destination: { ToAddresses: message.to },
      Content: {
        Simple: {
          Subject: { Data: headerSafe(message.subject), Charset: 'UTF-8' },
          Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
        },
      },
      ConfigurationSetName: setting('SES_CONFIGURATION_SET'),
      EmailTags: [{ Name: 'notice', Value: 'QuarterlyReport' }],
    }),
  );
  return MessageId ?? '';
};
