import type { NotificationSubmission } from './notification';
import { type RegisterAnswer, type RegisterCheck, checkAgainstRegister } from './shared-resources';
import type { SscDecisionKind } from './ssc-decision';
import type { SscMeeting } from './ssc-meetings';
import { type IsoDate, addWorkingDays, londonDate } from './working-days';

/**
 * Triage on arrival: what the facts suggest to the SSC, and whether the notice is late.
 * SEC G3.9 requires notice *before* the User employs the system; a notice for a system in
 * use, or whose live date comes before the SSC meeting that can first decide on it, is late. Late notices
 * are accepted and flagged, never refused.
 */
export interface Triage {
  recommendation: Exclude<SscDecisionKind, 'MoreInformationNeeded'>;
  recommendationReasons: string[];
  late: boolean;
  lateReasons: string[];
  /** The last Working Day before the planned live date: the SSC should decide by then. */
  decideBefore?: IsoDate;
  /** What SECAS's register of Shared Resource assessments says of the provider the notice names (when it names one). */
  register?: RegisterCheck;
}

/**
 * `register`: the register's answer for the provider the notice names, looked up by the caller
 * (none when the notice names no provider, or when the register was not consulted). A prior
 * assessment the register does not confirm as current and Approved no longer supports deferral.
 */
export const triage = (s: NotificationSubmission, receivedAt: Date, meeting: SscMeeting | undefined, register?: RegisterAnswer): Triage => {
  const today = londonDate(receivedAt);
  const system = s.newUserSystem;
  const operator = system.operator;
  const check =
    operator.kind === 'SharedResourceProvider' && register ? checkAgainstRegister(operator.providerName, operator.priorAssessment, register, today) : undefined;
  const prior = operator.kind === 'SharedResourceProvider' && !check?.flagged ? operator.priorAssessment : undefined;
  const componentChange = system.change === 'ComponentsOfExistingUserSystem';
  const givenReasons = componentChange
    ? [
        'The User describes a change to components of its existing User System, not a new or additional User System.',
        "The SSC's Agreed Interpretations (v1.7, §9) read SEC G3.9 as applying to new or additional User Systems only: the notice may be out of scope.",
      ]
    : prior
      ? [
          `Run by Shared Resource Provider ${system.operator.kind === 'SharedResourceProvider' ? system.operator.providerName : ''}, which already passed User Security Assessment ${prior.reference} on ${prior.completedOn} (assessed as ${prior.assessedAs === 'SharedResource' ? 'a Shared Resource' : 'part of a User assessment'}).`,
          'No further assessment may be needed until the next annual review (SECMP0057 §3).',
        ]
      : [
          system.operator.kind === 'InHouse'
            ? 'Run in-house and never assessed as a User System.'
            : `Run by Shared Resource Provider ${system.operator.providerName}, with no User Security Assessment given.`,
          'A never-assessed system may need an ad-hoc User Security Assessment under SEC G8.13.',
        ];
  // A flagged finding is put beside the User's own account of its provider, which the register does not bear out.
  const recommendationReasons = !check
    ? givenReasons
    : check.flagged && !componentChange && operator.kind === 'SharedResourceProvider'
      ? [
          `Run by Shared Resource Provider ${operator.providerName}, ${operator.priorAssessment ? `which the User says passed User Security Assessment ${operator.priorAssessment.reference} on ${operator.priorAssessment.completedOn}` : 'with no User Security Assessment given'}.`,
          check.detail,
        ]
      : [...givenReasons, check.detail];

  const lateReasons: string[] = [];
  if (system.alreadyInUse) lateReasons.push('The User reports the new User System is already in use.');
  if (system.plannedLiveOn <= today) {
    lateReasons.push(`The planned live date ${system.plannedLiveOn} is not after the date of notice ${today}.`);
  } else if (meeting && system.plannedLiveOn <= meeting.on) {
    lateReasons.push(
      `The planned live date ${system.plannedLiveOn} is not after the SSC meeting that can first decide on the notice (${meeting.on}, papers by ${meeting.papersBy}).`,
    );
  }
  const decideBefore = system.plannedLiveOn > today ? addWorkingDays(system.plannedLiveOn, -1) : undefined;
  return {
    recommendation: componentChange ? 'OutOfScope' : prior ? 'DeferToAnnualReview' : 'AdHocAssessment',
    recommendationReasons,
    late: lateReasons.length > 0,
    lateReasons,
    ...(decideBefore && decideBefore > today ? { decideBefore } : {}),
    ...(check ? { register: check } : {}),
  };
};
