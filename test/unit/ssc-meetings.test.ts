import { describe, expect, it } from 'vitest';
import {
  MeetingCalendarExhausted,
  defaultMeetingCalendar,
  lastPaperDeadline,
  meetingCalendarErrors,
  nextMeeting,
  requireNextMeeting,
} from '../../functions/domain/ssc-meetings';
import { addMonths, calendarRange } from '../../functions/domain/working-days';
import { WORKING_DAY_DATA_YEARS_AHEAD, parseSscMeetings, workingDayDataErrors } from '../../infra/app-context';

const listed = (dates: string[], paperDeadlineWorkingDays = 5) => ({ schedule: { dates }, paperDeadlineWorkingDays });

describe("the SSC's meeting calendar", () => {
  it('meets on the 2nd and 4th Wednesday by default, taking the first meeting whose paper deadline is still ahead', () => {
    expect(nextMeeting(defaultMeetingCalendar, '2026-11-18')).toEqual({ on: '2026-11-25', papersBy: '2026-11-18' }); // the paper deadline itself
    expect(nextMeeting(defaultMeetingCalendar, '2026-11-19')).toEqual({ on: '2026-12-09', papersBy: '2026-12-02' });
    expect(nextMeeting(defaultMeetingCalendar, '2027-01-01')).toEqual({ on: '2027-01-13', papersBy: '2027-01-06' });
  });

  it('moves a meeting a rule puts on a bank holiday to the next Working Day', () => {
    // Christmas Day 2030 is the 4th Wednesday of December; Boxing Day follows.
    expect(nextMeeting(defaultMeetingCalendar, '2030-12-12')).toEqual({ on: '2030-12-27', papersBy: '2030-12-18' });
  });

  it('never runs out as a rule, and does as a list', () => {
    expect(nextMeeting(defaultMeetingCalendar, '2075-06-01')?.on).toBe('2075-06-12');
    const calendar = listed(['2027-01-27', '2027-01-13']);
    expect(nextMeeting(calendar, '2027-01-06')?.on).toBe('2027-01-13');
    expect(nextMeeting(calendar, '2027-01-07')?.on).toBe('2027-01-27');
    expect(nextMeeting(calendar, '2027-01-21')).toBeUndefined();
    expect(lastPaperDeadline(calendar)).toBe('2027-01-20');
    expect(lastPaperDeadline(defaultMeetingCalendar)).toBeUndefined();
    expect(() => requireNextMeeting(calendar, '2027-01-21')).toThrow(MeetingCalendarExhausted);
    expect(() => requireNextMeeting(calendar, '2027-01-21')).toThrow(/add the SSC's next meeting dates/);
  });

  it('counts the paper deadline in Working Days, across bank holidays', () => {
    expect(nextMeeting(listed(['2027-01-06'], 3), '2026-12-23')).toEqual({ on: '2027-01-06', papersBy: '2026-12-31' });
  });

  it('names what is wrong with a calendar that cannot be deployed', () => {
    expect(meetingCalendarErrors(listed(['2027-01-13']), '2026-11-24')).toEqual([]);
    expect(meetingCalendarErrors(listed(['2027-01-16', '2026-12-25']), '2026-11-24')).toEqual([
      '2027-01-16 is not a Working Day',
      '2026-12-25 is not a Working Day',
    ]);
    expect(meetingCalendarErrors(listed(['2090-01-11']), '2026-11-24')[0]).toMatch(/outside the Working-Day data/);
    expect(meetingCalendarErrors(listed(['2026-11-25', '2026-11-11']), '2026-11-24')).toEqual([
      'no meeting has a paper deadline on or after 2026-11-24: the calendar is in the past',
    ]);
    expect(meetingCalendarErrors(listed(['2027-01-13'], 2.5), '2026-11-24')[0]).toMatch(/paperDeadlineWorkingDays/);
  });
});

describe('context sscMeetings', () => {
  it('takes the default rule when unset, a list or a rule as given, from cdk.json or -c', () => {
    expect(parseSscMeetings(undefined, '2026-11-24')).toEqual(defaultMeetingCalendar);
    expect(parseSscMeetings('{"dates":["2027-01-13"],"paperDeadlineWorkingDays":3}', '2026-11-24')).toEqual(listed(['2027-01-13'], 3));
    expect(parseSscMeetings({ rule: { weekday: 'Thursday', weeksOfMonth: [1, 3] } }, '2026-11-24')).toEqual({
      schedule: { rule: { weekday: 'Thursday', weeksOfMonth: [1, 3] } },
      paperDeadlineWorkingDays: 5,
    });
  });

  it.each([
    ['a calendar in the past', { dates: ['2026-11-11'] }, /in the past/],
    ['a malformed date', { dates: ['2027-13-01'] }, /sscMeetings/],
    ['a weekend', { dates: ['2027-01-16'] }, /not a Working Day/],
    ['both a list and a rule', { dates: ['2027-01-13'], rule: { weekday: 'Wednesday', weeksOfMonth: [2] } }, /sscMeetings/],
    ['a fifth week', { rule: { weekday: 'Wednesday', weeksOfMonth: [5] } }, /sscMeetings/],
    ['a weekend rule', { rule: { weekday: 'Saturday', weeksOfMonth: [1] } }, /sscMeetings/],
    ['too many dates', { dates: Array.from({ length: 61 }, () => '2027-01-13') }, /at most 60 dates/],
    ['a negative paper deadline', { dates: ['2027-01-13'], paperDeadlineWorkingDays: -1 }, /paperDeadlineWorkingDays/],
  ])('fails the synth on %s, saying why', (_, value, reason) => {
    expect(() => parseSscMeetings(value, '2026-11-24')).toThrow(reason);
  });
});

describe('the Working-Day data at synth', () => {
  it(`passes while the data reaches ${WORKING_DAY_DATA_YEARS_AHEAD} years past the day, and fails the synth the day after, naming the command that regenerates it`, () => {
    const lastDay = calendarRange.lastDay;
    const lastGoodDay = addMonths(lastDay, -12 * WORKING_DAY_DATA_YEARS_AHEAD);
    expect(workingDayDataErrors('2026-11-24')).toEqual([]);
    expect(workingDayDataErrors(lastGoodDay)).toEqual([]);
    const [error] = workingDayDataErrors(new Date(Date.parse(`${lastGoodDay}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10));
    expect(error).toContain(`ends on ${lastDay}`);
    expect(error).toContain('npm run update:bank-holidays');
  });
});
