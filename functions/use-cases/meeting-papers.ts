import { casesForMeetingPapers, claimMeetingPapers, getDecisionRequest, markMeetingPapersSent, releaseMeetingPapers } from '../adapters/cases-repository';
import { mailboxes, meetingCalendar } from '../adapters/config';
import { sendEmail } from '../adapters/mailer';
import { decisionLinks } from './decision-links';
import { meetingPapersEmail } from '../domain/emails';
import { type MeetingPapers, type PaperCase, assembleMeetingPapers, papersSince } from '../domain/meeting-papers';
import { type SscMeeting, meetingWithPapersDueOn, previousMeeting } from '../domain/ssc-meetings';
import { londonDate, londonInstant } from '../domain/working-days';

/**
 * The signed link to each listed case's confirmation page for its recommended decision: the link
 * its own SSC email carries (same decision request, same expiry, so the same signature), never a
 * new kind of credential. A case whose request is no longer pending has none.
 */
const recommendedLinks = async (cases: PaperCase[]): Promise<Record<string, string>> => {
  const links: Record<string, string> = {};
  for (const c of cases) {
    if (!c.openDecisionId) continue;
    const request = await getDecisionRequest(c.openDecisionId);
    if (request?.status !== 'Pending') continue;
    const offered = await decisionLinks(c, c.openDecisionId, request.expiresAt);
    const link = offered[c.recommendation];
    if (link) links[c.reference] = link;
  }
  return links;
};

/** The papers of `meeting` as the cases stand at `now`, with the signed links when they are for the email. */
export const meetingPapers = async (meeting: SscMeeting, now: Date, options: { links: boolean }): Promise<MeetingPapers> => {
  const previous = previousMeeting(meetingCalendar(), meeting.on);
  const cases = await casesForMeetingPapers(papersSince(meeting, previous));
  const papers = assembleMeetingPapers({ meeting, ...(previous ? { previous } : {}), cases, now });
  if (!options.links) return papers;
  // Signed only for the cases the papers ask the SSC to decide (due and overdue), then assembled again with them.
  const links = await recommendedLinks([...papers.due, ...papers.overdue]);
  return assembleMeetingPapers({ meeting, ...(previous ? { previous } : {}), cases, now, links });
};

export type PapersOutcome = { sent: false; reason: 'not a paper deadline' | 'before 09:00' | 'already claimed' } | { sent: true; meeting: string; due: number };

/**
 * Sends a meeting's papers to the SSC and SECAS on its paper deadline, from 09:00 UK time, once:
 * the schedule runs hourly (an EventBridge rule's cron is in UTC, and 09:00 in London is 08:00 or
 * 09:00 UTC by the season), and the first run from 09:00 claims the meeting's papers before
 * sending them, and marks them sent after. A failed send gives the claim back, for Lambda's retry
 * or the next hour's run; a run that died holding it leaves it to go stale, and a later run sends.
 */
export const sendMeetingPapers = async (now: Date): Promise<PapersOutcome> => {
  const today = londonDate(now);
  const meeting = meetingWithPapersDueOn(meetingCalendar(), today);
  if (!meeting) return { sent: false, reason: 'not a paper deadline' };
  if (now < londonInstant(today)) return { sent: false, reason: 'before 09:00' };
  if (!(await claimMeetingPapers(meeting.on, now))) return { sent: false, reason: 'already claimed' };
  let papers: MeetingPapers;
  let messageId: string;
  try {
    papers = await meetingPapers(meeting, now, { links: true });
    messageId = await sendEmail(meetingPapersEmail(papers, mailboxes()), `MEETING-${meeting.on}`);
  } catch (error) {
    await releaseMeetingPapers(meeting.on);
    throw error;
  }
  await markMeetingPapersSent(meeting.on, now.toISOString(), messageId);
  return { sent: true, meeting: meeting.on, due: papers.due.length };
};
