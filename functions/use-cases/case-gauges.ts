import { casesInStatus } from '../adapters/cases-repository';
import { meetingCalendar } from '../adapters/config';
import { businessMetric } from '../adapters/powertools';
import { CaseStatus, isFinal, waitingOn } from '../domain/case';
import { lastPaperDeadline } from '../domain/ssc-meetings';
import { londonDate } from '../domain/working-days';

export interface CaseGauges {
  open: Partial<Record<CaseStatus, number>>;
  /** Days since the longest current wait on each party began (0 when none waits on it). */
  oldestWaitDays: Record<'SSC' | 'User' | 'SECAS', number>;
  /** Waits past their due date, on each party. */
  pastDue: Record<'SSC' | 'User' | 'SECAS', number>;
  /** Days until the last paper deadline of a listed SSC meeting calendar (a rule never runs out: absent). */
  meetingCalendarDaysLeft?: number;
}

/**
 * What SECAS's dashboard shows of the cases as they stand: how many are open in each status, the
 * oldest wait on the SSC, on a User and on SECAS, and how many waits are past due. Read from the
 * CasesByStatus index and published as gauges every quarter of an hour; with them, how long the
 * SSC's listed meeting dates last, which an alarm watches so they are extended before they run out.
 */
export const publishCaseGauges = async (now: Date): Promise<CaseGauges> => {
  const gauges: CaseGauges = { open: {}, oldestWaitDays: { SSC: 0, User: 0, SECAS: 0 }, pastDue: { SSC: 0, User: 0, SECAS: 0 } };
  const today = londonDate(now);
  for (const status of CaseStatus.options.filter((s) => !isFinal(s))) {
    const cases = await casesInStatus(status);
    gauges.open[status] = cases.length;
    const party = waitingOn[status];
    if (!party) continue;
    for (const c of cases) {
      const since = Date.parse(c.deadline?.startedAt ?? c.receivedAt);
      gauges.oldestWaitDays[party] = Math.max(gauges.oldestWaitDays[party], Math.floor((now.getTime() - since) / 86_400_000));
      if (c.deadline && today > c.deadline.dueOn) gauges.pastDue[party]++;
    }
  }
  for (const [status, count] of Object.entries(gauges.open)) businessMetric('OpenCases', { Status: status }, count);
  for (const party of ['SSC', 'User', 'SECAS'] as const) {
    businessMetric('OldestWaitDays', { WaitingOn: party }, gauges.oldestWaitDays[party]);
    businessMetric('WaitsPastDue', { WaitingOn: party }, gauges.pastDue[party]);
  }
  const lastDeadline = lastPaperDeadline(meetingCalendar());
  if (lastDeadline) {
    gauges.meetingCalendarDaysLeft = Math.round((Date.parse(lastDeadline) - Date.parse(today)) / 86_400_000);
    businessMetric('SscMeetingCalendarDaysLeft', {}, gauges.meetingCalendarDaysLeft);
  }
  return gauges;
};
