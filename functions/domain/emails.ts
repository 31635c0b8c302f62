import type { FieldChange } from './amendment';
import { type AssuranceStatus, type CaseRecord, type InformationExchange, decisionOf, versionOf } from './case';
import { changeRows, emailSummaryRows, recommendationRow } from './case-summary';
import type { Deadline, WaitKind } from './deadlines';
import { type MeetingPapers, type PaperLine, endedAt } from './meeting-papers';
import { emailDocument, html, paragraphs } from './html';
import { type SscDecisionKind, decisionWording } from './ssc-decision';
import { decidedAsWords, takenByWords } from './ssc-members';
import { truncate, withoutFormatting } from './text';
import { dateInWords, dayInWords, dueInWords } from './wording';

/**
 * Which notice an email is, tagged on every message (SES tag `notice`, beside `case`) so that a
 * bounce or complaint can be traced to the notice, and to the wait it served.
 */
export const Notice = [
  'Acknowledgement',
  'SscDecisionRequest',
  'SscDecisionReminder',
  'InformationRequest',
  'InformationReminder',
  'Advice',
  'AssessmentScheduled',
  'AssessmentOutcome',
  'Withdrawal',
  'LateNotice',
  'Escalation',
  'AssessmentRecordRequest',
  'AssessmentRecordReminder',
  'AssessmentFindingEscalation',
  'AnnualReviewReminder',
  'OverdueNotice',
  'WorkflowFault',
  'UndeliveredNotice',
  'SharedResourceOutcome',
  'SharedResourceAlert',
  'MeetingPapers',
  'UndeliveredPapers',
  'AmendmentAfterDecision',
] as const;
export type Notice = (typeof Notice)[number];

/** One email, ready for the mailer. */
export interface EmailMessage {
  notice: Notice;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface Mailboxes {
  ssc: string[];
  secas: string[];
}

/**
 * Subjects carry user text (system names): no CR, LF or other control character may reach a
 * header, nor an invisible formatting character (a bidirectional override would show the subject
 * reordered; a zero-width space would hide a word from a filter). The API refuses those in names,
 * but a case stored before it did may still hold them. At most 200 characters.
 */
export const headerSafe = (value: string): string => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this pattern exists to find
  const oneLine = withoutFormatting(value).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  return truncate(oneLine.trim(), 200);
};

interface Composition {
  notice: Notice;
  to: string[];
  subject: string;
  /** Plain paragraphs; user text inside them is escaped in HTML. */
  body: string[];
  /** A warning shown first, in a red box (a late notice, a fault). */
  warning?: string[];
  rows?: Array<[string, string]>;
  links?: Array<[string, string]>;
}

/** Every template goes through here: the same words as text and as escaped HTML. */
const compose = (c: Composition): EmailMessage => {
  const subject = headerSafe(c.subject);
  const text = [
    ...(c.warning?.length ? [c.warning.join('\n')] : []),
    ...c.body,
    ...(c.rows?.length ? [c.rows.map(([k, v]) => `${k}: ${v}`).join('\n')] : []),
    ...(c.links?.map(([label, url]) => `${label}:\n${url}`) ?? []),
  ].join('\n\n');
  const body = html`${c.warning?.length ? html`<div class="notice bad">${paragraphs(c.warning.join('\n'))}</div>` : html``}${c.body.map(paragraphs)}${
    c.rows?.length ? html`<dl>${c.rows.map(([k, v]) => html`<dt>${k}</dt><dd>${paragraphs(v)}</dd>`)}</dl>` : html``
  }${c.links?.length ? html`<ul>${c.links.map(([label, url]) => html`<li><a href="${url}">${label}</a></li>`)}</ul>` : html``}`;
  return { notice: c.notice, to: c.to, subject, text, html: emailDocument(subject, body) };
};

const title = (c: CaseRecord) => `${c.reference} (${c.submission.party.name} – ${c.submission.newUserSystem.name})`;
const dear = (c: CaseRecord) => `Dear ${c.submission.contact.name},`;
const quote = (c: CaseRecord) => `Quote ${c.reference} in any correspondence.`;
const lateNotice = (c: CaseRecord) => (c.late ? ['LATE NOTICE (SEC G3.9 requires notice before the User employs the system):', ...c.lateReasons] : []);
/** The register's flag on a notice's provider, put to the SSC first. */
const registerFlag = (c: CaseRecord) =>
  c.triage.register?.flagged ? ["SHARED RESOURCE REGISTER: the register does not bear out the User's account of its provider.", c.triage.register.detail] : [];

/** When a wait is due, naming the SSC meeting where there is one. */
export const dueText = (deadline: Deadline): string => {
  const { meeting, dueOn } = deadline;
  if (!meeting) return dueOn;
  return dueOn === meeting.on
    ? `${dueOn}, at the SSC meeting that day (papers by ${meeting.papersBy})`
    : `${dueOn}, before the next SSC meeting (${meeting.on}): the planned live date requires it`;
};

const waitNames: Record<WaitKind, string> = {
  SscDecision: "the SSC's decision",
  UserInformation: "the User's answer to the SSC's question",
  AssessmentSchedule: 'the date of the ad-hoc User Security Assessment',
  AssessmentOutcome: 'the outcome of the ad-hoc User Security Assessment',
};

// --- The User ---------------------------------------------------------------------------

export const acknowledgementEmail = (c: CaseRecord): EmailMessage =>
  compose({
    notice: 'Acknowledgement',
    to: [c.submission.contact.email],
    subject: `Received: Second User System notification ${title(c)}`,
    body: [
      dear(c),
      `The Security Sub-Committee has received your notification of a second or subsequent User System, reference ${c.reference}. The SSC will consider the security risks and advise you of its decision.`,
      ...(c.late ? ['Your notice is recorded as late: SEC G3.9 requires notice before the User begins to employ the system. The SSC will see this.'] : []),
      `Your security-architecture summary${c.submission.withheldDetails ? ' and your reasons for withholding details are' : ' is'} kept with the case and not repeated by email. GET /notifications/${c.reference} shows the whole notification.`,
      quote(c),
    ],
    rows: emailSummaryRows(c),
  });

export const informationRequestEmail = (c: CaseRecord, question: string, deadline: Deadline): EmailMessage =>
  compose({
    notice: 'InformationRequest',
    to: [c.submission.contact.email],
    subject: `SSC question on ${title(c)}`,
    body: [
      dear(c),
      `The Security Sub-Committee needs more information before it decides on your notification ${c.reference}. Its question:`,
      question,
      `Please answer by ${deadline.dueOn} through the API: POST /notifications/${c.reference}/information with {"answer": "…"}.`,
      quote(c),
    ],
  });

export const informationReminderEmail = (c: CaseRecord, deadline: Deadline): EmailMessage =>
  compose({
    notice: 'InformationReminder',
    to: [c.submission.contact.email],
    subject: `Reminder: the SSC awaits your answer on ${title(c)}`,
    body: [
      dear(c),
      `The SSC's question on ${c.reference} is still open; your answer is due by ${deadline.dueOn}.`,
      c.sscDecision?.advice ?? '',
      `Answer through POST /notifications/${c.reference}/information.`,
    ].filter(Boolean),
  });

/** Who took the decision for the SSC, when the register of SSC members says (a decision through the SSC mailbox names nobody, as before). */
const takenFor = (c: CaseRecord): string[] => {
  const as = decisionOf(c)?.decidedAs;
  return as ? [`Taken for the SSC by ${decidedAsWords(as)}.`] : [];
};

const adviceBody = (c: CaseRecord, kind: SscDecisionKind, extra: string[]): EmailMessage =>
  compose({
    notice: 'Advice',
    to: [c.submission.contact.email],
    subject: `SSC advice on ${c.reference}: ${decisionWording[kind].label}`,
    body: [
      dear(c),
      `The Security Sub-Committee has considered your notification ${c.reference} of the User System "${c.submission.newUserSystem.name}".`,
      `Decision: ${decisionWording[kind].label}. ${decisionWording[kind].meaning}`,
      ...takenFor(c),
      ...(c.sscDecision?.advice ? [`The SSC's advice:\n${c.sscDecision.advice}`] : []),
      ...extra,
      quote(c),
    ],
  });

export const deferralAdviceEmail = (c: CaseRecord): EmailMessage =>
  adviceBody(c, 'DeferToAnnualReview', [
    `The new User System is in scope of your next annual review (${c.submission.existingUserSystem.nextAnnualReviewOn}); you will be reminded before it.`,
  ]);

export const outOfScopeAdviceEmail = (c: CaseRecord): EmailMessage =>
  adviceBody(c, 'OutOfScope', [
    `Your notification ${c.reference} is closed: a change to components of an existing User System needs no notice under SEC G3.9. Notify the SSC again if you come to employ a new or additional User System.`,
  ]);

export const adHocAssessmentAdviceEmail = (c: CaseRecord): EmailMessage =>
  adviceBody(c, 'AdHocAssessment', [
    `SECAS will arrange the assessment with your User CIO, with a target date no later than ${c.assessment?.targetBy ?? 'the date SECAS gives you'}.`,
  ]);

export const assessmentScheduledEmail = (c: CaseRecord): EmailMessage =>
  compose({
    notice: 'AssessmentScheduled',
    to: [c.submission.contact.email],
    subject: `Ad-hoc User Security Assessment scheduled: ${title(c)}`,
    body: [
      dear(c),
      `The ad-hoc User Security Assessment of "${c.submission.newUserSystem.name}" is scheduled for ${c.assessment?.scheduledOn}. Under SEC G8.13 please do all such things as may be reasonably requested to facilitate it.`,
      quote(c),
    ],
  });

const assuranceWording: Record<AssuranceStatus, string> = {
  Approved: 'Approved',
  ApprovedSubjectTo: 'Approved, subject to conditions',
  Deferred: 'Deferred: a follow-up assessment is required',
  Rejected: 'Rejected: a follow-up assessment is required, and the SSC may require a further Full User Security Assessment',
};

export const assessmentOutcomeEmail = (c: CaseRecord): EmailMessage => {
  const outcome = c.assessment?.outcome;
  return compose({
    notice: 'AssessmentOutcome',
    to: [c.submission.contact.email],
    subject: `Assessment outcome for ${c.reference}: ${outcome ? assuranceWording[outcome.assuranceStatus].split(':')[0] : ''}`,
    body: [
      dear(c),
      `The ad-hoc User Security Assessment of "${c.submission.newUserSystem.name}" completed on ${outcome?.completedOn}.`,
      `Assurance status: ${outcome ? assuranceWording[outcome.assuranceStatus] : ''}.`,
      ...(outcome?.conditions ? [`Conditions:\n${outcome.conditions}`] : []),
      ...(outcome?.reportReference ? [`User Security Assessment Report: ${outcome.reportReference}.`] : []),
      quote(c),
    ],
  });
};

// --- The SSC ----------------------------------------------------------------------------

/** The SSC's decision links: one per decision offered on the case. */
export type DecisionLinks = Partial<Record<SscDecisionKind, string>>;

/** Whose links an email to one person in the register of SSC members carries: theirs alone, recorded with the decision. */
const boundNote = (recipient: string | undefined): string[] =>
  recipient
    ? [
        `These links are yours, ${recipient}: a decision taken through them is recorded as yours. Do not forward them; they stop working if you leave the SSC's register.`,
      ]
    : [];

const linkRows = (links: DecisionLinks): Array<[string, string]> =>
  (Object.entries(links) as Array<[SscDecisionKind, string]>).map(([k, url]) => [decisionWording[k].label, url]);

/**
 * The SSC's decision request. `amended`: the notice was amended since the SSC's last email, and
 * these are its changes since then; the links of that email no longer work.
 */
export const sscDecisionRequestEmail = (
  c: CaseRecord,
  exchanges: InformationExchange[],
  to: string[],
  links: DecisionLinks,
  deadline: Deadline,
  expiresOn: string,
  recipient?: string,
  amended?: ReadonlyArray<FieldChange>,
): EmailMessage =>
  compose({
    notice: 'SscDecisionRequest',
    to,
    subject: `${c.late ? '[LATE] ' : ''}${amended ? '[AMENDED] ' : ''}SSC decision needed: ${title(c)}`,
    warning: [...lateNotice(c), ...registerFlag(c)],
    body: [
      ...(amended
        ? [
            `The User has amended notification ${c.reference} (now version ${versionOf(c)}) since the SSC's last email about it, whose links no longer work: decide on the amended notice, through the links below. What changed:`,
            changeRows(amended, 'email')
              .map(([field, change]) => `${field}\n${change}`)
              .join('\n\n'),
          ]
        : []),
      exchanges.length
        ? `The User has answered the SSC's question${exchanges.length > 1 ? `s (${exchanges.length} so far)` : ''} on ${c.reference}.`
        : 'A User has notified the SSC of a second or subsequent User System (SECMP0057, SEC G3.9).',
      `Please decide by ${dueText(deadline)}. The security-architecture summary${c.submission.withheldDetails ? ', the details the User withheld' : ''}${exchanges.length ? ", the User's answers" : ''} and the rest of the notification are not sent by email: each link below opens a page with the whole case. Nothing is decided until you confirm there, with your name and the case reference. Links expire on ${expiresOn}.`,
      ...boundNote(recipient),
    ],
    rows: [...emailSummaryRows(c), recommendationRow(c), ['Decide by', dueText(deadline)]],
    links: linkRows(links),
  });

/**
 * The User amended the notice's dates after the SSC's decision: the SSC and SECAS are told what
 * changed, and warned first when the amended live date makes the notice late (`nowLate`: the reasons).
 */
export const amendedAfterDecisionEmail = (c: CaseRecord, changes: ReadonlyArray<FieldChange>, nowLate: string[], m: Mailboxes): EmailMessage =>
  compose({
    notice: 'AmendmentAfterDecision',
    to: [...m.ssc, ...m.secas],
    subject: `${nowLate.length ? '[LATE] ' : ''}Amended after the SSC's decision: ${title(c)}`,
    warning: nowLate.length
      ? [
          "NOW LATE: the amended dates make the notice late (SEC G3.9 requires notice before the User employs the system); the SSC's advice was given on the earlier dates:",
          ...nowLate,
        ]
      : [],
    body: [
      `The User has amended the dates of notification ${c.reference} (now version ${versionOf(c)}) after the SSC's decision${c.sscDecision ? ` (${decisionWording[c.sscDecision.kind].label}, ${c.sscDecision.decidedAt.slice(0, 10)})` : ''}. The decision stands; the amendment is recorded with the case. What changed:`,
      changeRows(changes, 'email')
        .map(([field, change]) => `${field}\n${change}`)
        .join('\n\n'),
    ],
    rows: emailSummaryRows(c),
  });

export const sscDecisionReminderEmail = (c: CaseRecord, to: string[], links: DecisionLinks, deadline: Deadline, recipient?: string): EmailMessage =>
  compose({
    notice: 'SscDecisionReminder',
    to,
    subject: `Reminder: SSC decision due ${deadline.dueOn} on ${title(c)}`,
    warning: lateNotice(c),
    body: [
      `The SSC's decision on ${c.reference} is due by ${dueText(deadline)}. The links from the first email still work; here they are again.`,
      `Recommendation: ${decisionWording[c.triage.recommendation].label}.`,
      ...boundNote(recipient),
    ],
    links: linkRows(links),
  });

export const withdrawalEmail = (c: CaseRecord, m: Mailboxes): EmailMessage =>
  compose({
    notice: 'Withdrawal',
    to: [...m.ssc, c.submission.contact.email],
    subject: `Withdrawn: ${title(c)}`,
    body: [
      `The User has withdrawn notification ${c.reference}. No SSC decision is needed; links in earlier emails no longer work.`,
      ...(c.withdrawal?.reason ? [`Reason given: ${c.withdrawal.reason}`] : []),
    ],
  });

// --- SECAS ------------------------------------------------------------------------------

export const lateNoticeToSecasEmail = (c: CaseRecord, m: Mailboxes): EmailMessage =>
  compose({
    notice: 'LateNotice',
    to: m.secas,
    subject: `[LATE] Second User System notified late: ${title(c)}`,
    warning: lateNotice(c),
    body: [`A late notice has been received and sent to the SSC as urgent. SEC G3.9 requires notice before the User begins to employ the system.`],
    rows: [...emailSummaryRows(c), recommendationRow(c)],
  });

/** SECAS's link to the form that records what an assessment wait awaits (the JSON API stays for automation). */
const recordLink = (deadline: Deadline, link: string | undefined): Array<[string, string]> =>
  link ? [[deadline.wait === 'AssessmentSchedule' ? 'Record the assessment date' : 'Record the assessment outcome', link]] : [];
const apiNote = (c: CaseRecord) => `Or, from a system: POST /notifications/${c.reference}/assessment.`;

export const escalationEmail = (c: CaseRecord, m: Mailboxes, deadline: Deadline, link?: string): EmailMessage =>
  compose({
    notice: 'Escalation',
    to: m.secas,
    subject: `[ESCALATION] Overdue: ${waitNames[deadline.wait]} on ${title(c)}`,
    body: [
      `${waitNames[deadline.wait][0]?.toUpperCase()}${waitNames[deadline.wait].slice(1)} on ${c.reference} was due by ${dueText(deadline)} and has not arrived. The case keeps waiting until ${deadline.hardLimitAt.slice(0, 10)}, when it will end overdue.`,
      link ? 'Please record it, or chase whoever must give it.' : 'Please chase it.',
    ],
    links: recordLink(deadline, link),
  });

export const assessmentRecordRequestEmail = (c: CaseRecord, m: Mailboxes, deadline: Deadline, link: string): EmailMessage =>
  compose({
    notice: 'AssessmentRecordRequest',
    to: m.secas,
    subject: `${deadline.wait === 'AssessmentSchedule' ? 'Arrange' : 'Record the outcome of'} an ad-hoc User Security Assessment: ${title(c)}`,
    body: [
      deadline.wait === 'AssessmentSchedule'
        ? `The SSC requires an ad-hoc User Security Assessment (SEC G8.13) of "${c.submission.newUserSystem.name}". Please arrange it with the User CIO and record the date by ${deadline.dueOn}, through the link below.`
        : `The ad-hoc User Security Assessment of "${c.submission.newUserSystem.name}" was scheduled for ${c.assessment?.scheduledOn}. Please record its outcome by ${deadline.dueOn}, through the link below.`,
      `The link opens a form; nothing is recorded until you submit it. It works once, until ${deadline.hardLimitAt.slice(0, 10)}. ${apiNote(c)}`,
    ],
    links: recordLink(deadline, link),
  });

export const assessmentReminderEmail = (c: CaseRecord, m: Mailboxes, deadline: Deadline, link?: string): EmailMessage =>
  compose({
    notice: 'AssessmentRecordReminder',
    to: m.secas,
    subject: `Reminder: ${waitNames[deadline.wait]} due ${deadline.dueOn} on ${title(c)}`,
    body: [
      `Please record ${waitNames[deadline.wait]} for ${c.reference} by ${deadline.dueOn}: the link from the first email still works; here it is again. ${apiNote(c)}`,
    ],
    links: recordLink(deadline, link),
  });

export const assessmentFindingEscalationEmail = (c: CaseRecord, m: Mailboxes): EmailMessage => {
  const outcome = c.assessment?.outcome;
  return compose({
    notice: 'AssessmentFindingEscalation',
    to: [...m.secas, ...m.ssc],
    subject: `[ESCALATION] Assessment ${outcome?.assuranceStatus}: ${title(c)}`,
    body: [
      `The ad-hoc User Security Assessment of "${c.submission.newUserSystem.name}" ended ${outcome ? assuranceWording[outcome.assuranceStatus] : ''}.`,
      'A follow-up assessment is required. A non-compliant User System may put the User in an Event of Default (SECMP0057 §2; SEC M8.1): please consider it.',
      ...(outcome?.assuranceStatus === 'Deferred'
        ? [`The case waits for the User's next annual review (${c.submission.existingUserSystem.nextAnnualReviewOn}) and will remind you then.`]
        : []),
    ],
  });
};

export const annualReviewReminderEmail = (c: CaseRecord, m: Mailboxes): EmailMessage =>
  compose({
    notice: 'AnnualReviewReminder',
    to: [c.submission.contact.email, ...m.secas],
    subject: `Annual review ${c.submission.existingUserSystem.nextAnnualReviewOn}: include ${c.submission.newUserSystem.name} (${c.reference})`,
    body: [
      `The annual security review of ${c.submission.party.name} falls on ${c.submission.existingUserSystem.nextAnnualReviewOn}.`,
      `The User System "${c.submission.newUserSystem.name}" (${c.reference}) is in its scope, as the SSC advised.`,
    ],
  });

export const overdueNoticeEmail = (c: CaseRecord, m: Mailboxes): EmailMessage =>
  compose({
    notice: 'OverdueNotice',
    to: [...m.secas, ...(c.status === 'SscDecisionOverdue' ? m.ssc : [])],
    subject: `[OVERDUE] Case closed overdue: ${title(c)}`,
    body: [
      `Case ${c.reference} has passed the hard limit of its wait and has ended with status ${c.status}. Nothing further will happen automatically.`,
      'Decide with the SSC how to proceed with the User.',
    ],
  });

/** What went wrong with a case's workflow execution, as the fault alert reports it. */
export interface WorkflowFault {
  /** FAILED, TIMED_OUT or ABORTED. */
  status: string;
  /** The state that failed, when the history shows it. */
  state?: string;
  error: string;
  cause: string;
  executionArn: string;
  /** When the execution stopped (ISO). */
  at: string;
}

export const workflowFaultEmail = (reference: string, c: CaseRecord | undefined, fault: WorkflowFault, m: Mailboxes): EmailMessage =>
  compose({
    notice: 'WorkflowFault',
    to: m.secas,
    subject: `[WORKFLOW FAULT] ${c ? title(c) : reference}: stopped ${fault.status}${fault.state ? ` in ${fault.state}` : ''}`,
    warning: [`The workflow of case ${reference} has stopped and will not move on by itself.`],
    body: [
      c
        ? `The case keeps its status (${c.status}) and everything recorded so far. Nothing has been lost.`
        : `No case ${reference} was found in the NotificationsTable: investigate before anything else.`,
      'To recover: fix the cause below, then redrive the execution from the Step Functions console (Redrive) or with `aws stepfunctions redrive-execution --execution-arn <arn>`. It resumes at the failed state, with everything before it kept, within 14 days of the failure.',
    ],
    rows: [
      ['Case', reference],
      ['Execution', fault.executionArn],
      ['Status', fault.status],
      ['Failed state', fault.state ?? 'unknown'],
      ['Error', fault.error || '(none given)'],
      ['Cause', fault.cause || '(none given)'],
      ['Stopped at', fault.at],
    ],
  });

const roleNames = { User: "the User's contact", SSC: 'the SSC', SECAS: 'SECAS', Unknown: 'a recipient' } as const;

/** A notice to the User or the SSC did not arrive: SECAS is told, and told whether the case waits on it. */
export const undeliveredNoticeEmail = (
  c: CaseRecord,
  problem: { notice: string; subject: string; recipient: string; recipientRole: keyof typeof roleNames; kind: string; detail: string; at: string },
  caseWaits: boolean,
  m: Mailboxes,
): EmailMessage =>
  compose({
    notice: 'UndeliveredNotice',
    to: m.secas,
    subject: `[UNDELIVERED] ${problem.notice} to ${roleNames[problem.recipientRole]} on ${title(c)}`,
    warning: [
      caseWaits
        ? `Case ${c.reference} is waiting on this notice, and nobody it asks to act has received it.`
        : `A notice on case ${c.reference} did not arrive; the case does not wait on it, but ${roleNames[problem.recipientRole]} has not been told.`,
    ],
    body: [
      `The email "${problem.subject}" to ${problem.recipient} (${roleNames[problem.recipientRole]}) ${problem.kind === 'Rejected' ? 'was rejected by SES' : 'bounced'}.`,
      problem.recipientRole === 'SSC'
        ? "Correct the SSC's address: a member's or Alternate's in the register of SSC members (the console's /members), the SSC mailbox's in context sscAddress (and deploy). The next reminder carries the same links. Meanwhile send the SSC the case reference another way."
        : "Contact the User another way and ask for a working contact address; the case's history records what did not arrive.",
    ],
    rows: [
      ['Case', c.reference],
      ['Status', c.status],
      ['Notice', problem.notice],
      ['Recipient', `${problem.recipient} (${roleNames[problem.recipientRole]})`],
      ['What SES reported', problem.detail],
      ['When', problem.at],
    ],
  });

/** To SECAS: an SSC meeting's papers did not reach one of the SSC's addresses. */
export const undeliveredPapersEmail = (
  meetingOn: string,
  problem: { subject: string; recipient: string; kind: string; detail: string; at: string },
  m: Mailboxes,
): EmailMessage =>
  compose({
    notice: 'UndeliveredPapers',
    to: m.secas,
    subject: `[UNDELIVERED] SSC meeting papers for ${dateInWords(meetingOn)} to the SSC`,
    warning: [`The SSC's papers for its meeting on ${dateInWords(meetingOn)} did not reach ${problem.recipient}.`],
    body: [
      `The email "${problem.subject}" to ${problem.recipient} (the SSC) ${problem.kind === 'Rejected' ? 'was rejected by SES' : 'bounced'}.`,
      `Send the SSC the papers another way before the meeting (the console shows them at /meetings/${meetingOn}), and correct the SSC addresses (context sscAddress) before the next paper deadline.`,
    ],
    rows: [
      ['Meeting', dateInWords(meetingOn)],
      ['Recipient', problem.recipient],
      ['What SES reported', problem.detail],
      ['When', problem.at],
    ],
  });

// --- Shared Resource Providers (SEC G10.8) --------------------------------------------------------

/** An outcome SECAS recorded for a provider, as the emails tell it. */
export interface ProviderOutcome {
  providerName: string;
  reference: string;
  assessedOn: string;
  assuranceStatus: 'Approved' | 'Deferred' | 'Rejected';
  validUntil: string;
}

const outcomeRows = (o: ProviderOutcome): Array<[string, string]> => [
  ['Shared Resource Provider', o.providerName],
  ['User Security Assessment', o.reference],
  ['Assessed', o.assessedOn],
  ['Assurance status', o.assuranceStatus],
  ['Valid until', o.validUntil],
];

/** To the User of an open or deferred case that employs the provider: the new outcome, shared under SEC G10.8. */
export const sharedResourceOutcomeEmail = (c: CaseRecord, o: ProviderOutcome): EmailMessage =>
  compose({
    notice: 'SharedResourceOutcome',
    to: [c.submission.contact.email],
    subject: `Shared Resource assessment ${o.assuranceStatus}: ${o.providerName} (${c.reference})`,
    body: [
      dear(c),
      `SECAS has recorded a new User Security Assessment outcome for ${o.providerName}, the Shared Resource Provider your notification ${c.reference} names for "${c.submission.newUserSystem.name}". SEC G10.8 requires SECAS to share it with every User that employs the provider.`,
      ...(o.assuranceStatus === 'Approved'
        ? []
        : [
            `The outcome is ${o.assuranceStatus}: the SSC and SECAS have been told, and the SSC may ask for an ad-hoc User Security Assessment of your system.`,
          ]),
      'SECAS sends the assessment report itself through its secure channels.',
      quote(c),
    ],
    rows: outcomeRows(o),
  });

/** To SECAS and the SSC when a provider's outcome is Deferred or Rejected: the cases whose Users were told. */
export const sharedResourceAlertEmail = (o: ProviderOutcome, cases: CaseRecord[], m: Mailboxes): EmailMessage =>
  compose({
    notice: 'SharedResourceAlert',
    to: [...m.secas, ...m.ssc],
    subject: `[${o.assuranceStatus.toUpperCase()}] Shared Resource Provider ${o.providerName}: ${cases.length} open case${cases.length === 1 ? '' : 's'} employ it`,
    warning: [`${o.providerName}'s User Security Assessment ${o.reference} is ${o.assuranceStatus}.`],
    body: [
      cases.length
        ? `These open or deferred cases employ it; each User has been sent the outcome (SEC G10.8): ${cases.map((c) => `${c.reference} (${c.submission.party.name} – ${c.submission.newUserSystem.name}, ${c.status})`).join('; ')}.`
        : 'No open or deferred case employs it.',
      'An ad-hoc User Security Assessment of the systems it serves may be needed.',
    ],
    rows: outcomeRows(o),
  });

// --- The SSC's meeting papers ------------------------------------------------------------

const paperLine = (c: PaperLine, extra: string[]): string =>
  [
    `${c.reference}: ${c.party} – ${c.system}`,
    `Recommendation: ${decisionWording[c.recommendation].label}`,
    `Late notice: ${c.late ? 'yes' : 'no'}`,
    `Whose move: ${c.whoseMove === 'User' ? 'the User' : c.whoseMove === 'SSC' ? 'the SSC' : c.whoseMove}`,
    ...extra,
  ].join('\n');

const dueLine = (c: PaperLine) =>
  paperLine(c, [`Due: ${c.deadline ? dueInWords(c.deadline) : 'no due date'}${c.pastDue ? ' (PAST DUE)' : ''}`, ...(c.link ? ['Decide: the link below'] : [])]);

const section = (heading: string, lines: string[], none: string): string[] => [`${heading} (${lines.length}):`, ...(lines.length ? lines : [none])];

/**
 * The papers of one meeting, to the SSC and SECAS at its paper deadline: one email listing every
 * case due (each with the signed link to its confirmation page for the recommended decision, the
 * same links its own SSC email carries), those past due, those going to a later meeting, and the
 * decisions since the last meeting. Summaries only, as every SSC email: the detail stays behind the links.
 */
export const meetingPapersEmail = (p: MeetingPapers, m: Mailboxes): EmailMessage =>
  compose({
    notice: 'MeetingPapers',
    to: [...m.ssc, ...m.secas],
    subject: `SSC meeting papers: ${dateInWords(p.meeting.on)} (${p.due.length} ${p.due.length === 1 ? 'case' : 'cases'} due)`,
    body: [
      `Papers for the Security Sub-Committee meeting on ${dateInWords(p.meeting.on)} (paper deadline ${dateInWords(p.meeting.papersBy)}), as the cases stood on ${dayInWords(p.assembledAt)}.`,
      ...section('Cases due at this meeting', p.due.map(dueLine), 'No case is due at this meeting.'),
      ...section('Overdue: undecided past their due date', p.overdue.map(dueLine), 'No case is overdue.'),
      ...section(
        'Received after the paper deadline: going to a later meeting',
        p.later.map((c) => paperLine(c, [`Goes to the SSC meeting on ${dateInWords(c.deadline?.meeting?.on as string)}`])),
        'None.',
      ),
      ...section(
        p.previous ? `Decided since the last meeting (${dateInWords(p.previous.on)})` : `Decided since ${dayInWords(p.since)}`,
        p.decided.map((c) =>
          paperLine(
            c,
            c.decision ? [`Decided: ${decisionWording[c.decision.kind].label}, on ${dayInWords(c.decision.decidedAt)}, by ${takenByWords(c.decision)}`] : [],
          ),
        ),
        'No decision was taken.',
      ),
      ...section(
        'Ended undecided since the last meeting: the wait ran out',
        p.endedOverdue.map((c) =>
          paperLine(c, [`Ended SSC decision overdue on ${dayInWords(endedAt(c))}, due ${dateInWords(c.deadline?.dueOn as string)}; SECAS was told`]),
        ),
        'None.',
      ),
    ],
    links: [...p.due, ...p.overdue]
      .filter((c) => c.link)
      .map((c) => [
        `${c.reference}: decide as recommended (${decisionWording[c.recommendation].label}); its own SSC email has the other decisions`,
        c.link as string,
      ]),
  });
