import type * as z from 'zod';
import { type SettingName, settingGroups } from './adapters/config';
import type { notificationsTableDesign } from './adapters/table-design';
import { notificationDateRules } from './domain/admission';
import { scopes } from './domain/caller';
import { NotificationCase } from './domain/case';
import { CaseFileDocument } from './domain/case-file';
import { HistoryVerification } from './domain/history-chain';
import { NotificationPatch } from './domain/amendment';
import { NotificationSubmission } from './domain/notification';
import { RetentionScheduleChange, RetentionScheduleView } from './domain/retention';
import { ReportQuery, ServiceReport } from './domain/service-report';
import type { ProblemSlug } from './domain/problem';
import { AssessmentRecord, CaseFileQuery, InformationAnswer, ListQuery, WithdrawalRequest } from './domain/requests';
import { Accepted, CaseList, IDEMPOTENCY_KEY_PATTERN, IDEMPOTENT_REPLAYED, TokenResponse } from './domain/responses';
import { AddKeyRequest, ClientList, ClientView, OfficerRequest, RegisterClientRequest } from './domain/sec-users';
import { ProviderList, ProviderView, RecordProviderAssessmentRequest, RecordProviderRequest } from './domain/shared-resources';
import { AddMemberRequest, AppointAlternateRequest, MemberList, MemberRemovalRequest, MemberView } from './domain/ssc-members';

/**
 * Every Lambda of the product, declared once: what starts it, what it may call, and what it is
 * told. The stateless stack builds a function, its triggers, its grants and its environment from
 * each entry; the sandbox invokes the same entry files, on the same triggers, giving each exactly
 * that environment; the OpenAPI document is generated from the routes; the permission test holds
 * every AWS call the suite records against the grants derived from `uses`. Adding a function, a
 * route or a setting is an edit here and in its own handler and use case, nowhere else.
 */

/** ANY: one function answers every method (it refuses those it does not serve with a 405). */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'ANY';

/**
 * Who may call a route. 'user': a SEC User's machine client only; 'user-or-secas': a User (its own
 * cases) or SECAS (every User's); 'secas': SECAS only; 'signed-link': an HMAC-signed link is the
 * credential (no login): the SSC's decision links, SECAS's assessment links; 'client-assertion': the
 * token endpoint, where a registered client proves itself with a JWT signed by its own key (no
 * authorizer); 'public': anyone (the API's own description).
 */
export type Access = 'user' | 'user-or-secas' | 'secas' | 'signed-link' | 'client-assertion' | 'public';

/** A JSON body, validated by its schema. */
export interface JsonBody {
  json: z.ZodType;
  description: string;
  examples?: Record<string, unknown>;
}

/** A form a person submits from a page: its fields, each described. */
export interface FormBody {
  form: Record<string, string>;
  required: string[];
  description: string;
}

/** The answer when all goes well (signed-link routes answer pages, which their access implies). */
export interface Answer {
  status: 200 | 201 | 202;
  description: string;
  /** The body's schema and its name among the document's schemas; none for the API's own description. */
  body?: { name: string; schema: z.ZodType };
  headers?: Record<string, { description?: string; schema: Record<string, unknown> }>;
  /** The same answer in other media types (chosen by the Accept header or a query parameter), each described. */
  alsoAs?: Record<string, string>;
}

export interface RouteSpec {
  /** The OpenAPI operation's id, when its function serves several routes of one method (the function's name otherwise). */
  operationId?: string;
  method: HttpMethod;
  /** API Gateway route path, with {parameters}. */
  path: string;
  access: Access;
  request?: JsonBody | FormBody;
  /** The query parameters, from the schema that validates them. */
  query?: z.ZodObject;
  headers?: Array<{ name: string; description: string; pattern: string; required?: true }>;
  answer?: Answer;
  /** Problems this route answers beyond those its access, method and path imply (see openapi-document.ts). */
  problems?: Partial<Record<number, ProblemSlug[]>>;
}

/** The scopes API Gateway admits on a route: any one of them (none for signed links and the public description). */
export const routeScopes = (route: Pick<RouteSpec, 'access'>): string[] => {
  switch (route.access) {
    case 'user':
      return [scopes.user];
    case 'user-or-secas':
      return [scopes.user, scopes.secas];
    case 'secas':
      return [scopes.secas];
    case 'signed-link':
    case 'client-assertion':
    case 'public':
      return [];
  }
};

/** A route with the name of the function behind it. */
export interface Route extends RouteSpec {
  /** The function's name in SEC terms; also its construct id. */
  name: string;
  entry: string;
}

/**
 * DynamoDB's IAM actions on items (a transaction is authorised item by item, by these). Every
 * writer that appends to a case's history reads the case's chain head first (GetItem, see
 * cases-repository.ts writeChained) and may move its older events to a history page of their
 * own (cases-repository.ts compactHistory: a Put in a transaction), so it needs PutItem too.
 */
export type TableAction = 'GetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheckItem';
export type IndexName = (typeof notificationsTableDesign.indexes)[keyof typeof notificationsTableDesign.indexes]['indexName'];
export type WorkflowAction = 'StartExecution' | 'DescribeExecution' | 'GetExecutionHistory' | 'SendTaskSuccess' | 'SendTaskFailure';

/**
 * What a function does to the product's resources: each becomes an IAM grant on exactly that
 * resource (and its key) in the stack, and the settings that name the resource.
 */
export interface Uses {
  /** Actions on the NotificationsTable's items. */
  table?: TableAction[];
  /** Indexes of the NotificationsTable it queries. */
  indexes?: IndexName[];
  /** Reads the link keyring, to sign or verify the SSC's and SECAS's links. */
  linkKeyring?: true;
  /** Sends email through SES: the sending identity and the configuration set. */
  mail?: true;
  /** Step Functions actions on the SscTriageWorkflow and its executions. */
  workflow?: WorkflowAction[];
  /**
   * Creates a deferred case's one-time annual-review schedule (and passes the schedules' role);
   * 'move': and deletes the one it replaces, when an amended review date moves the reminder.
   */
  annualReviewSchedules?: true | 'move';
  /** The history anchors' bucket: reads the latest anchor (list and get), and writes a new one (put only). */
  historyAnchors?: Array<'read' | 'write'>;
  /** KMS actions on the access-token signing key: Sign (the token endpoint), GetPublicKey (the authorizer). */
  accessTokenKey?: Array<'Sign' | 'GetPublicKey'>;
}

export type Trigger =
  /** API Gateway routes. */
  | { kind: 'http'; routes: RouteSpec[] }
  /** A task of the SscTriageWorkflow's ASL, through the substitution `${<name>FunctionArn}`. */
  | { kind: 'workflow-task' }
  /** An EventBridge schedule rule (a timer in the sandbox). */
  | { kind: 'every'; minutes: number }
  /** The one-time EventBridge Scheduler schedules the workflow leaves behind (the sandbox's local Scheduler). */
  | { kind: 'annual-review-schedule' }
  /** The SscTriageWorkflow's "Execution Status Change" events of these statuses (with `redriven`, only those of a redrive). */
  | { kind: 'workflow-status'; statuses: Array<'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED'>; redriven?: true }
  /** SES's events about sent emails, of these detail types (the configuration set publishes them to EventBridge). */
  | { kind: 'email-events'; detailTypes: string[] }
  /** The HTTP API's Lambda authorizer: API Gateway invokes it before every route with scopes. */
  | { kind: 'authorizer' };

export interface FunctionSpec {
  entry: string;
  description: string;
  trigger: Trigger;
  uses: Uses;
  /** Settings it reads beyond those its `uses` imply: single settings, or groups of them. */
  settings?: Array<SettingName | keyof typeof settingGroups>;
  timeoutSeconds?: number;
  /**
   * The README runbook's row for this function's error alarm and, when it is invoked asynchronously,
   * for its dead letters, and what a dead letter of it means ("Function errors" when unset).
   */
  runbook?: { row: string; deadLetter?: string };
}

const datesRule = `Dates the process computes on must fall in windows around the day the request arrives (a 422 names the field and its window): ${notificationDateRules
  .map((r) => `\`${r.pointer}\` ${r.why} (${r.fromMonths} to ${r.toMonths} months from today)`)
  .join('; ')}; no window reaches within a year of the end of the Working-Day calendar.`;

const theCase = { name: 'NotificationCase', schema: NotificationCase };
const location = { Location: { schema: { type: 'string' } } };
const etag = {
  ETag: {
    description: 'The notice\'s version, quoted (`"1"` as filed, one more for each amendment): send it as If-Match to amend the notice',
    schema: { type: 'string', pattern: '^"[1-9][0-9]{0,8}"$' },
  },
};
/** The answer of an action on a case that the workflow carries on. */
const accepted: Answer = {
  status: 202,
  description: 'Taken; the workflow carries it on.',
  body: { name: 'Accepted', schema: Accepted },
  headers: location,
};

const clientView = { name: 'ClientView', schema: ClientView };
const providerView = { name: 'ProviderView', schema: ProviderView };
const memberView = { name: 'MemberView', schema: MemberView };
const retentionView = { name: 'RetentionScheduleView', schema: RetentionScheduleView };
/** What each change of a client's standing does, and how soon (the authorizer's cache: at most 300 s). */
const statusChanges = {
  'keys/{kid}/retire': {
    operationId: 'RetireClientKey',
    description:
      'Retires the key: no assertion signed with it is taken from now on, and access tokens issued under it are refused within 300 s (the authorizer cache).',
  },
  suspend: { operationId: 'SuspendClient', description: 'Suspends the client: no token is issued to it, and its access tokens are refused within 300 s.' },
  reinstate: { operationId: 'ReinstateClient', description: 'Reinstates a suspended client.' },
  offboard: {
    operationId: 'OffboardClient',
    description:
      'Offboards the client: its keys are retired and it can never authenticate again (a 409 for any later change); its cases stay, readable by SECAS.',
  },
} as const;

export const catalogue = {
  SubmitNotification: {
    entry: 'functions/api/submit-notification.ts',
    description: 'Files a notification: validates, triages, allocates its reference, stores the case and starts its workflow',
    trigger: {
      kind: 'http',
      routes: [
        {
          method: 'POST',
          path: '/notifications',
          access: 'user',
          request: { json: NotificationSubmission, description: `The notification. ${datesRule}` },
          headers: [
            {
              name: 'Idempotency-Key',
              description: 'Retries with the same key and body get the first answer again, marked Idempotent-Replayed: true (24 hours)',
              pattern: IDEMPOTENCY_KEY_PATTERN,
            },
          ],
          answer: {
            status: 201,
            description:
              'The case is filed and its workflow started. A retry with the same Idempotency-Key and body within 24 hours gets the first answer again, the case as it was then, marked by the Idempotent-Replayed header: GET its Location for the case now.',
            body: theCase,
            headers: {
              ...location,
              [IDEMPOTENT_REPLAYED]: {
                description:
                  '`true` when this answer replays the first answer to this Idempotency-Key (the body is the case as it was filed, not as it is now); absent on the first answer',
                schema: { type: 'string', enum: ['true'] },
              },
            },
          },
          problems: { 400: ['invalid-idempotency-key'], 409: ['idempotency-key-reused', 'request-in-progress'] },
        },
      ],
    },
    // The reference counter (Update), the case (Put) with its entry under the provider it names (Put, in one transaction)
    // and Powertools' idempotency records, in the same table: Put, Update, and Delete when the filing fails. GetItem: the
    // named provider in the register of Shared Resource assessments, for triage (Powertools never needs it: a refused Put
    // returns the existing record, ReturnValuesOnConditionCheckFailure).
    uses: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'], workflow: ['StartExecution'] },
    settings: ['meetings'],
    timeoutSeconds: 10,
  },
  ListNotifications: {
    entry: 'functions/api/list-notifications.ts',
    description: "Lists a User's cases, or SECAS's view of every User's",
    trigger: {
      kind: 'http',
      routes: [
        {
          method: 'GET',
          path: '/notifications',
          access: 'user-or-secas',
          query: ListQuery,
          answer: { status: 200, description: 'A page of cases, newest first.', body: { name: 'CaseList', schema: CaseList } },
          problems: { 400: ['filter-required', 'invalid-cursor'], 403: ['forbidden'], 422: ['validation'] },
        },
      ],
    },
    uses: { indexes: ['CasesByOwner', 'CasesByStatus'] },
    timeoutSeconds: 10,
  },
  GetNotification: {
    entry: 'functions/api/get-notification.ts',
    description: 'The case: status, deadline, decision, questions and answers, history',
    trigger: {
      kind: 'http',
      routes: [
        {
          method: 'GET',
          path: '/notifications/{reference}',
          access: 'user-or-secas',
          answer: { status: 200, description: 'The case.', body: theCase, headers: etag },
        },
      ],
    },
    uses: { table: ['GetItem', 'Query'] },
    timeoutSeconds: 10,
  },
  AmendNotification: {
    entry: 'functions/api/amend-notification.ts',
    description: 'Amends a filed notice (a JSON merge patch, at the version the User read): any field until the SSC decides, its dates after',
    trigger: {
      kind: 'http',
      routes: [
        {
          method: 'PATCH',
          path: '/notifications/{reference}',
          access: 'user',
          request: {
            json: NotificationPatch,
            description: `A JSON merge patch (RFC 7396; sent as application/merge-patch+json or application/json) of the notification, by the User that filed it, until the SSC decides. Triage and lateness are recomputed from the amended notice (lateness as of the day it was first given); while the SSC waits, its deadline starts again from the amended notice (at the SSC meeting whose paper deadline it can make, or sooner when the live date requires) and the SSC is emailed what changed, with fresh links (the earlier ones lapse; a decision from a page shown before the amendment is refused). The amended notice is validated as at intake (a field the notification does not have, or one the patch makes invalid, is a 422 naming it); the dates it changes must fall in the same windows as at intake. ${datesRule} The case keeps its reference and history; each amendment is recorded with every field's value before and after. After the SSC's decision, until the case ends, only the notice's dates can be amended (\`/existingUserSystem/fullUserSecurityAssessmentCompletedOn\`, \`/existingUserSystem/nextAnnualReviewOn\`, \`/newUserSystem/plannedProcurementOn\`, \`/newUserSystem/plannedLiveOn\`): the amendment is recorded, the SSC and SECAS are emailed what changed, and an amended date that makes the notice late is flagged (the case becomes late). A change of operator, provider or system identity after the decision is a 409 saying to file a new notification naming the case; any other field a 409 naming it. A patch that changes nothing records nothing.`,
            examples: {
              liveDateMoved: { newUserSystem: { plannedLiveOn: '2027-05-10' } },
              priorAssessmentRemoved: { newUserSystem: { operator: { priorAssessment: null } } },
            },
          },
          headers: [
            {
              name: 'If-Match',
              description:
                'The ETag of the case as the User last read it (GET the case): the amendment applies only to that version (428 without it, 412 when the case has been amended since)',
              pattern: '^"[1-9][0-9]{0,8}"$',
              required: true,
            },
          ],
          answer: { status: 200, description: 'The case, amended (or as it was, when the patch changes nothing).', body: theCase, headers: etag },
          problems: { 409: ['conflict'], 412: ['precondition-failed'], 428: ['precondition-required'] },
        },
      ],
    },
    // The case's owner, the case and the named provider in the register (GetItem); the case, its amendment's own item and the
    // case's entries under the providers it names in one transaction (Update, Put, Delete); the earlier decision request lapsed
    // (Update); its partition to answer (Query); the SSC's wait ended so the workflow starts it again (SendTaskFailure).
    // After the SSC's decision, the SSC and SECAS are emailed the amended dates.
    // annualReviewSchedules 'move': an amended review date moves a deferred case's reminder (a new schedule, the old one deleted).
    uses: { table: ['GetItem', 'Query', 'UpdateItem', 'PutItem', 'DeleteItem'], workflow: ['SendTaskFailure'], mail: true, annualReviewSchedules: 'move' },
    settings: ['meetings', 'recipients', 'deadlines'],
    timeoutSeconds: 10,
  },
  VerifyCaseHistory: {
    entry: 'functions/api/verify-history.ts',
    description: "Verifies a case's tamper-evident history and names the first broken event",
    trigger: {
      kind: 'http',
      routes: [
        {
          method: 'GET',
          path: '/notifications/{reference}/verification',
          access: 'secas',
          answer: {
            status: 200,
            description:
              "The verification of the case's history: `ok`, or the first event (or item) found wrong in `broken` (what was found: changed, deleted, inserted, reordered, an older head put back). A broken chain is this report, not an error.",
            body: { name: 'HistoryVerification', schema: HistoryVerification },
          },
        },
      ],
    },
    uses: { table: ['Query'], historyAnchors: ['read'] },
    timeoutSeconds: 10,
  },
  GetCaseFile: {
    entry: 'functions/api/get-case-file.ts',
    description: "The complete file of a case with its history's verification, as JSON or a printable page (a User's own, with what it withholds left out)",
    trigger: {
      kind: 'http',
      routes: [
        {
          method: 'GET',
          path: '/notifications/{reference}/case-file',
          access: 'user-or-secas',
          query: CaseFileQuery,
          answer: {
            status: 200,
            description:
              "The case file: notice, triage and lateness, the SSC's decision and who took it, questions and answers, deadlines, reminders and escalations, assessment, withdrawal, emails and their delivery problems, and every event, with the verification of the case's history (a broken chain is stated in the file, not an error). SECAS gets every case's complete file; a User its own case's, without the names SSC members and SECAS officers typed and without internal notes (`withheld` says what).",
            body: { name: 'CaseFileDocument', schema: CaseFileDocument },
            alsoAs: {
              'text/html':
                'The same file as a printable page (GOV.UK style, dates in words, the verification first), with `format=html` or an Accept header naming text/html first.',
            },
          },
          problems: { 422: ['validation'] },
        },
      ],
    },
    // The case's owner (GetItem, before anything else is read), its partition (Query), and the latest anchor of the chain heads.
    uses: { table: ['GetItem', 'Query'], historyAnchors: ['read'] },
    timeoutSeconds: 10,
  },
  ReadServiceReport: {
    entry: 'functions/api/read-service-report.ts',
    description: 'The report for the SSC and the SEC Panel: the notices received in a range, as JSON, CSV or a page',
    trigger: {
      kind: 'http',
      routes: [
        {
          method: 'GET',
          path: '/reports',
          access: 'secas',
          query: ReportQuery,
          answer: {
            status: 200,
            description:
              "The report over the notices received from `from` to `to` (UK dates, both included), each case as it stands now: notices on time and late by party category, time to the SSC's decision and to the User's answers in Working Days (median, 90th percentile), decisions by outcome, overdue endings by wait, ad-hoc assessments by assurance status, open cases by whose move it is. `format` (json, csv, html) or else the Accept header chooses the form. A range before the Working-Day calendar starts, ending after today, or reversed is a 422 naming `/from` or `/to`.",
            body: { name: 'ServiceReport', schema: ServiceReport },
            alsoAs: {
              'text/csv': 'The same report as CSV (RFC 4180, a header row): Section, Measure, Value',
              'text/html': 'The same report as a page (GOV.UK tables, dates in words)',
            },
          },
          problems: { 403: ['forbidden'], 422: ['validation'] },
        },
      ],
    },
    // The status index, one Query per status over the range of receivedAt; the table, a Query per case with questions (their items).
    uses: { table: ['Query'], indexes: ['CasesByStatus'] },
    timeoutSeconds: 29,
  },
  DecisionPage: {
    entry: 'functions/api/decision-page.ts',
    description: "The SSC's confirmation page behind a decision link (shows, never decides)",
    trigger: {
      kind: 'http',
      routes: [
        { method: 'GET', path: '/decisions/{decisionId}', access: 'signed-link' },
        { method: 'HEAD', path: '/decisions/{decisionId}', access: 'signed-link' },
      ],
    },
    uses: { table: ['GetItem', 'Query'], linkKeyring: true },
    timeoutSeconds: 10,
  },
  TakeDecision: {
    entry: 'functions/api/take-decision.ts',
    description: "Takes the SSC's decision confirmed on its page, once",
    trigger: {
      kind: 'http',
      routes: [
        {
          method: 'POST',
          path: '/decisions/{decisionId}',
          access: 'signed-link',
          request: {
            form: {
              decision: 'The signed decision, as the page carries it',
              expires: 'The link expiry, as the page carries it',
              sig: 'The link signature, as the page carries it',
              member: "The SSC member the link was emailed to (or whose Alternate it was emailed to), as the page carries it; none for the SSC mailbox's links",
              alternate: 'The Alternate the link was emailed to, as the page carries it',
              advice: "The SSC's advice to the User (for more information: the question)",
              decidedBy: 'The full name of the SSC member taking the decision',
              caseReference: 'The case reference, typed by the member',
              version: 'The version of the notice the page showed, as the page carries it: a decision from a page shown before an amendment is refused',
            },
            required: ['decision', 'expires', 'sig', 'decidedBy', 'caseReference'],
            description: 'The SSC confirms a decision from its confirmation page: a 422 page names what is missing or mistyped, and nothing is decided.',
          },
        },
      ],
    },
    // ConditionCheckItem: a link bound to a member is claimed only while its holder stands in the register.
    uses: { table: ['GetItem', 'Query', 'UpdateItem', 'PutItem', 'ConditionCheckItem'], linkKeyring: true, workflow: ['SendTaskSuccess'] },
    timeoutSeconds: 10,
  },
  AnswerInformationRequest: {
    entry: 'functions/api/answer-information-request.ts',
    description: "Takes the User's answer to the SSC's question",
    trigger: {
      kind: 'http',
      routes: [
        {
          method: 'POST',
          path: '/notifications/{reference}/information',
          access: 'user',
          request: {
            json: InformationAnswer,
            description: "The User's answer to the SSC's open question.",
            examples: { answer: { answer: 'The portal is hosted by our Shared Resource Provider under its existing assessment; see report USAR-2026-014.' } },
          },
          answer: accepted,
        },
      ],
    },
    uses: { table: ['GetItem', 'UpdateItem', 'PutItem'], workflow: ['SendTaskSuccess'] },
    timeoutSeconds: 10,
  },
  WithdrawNotification: {
    entry: 'functions/api/withdraw-notification.ts',
    description: 'Withdraws a notification, until the SSC decides',
    trigger: {
      kind: 'http',
      routes: [
        {
          method: 'POST',
          path: '/notifications/{reference}/withdrawal',
          access: 'user',
          request: {
            json: WithdrawalRequest,
            description: 'Withdraws the notification, until the SSC decides.',
            examples: { withdrawal: { reason: 'Filed twice; see the other notification.' } },
          },
          answer: accepted,
        },
      ],
    },
    uses: { table: ['GetItem', 'UpdateItem', 'PutItem'], workflow: ['SendTaskFailure'] },
    timeoutSeconds: 10,
  },
  RecordAssessment: {
    entry: 'functions/api/record-assessment.ts',
    description: "Records an ad-hoc assessment's date or outcome (SECAS's systems)",
    trigger: {
      kind: 'http',
      routes: [
        {
          method: 'POST',
          path: '/notifications/{reference}/assessment',
          access: 'secas',
          request: {
            json: AssessmentRecord,
            description:
              'Either the date of the ad-hoc User Security Assessment, or its outcome. `scheduledOn` must be a Working Day after today (not today, nor a Saturday, Sunday, Christmas Day, Good Friday or bank holiday in England and Wales), until the hard limit of the assessment window the SSC set. `outcome.completedOn` must be on or after the recorded `scheduledOn` and not in the future, so an outcome can be recorded from the day of the assessment; conditions are required for ApprovedSubjectTo. A date the process cannot take is a 422 whose error, at `/scheduledOn` or `/outcome/completedOn`, names the rule.',
            examples: {
              date: { scheduledOn: '2027-02-15' },
              outcome: {
                outcome: {
                  assuranceStatus: 'ApprovedSubjectTo',
                  conditions: 'Remediate finding 3 within 60 days.',
                  reportReference: 'USAR-2027-001',
                  completedOn: '2027-02-19',
                },
              },
            },
          },
          answer: accepted,
        },
      ],
    },
    uses: { table: ['GetItem', 'UpdateItem', 'PutItem'], workflow: ['SendTaskSuccess'] },
    timeoutSeconds: 10,
  },
  AssessmentRecordForm: {
    entry: 'functions/api/assessment-record-form.ts',
    description: "SECAS's form behind an assessment link (shows, never records)",
    trigger: {
      kind: 'http',
      routes: [
        { method: 'GET', path: '/assessments/{recordId}', access: 'signed-link' },
        { method: 'HEAD', path: '/assessments/{recordId}', access: 'signed-link' },
      ],
    },
    uses: { table: ['GetItem'], linkKeyring: true },
    timeoutSeconds: 10,
  },
  SubmitAssessmentRecord: {
    entry: 'functions/api/submit-assessment-record.ts',
    description: "Records what SECAS's assessment form was filled with, once",
    trigger: {
      kind: 'http',
      routes: [
        {
          method: 'POST',
          path: '/assessments/{recordId}',
          access: 'signed-link',
          request: {
            form: {
              record: 'What the form records: the date, or the outcome',
              expires: 'The link expiry, as the form carries it',
              sig: 'The link signature, as the form carries it',
              scheduledOn: 'The assessment date (YYYY-MM-DD): a Working Day after today, until the hard limit of the assessment window',
              assuranceStatus: 'Approved, ApprovedSubjectTo, Deferred or Rejected (the form checks none)',
              conditions: 'Conditions of ApprovedSubjectTo',
              reportReference: "The assessment report's reference",
              completedOn: 'When the assessment completed (YYYY-MM-DD): on or after the scheduled date, not in the future',
              recordedBy: 'The full name of the SECAS officer recording it',
              caseReference: 'The case reference, typed by the officer',
            },
            required: ['record', 'expires', 'sig', 'recordedBy', 'caseReference'],
            description:
              "SECAS records the assessment date, then its outcome, from the form its email links to, with the officer's name and the case reference typed: a 422 page names what is missing or mistyped, or a date the process cannot take (the API's rules), and nothing is recorded.",
          },
        },
      ],
    },
    uses: { table: ['GetItem', 'UpdateItem', 'PutItem'], linkKeyring: true, workflow: ['SendTaskSuccess'] },
    timeoutSeconds: 10,
  },
  IssueAccessToken: {
    entry: 'functions/api/issue-access-token.ts',
    description: 'The OAuth token endpoint: an access token for a registered client that proves itself with a JWT signed by its own key',
    trigger: {
      kind: 'http',
      routes: [
        {
          method: 'POST',
          path: '/oauth2/token',
          access: 'client-assertion',
          request: {
            form: {
              grant_type: '`client_credentials`',
              client_assertion_type: '`urn:ietf:params:oauth:client-assertion-type:jwt-bearer`',
              client_assertion:
                "A JWT (RFC 7523) signed with a private key whose public key SECAS registered for the client: header `alg` (ES256, EdDSA or RS256, as registered) and `kid`; claims `iss` = `sub` = the client id, `aud` = this endpoint's URL, `iat`, `exp` at most 300 s after `iat`, `jti` (8 to 128 characters, used once). At most 8 KB.",
            },
            required: ['grant_type', 'client_assertion_type', 'client_assertion'],
            description: "Client credentials with private_key_jwt (RFC 7523 §2.2). No secret is sent: the assertion is signed by the client's own key.",
          },
          answer: { status: 200, description: "An access token (JWT, ES256) for the client's scope.", body: { name: 'TokenResponse', schema: TokenResponse } },
        },
      ],
    },
    // The register (GetItem), the used assertions (PutItem), and the KMS key that signs the access tokens.
    uses: { table: ['GetItem', 'PutItem'], accessTokenKey: ['Sign'] },
    settings: ['TOKEN_ENDPOINT', 'ACCESS_TOKEN_SECONDS'],
    timeoutSeconds: 10,
  },
  AuthorizeRequest: {
    entry: 'functions/api/authorize-request.ts',
    description: "The API's Lambda authorizer: the access token, its client's standing and key, the route's scopes",
    trigger: { kind: 'authorizer' },
    uses: { table: ['GetItem'], accessTokenKey: ['GetPublicKey'] },
    settings: ['TOKEN_ENDPOINT'],
    timeoutSeconds: 10,
  },
  ReadSecUsers: {
    entry: 'functions/api/read-sec-users.ts',
    description: 'SECAS reads the register of SEC Users: clients, public keys, audit trails',
    trigger: {
      kind: 'http',
      routes: [
        {
          method: 'GET',
          path: '/clients',
          access: 'secas',
          answer: { status: 200, description: 'Every client in the register.', body: { name: 'ClientList', schema: ClientList } },
        },
        {
          operationId: 'GetClient',
          method: 'GET',
          path: '/clients/{clientId}',
          access: 'secas',
          answer: { status: 200, description: 'The client.', body: { name: 'ClientView', schema: ClientView } },
          problems: { 404: ['not-found'] },
        },
      ],
    },
    uses: { table: ['GetItem', 'Query'] },
    timeoutSeconds: 10,
  },
  ChangeSecUsers: {
    entry: 'functions/api/change-sec-users.ts',
    description: 'SECAS keeps the register of SEC Users: registers, adds and retires keys, suspends, reinstates, offboards',
    trigger: {
      kind: 'http',
      routes: [
        {
          operationId: 'RegisterClient',
          method: 'POST',
          path: '/clients',
          access: 'secas',
          request: {
            json: RegisterClientRequest,
            description: 'Registers a SEC User (the User Entry Process): it can authenticate once a key is added.',
            examples: {
              user: {
                secPartyId: 'NWEN',
                name: 'Northwold Energy',
                contacts: [{ name: 'Priya Shah', email: 'security@northwold.example' }],
                officer: 'Sam Okafor',
              },
            },
          },
          answer: { status: 201, description: 'Registered; its client id is new.', body: clientView, headers: location },
        },
        {
          operationId: 'AddClientKey',
          method: 'POST',
          path: '/clients/{clientId}/keys',
          access: 'secas',
          request: {
            json: AddKeyRequest,
            description: `Adds a public key (PEM SPKI or JWK): EC P-256 (ES256), Ed25519 (EdDSA) or RSA of at least 2048 bits (RS256). A private or symmetric key, a smaller RSA key or another curve is a 422 \`invalid-key\`; a kid the client had before, or a third active key, a 409.`,
          },
          answer: { status: 201, description: 'The key is active: the client may sign assertions with it.', body: clientView, headers: location },
          problems: { 404: ['not-found'], 409: ['conflict'], 422: ['invalid-key'] },
        },
        ...(['keys/{kid}/retire', 'suspend', 'reinstate', 'offboard'] as const).map((action) => ({
          operationId: statusChanges[action].operationId,
          method: 'POST' as const,
          path: `/clients/{clientId}/${action}`,
          access: 'secas' as const,
          request: { json: OfficerRequest, description: statusChanges[action].description },
          answer: { status: 200 as const, description: 'Changed.', body: clientView },
          problems: { 404: ['not-found' as const], 409: ['conflict' as const] },
        })),
      ],
    },
    uses: { table: ['GetItem', 'PutItem'] },
    timeoutSeconds: 10,
  },
  ReadRetentionSchedule: {
    entry: 'functions/api/read-retention-schedule.ts',
    description: 'SECAS reads the retention schedule in force, the reason for each period, and every change made to it',
    trigger: {
      kind: 'http',
      routes: [
        {
          method: 'GET',
          path: '/retention-schedule',
          access: 'secas',
          answer: { status: 200, description: 'The schedule in force, its reasons and its audit trail.', body: retentionView },
        },
      ],
    },
    uses: { table: ['GetItem', 'Query'] },
    settings: ['RETENTION_SCHEDULE'],
    timeoutSeconds: 10,
  },
  ChangeRetentionSchedule: {
    entry: 'functions/api/change-retention-schedule.ts',
    description: 'SECAS sets the retention schedule, audited with the officer named and the reason',
    trigger: {
      kind: 'http',
      routes: [
        {
          method: 'POST',
          path: '/retention-schedule',
          access: 'secas',
          request: {
            json: RetentionScheduleChange,
            description:
              "Sets the months each class of a case's records is kept after the case ends. A period shorter than the longest a case can stay open (it would erase before a case could end), longer than a century (never), a personal class kept longer than the decision record, or emails' content longer than the contact's data, is a 422 naming the class and the reason. Another change made meanwhile is a 409.",
            examples: {
              schedule: {
                schedule: { decisionRecord: 84, contact: 24, typedNames: 72, freeTexts: 24, emails: 24 },
                officer: 'Sam Okafor',
                reason: "SECCo's data-retention policy, as reviewed",
              },
            },
          },
          answer: { status: 200, description: 'Set: the schedule now in force, its reasons and its audit trail.', body: retentionView },
          problems: { 409: ['conflict'] },
        },
      ],
    },
    // The schedule read, then written with its audit entry in one transaction (PutItem twice); the trail read back (Query).
    uses: { table: ['GetItem', 'Query', 'PutItem'] },
    settings: ['RETENTION_SCHEDULE'],
    timeoutSeconds: 10,
  },
  ReadSharedResources: {
    entry: 'functions/api/read-shared-resources.ts',
    description: 'SECAS reads the register of Shared Resource Providers: their assessments and audit trails',
    trigger: {
      kind: 'http',
      routes: [
        {
          method: 'GET',
          path: '/shared-resource-providers',
          access: 'secas',
          answer: { status: 200, description: 'Every provider in the register, by name.', body: { name: 'ProviderList', schema: ProviderList } },
        },
        {
          operationId: 'GetSharedResourceProvider',
          method: 'GET',
          path: '/shared-resource-providers/{providerId}',
          access: 'secas',
          answer: { status: 200, description: 'The provider.', body: providerView },
          problems: { 404: ['not-found'] },
        },
      ],
    },
    uses: { table: ['GetItem', 'Query'] },
    timeoutSeconds: 10,
  },
  ChangeSharedResources: {
    entry: 'functions/api/change-shared-resources.ts',
    description:
      'SECAS keeps the register of Shared Resource Providers: records a provider, and an assessment outcome, which is emailed to the Users that employ it (SEC G10.8)',
    trigger: {
      kind: 'http',
      routes: [
        {
          operationId: 'RecordSharedResourceProvider',
          method: 'POST',
          path: '/shared-resource-providers',
          access: 'secas',
          request: {
            json: RecordProviderRequest,
            description:
              'Records a Shared Resource Provider under the name Users give in their notices (its id is the name in lower case, letters and digits hyphen-separated); a name already recorded is a 409.',
            examples: { provider: { name: 'Fenland Hosting Services', officer: 'Sam Okafor' } },
          },
          answer: { status: 201, description: 'Recorded.', body: providerView, headers: location },
          problems: { 409: ['conflict'] },
        },
        {
          operationId: 'RecordSharedResourceAssessment',
          method: 'POST',
          path: '/shared-resource-providers/{providerId}/assessments',
          access: 'secas',
          request: {
            json: RecordProviderAssessmentRequest,
            description:
              'Records a User Security Assessment outcome for the provider. A malformed reference, or one already in the register (for any provider), is a 422 at `/reference`; `assessedOn` must not be in the future and `validUntil` must be after it. Then the User of every open or deferred case naming the provider is emailed the outcome (SEC G10.8), and SECAS and the SSC are alerted when it is Deferred or Rejected; the audit entry lists the cases told.',
            examples: {
              assessment: {
                reference: 'USAR-2026-014',
                assessedOn: '2026-03-02',
                assuranceStatus: 'Approved',
                validUntil: '2027-03-01',
                officer: 'Sam Okafor',
              },
            },
          },
          answer: { status: 201, description: 'Recorded, and the Users told.', body: providerView, headers: location },
          problems: { 404: ['not-found'], 409: ['conflict'] },
        },
      ],
    },
    // The provider (Get, then Put with the reference's item in one transaction), the cases under its partition (Query)
    // and each case (GetItem).
    uses: { table: ['GetItem', 'Query', 'PutItem'], mail: true },
    settings: ['recipients'],
    timeoutSeconds: 30,
  },
  ReadSscMembers: {
    entry: 'functions/api/read-ssc-members.ts',
    description: 'SECAS reads the register of SSC members and their Alternates, with its audit trails',
    trigger: {
      kind: 'http',
      routes: [
        {
          method: 'GET',
          path: '/ssc-members',
          access: 'secas',
          answer: { status: 200, description: 'The current members by name, and the former ones.', body: { name: 'MemberList', schema: MemberList } },
        },
        {
          operationId: 'GetSscMember',
          method: 'GET',
          path: '/ssc-members/{memberId}',
          access: 'secas',
          answer: { status: 200, description: 'The member.', body: memberView },
          problems: { 404: ['not-found'] },
        },
      ],
    },
    uses: { table: ['GetItem', 'Query'] },
    timeoutSeconds: 10,
  },
  ChangeSscMembers: {
    entry: 'functions/api/change-ssc-members.ts',
    description: "SECAS keeps the register of SSC members: adds a member, appoints or removes a member's Alternate, removes a member",
    trigger: {
      kind: 'http',
      routes: [
        {
          operationId: 'AddSscMember',
          method: 'POST',
          path: '/ssc-members',
          access: 'secas',
          request: {
            json: AddMemberRequest,
            description:
              "Adds an SSC member: from then on the SSC's decision emails go to each member and Alternate (not the SSC mailbox), each with links bound to that person. An address already in the register (a member's or an Alternate's) is a 422 at `/email`.",
            examples: { member: { name: 'Priya Shah', email: 'priya.shah@ssc.example.org', officer: 'Sam Okafor' } },
          },
          answer: { status: 201, description: 'Added; the member id is new.', body: memberView, headers: location },
        },
        {
          operationId: 'AppointSscAlternate',
          method: 'POST',
          path: '/ssc-members/{memberId}/alternate',
          access: 'secas',
          request: {
            json: AppointAlternateRequest,
            description: "Appoints the member's Alternate, replacing any other: the links emailed to the Alternate it replaces stop working.",
            examples: { alternate: { name: 'Tom Reid', email: 'tom.reid@ssc.example.org', officer: 'Sam Okafor' } },
          },
          answer: { status: 200, description: 'Appointed.', body: memberView },
          problems: { 404: ['not-found'], 409: ['conflict'] },
        },
        {
          operationId: 'RemoveSscAlternate',
          method: 'POST',
          path: '/ssc-members/{memberId}/alternate/removal',
          access: 'secas',
          request: {
            json: MemberRemovalRequest,
            description: "Removes the member's Alternate: the Alternate's links stop working. A member without one is a 409.",
          },
          answer: { status: 200, description: 'Removed.', body: memberView },
          problems: { 404: ['not-found'], 409: ['conflict'] },
        },
        {
          operationId: 'RemoveSscMember',
          method: 'POST',
          path: '/ssc-members/{memberId}/removal',
          access: 'secas',
          request: {
            json: MemberRemovalRequest,
            description:
              'Removes the member and their Alternate from the register: their links stop working (a clear page, nothing decided). The record stays, with its audit trail.',
          },
          answer: { status: 200, description: 'Removed.', body: memberView },
          problems: { 404: ['not-found'], 409: ['conflict'] },
        },
      ],
    },
    // The register (one Query of its partition: an address is held once), the member (GetItem), the write (PutItem).
    uses: { table: ['GetItem', 'Query', 'PutItem'] },
    timeoutSeconds: 10,
  },
  OpenApiDocument: {
    entry: 'functions/api/openapi.ts',
    description: "The API's OpenAPI 3.1 description",
    trigger: { kind: 'http', routes: [{ method: 'ANY', path: '/openapi.json', access: 'public', answer: { status: 200, description: 'This document.' } }] },
    uses: {},
    settings: ['TOKEN_ENDPOINT'],
    timeoutSeconds: 10,
  },

  SendCaseEmail: {
    entry: 'functions/workflow/send-case-email.ts',
    description: 'SscTriageWorkflow task: sends one of the case emails and records it',
    trigger: { kind: 'workflow-task' },
    // Query: the register of SSC members, for the messages that go to the SSC too.
    uses: { table: ['GetItem', 'UpdateItem', 'PutItem', 'Query'], mail: true },
    settings: ['recipients'],
  },
  ManageDeadline: {
    entry: 'functions/workflow/manage-deadline.ts',
    description: "SscTriageWorkflow task: sets a wait's deadline, and sends its reminder, escalation or overdue notice",
    trigger: { kind: 'workflow-task' },
    // Query: the register of SSC members, whose reminders go to each member and Alternate.
    uses: { table: ['GetItem', 'Query', 'UpdateItem', 'PutItem'], mail: true, linkKeyring: true },
    settings: ['recipients', 'deadlines', 'meetings', 'PUBLIC_BASE_URL'],
  },
  RequestSscDecision: {
    entry: 'functions/workflow/request-ssc-decision.ts',
    description: "SscTriageWorkflow task: opens the SSC's decision links and emails the SSC",
    trigger: { kind: 'workflow-task' },
    // PutItem: the decision link's item. A wait a person resolved between checkpoints is resumed (SendTaskSuccess); a
    // withdrawn case ends the wait by the task's own error, never SendTaskFailure.
    uses: { table: ['GetItem', 'Query', 'UpdateItem', 'PutItem'], mail: true, linkKeyring: true, workflow: ['SendTaskSuccess'] },
    settings: ['SSC_ADDRESSES', 'PUBLIC_BASE_URL'],
  },
  AskUserForInformation: {
    entry: 'functions/workflow/ask-user-for-information.ts',
    description: "SscTriageWorkflow task: emails the User the SSC's question and waits for the answer",
    trigger: { kind: 'workflow-task' },
    uses: { table: ['GetItem', 'UpdateItem', 'PutItem'], mail: true, workflow: ['SendTaskSuccess'] },
  },
  AwaitAssessmentRecord: {
    entry: 'functions/workflow/await-assessment-record.ts',
    description: "SscTriageWorkflow task: asks SECAS for the assessment's date or outcome and waits for it",
    trigger: { kind: 'workflow-task' },
    // PutItem: the assessment link's item.
    uses: { table: ['GetItem', 'UpdateItem', 'PutItem'], mail: true, linkKeyring: true, workflow: ['SendTaskSuccess'] },
    settings: ['recipients', 'PUBLIC_BASE_URL'],
  },
  ScheduleAnnualReviewReminder: {
    entry: 'functions/workflow/schedule-annual-review-reminder.ts',
    description: "SscTriageWorkflow task: leaves a deferred case's annual-review reminder to a one-time schedule",
    trigger: { kind: 'workflow-task' },
    uses: { table: ['GetItem', 'UpdateItem', 'PutItem'], annualReviewSchedules: true },
    settings: ['deadlines'],
  },

  ResumeUnstartedCases: {
    entry: 'functions/scheduled/resume-unstarted-cases.ts',
    description: 'Starts the workflow of any case stored without one',
    trigger: { kind: 'every', minutes: 5 },
    // Appends to a case only while it has just been filed, whose history is never long enough to move to a page: no PutItem.
    // GetItem: the case's chain head, read before each append (cases-repository.ts writeChained).
    uses: { table: ['GetItem', 'UpdateItem'], indexes: ['CasesByStatus'], workflow: ['StartExecution', 'DescribeExecution'] },
    timeoutSeconds: 120,
    runbook: { row: 'Case not started', deadLetter: 'A sweep for cases stored without a workflow failed after its retries.' },
  },
  PublishCaseGauges: {
    entry: 'functions/scheduled/publish-case-gauges.ts',
    description: "Publishes the open cases by status and the oldest waits, for SECAS's dashboard",
    trigger: { kind: 'every', minutes: 15 },
    uses: { indexes: ['CasesByStatus'] },
    settings: ['meetings'],
    runbook: { row: 'Function errors', deadLetter: "A reading of the open cases for SECAS's dashboard failed after its retries." },
  },
  AnchorCaseHistories: {
    entry: 'functions/scheduled/anchor-case-histories.ts',
    description: "Anchors every case's history chain head outside the table, once a day (an S3 object under Object Lock)",
    trigger: { kind: 'every', minutes: 24 * 60 },
    // Reads cases through the status index (whole items), and a long case's history pages (GetItem); the latest anchor,
    // each case held to its head there; a case it held that the index no longer finds, its disposal record (GetItem)
    // or its partition (Query); writes only the bucket.
    uses: { table: ['GetItem', 'Query'], indexes: ['CasesByStatus'], historyAnchors: ['read', 'write'] },
    timeoutSeconds: 300,
    runbook: {
      row: 'Function errors',
      deadLetter: "A day's anchor of the case histories failed after its retries: run it again (the next run anchors every case too).",
    },
  },
  SendQuarterlyReport: {
    entry: 'functions/scheduled/send-quarterly-report.ts',
    description: "Emails SECAS the last quarter's report on the first Working Day of a quarter (runs daily; other days it does nothing)",
    trigger: { kind: 'every', minutes: 24 * 60 },
    // The report's reads (as ReadServiceReport), and the quarter's record that it was sent (GetItem, then PutItem once sent).
    uses: { table: ['Query', 'GetItem', 'PutItem'], indexes: ['CasesByStatus'], mail: true },
    settings: ['SECAS_ADDRESSES'],
    timeoutSeconds: 300,
    runbook: {
      row: 'Function errors',
      deadLetter:
        "A quarter's report could not be sent after its retries: run SendQuarterlyReport again that day, or read GET /reports for the quarter and send it.",
    },
  },
  EraseExpiredPersonalData: {
    entry: 'functions/scheduled/erase-expired-personal-data.ts',
    description:
      "Erases each class of personal data past its retention period from ended cases, keeping their chains verifiable; disposes of those past the decision record's, once verified against the latest anchor, leaving a disposal record (daily)",
    trigger: { kind: 'every', minutes: 24 * 60 },
    // Query: the ended cases through CasesByStatus, then each due case's partition; GetItem: SECAS's schedule, and the
    // case item before its chained write; UpdateItem: history pages and the case item; PutItem: questions and answers;
    // PutItem and DeleteItem: a delivery problem moved to the key its address's digest names.
    // Disposal: the latest anchor read (historyAnchors 'read': list and get) to verify the case against; PutItem: its
    // disposal record; DeleteItem: every item of its partition, its entry under its provider, and the case item last.
    // The anchors, read: also a case stored without a salt, verified against the latest before its chain is re-based on
    // one (UpdateItem: its pages too).
    uses: { table: ['Query', 'GetItem', 'UpdateItem', 'PutItem', 'DeleteItem'], indexes: ['CasesByStatus'], historyAnchors: ['read'] },
    settings: ['RETENTION_SCHEDULE'],
    timeoutSeconds: 300,
    runbook: {
      row: 'Function errors',
      deadLetter: "A day's erasure of personal data past its retention failed after its retries: the next day's run erases what is due then too.",
    },
  },
  SendMeetingPapers: {
    entry: 'functions/scheduled/send-meeting-papers.ts',
    description: "Sends the SSC and SECAS each meeting's papers at its paper deadline (09:00 UK time), once",
    // Hourly: a rule's cron is in UTC, and 09:00 in London moves with the season; the run sends only on a paper deadline.
    trigger: { kind: 'every', minutes: 60 },
    // PutItem, UpdateItem and DeleteItem: the meeting's once-only claim, marked sent, or given back when the send fails;
    // GetItem: each open decision request's expiry, to sign its link; Query: the register of SSC members, each sent their own papers.
    uses: { table: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query'], indexes: ['CasesByStatus'], mail: true, linkKeyring: true },
    settings: ['recipients', 'meetings', 'PUBLIC_BASE_URL'],
    // Well under the claim's staleness (cases-repository.ts PAPERS_CLAIM_STALE_MS), so no run takes over a live one.
    timeoutSeconds: 120,
    runbook: {
      row: 'Meeting papers unsent',
      deadLetter: "A run of the SSC's meeting papers failed after its retries: the next hourly run sends them (the claim was given back).",
    },
  },
  RemindOfAnnualReview: {
    entry: 'functions/scheduled/remind-of-annual-review.ts',
    description: 'Reminds the User and SECAS of the annual review a case was deferred to, and closes the case (invoked by its schedule)',
    trigger: { kind: 'annual-review-schedule' },
    uses: { table: ['GetItem', 'UpdateItem', 'PutItem'], mail: true },
    settings: ['recipients'],
    runbook: {
      row: 'Annual review reminder undelivered',
      deadLetter: "A deferred case's annual-review reminder could not be given: the case is still DeferredToAnnualReview.",
    },
  },
  AlertSecasOfWorkflowFault: {
    entry: 'functions/events/alert-secas-of-workflow-fault.ts',
    description: 'Records a stopped case workflow on the case and emails SECAS how to recover it',
    trigger: { kind: 'workflow-status', statuses: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
    uses: { table: ['GetItem', 'UpdateItem', 'PutItem'], mail: true, workflow: ['GetExecutionHistory'] },
    settings: ['recipients'],
    runbook: { row: 'Fault alert failing', deadLetter: 'A workflow fault could not be recorded on its case or mailed to SECAS.' },
  },
  RecordWorkflowRedrive: {
    entry: 'functions/events/record-workflow-redrive.ts',
    description: 'Records on the case that its stopped workflow was redriven',
    trigger: { kind: 'workflow-status', statuses: ['RUNNING'], redriven: true },
    uses: { table: ['GetItem', 'UpdateItem'] },
    runbook: { row: 'Redrive unrecorded', deadLetter: "A redrive of a case's workflow could not be recorded on the case." },
  },
  RecordDeliveryProblem: {
    entry: 'functions/events/record-delivery-problem.ts',
    description: 'Records an email that bounced, was rejected, delayed or marked as spam on its case; tells SECAS of a notice that did not arrive',
    trigger: { kind: 'email-events', detailTypes: ['Email Bounced', 'Email Rejected', 'Email Complaint Received', 'Email Delivery Delayed'] },
    // Query: the register of SSC members, whose addresses are the SSC's too.
    uses: { table: ['GetItem', 'PutItem', 'UpdateItem', 'Query'], mail: true },
    settings: ['recipients'],
    runbook: {
      row: 'Delivery problem unrecorded',
      deadLetter: "SES's report of an email that bounced or was rejected could not be recorded on its case.",
    },
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof catalogue;
export const functionNames = Object.keys(catalogue) as FunctionName[];
export const specOf = (name: FunctionName): FunctionSpec => catalogue[name];

/**
 * What the SscTriageWorkflow's ASL does itself through direct service integrations: invokes its
 * task functions, and writes case items (the transitions recorded without a Lambda).
 */
export const workflowUses = { table: ['UpdateItem', 'PutItem'] } as const satisfies Uses;

/**
 * The settings a function is given: those naming the resources its `uses` reach, and those it
 * asks for. The stack writes exactly these into its environment; the sandbox lets it see only these.
 */
export const settingsOf = (spec: FunctionSpec): SettingName[] => {
  const { uses } = spec;
  const names = new Set<SettingName>();
  if (uses.table?.length || uses.indexes?.length) names.add('TABLE_NAME');
  if (uses.linkKeyring) for (const name of ['LINK_KEYRING_SECRET_ID', 'LINK_KEYRING_CACHE_SECONDS'] as const) names.add(name);
  if (uses.mail) for (const name of ['SENDER_ADDRESS', 'SES_CONFIGURATION_SET'] as const) names.add(name);
  if (uses.workflow?.some((action) => action === 'StartExecution' || action === 'DescribeExecution')) names.add('STATE_MACHINE_ARN');
  if (uses.historyAnchors) names.add('HISTORY_ANCHOR_BUCKET');
  if (uses.accessTokenKey?.length) names.add('ACCESS_TOKEN_KEY_ID');
  if (uses.annualReviewSchedules)
    for (const name of [
      'ANNUAL_REVIEW_SCHEDULE_GROUP',
      'ANNUAL_REVIEW_REMINDER_ARN',
      'ANNUAL_REVIEW_SCHEDULER_ROLE_ARN',
      'ANNUAL_REVIEW_DEAD_LETTER_ARN',
    ] as const)
      names.add(name);
  for (const entry of spec.settings ?? []) {
    const group = (settingGroups as Record<string, readonly SettingName[]>)[entry];
    for (const name of group ?? [entry as SettingName]) names.add(name);
  }
  return [...names].sort();
};

const namesOfKind = <K extends Trigger['kind']>(kind: K) => functionNames.filter((name) => specOf(name).trigger.kind === kind);

/** Every API route, with the function behind it, in catalogue order. */
export const routes: Route[] = namesOfKind('http').flatMap((name) => {
  const trigger = specOf(name).trigger as Extract<Trigger, { kind: 'http' }>;
  return trigger.routes.map((route) => ({ ...route, name, entry: specOf(name).entry }));
});

type NamesOfKind<K extends Trigger['kind']> = { [N in FunctionName]: (typeof catalogue)[N]['trigger']['kind'] extends K ? N : never }[FunctionName];

export type WorkflowTaskName = NamesOfKind<'workflow-task'>;
export const workflowTaskNames = namesOfKind('workflow-task') as WorkflowTaskName[];
export const substitutionFor = (task: WorkflowTaskName): string => `${task}FunctionArn`;

export type ScheduledTaskName = NamesOfKind<'every'>;
export const scheduledTaskNames = namesOfKind('every') as ScheduledTaskName[];

/** The functions a trigger of this kind starts, with its parameters. */
export const triggeredBy = <K extends Trigger['kind']>(kind: K): Array<{ name: FunctionName; spec: FunctionSpec; trigger: Extract<Trigger, { kind: K }> }> =>
  namesOfKind(kind).map((name) => ({ name, spec: specOf(name), trigger: specOf(name).trigger as Extract<Trigger, { kind: K }> }));
