import * as z from 'zod';
import { scheduleReminderOf } from '../use-cases/annual-review';
import { workflowTask } from './task';

/** ScheduleAnnualReviewReminder: the last task of a deferred case's execution (see use-cases/annual-review.ts). */
export const handler = workflowTask(z.object({ reference: z.string(), now: z.iso.datetime() }), ({ reference, now }) =>
  scheduleReminderOf(reference, new Date(now)),
);
