import * as z from 'zod';
import { appendCaseEvent, getCase } from '../adapters/cases-repository';
import { sendEmail } from '../adapters/mailer';
import { acknowledgementEmail } from '../domain/emails';
import { workflowTask } from './task';

/** AcknowledgeReceipt: emails the User's contact that the notification arrived. */
export const handler = workflowTask(z.object({ reference: z.string() }), async ({ reference }) => {
  const record = await getCase(reference);
  if (!record) throw new Error(`case ${reference} does not exist`);
  await sendEmail(acknowledgementEmail(record), reference);
  await appendCaseEvent(reference, {
    at: new Date().toISOString(),
    type: 'AcknowledgementSent',
    actor: { kind: 'System', id: 'AcknowledgeReceipt' },
  });
  return { acknowledged: true };
});
