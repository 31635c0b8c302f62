import { casesForMeetingPapers, claimMeetingPapers, getDecisionRequest, markMeetingPapersSent, releaseMeetingPapers } from '../adapters/cases-repository';
import { mailboxes, meetingCalendar } from '../adapters/config';
import { listMembers } from '../adapters/ssc-member-register';
import { sendEmail } from '../adapters/mailer';
import { decisionLinks } from './decision-links';
import { type EmailMessage, meetingPapersEmail } from '../domain/emails';
import { type LinkHolder, decisionRecipients } from '../domain/ssc-members';
import { type MeetingPapers, type PaperCase, assembleMeetingPapers, papersSince } from '../domain/meeting-papers';
import { type SscMeeting, meetingWithPapersDueOn, previousMeeting } from '../domain/ssc-meetings';
import { londonDate, londonInstant } from '../domain/working-days';

/**
 * The signed link to each listed case's confirmation page for its recommended decision: the link
 * its own SSC email carries (same decision request, same expiry, so the same signature), never a
 * new kind of credential. A case whose request is no longer pending has none.
 */
const recommendedLinks = async (cases: PaperCase[], holder?: LinkHolder): Promise<Record<string, string>> => {
  const links: Record<string, string> = {};
  for (const c of cases) {
    if (!c.openDecisionId) continue;
    const request = await getDecisionRequest(c.openDecisionId);
    if (request?.status !== 'Pending') continue;
    const offered = await decisionLinks(c, c.openDecisionId, request.expiresAt, holder);
    const link = offered[c.recommendation];
    if (link) links[c.reference] = link;
  }
  return links;
};

/** The papers of `meeting` as the cases stand at `now` (the console's page; the emails add their links), and the cases they were made of. */
const assemble = async (meeting: SscMeeting, now: Date): Promise<{ papers: MeetingPapers; cases: PaperCase[] }> => {
  const previous = previousMeeting(meetingCalendar(), meeting.on);
  const cases = await casesForMeetingPapers(papersSince(meeting, previous));
  return { papers: assembleMeetingPapers({ meeting, ...(previous ? { previous } : {}), cases, now }), cases };
};

export const meetingPapers = async (meeting: SscMeeting, now: Date): Promise<MeetingPapers> => (await assemble(meeting, now)).papers;

/** Signed only for the cases the papers ask the SSC to decide (due and overdue), then assembled again with them. */
const withLinks = async (papers: MeetingPapers, cases: PaperCase[], holder?: LinkHolder): Promise<MeetingPapers> => {
  const links = await recommendedLinks([...papers.due, ...papers.overdue], holder);
  const now = new Date(papers.assembledAt);
  return assembleMeetingPapers({ meeting: papers.meeting, ...(papers.previous ? { previous: papers.previous } : {}), cases, now, links });
};

/**
 * The papers' emails: with nobody in the register of SSC members, one to the SSC's mailbox and
 * SECAS with the mailbox's links, as before the register; otherwise one to each current member and
 * Alternate with links bound to them (as their own decision emails carry), and SECAS's copy without
 * links (SECAS does not decide).
 */
const papersEmails = async (meeting: SscMeeting, now: Date): Promise<{ papers: MeetingPapers; emails: EmailMessage[] }> => {
  const m = mailboxes();
  const people = decisionRecipients(await listMembers());
  const { papers, cases } = await assemble(meeting, now);
  if (!people.length) return { papers, emails: [meetingPapersEmail(await withLinks(papers, cases), m)] };
  const emails: EmailMessage[] = [];
  for (const person of people) emails.push(meetingPapersEmail(await withLinks(papers, cases, person.holder), { ssc: [person.email], secas: [] }));
  emails.push(meetingPapersEmail(papers, { ssc: [], secas: m.secas }));
  return { papers, emails };
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
  const messageIds: string[] = [];
  try {
    const made = await papersEmails(meeting, now);
    papers = made.papers;
    // A send that fails gives the claim back and the run is retried: those already sent get theirs again (preferred to papers never sent).
    for (const email of made.emails) messageIds.push(await sendEmail(email, `MEETING-${meeting.on}`));
  } catch (error) {
    await releaseMeetingPapers(meeting.on);
    throw error;
  }
  await markMeetingPapersSent(meeting.on, now.toISOString(), messageIds.join(' '));
  return { sent: true, meeting: meeting.on, due: papers.due.length };
};
