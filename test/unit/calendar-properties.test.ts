import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { assessmentDateWindow, latestAdmissibleDate, notificationDateErrors, notificationDateRules, windowOf } from '../../functions/domain/admission';
import { assessmentLinkQuery, verifyAssessmentLink } from '../../functions/domain/assessment-link';
import holidays from '../../functions/domain/data/bank-holidays-england-and-wales.json' with { type: 'json' };
import {
  type Deadline,
  type DeadlineSettings,
  annualReviewReminder,
  deadlineSettingBounds,
  defaultDeadlineSettings,
  nextCheckpoint,
  sscDecisionDeadline,
  startDeadline,
} from '../../functions/domain/deadlines';
import { decisionLinkQuery, verifyDecisionLink } from '../../functions/domain/decision-link';
import { NotificationSubmission } from '../../functions/domain/notification';
import { type LinkKeyring, linkExpiry } from '../../functions/domain/signed-link';
import {
  type MeetingCalendar,
  type SscMeeting,
  defaultMeetingCalendar,
  meetingWithPapersDueOn,
  nextMeeting,
  previousMeeting,
} from '../../functions/domain/ssc-meetings';
import { triage } from '../../functions/domain/triage';
import { type IsoDate, addMonths, calendarRange, isWorkingDay, londonDate } from '../../functions/domain/working-days';
import { fixture } from '../support/fixtures';

/**
 * The calendar's invariants on any day the Working-Day data covers: "today" and every date a
 * case carries are drawn across those years (inside the windows the API admits), weighted to
 * the days that break date code — Christmas and New Year, Easter, the UK clock changes,
 * 29 February, year ends — and to the hours around midnight in London and the 09:00
 * checkpoints. What each property expects is found here by walking the calendar a day at a time
 * and by the UK's daylight-saving rule, not by the arithmetic under test.
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;
const ms = (date: IsoDate) => Date.parse(`${date}T00:00:00Z`);
const dateAt = (t: number): IsoDate => new Date(t).toISOString().slice(0, 10);
const plusDays = (date: IsoDate, days: number): IsoDate => dateAt(ms(date) + days * DAY);
const min = (a: IsoDate, b: IsoDate) => (a < b ? a : b);
const max = (a: IsoDate, b: IsoDate) => (a > b ? a : b);

/**
 * "Today" from seven months into the data (a 120-Working-Day lead counted back from it stays
 * inside) to the last day any admission window reaches (latestAdmissibleDate).
 */
const FIRST_TODAY = addMonths(calendarRange.firstDay, 7);
const LAST_TODAY = latestAdmissibleDate();

// The UK's rule since 1996: British Summer Time from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October.
const lastSunday = (year: number, month: number): number => {
  const last = Date.UTC(year, month, 0);
  return last - new Date(last).getUTCDay() * DAY;
};
const inBst = (t: number) => {
  const year = new Date(t).getUTCFullYear();
  return t >= lastSunday(year, 3) + HOUR && t < lastSunday(year, 10) + HOUR;
};
/** 09:00 in London on a date: 09:00 UTC in GMT, 08:00 UTC in BST. */
const nineInLondon = (date: IsoDate) => ms(date) + 9 * HOUR - (inBst(ms(date) + 9 * HOUR) ? HOUR : 0);
const londonWall = (t: number) => new Date(t + (inBst(t) ? HOUR : 0)).toISOString().slice(0, 19);

/** Working Days d with from < d ≤ to, one day at a time. */
const workingDaysAfter = (from: IsoDate, to: IsoDate): number => {
  let n = 0;
  for (let d = plusDays(from, 1); d <= to; d = plusDays(d, 1)) if (isWorkingDay(d)) n++;
  return n;
};
/** The `count`-th Working Day before `date` (itself for 0), one day at a time. */
const workingDaysBefore = (date: IsoDate, count: number): IsoDate => {
  let d = date;
  for (let left = count; left > 0; ) {
    d = plusDays(d, -1);
    if (isWorkingDay(d)) left--;
  }
  return d;
};

/** A checkpoint: 09:00 UK time (UTC hour 9 in GMT, 8 in BST) on a Working Day. */
const expectNineOnWorkingDay = (instant: string, what: string) => {
  const t = Date.parse(instant);
  const date = dateAt(t);
  expect(isWorkingDay(date), `${what} ${instant} falls on a Working Day`).toBe(true);
  expect(t, `${what} ${instant} is 09:00 in London (${inBst(t) ? 'BST' : 'GMT'})`).toBe(nineInLondon(date));
  expect(new Date(t).getUTCHours()).toBe(inBst(t) ? 8 : 9);
};

// Days that break date code, in every year: each anchor and the week either side of it.
const goodFriday = (year: number) =>
  holidays.dates.find((d) => d.startsWith(`${year}-0`) && ['03', '04'].includes(d.slice(5, 7)) && new Date(ms(d)).getUTCDay() === 5);
const anchors = (year: number): IsoDate[] => [
  `${year}-12-25`, // Christmas, Boxing Day, their substitutes
  `${year}-12-31`, // year end and New Year's Day
  `${year}-02-28`, // 29 February, or 1 March
  dateAt(lastSunday(year, 3)), // the clocks go forward
  dateAt(lastSunday(year, 10)), // the clocks go back
  goodFriday(year) ?? `${year}-04-01`, // Good Friday to Easter Monday
];
const SPECIAL_DAYS = [
  ...new Set(
    Array.from({ length: holidays.lastYear - holidays.firstYear + 1 }, (_, i) => holidays.firstYear + i).flatMap((year) =>
      anchors(year).flatMap((anchor) => Array.from({ length: 15 }, (_, k) => plusDays(anchor, k - 7))),
    ),
  ),
]
  .filter((d) => d >= calendarRange.firstDay && d <= calendarRange.lastDay)
  .sort();

/** A date in [from, to]: anywhere, or (twice as often) on or near a special day. */
const dayIn = (from: IsoDate, to: IsoDate): fc.Arbitrary<IsoDate> => {
  const anywhere = fc.integer({ min: ms(from) / DAY, max: ms(to) / DAY }).map((i) => dateAt(i * DAY));
  const special = SPECIAL_DAYS.filter((d) => d >= from && d <= to);
  return special.length ? fc.oneof({ weight: 1, arbitrary: anywhere }, { weight: 2, arbitrary: fc.constantFrom(...special) }) : anywhere;
};

/** A time of day in ms after midnight UTC: any, or around midnight in London, or around the 09:00 checkpoints. */
const timeOfDay = fc.oneof(
  fc.integer({ min: 0, max: DAY - 1 }),
  fc.integer({ min: 22 * HOUR, max: DAY - 1 }), // 23:00–01:00 in London in summer, 22:00–00:00 in winter
  fc.integer({ min: 0, max: 2 * HOUR }), // 00:00–02:00 UTC: midnight in London in winter; the clocks change at 01:00
  fc.integer({ min: 7 * HOUR + 30 * 60_000, max: 9 * HOUR + 30 * 60_000 }), // 09:00 in London, BST or GMT
);
const instantOn = (day: IsoDate) => timeOfDay.map((t) => new Date(ms(day) + t));
/** "Now": an instant on any day of the range. */
const now = dayIn(FIRST_TODAY, LAST_TODAY).chain(instantOn);
/**
 * "Now" with an assessment window ahead inside the admissible range: on the very last admissible
 * days (in 2075) the window to schedule an assessment, clamped to that range, is empty.
 */
const nowWithAssessmentRoom = dayIn(FIRST_TODAY, addMonths(LAST_TODAY, -6)).chain(instantOn);

// Within the bounds the synth and the functions' configuration hold the settings to.
const workingDaysSetting = (name: keyof DeadlineSettings) => fc.integer(deadlineSettingBounds[name]);
const settings: fc.Arbitrary<DeadlineSettings> = fc.oneof(
  { weight: 2, arbitrary: fc.constant(defaultDeadlineSettings) },
  {
    weight: 1,
    arbitrary: fc.record({
      userInformationWorkingDays: workingDaysSetting('userInformationWorkingDays'),
      assessmentScheduleWorkingDays: workingDaysSetting('assessmentScheduleWorkingDays'),
      assessmentOutcomeWorkingDays: workingDaysSetting('assessmentOutcomeWorkingDays'),
      reminderLeadWorkingDays: workingDaysSetting('reminderLeadWorkingDays'),
      hardLimitWorkingDays: workingDaysSetting('hardLimitWorkingDays'),
      annualReviewReminderLeadWorkingDays: workingDaysSetting('annualReviewReminderLeadWorkingDays'),
    }),
  },
);

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] as const;
/** The default calendar, any rule, or a list of Working Days around today (shuffled, repeats and all). */
const calendarFor = (today: IsoDate): fc.Arbitrary<MeetingCalendar> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(defaultMeetingCalendar) },
    {
      weight: 1,
      arbitrary: fc.record({
        schedule: fc.record({
          rule: fc.record({
            weekday: fc.constantFrom(...WEEKDAYS),
            weeksOfMonth: fc.uniqueArray(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
          }),
        }),
        paperDeadlineWorkingDays: fc.integer({ min: 0, max: 30 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        schedule: fc.record({
          // Working Days only, as a deployable calendar has them (meetingCalendarErrors).
          dates: fc
            .array(dayIn(plusDays(today, -30), min(plusDays(today, 120), calendarRange.lastDay)), { minLength: 1, maxLength: 12 })
            .map((dates) => dates.filter(isWorkingDay))
            .filter((dates) => dates.length > 0),
        }),
        paperDeadlineWorkingDays: fc.integer({ min: 0, max: 30 }),
      }),
    },
  );

/** Every meeting a calendar holds near `today`, found by walking each month a day at a time. */
const meetingsNear = (calendar: MeetingCalendar, today: IsoDate): IsoDate[] => {
  if ('dates' in calendar.schedule) return [...calendar.schedule.dates];
  const { weekday, weeksOfMonth } = calendar.schedule.rule;
  const meetings: IsoDate[] = [];
  const [y, m] = today.split('-').map(Number) as [number, number];
  for (let month = -1; month <= 4; month++) {
    const first = dateAt(Date.UTC(y, m - 1 + month, 1));
    const days: IsoDate[] = [];
    for (let d = first; d.slice(0, 7) === first.slice(0, 7); d = plusDays(d, 1))
      if (new Date(ms(d)).getUTCDay() === WEEKDAYS.indexOf(weekday) + 1) days.push(d);
    for (const week of weeksOfMonth) {
      let on = days[week - 1] as IsoDate;
      while (!isWorkingDay(on)) on = plusDays(on, 1);
      meetings.push(on);
    }
  }
  return meetings;
};

/** The first meeting whose paper deadline a case ready on `today` can still make, by trying them all. */
const firstMeetingByBruteForce = (calendar: MeetingCalendar, today: IsoDate): SscMeeting | undefined =>
  meetingsNear(calendar, today)
    .sort()
    .map((on) => ({ on, papersBy: workingDaysBefore(on, calendar.paperDeadlineWorkingDays) }))
    .find((meeting) => meeting.papersBy >= today);

/** A notification filed at `at`, its planned live date anywhere in its admission window or (as often) within two months of today. */
const notice = now.chain((at) => {
  const today = londonDate(at);
  const live = windowOf(notificationDateRules.find((r) => r.pointer === '/newUserSystem/plannedLiveOn') as (typeof notificationDateRules)[number], today);
  const review = windowOf(
    notificationDateRules.find((r) => r.pointer === '/existingUserSystem/nextAnnualReviewOn') as (typeof notificationDateRules)[number],
    today,
  );
  return fc.record({
    at: fc.constant(at),
    plannedLiveOn: fc.oneof(dayIn(live.notBefore, live.notAfter), dayIn(max(live.notBefore, plusDays(today, -10)), min(live.notAfter, plusDays(today, 60)))),
    nextAnnualReviewOn: dayIn(review.notBefore, review.notAfter),
    alreadyInUse: fc.boolean(),
    calendar: calendarFor(today),
  });
});

const submissionOf = (n: { at: Date; plannedLiveOn: IsoDate; nextAnnualReviewOn: IsoDate; alreadyInUse: boolean }): NotificationSubmission => {
  const today = londonDate(n.at);
  const body = fixture(today);
  body.existingUserSystem.nextAnnualReviewOn = n.nextAnnualReviewOn;
  body.newUserSystem.plannedLiveOn = n.plannedLiveOn;
  body.newUserSystem.plannedProcurementOn = max(addMonths(today, -120), plusDays(n.plannedLiveOn, -60));
  body.newUserSystem.alreadyInUse = n.alreadyInUse;
  const submission = NotificationSubmission.parse(body);
  // Only what the API admits on that day.
  expect(notificationDateErrors(submission, today)).toEqual([]);
  return submission;
};

/** What holds of every wait's deadline: its due date, the checkpoints around it, and their order. */
const expectDeadlineInvariants = (d: Deadline, startedAt: Date, s: DeadlineSettings) => {
  const today = londonDate(startedAt);
  expect(isWorkingDay(d.dueOn), `due ${d.dueOn} is a Working Day`).toBe(true);
  expect(d.dueOn >= today, `due ${d.dueOn} is not before the day the wait starts, ${today}`).toBe(true);
  expectNineOnWorkingDay(d.escalationAt, 'escalation');
  expect(workingDaysAfter(d.dueOn, dateAt(Date.parse(d.escalationAt)))).toBe(1);
  expectNineOnWorkingDay(d.hardLimitAt, 'hard limit');
  expect(workingDaysAfter(d.dueOn, dateAt(Date.parse(d.hardLimitAt)))).toBe(s.hardLimitWorkingDays);
  // The reminder: 09:00 on the Working Day the lead before the due date, when that is still ahead.
  const reminder = nineInLondon(workingDaysBefore(d.dueOn, s.reminderLeadWorkingDays));
  expect(d.reminderAt).toBe(reminder > startedAt.getTime() ? new Date(reminder).toISOString() : undefined);
  if (d.reminderAt) {
    expectNineOnWorkingDay(d.reminderAt, 'reminder');
    expect(dateAt(Date.parse(d.reminderAt)) < d.dueOn).toBe(true);
  }
  // In order: reminder < due < escalation < hard limit (the last two the same instant only when the hard limit is 1 Working Day).
  expect(dateAt(Date.parse(d.escalationAt)) > d.dueOn).toBe(true);
  expect(Date.parse(d.escalationAt) > startedAt.getTime()).toBe(true);
  expect(d.hardLimitAt > d.escalationAt).toBe(true);
};

/**
 * The wait as the workflow runs it: from the start, each task waits the timeout nextCheckpoint
 * gives, then acts at that checkpoint. Returns the checkpoints in the order reached and when the
 * wait ends (the hard limit's timeout).
 */
const runWait = (d: Deadline, startedAt: Date) => {
  const reached: Array<{ checkpoint: string; at: number }> = [];
  let t = startedAt.getTime();
  for (let step = 0; step < 4; step++) {
    const plan = nextCheckpoint(d, new Date(t));
    expect(plan.dueOn).toBe(d.dueOn);
    expect(plan.timeoutSeconds >= 1 && Number.isInteger(plan.timeoutSeconds)).toBe(true);
    const fires = t + plan.timeoutSeconds * 1000;
    // Never before the checkpoint, and within the second after it.
    if (Date.parse(plan.at) > t) expect(fires >= Date.parse(plan.at) && fires < Date.parse(plan.at) + 1000).toBe(true);
    reached.push({ checkpoint: plan.checkpoint, at: fires });
    t = fires;
    if (plan.checkpoint === 'HardLimit') break;
  }
  expect(reached.map((r) => r.checkpoint)).toEqual([...(d.reminderAt ? ['Reminder'] : []), 'Escalation', 'HardLimit']);
  return { reached, endsAt: t };
};

const keyring: LinkKeyring = { currentKeyId: 'k1', keys: { k1: 'k'.repeat(43) } };

/**
 * The links a wait's emails carry expire by linkExpiry (signed-link.ts), as the tasks that write them
 * compute it; they must be valid from the wait's start until the workflow has ended it.
 */
const expectLinksLastTheWait = (d: Deadline, startedAt: Date, wait: ReturnType<typeof runWait>) => {
  const instants = [startedAt.getTime(), ...wait.reached.map((r) => r.at), wait.endsAt, Date.parse(d.hardLimitAt)];
  if (d.wait === 'SscDecision') {
    const expires = linkExpiry(d.hardLimitAt, startedAt);
    const params = Object.fromEntries(new URLSearchParams(decisionLinkQuery({ decisionId: 'd'.repeat(24), decision: 'AdHocAssessment', expires }, keyring)));
    for (const t of instants)
      expect(verifyDecisionLink('d'.repeat(24), params, keyring, new Date(t)), `decision link at ${new Date(t).toISOString()}`).toMatchObject({ ok: true });
  } else if (d.wait !== 'UserInformation') {
    const expires = linkExpiry(d.hardLimitAt, startedAt);
    const params = Object.fromEntries(new URLSearchParams(assessmentLinkQuery({ recordId: 'r'.repeat(24), stage: d.wait, expires }, keyring)));
    for (const t of instants)
      expect(verifyAssessmentLink('r'.repeat(24), params, keyring, new Date(t)), `assessment link at ${new Date(t).toISOString()}`).toMatchObject({ ok: true });
  }
};

const runs = { numRuns: 250 };

/** The process clock's instant in a run: drawn as "today" is, apart from it. */
const processClock = now;

describe('the calendar on any day', () => {
  // These properties draw "today" themselves, across every year the data covers, and move the
  // process clock in each run to an instant drawn apart from it: code that read the clock instead
  // of the day it is given would meet any day of the data and fail. The runs on other days
  // (infra/tools/test-on-dates.ts) leave this file out: a shifted clock could give it no day it
  // does not draw.
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  it('takes the date in London by the UK daylight-saving rule, across every clock change', () => {
    fc.assert(
      fc.property(processClock, now, (clock, at) => {
        vi.setSystemTime(clock);
        expect(londonDate(at)).toBe(dateAt(at.getTime() + (inBst(at.getTime()) ? HOUR : 0)));
      }),
      runs,
    );
  });

  it("chooses the SSC meeting whose paper deadline the case can still make, the first of all the calendar's meetings", () => {
    fc.assert(
      fc.property(
        processClock,
        now.chain((at) => fc.tuple(fc.constant(londonDate(at)), calendarFor(londonDate(at)))),
        (clock, [today, calendar]) => {
          vi.setSystemTime(clock);
          const meeting = nextMeeting(calendar, today);
          expect(meeting).toEqual(firstMeetingByBruteForce(calendar, today));
          if (meeting) {
            expect(isWorkingDay(meeting.on)).toBe(true);
            expect(meeting.papersBy >= today).toBe(true);
          }
        },
      ),
      runs,
    );
  });

  it("sends a meeting's papers on its paper deadline and no other day, and finds the meeting before it", () => {
    fc.assert(
      fc.property(
        processClock,
        now.chain((at) => fc.tuple(fc.constant(londonDate(at)), calendarFor(londonDate(at)))),
        (clock, [today, calendar]) => {
          vi.setSystemTime(clock);
          const near = [...new Set(meetingsNear(calendar, today))].sort();
          const byBruteForce = near
            .map((on) => ({ on, papersBy: workingDaysBefore(on, calendar.paperDeadlineWorkingDays) }))
            .find((meeting) => meeting.papersBy === today);
          const meeting = meetingWithPapersDueOn(calendar, today);
          expect(meeting).toEqual(byBruteForce);
          if (!meeting) return;
          const before = near.filter((on) => on < meeting.on && on >= addMonths(meeting.on, -3)).at(-1);
          expect(previousMeeting(calendar, meeting.on)?.on).toBe(before);
        },
      ),
      runs,
    );
  });

  it('flags a notice late exactly when the system is in use or goes live by the first meeting, and asks for a decision by the last Working Day before it', () => {
    fc.assert(
      fc.property(processClock, notice, (clock, n) => {
        vi.setSystemTime(clock);
        const today = londonDate(n.at);
        const meeting = nextMeeting(n.calendar, today);
        const t = triage(submissionOf(n), n.at, meeting);
        const liveTooSoon = n.plannedLiveOn <= today || (meeting !== undefined && n.plannedLiveOn <= meeting.on);
        expect(t.late).toBe(n.alreadyInUse || liveTooSoon);
        expect(t.lateReasons).toHaveLength(Number(n.alreadyInUse) + Number(liveTooSoon));
        let lastWorkingDay: IsoDate | undefined;
        for (let d = plusDays(n.plannedLiveOn, -1); d > today && !lastWorkingDay; d = plusDays(d, -1)) if (isWorkingDay(d)) lastWorkingDay = d;
        expect(t.decideBefore).toBe(lastWorkingDay);
      }),
      runs,
    );
  });

  it("makes the SSC's decision due on a Working Day no earlier than the notice — its meeting, or the last Working Day before going live if that comes first — with reminder < due < escalation < hard limit at 09:00 UK time, and links that outlast the wait", () => {
    fc.assert(
      fc.property(processClock, notice, settings, (clock, n, s) => {
        vi.setSystemTime(clock);
        const today = londonDate(n.at);
        const meeting = nextMeeting(n.calendar, today);
        fc.pre(meeting !== undefined);
        const { decideBefore } = triage(submissionOf(n), n.at, meeting);
        const d = sscDecisionDeadline(n.at, meeting as SscMeeting, s, decideBefore);
        expect(d.meeting).toEqual(meeting);
        expect(d.dueOn).toBe(decideBefore && decideBefore < (meeting as SscMeeting).on ? decideBefore : (meeting as SscMeeting).on);
        expectDeadlineInvariants(d, n.at, s);
        expectLinksLastTheWait(d, n.at, runWait(d, n.at));
      }),
      runs,
    );
  });

  it("makes the User's answer, the assessment date and its outcome due the window's Working Days after the start (the outcome's after the scheduled date), in the same order, with links that outlast the wait", () => {
    const wait = fc.tuple(nowWithAssessmentRoom, settings).chain(([at, s]) => {
      const today = londonDate(at);
      // Where the API lets SECAS schedule it: from today to the hard limit of the assessment window the SSC's decision opened.
      const scheduling = assessmentDateWindow(today, londonDate(new Date(startDeadline('AssessmentSchedule', at, s).hardLimitAt)));
      return fc.record({
        at: fc.constant(at),
        kind: fc.constantFrom('UserInformation', 'AssessmentSchedule', 'AssessmentOutcome') as fc.Arbitrary<
          'UserInformation' | 'AssessmentSchedule' | 'AssessmentOutcome'
        >,
        settings: fc.constant(s),
        scheduledOn: dayIn(scheduling.notBefore, scheduling.notAfter),
      });
    });
    fc.assert(
      fc.property(processClock, wait, (clock, { at, kind, settings: s, scheduledOn }) => {
        vi.setSystemTime(clock);
        const anchor = kind === 'AssessmentOutcome' ? scheduledOn : londonDate(at);
        const d = startDeadline(kind, at, s, kind === 'AssessmentOutcome' ? { anchorOn: scheduledOn } : {});
        const window = {
          UserInformation: s.userInformationWorkingDays,
          AssessmentSchedule: s.assessmentScheduleWorkingDays,
          AssessmentOutcome: s.assessmentOutcomeWorkingDays,
        }[kind];
        expect(d.wait).toBe(kind);
        expect(workingDaysAfter(anchor, d.dueOn)).toBe(window);
        expect(d.dueOn > anchor).toBe(true);
        expectDeadlineInvariants(d, at, s);
        expectLinksLastTheWait(d, at, runWait(d, at));
      }),
      runs,
    );
  });

  it("reminds of the annual review at 09:00 UK time the lead's Working Days before it, or two minutes on (to the whole minute) when that is already past", () => {
    const deferral = notice.chain((n) =>
      fc.record({
        notice: fc.constant(n),
        // The SSC defers within minutes of the notice, or any time before its wait's hard limit.
        after: fc.oneof(fc.integer({ min: 0, max: 10 * 60_000 }), fc.integer({ min: 0, max: 90 * DAY })),
        lead: fc.oneof(fc.constant(defaultDeadlineSettings.annualReviewReminderLeadWorkingDays), workingDaysSetting('annualReviewReminderLeadWorkingDays')),
      }),
    );
    fc.assert(
      fc.property(processClock, deferral, (clock, { notice: n, after, lead }) => {
        vi.setSystemTime(clock);
        const review = submissionOf(n).existingUserSystem.nextAnnualReviewOn;
        const at = new Date(n.at.getTime() + after);
        const reminder = annualReviewReminder(review, at, { ...defaultDeadlineSettings, annualReviewReminderLeadWorkingDays: lead });
        const t = Date.parse(reminder.at);
        const wanted = nineInLondon(workingDaysBefore(review, lead));
        const soonest = at.getTime() + 2 * 60_000;
        if (wanted >= soonest) {
          expect(t).toBe(wanted);
          expectNineOnWorkingDay(reminder.at, 'annual-review reminder');
          expect(workingDaysAfter(dateAt(t), plusDays(review, -1)), 'Working Days from the reminder to the day before the review').toBe(lead - 1);
        } else {
          expect(
            t >= soonest && t < soonest + 60_000 && t % 60_000 === 0,
            `${reminder.at} is the first whole minute from ${new Date(soonest).toISOString()}`,
          ).toBe(true);
        }
        expect(reminder.londonTime).toBe(londonWall(t));
      }),
      runs,
    );
  });
});
