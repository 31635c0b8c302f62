import * as z from 'zod';
import { AssuranceStatus, type CaseRecord, type CaseStatus, type InformationExchange, isFinal, waitingOn } from './case';
import type { WaitKind } from './deadlines';
import { PartyCategory } from './notification';

type Category = z.infer<typeof PartyCategory>;
import type { FieldError } from './problem';
import { dateInWords } from './wording';
import { type IsoDate, addWorkingDays, calendarRange, isWorkingDay, londonDate, londonInstant, workingDaysBetween } from './working-days';

/**
 * The report the SSC and the SEC Panel read on how the process performs, for a range of days:
 * every figure counts the notices received in the range (UK calendar dates, both ends included),
 * each case as it stands when the report is made. So a report of a past quarter is complete for
 * the notices it counts, and the same cases are counted whichever figure one reads.
 */

export const ReportFormat = z.enum(['json', 'csv', 'html']);
export type ReportFormat = z.infer<typeof ReportFormat>;

/** GET /reports' query. */
export const ReportQuery = z.strictObject({
  from: z.iso.date().describe('The first day of the range (YYYY-MM-DD, UK calendar date): notices received from the start of this day'),
  to: z.iso.date().describe('The last day of the range (YYYY-MM-DD, UK calendar date), not after today: notices received until the end of this day'),
  format: ReportFormat.optional().describe('json, csv or html; when not given, the Accept header chooses (JSON by default)'),
});
export type ReportQuery = z.infer<typeof ReportQuery>;

export interface ReportRange {
  from: IsoDate;
  to: IsoDate;
}

/**
 * What the data can hold: no notice before the first day of the Working-Day calendar (no Working
 * Day could be counted), none after today. A range outside these, or reversed, is refused by field.
 */
export const rangeErrors = (range: ReportRange, now: Date): FieldError[] => {
  const today = londonDate(now);
  const errors: FieldError[] = [];
  if (range.from < calendarRange.firstDay)
    errors.push({
      pointer: '/from',
      detail: `must be on or after ${dateInWords(calendarRange.firstDay)}, the first day a notice's Working Days can be counted from`,
    });
  const notYet = `must not be after today (${dateInWords(today)}): no notice has been received yet`;
  if (range.from > today) errors.push({ pointer: '/from', detail: notYet });
  if (range.to > today) errors.push({ pointer: '/to', detail: notYet });
  if (range.to < range.from) errors.push({ pointer: '/to', detail: `must be on or after from (${dateInWords(range.from)})` });
  return errors;
};

/** The instants a range's UK days begin and end, as receivedAt is stored (ISO 8601, UTC): the index's key condition. */
export const receivedBetween = (range: ReportRange): { first: string; last: string } => {
  const dayAfter = new Date(new Date(`${range.to}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
  return { first: londonInstant(range.from, '00:00').toISOString(), last: new Date(londonInstant(dayAfter, '00:00').getTime() - 1).toISOString() };
};

/** What the report reads of a case: a few fields of its item, and the times of its questions and answers. */
export type ReportCase = Pick<CaseRecord, 'reference' | 'status' | 'late' | 'receivedAt' | 'informationRounds'> & {
  partyCategory: Category;
  sscDecision?: Pick<NonNullable<CaseRecord['sscDecision']>, 'kind' | 'decidedAt'>;
  assessment?: { outcome?: { assuranceStatus: AssuranceStatus } };
  exchanges: ReadonlyArray<Pick<InformationExchange, 'askedAt' | 'answeredAt'>>;
};

const Counts = z.strictObject({ total: z.int().min(0), onTime: z.int().min(0), late: z.int().min(0) });

const Spread = z
  .strictObject({
    count: z.int().min(0).describe('How many were measured'),
    medianWorkingDays: z.number().min(0).nullable().describe('The median (the mean of the middle two of an even count); null when none'),
    p90WorkingDays: z
      .int()
      .min(0)
      .nullable()
      .describe('The 90th percentile, by nearest rank (the smallest value at least 90% of them do not exceed); null when none'),
  })
  .describe('Working Days (SEC Section A): those after the first day, up to and including the last');

const FinalDecision = z.enum(['DeferToAnnualReview', 'AdHocAssessment', 'OutOfScope']);
type FinalDecision = z.infer<typeof FinalDecision>;
const WaitName = z.enum(['SscDecision', 'UserInformation', 'AssessmentSchedule', 'AssessmentOutcome']);
const Mover = z.enum(['SSC', 'User', 'SECAS', 'AnnualReview', 'Workflow']);
type Mover = z.infer<typeof Mover>;

const countsOf = <K extends string>(keys: readonly K[]) => z.strictObject(Object.fromEntries(keys.map((k) => [k, z.int().min(0)])) as Record<K, z.ZodInt>);

export const ServiceReport = z
  .strictObject({
    range: z.strictObject({ from: z.iso.date(), to: z.iso.date() }),
    generatedAt: z.iso.datetime().describe('When the report was made: each case is counted as it stood then'),
    notices: Counts.extend({
      byPartyCategory: z.strictObject(Object.fromEntries(PartyCategory.options.map((c) => [c, Counts])) as Record<Category, typeof Counts>),
    }).describe('Notices received in the range; late: after the system was employed, or too close to its live date for the SSC to act'),
    timeToDecision: Spread.describe("From the day a notice was received to the day of the SSC's decision (not a question), in Working Days"),
    decisions: z
      .strictObject({
        byOutcome: countsOf(FinalDecision.options),
        undecided: z.int().min(0).describe('Cases with no decision: still awaited, withdrawn, or ended overdue before one'),
      })
      .describe("The SSC's decisions on the notices counted"),
    questions: z
      .strictObject({
        asked: z.int().min(0),
        answered: z.int().min(0),
        unanswered: z.int().min(0).describe('Still awaited, or never answered (the case ended)'),
        answerTime: Spread.describe('From the day a question was asked to the day of its answer, in Working Days'),
      })
      .describe("The SSC's questions to Users, and how long answers took"),
    overdueEndings: countsOf(WaitName.options).describe('Cases that ended at the hard limit of a wait, by the wait'),
    adHocAssessments: z
      .strictObject({
        total: z.int().min(0),
        byAssuranceStatus: countsOf(AssuranceStatus.options),
        awaitingOutcome: z.int().min(0).describe('Still open: the date or the outcome is awaited'),
        endedWithoutOutcome: z.int().min(0).describe('Ended overdue, or otherwise, with no outcome recorded'),
      })
      .describe('Ad-hoc User Security Assessments the SSC required, by assurance status (SEC G8.34)'),
    openCases: z
      .strictObject({ total: z.int().min(0), byWhoseMove: countsOf(Mover.options) })
      .describe("Cases not yet ended, by whose move it is (AnnualReview: deferred, awaiting the review's reminder; Workflow: between steps)"),
  })
  .describe('The report for the SSC and the SEC Panel: the notices received in a range, each as it stands now');
export type ServiceReport = z.infer<typeof ServiceReport>;

const median = (sorted: number[]): number | null => {
  if (!sorted.length) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

const nearestRank = (sorted: number[], percentile: number): number | null =>
  sorted.length ? (sorted[Math.ceil((percentile / 100) * sorted.length) - 1] as number) : null;

const spread = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, medianWorkingDays: median(sorted), p90WorkingDays: nearestRank(sorted, 90) };
};

const dayOf = (instant: string): IsoDate => londonDate(new Date(instant));

const OVERDUE: Partial<Record<CaseStatus, WaitKind>> = {
  SscDecisionOverdue: 'SscDecision',
  UserInformationOverdue: 'UserInformation',
  AssessmentScheduleOverdue: 'AssessmentSchedule',
  AssessmentOutcomeOverdue: 'AssessmentOutcome',
};

const moverOf = (status: CaseStatus): Mover => waitingOn[status] ?? (status === 'DeferredToAnnualReview' ? 'AnnualReview' : 'Workflow');

const zeros = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** The report over the cases received in `range` (the caller reads exactly those), as they stand at `now`. */
export const computeReport = (range: ReportRange, cases: ReadonlyArray<ReportCase>, now: Date): ServiceReport => {
  const byCategory = Object.fromEntries(PartyCategory.options.map((c) => [c, { total: 0, onTime: 0, late: 0 }])) as Record<Category, z.infer<typeof Counts>>;
  const decisionDays: number[] = [];
  const answerDays: number[] = [];
  const byOutcome = zeros(FinalDecision.options);
  const overdue = zeros(WaitName.options);
  const assurance = zeros(AssuranceStatus.options);
  const movers = zeros(Mover.options);
  let asked = 0;
  let adHoc = 0;
  let awaitingOutcome = 0;
  let open = 0;
  for (const c of cases) {
    const category = byCategory[c.partyCategory] as z.infer<typeof Counts>;
    category.total++;
    category[c.late ? 'late' : 'onTime']++;
    const decision = c.sscDecision?.kind !== 'MoreInformationNeeded' ? (c.sscDecision as { kind: FinalDecision; decidedAt: string } | undefined) : undefined;
    if (decision) {
      byOutcome[decision.kind]++;
      decisionDays.push(workingDaysBetween(dayOf(c.receivedAt), dayOf(decision.decidedAt)));
    }
    asked += c.informationRounds ?? 0;
    for (const e of c.exchanges) answerDays.push(workingDaysBetween(dayOf(e.askedAt), dayOf(e.answeredAt)));
    const wait = OVERDUE[c.status];
    if (wait) overdue[wait]++;
    if (decision?.kind === 'AdHocAssessment') {
      adHoc++;
      const outcome = c.assessment?.outcome?.assuranceStatus;
      if (outcome) assurance[outcome]++;
      else if (!isFinal(c.status)) awaitingOutcome++;
    }
    if (!isFinal(c.status)) {
      open++;
      movers[moverOf(c.status)]++;
    }
  }
  const totals = Object.values(byCategory).reduce((t, c) => ({ total: t.total + c.total, onTime: t.onTime + c.onTime, late: t.late + c.late }), {
    total: 0,
    onTime: 0,
    late: 0,
  });
  const recorded = Object.values(assurance).reduce((n, v) => n + v, 0);
  return {
    range: { from: range.from, to: range.to },
    generatedAt: now.toISOString(),
    notices: { ...totals, byPartyCategory: byCategory },
    timeToDecision: spread(decisionDays),
    decisions: { byOutcome, undecided: cases.length - decisionDays.length },
    questions: { asked, answered: answerDays.length, unanswered: asked - answerDays.length, answerTime: spread(answerDays) },
    overdueEndings: overdue,
    adHocAssessments: { total: adHoc, byAssuranceStatus: assurance, awaitingOutcome, endedWithoutOutcome: adHoc - recorded - awaitingOutcome },
    openCases: { total: open, byWhoseMove: movers },
  };
};

// --- Quarters ------------------------------------------------------------------------------------

/** The calendar quarter a date falls in (January to March, …), as a range. */
export const quarterOf = (date: IsoDate): ReportRange & { name: string } => {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const first = Math.floor((m - 1) / 3) * 3 + 1;
  const last = new Date(Date.UTC(y, first + 2, 0)).toISOString().slice(0, 10);
  return { from: `${y}-${String(first).padStart(2, '0')}-01`, to: last, name: `${y}-Q${(first + 2) / 3}` };
};

/** The quarter before the one a date falls in. */
export const quarterBefore = (date: IsoDate): ReportRange & { name: string } => {
  const start = new Date(`${quarterOf(date).from}T00:00:00Z`);
  return quarterOf(new Date(start.getTime() - 86_400_000).toISOString().slice(0, 10));
};

/** The first Working Day of the quarter a date falls in (2 January, when 1 January is a bank holiday; later over a weekend). */
export const firstWorkingDayOfQuarter = (date: IsoDate): IsoDate => {
  const { from } = quarterOf(date);
  return isWorkingDay(from) ? from : addWorkingDays(from, 1);
};
