import type { NotificationSubmission } from './notification';

/**
 * A notice is late when the User already employs the new system, or its planned live date
 * has come: SEC G3.9 requires notice *before* employing it. Late notices are accepted and
 * flagged so the SSC sees the breach; they are never refused.
 */
export const assessLateness = (
  submission: NotificationSubmission,
  today: string,
): { late: boolean; lateReasons: string[] } => {
  const reasons: string[] = [];
  if (submission.newUserSystem.alreadyInUse) reasons.push('The User reports the new User System is already in use.');
  if (submission.newUserSystem.plannedLiveOn <= today) {
    reasons.push(`The planned live date ${submission.newUserSystem.plannedLiveOn} is not after the date of notice ${today}.`);
  }
  return { late: reasons.length > 0, lateReasons: reasons };
};

/** Today's calendar date in the UK, YYYY-MM-DD. */
export const ukDate = (instant: Date): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(instant);
