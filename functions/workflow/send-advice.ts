import * as z from 'zod';
import { appendCaseEvent, getCase } from '../adapters/cases-repository';
import { sendEmail } from '../adapters/mailer';
import { adviceEmail } from '../domain/emails';
import { workflowTask } from './task';

/** SendAdviceToUser: emails the User the SSC's decision and advice, as recorded on the case. */
export const handler = workflowTask(z.object({ reference: z.string() }), async ({ reference }) => {
  const record = await getCase(reference);
  if (!record?.sscDecision) throw new Error(`case ${reference} has no recorded SSC decision`);
  await sendEmail(adviceEmail(record, record.sscDecision), reference);
  await appendCaseEvent(reference, {
    at: new Date().toISOString(),
    type: 'AdviceSent',
    actor: { kind: 'System', id: 'SendAdviceToUser' },
  });
  return { adviceSent: true };
});
