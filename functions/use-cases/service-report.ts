import { casesReceivedBetween, quarterlyReportSentAt, recordQuarterlyReportSent } from '../adapters/cases-repository';
import { setting } from '../adapters/config';
import { sendReportEmail } from '../adapters/mailer';
import { type ReportRange, type ServiceReport, computeReport, firstWorkingDayOfQuarter, quarterBefore, receivedBetween } from '../domain/service-report';
import { reportEmail } from '../domain/service-report-formats';
import { londonDate } from '../domain/working-days';

/** The report over the notices received in `range` (already checked against `now`), as the cases stand at `now`. */
export const serviceReport = async (range: ReportRange, now: Date): Promise<ServiceReport> => {
  const { first, last } = receivedBetween(range);
  return computeReport(range, await casesReceivedBetween(first, last), now);
};

export type QuarterlyRun = { sent: false; reason: string } | { sent: true; quarter: string; messageId: string; notices: number };

/**
 * Emails SECAS the report of the quarter just ended, on the first Working Day of the next. The rule
 * runs daily; on other days it does nothing. The quarter's record makes a retry that day (or a
 * second run) send nothing more; it is written after the send, so a failure between the two sends
 * the report twice rather than never.
 */
export const sendQuarterlyReport = async (now: Date): Promise<QuarterlyRun> => {
  const today = londonDate(now);
  if (firstWorkingDayOfQuarter(today) !== today) return { sent: false, reason: `${today} is not the first Working Day of its quarter` };
  const quarter = quarterBefore(today);
  const sentAt = await quarterlyReportSentAt(quarter.name);
  if (sentAt) return { sent: false, reason: `the report for ${quarter.name} was sent at ${sentAt}` };
  const report = await serviceReport(quarter, now);
  const messageId = await sendReportEmail(reportEmail(report, quarter.name, setting('SECAS_ADDRESSES')));
  await recordQuarterlyReportSent(quarter.name, now.toISOString(), messageId);
  return { sent: true, quarter: quarter.name, messageId, notices: report.notices.total };
};
