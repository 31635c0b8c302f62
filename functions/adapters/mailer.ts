import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { type EmailMessage, headerSafe } from '../domain/emails';
import { sesClient } from './aws-clients';
import { setting } from './config';

/**
 * Sends one rendered message through SES v2 and its configuration set, with its tags: SES's
 * bounce, complaint, delay and reject events carry them back. The
 * subject is made header-safe here too, whoever composed the message: it is the one header that
 * carries a person's text.
 */
const send = async (message: Omit<EmailMessage, 'notice'>, tags: Array<{ Name: string; Value: string }>): Promise<string> => {
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
      EmailTags: tags,
    }),
  );
  return MessageId ?? '';
};

/** A case's email, tagged with the case and the notice it is. */
export const sendEmail = (message: EmailMessage, reference: string): Promise<string> =>
  send(message, [
    { Name: 'case', Value: reference },
    { Name: 'notice', Value: message.notice },
  ]);

/** Sends SECAS the service report: tagged as such, with no case (SES's events about it name none). */
export const sendReportEmail = (message: Omit<EmailMessage, 'notice'>): Promise<string> => send(message, [{ Name: 'notice', Value: 'QuarterlyReport' }]);
