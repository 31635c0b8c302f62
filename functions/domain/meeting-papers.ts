import { type CaseRecord, type CaseStatus, type SscDecisionRecord, decisionOf, isFinal, waitingOn } from './case';
import type { SscDecisionKind } from './ssc-decision';
import type { DecidedAs } from './ssc-members';
import type { SscMeeting } from './ssc-meetings';
import { type IsoDate, addMonths, londonDate, londonInstant } from './working-days';

/**
 * The SSC's papers for one meeting, as SECAS circulates them at its paper deadline: every case due
 * at the meeting, the cases still undecided past their due date, those that came in after the
 * paper deadline (with the meeting they go to), what the SSC decided since its last meeting, and
 * the cases that ended undecided since then, their wait run to its hard limit.
 * Assembled here from case summaries and the calendar, at a given `now`; found and sent elsewhere.
 */

/** What the papers say of one case: a summary of its item, read through the status index. */
export interface PaperCase {
  reference: string;
  status: CaseStatus;
  party: string;
  system: string;
  recommendation: SscDecisionKind;
  late: boolean;
  receivedAt: string;
  /** The SSC's wait: its due date, its meeting, and when it runs out (a case ends SscDecisionOverdue then). */
  deadline?: { dueOn: IsoDate; meeting?: SscMeeting; hardLimitAt?: string };
  decision?: { kind: SscDecisionKind; decidedAt: string; decidedBy: string; decidedAs?: DecidedAs };
  /** The case's open decision request, whose signed links the SSC's email carries. */
  openDecisionId?: string;
  /** Questions asked so far: whether a further one is still offered. */
  informationRounds: number;
}

const paperDecision = ({ kind, decidedAt, decidedBy, decidedAs }: SscDecisionRecord): NonNullable<PaperCase['decision']> => ({
  kind,
  decidedAt,
  decidedBy,
  ...(decidedAs ? { decidedAs } : {}),
});

/** The summary of a case item (whole, or projected to what the papers read). */
export const paperCaseOf = (
  c: Pick<CaseRecord, 'reference' | 'status' | 'late' | 'receivedAt' | 'openDecisionId' | 'deadline' | 'sscDecision' | 'sscDecisionAs'> & {
    /** Absent on a case stored before questions were counted. */
    informationRounds?: number;
    submission: { party: { name: string }; newUserSystem: { name: string } };
    triage: { recommendation: SscDecisionKind };
  },
): PaperCase => ({
  reference: c.reference,
  status: c.status,
  party: c.submission.party.name,
  system: c.submission.newUserSystem.name,
  recommendation: c.triage.recommendation,
  late: c.late,
  receivedAt: c.receivedAt,
  ...(c.deadline?.wait === 'SscDecision'
    ? { deadline: { dueOn: c.deadline.dueOn, ...(c.deadline.meeting ? { meeting: c.deadline.meeting } : {}), hardLimitAt: c.deadline.hardLimitAt } }
    : {}),
  ...(c.sscDecision ? { decision: paperDecision(decisionOf(c) as SscDecisionRecord) } : {}),
  ...(c.openDecisionId ? { openDecisionId: c.openDecisionId } : {}),
  informationRounds: c.informationRounds ?? 0,
});

export type Move = 'SSC' | 'User' | 'SECAS' | 'annual review' | 'nobody: ended' | 'workflow';

export interface PaperLine extends PaperCase {
  whoseMove: Move;
  /** Its due date has passed and the SSC has not decided. */
  pastDue: boolean;
  /** The signed link to the case's confirmation page, for the recommended decision. */
  link?: string;
}

export interface MeetingPapers {
  meeting: SscMeeting;
  /** The meeting before, whose decisions since are listed (none when the calendar lists none). */
  previous?: SscMeeting;
  /** Decisions taken from this instant on are "since the last meeting". */
  since: string;
  assembledAt: string;
  due: PaperLine[];
  overdue: PaperLine[];
  /** Cases that missed this meeting's paper deadline: each names the meeting it goes to. */
  later: PaperLine[];
  decided: PaperLine[];
  /** Cases that ended undecided since the last meeting: the SSC's wait ran to its hard limit (SscDecisionOverdue), and SECAS was told. */
  endedOverdue: PaperLine[];
}

/** Decisions taken from this instant on are "since the last meeting": the start of its day (its own decisions included); with none in the calendar, a month before. */
export const papersSince = (meeting: SscMeeting, previous: SscMeeting | undefined): string =>
  londonInstant(previous?.on ?? addMonths(meeting.on, -1), '00:00').toISOString();

const whoseMove = (status: CaseStatus): Move => {
  if (isFinal(status)) return 'nobody: ended';
  if (status === 'DeferredToAnnualReview') return 'annual review';
  return waitingOn[status] ?? 'workflow';
};

/** When a case that ran out of the SSC's wait ended: its hard limit. */
export const endedAt = (c: PaperCase): string => c.deadline?.hardLimitAt ?? '';

const byDueThenReference = (a: PaperLine, b: PaperLine) =>
  (a.deadline?.dueOn ?? '').localeCompare(b.deadline?.dueOn ?? '') || a.reference.localeCompare(b.reference);

/**
 * The papers of `meeting` from the cases found (those awaiting the SSC's decision, and those that
 * carry a decision), as they stand at `now`. A case awaits the SSC at the meeting its SSC deadline
 * names: due at this one, past due (at an earlier one, or before this one where the planned live
 * date required it), or at a later one.
 */
export const assembleMeetingPapers = (input: {
  meeting: SscMeeting;
  previous?: SscMeeting;
  cases: PaperCase[];
  now: Date;
  /** Signed links by case reference (the email's; the console links to its own pages). */
  links?: Readonly<Record<string, string>>;
}): MeetingPapers => {
  const { meeting, previous, now } = input;
  const today = londonDate(now);
  const since = papersSince(meeting, previous);
  const lines = input.cases.map(
    (c): PaperLine => ({
      ...c,
      whoseMove: whoseMove(c.status),
      pastDue: c.status === 'AwaitingSscDecision' && c.deadline !== undefined && c.deadline.dueOn < today,
      ...(input.links?.[c.reference] ? { link: input.links[c.reference] } : {}),
    }),
  );
  const awaiting = lines.filter((c) => c.status === 'AwaitingSscDecision' && c.deadline?.meeting);
  const at = (c: PaperLine) => c.deadline?.meeting?.on as IsoDate;
  return {
    meeting,
    ...(previous ? { previous } : {}),
    since,
    assembledAt: now.toISOString(),
    due: awaiting.filter((c) => at(c) === meeting.on).sort(byDueThenReference),
    overdue: awaiting.filter((c) => at(c) !== meeting.on && c.pastDue).sort(byDueThenReference),
    later: awaiting.filter((c) => at(c) > meeting.on).sort(byDueThenReference),
    decided: lines
      .filter((c) => c.decision && c.decision.decidedAt >= since && Date.parse(c.decision.decidedAt) <= now.getTime())
      .sort((a, b) => (a.decision?.decidedAt ?? '').localeCompare(b.decision?.decidedAt ?? '') || a.reference.localeCompare(b.reference)),
    endedOverdue: lines
      .filter((c) => c.status === 'SscDecisionOverdue' && endedAt(c) >= since && Date.parse(endedAt(c)) <= now.getTime())
      .sort((a, b) => endedAt(a).localeCompare(endedAt(b)) || a.reference.localeCompare(b.reference)),
  };
};
