import * as z from 'zod';

/** The SSC's triage decisions on a Second User System notification (SECMP0057 §3; domain.md). */
export const SscDecisionKind = z.enum(['DeferToAnnualReview', 'AdHocAssessment', 'MoreInformationNeeded', 'OutOfScope']);
export type SscDecisionKind = z.infer<typeof SscDecisionKind>;

interface DecisionWording {
  /** Short label on the SSC's link and the confirmation page's button. */
  label: string;
  /** What the decision means, in SEC terms, shown on the confirmation page and in the advice email. */
  meaning: string;
}

export const decisionWording: Record<SscDecisionKind, DecisionWording> = {
  DeferToAnnualReview: {
    label: 'No further assessment until the annual review',
    meaning: "The SSC requires no User Security Assessment of the new User System now; it falls in scope of the User's next annual review.",
  },
  AdHocAssessment: {
    label: 'Require an ad-hoc User Security Assessment',
    meaning:
      'The SSC requires an ad-hoc User Security Assessment of the new User System. Under SEC G8.13 the User must do all such things as may be reasonably requested to facilitate it.',
  },
  MoreInformationNeeded: {
    label: 'Ask the User for more information',
    meaning: 'The SSC needs more information from the User before it decides.',
  },
  OutOfScope: {
    label: 'Out of scope: not a new User System',
    meaning:
      "The SSC finds that the notice concerns components of an existing User System, not a new or additional User System. The SSC's Agreed Interpretations (v1.7, §9) read SEC G3.9 as applying to new or additional User Systems only, so no decision under G3.9 is needed and this case ends. The change stays within the User's obligations under SEC Sections G3 to G6 and in scope of its next annual review.",
  },
};

/**
 * The SSC may ask a User at most this many questions on one case, then decides on what it has:
 * each question and answer is kept whole and shown to the SSC, and the case must stay readable
 * (its view and the SSC's page are single documents). The link is not offered beyond it.
 */
export const MAX_INFORMATION_ROUNDS = 20;

/** The decisions the SSC is offered on a case that has had `rounds` questions. */
export const offeredDecisions = (rounds: number): SscDecisionKind[] =>
  SscDecisionKind.options.filter((kind) => kind !== 'MoreInformationNeeded' || rounds < MAX_INFORMATION_ROUNDS);

/** Link slugs keep URLs readable and independent of the enum's spelling. */
const slugs: Record<SscDecisionKind, string> = {
  DeferToAnnualReview: 'defer-to-annual-review',
  AdHocAssessment: 'ad-hoc-assessment',
  MoreInformationNeeded: 'more-information',
  OutOfScope: 'out-of-scope',
};

export const decisionSlug = (kind: SscDecisionKind): string => slugs[kind];

export const decisionFromSlug = (slug: string): SscDecisionKind | undefined => SscDecisionKind.options.find((kind) => slugs[kind] === slug);
