import { deadlineSettings, mailboxes } from '../adapters/config';
import { getCase, transitionCase, updateCase } from '../adapters/cases-repository';
import { sendEmail } from '../adapters/mailer';
import { logger } from '../adapters/powertools';
import { annualReviewScheduleName, deleteAnnualReviewReminder, scheduleAnnualReviewReminder } from '../adapters/reminder-schedules';
import { type CaseRecord, versionOf } from '../domain/case';
import { annualReviewReminder } from '../domain/deadlines';
import { annualReviewReminderEmail } from '../domain/emails';

/**
 * A case deferred to the User's annual review waits outside the workflow: its execution ends
 * once the reminder is scheduled, however far ahead the review is, so no execution outlives its
 * deadline waits or pins an old definition through the deploys of a year.
 */

const deferredCase = async (reference: string): Promise<CaseRecord> => {
  const record = await getCase(reference);
  if (!record) throw new Error(`case ${reference} does not exist`);
  return record;
};

/** ScheduleAnnualReviewReminder: the one-time schedule of the reminder, recorded on the case (once, however often retried). */
export const scheduleReminderOf = async (reference: string, now: Date): Promise<{ remindAt: string }> => {
  const record = await deferredCase(reference);
  if (record.status !== 'DeferredToAnnualReview') throw new Error(`case ${reference} is ${record.status}, not DeferredToAnnualReview`);
  const reminder = annualReviewReminder(record.submission.existingUserSystem.nextAnnualReviewOn, now, deadlineSettings());
  const { name } = await scheduleAnnualReviewReminder(reference, reminder.londonTime);
  if (record.annualReview?.schedule !== name) {
    await updateCase(
      reference,
      { annualReview: { remindAt: reminder.at, schedule: name } },
      {
        at: now.toISOString(),
        type: 'AnnualReviewReminderScheduled',
        actor: { kind: 'System', id: 'ScheduleAnnualReviewReminder' },
        text: `Reminder on ${reminder.londonTime.replace('T', ' ')} UK time (schedule ${name})`,
      },
    );
  }
  return { remindAt: reminder.at };
};

/**
 * The User amended the review date of a case deferred to it: its reminder moves. The new schedule
 * (named with the notice's version, so it never meets the old one's name) is made and recorded
 * first, then the old one deleted: were the deletion to fail, the old one could still fire, and
 * the reminder closes the case once, whichever fires first; were the creation to fail, the old one
 * stands and the amendment is still recorded. A case not deferred, or whose reminder has gone, has
 * nothing to move.
 */
export const moveReminderOf = async (record: CaseRecord, now: Date): Promise<{ remindAt: string } | undefined> => {
  const from = record.annualReview?.schedule;
  if (record.status !== 'DeferredToAnnualReview' || !from) return undefined;
  const reminder = annualReviewReminder(record.submission.existingUserSystem.nextAnnualReviewOn, now, deadlineSettings());
  const name = `${annualReviewScheduleName(record.reference)}-v${versionOf(record)}`;
  await scheduleAnnualReviewReminder(record.reference, reminder.londonTime, name);
  await updateCase(
    record.reference,
    { annualReview: { remindAt: reminder.at, schedule: name } },
    {
      at: now.toISOString(),
      type: 'AnnualReviewReminderMoved',
      actor: { kind: 'System', id: 'AmendNotification' },
      text: `Reminder on ${reminder.londonTime.replace('T', ' ')} UK time (schedule ${name}), for the amended review date`,
    },
  );
  await deleteAnnualReviewReminder(from);
  return { remindAt: reminder.at };
};

/**
 * RemindOfAnnualReview, when the schedule fires: the User and SECAS are told the new User System
 * is in scope of the review, and the case closes. A second delivery of the same schedule (the
 * Scheduler delivers at least once) finds the case closed and does nothing.
 */
export const remindOfAnnualReview = async (reference: string, scheduledTime: Date): Promise<'reminded' | 'already-closed'> => {
  const record = await deferredCase(reference);
  if (record.status !== 'DeferredToAnnualReview') {
    logger.info('annual review reminder already given', { status: record.status });
    return 'already-closed';
  }
  // When it ran; never before it was due (the sandbox's clock runs ahead of the real one).
  const at = new Date(Math.max(scheduledTime.getTime(), Date.now())).toISOString();
  const email = annualReviewReminderEmail(record, mailboxes());
  await sendEmail(email, reference);
  const actor = { kind: 'System', id: 'RemindOfAnnualReview' } as const;
  const closed = await transitionCase(reference, 'DeferredToAnnualReview', 'Closed', [
    { at, type: 'AnnualReviewReminderSent', actor, text: `To ${email.to.join(', ')}: ${email.subject}` },
    { at, type: 'CaseClosed', actor },
  ]);
  return closed ? 'reminded' : 'already-closed';
};
