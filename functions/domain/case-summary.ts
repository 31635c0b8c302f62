import type { FieldChange } from './amendment';
import type { CaseRecord, InformationExchange } from './case';
import { decisionWording } from './ssc-decision';
import { dateInWords, dayInWords } from './wording';

/** How a row writes a date: as the API has it in emails (which quote the notification), in words on pages. */
type DateWriter = (date: string) => string;
const asGiven: DateWriter = (date) => date;

export type Rows = Array<[string, string]>;

const operatorText = (c: Pick<CaseRecord, 'submission'>, date: DateWriter = asGiven): string => {
  const op = c.submission.newUserSystem.operator;
  if (op.kind === 'InHouse') return 'In-house';
  return `Shared Resource Provider: ${op.providerName}${
    op.priorAssessment
      ? ` (already passed User Security Assessment ${op.priorAssessment.reference}, ${date(op.priorAssessment.completedOn)})`
      : ' (no prior User Security Assessment)'
  }`;
};

const changeText = (c: Pick<CaseRecord, 'submission'>): string =>
  c.submission.newUserSystem.change === 'ComponentsOfExistingUserSystem'
    ? 'Changes to components of the existing User System, as the User describes it'
    : 'A new or additional User System';

/**
 * What an email may say about a notification: who, which system, what for, when, and whether it
 * is late. The security-architecture summary, the details the User withheld and the User's
 * answers to the SSC stay behind the signed link (they travel through every mail system on the
 * way otherwise); SECAS sends such detail only through secure channels.
 */
export const emailSummaryRows = (c: CaseRecord): Rows => {
  const s = c.submission;
  return [
    ['Case', c.reference],
    ['SEC Party', `${s.party.name} (${s.party.category})`],
    ['Notice concerns', changeText(c)],
    ['New User System', s.newUserSystem.name],
    ['Purpose', s.newUserSystem.purpose],
    ['Operated', operatorText(c)],
    ['Planned procurement', s.newUserSystem.plannedProcurementOn],
    ['Planned live date', s.newUserSystem.plannedLiveOn],
    ['Already in use', s.newUserSystem.alreadyInUse ? 'Yes' : 'No'],
    ['Late notice', c.late ? `Yes: ${c.lateReasons.join(' ')}` : 'No'],
  ];
};

export const recommendationRow = (c: Pick<CaseRecord, 'triage'>): [string, string] => [
  'Recommendation from the facts given',
  `${decisionWording[c.triage.recommendation].label}. ${c.triage.recommendationReasons.join(' ')}`,
];

/** The whole notification, as the SSC reads it on the page behind its link. */
export const notificationRows = (c: Pick<CaseRecord, 'submission'>): Rows => {
  const date = dateInWords;
  const s = c.submission;
  return [
    ['SEC Party', `${s.party.name} (${s.party.id}, ${s.party.category})`],
    ['Notice concerns', changeText(c)],
    ['User Roles', s.userRoles.join(', ')],
    [
      'Existing User System',
      `${s.existingUserSystem.name}; Full User Security Assessment ${date(s.existingUserSystem.fullUserSecurityAssessmentCompletedOn)}; next annual review ${date(s.existingUserSystem.nextAnnualReviewOn)}`,
    ],
    ['New User System', s.newUserSystem.name],
    ['Purpose', s.newUserSystem.purpose],
    ['Operated', operatorText(c, date)],
    [
      'User IDs',
      s.newUserSystem.userIds.approach === 'Existing'
        ? 'Existing User ID(s)'
        : `New User ID(s)${s.newUserSystem.userIds.userIds ? `: ${s.newUserSystem.userIds.userIds.join(', ')}` : ''}`,
    ],
    ['Planned procurement', date(s.newUserSystem.plannedProcurementOn)],
    ['Planned live date', date(s.newUserSystem.plannedLiveOn)],
    ['Already in use', s.newUserSystem.alreadyInUse ? 'Yes' : 'No'],
    ['Security architecture', s.newUserSystem.securityArchitectureSummary],
    ...(s.withheldDetails ? ([['Details withheld by the User, and why', s.withheldDetails]] as Rows) : []),
  ];
};

export const exchangeRows = (exchanges: InformationExchange[]): Rows =>
  exchanges.flatMap(
    (e, i): Rows => [
      [`SSC question ${i + 1} (${dayInWords(e.askedAt)})`, e.question],
      [`User answer ${i + 1} (${dayInWords(e.answeredAt)})`, e.answer],
    ],
  );

/** The fields whose values stay behind the signed link, as the notification's do (emailSummaryRows): an email says only that they changed. */
const KEPT_FROM_EMAIL = new Set(['/newUserSystem/securityArchitectureSummary', '/withheldDetails', '/contact/email']);

/** A field's value as a person reads it: a text as it is, a date in words on pages, anything else as compact JSON. */
const valueText = (value: unknown, date: DateWriter): string => {
  if (value === undefined) return '(not given)';
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}$/.test(value) ? date(value) : value;
  return JSON.stringify(value);
};

/**
 * An amendment's changes, one row per field (its JSON pointer, as the API names it): what it was and
 * what it is now. `where`: in an email (dates as given, the confidential fields' values left out)
 * or on the page behind the link (dates in words, everything).
 */
export const changeRows = (changes: ReadonlyArray<FieldChange>, where: 'email' | 'page'): Rows =>
  changes.map((change): [string, string] =>
    where === 'email' && KEPT_FROM_EMAIL.has(change.field)
      ? [change.field, 'Changed: see the page behind the links.']
      : [
          change.field,
          `Was: ${valueText(change.before, where === 'page' ? dateInWords : asGiven)}\nNow: ${valueText(change.after, where === 'page' ? dateInWords : asGiven)}`,
        ],
  );
