import { type SettingName, settingGroups } from './adapters/config';
import type { notificationsTableDesign } from './adapters/table-design';
import { scopes } from './domain/caller';
import type { ProblemSlug } from './domain/problem';

/**
 * Every Lambda of the product, declared once: what starts it, what it may call, and what it is
 * told. The stateless stack builds a function, its triggers, its grants and its environment from
 * each entry; the sandbox invokes the same entry files, on the same triggers, giving each exactly
 * that environment; the OpenAPI document is generated from the routes; the permission test holds
 * every AWS call the suite records against the grants derived from `uses`. Adding a function, a
 * route or a setting is an edit here and in its own handler and use case, nowhere else.
 */

/** ANY: one function answers every method (it refuses those it does not serve with a 405). */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'ANY';

/**
 * Who may call a route. 'user': a SEC User's machine client only; 'user-or-secas': a User (its own
 * cases) or SECAS (every User's); 'secas': SECAS only; 'signed-link': an HMAC-signed link is the
 * credential (no login): the SSC's decision links, SECAS's assessment links; 'public': anyone
 * (the API's own description).
 */
export type Access = 'user' | 'user-or-secas' | 'secas' | 'signed-link' | 'public';

export interface RouteSpec {
  method: HttpMethod;
  /** API Gateway route path, with {parameters}. */
  path: string;
  access: Access;
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
 * writer that appends to a case's history may move its older events to a history page of their
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
  /** Creates a deferred case's one-time annual-review schedule (and passes the schedules' role). */
  annualReviewSchedules?: true;
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
  /** The SscTriageWorkflow's "Execution Status Change" events of these statuses. */
  | { kind: 'workflow-status'; statuses: Array<'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED'> }
  /** SES's events about sent emails, of these detail types (the configuration set publishes them to EventBridge). */
  | { kind: 'email-events'; detailTypes: string[] };

export interface FunctionSpec {
  entry: string;
  description: string;
  trigger: Trigger;
  uses: Uses;
  /** Settings it reads beyond those its `uses` imply: single settings, or groups of them. */
  settings?: Array<SettingName | keyof typeof settingGroups>;
  timeoutSeconds?: number;
}

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
          problems: { 400: ['invalid-idempotency-key'], 409: ['idempotency-key-reused', 'request-in-progress'] },
        },
      ],
    },
    // The reference counter (Update), the case (Put) and Powertools' idempotency records, in the same table: Put, Update,
    // and Delete when the filing fails. No GetItem: Powertools reads an existing record only when a refused Put does not
    // return it, and DynamoDB returns it (ReturnValuesOnConditionCheckFailure).
    uses: { table: ['PutItem', 'UpdateItem', 'DeleteItem'], workflow: ['StartExecution'] },
    settings: ['meetings'],
    timeoutSeconds: 10,
  },
  ListNotifications: {
    entry: 'functions/api/list-notifications.ts',
    description: "Lists a User's cases, or SECAS's view of every User's",
    trigger: {
      kind: 'http',
      routes: [
        { method: 'GET', path: '/notifications', access: 'user-or-secas', problems: { 400: ['filter-required', 'invalid-cursor'], 422: ['validation'] } },
      ],
    },
    uses: { indexes: ['CasesByOwner', 'CasesByStatus'] },
    timeoutSeconds: 10,
  },
  GetNotification: {
    entry: 'functions/api/get-notification.ts',
    description: 'The case: status, deadline, decision, questions and answers, history',
    trigger: { kind: 'http', routes: [{ method: 'GET', path: '/notifications/{reference}', access: 'user-or-secas' }] },
    uses: { table: ['GetItem', 'Query'] },
    timeoutSeconds: 10,
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
    trigger: { kind: 'http', routes: [{ method: 'POST', path: '/decisions/{decisionId}', access: 'signed-link' }] },
    uses: { table: ['GetItem', 'Query', 'UpdateItem', 'PutItem'], linkKeyring: true, workflow: ['SendTaskSuccess'] },
    timeoutSeconds: 10,
  },
  AnswerInformationRequest: {
    entry: 'functions/api/answer-information-request.ts',
    description: "Takes the User's answer to the SSC's question",
    trigger: { kind: 'http', routes: [{ method: 'POST', path: '/notifications/{reference}/information', access: 'user' }] },
    uses: { table: ['GetItem', 'UpdateItem', 'PutItem'], workflow: ['SendTaskSuccess'] },
    timeoutSeconds: 10,
  },
  WithdrawNotification: {
    entry: 'functions/api/withdraw-notification.ts',
    description: 'Withdraws a notification, until the SSC decides',
    trigger: { kind: 'http', routes: [{ method: 'POST', path: '/notifications/{reference}/withdrawal', access: 'user' }] },
    uses: { table: ['GetItem', 'UpdateItem', 'PutItem'], workflow: ['SendTaskFailure'] },
    timeoutSeconds: 10,
  },
  RecordAssessment: {
    entry: 'functions/api/record-assessment.ts',
    description: "Records an ad-hoc assessment's date or outcome (SECAS's systems)",
    trigger: { kind: 'http', routes: [{ method: 'POST', path: '/notifications/{reference}/assessment', access: 'secas' }] },
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
    trigger: { kind: 'http', routes: [{ method: 'POST', path: '/assessments/{recordId}', access: 'signed-link' }] },
    uses: { table: ['GetItem', 'UpdateItem', 'PutItem'], linkKeyring: true, workflow: ['SendTaskSuccess'] },
    timeoutSeconds: 10,
  },
  OpenApiDocument: {
    entry: 'functions/api/openapi.ts',
    description: "The API's OpenAPI 3.1 description",
    trigger: { kind: 'http', routes: [{ method: 'ANY', path: '/openapi.json', access: 'public' }] },
    uses: {},
    settings: ['TOKEN_ENDPOINT'],
    timeoutSeconds: 10,
  },

  SendCaseEmail: {
    entry: 'functions/workflow/send-case-email.ts',
    description: 'SscTriageWorkflow task: sends one of the case emails and records it',
    trigger: { kind: 'workflow-task' },
    uses: { table: ['GetItem', 'UpdateItem', 'PutItem'], mail: true },
    settings: ['recipients'],
  },
  ManageDeadline: {
    entry: 'functions/workflow/manage-deadline.ts',
    description: "SscTriageWorkflow task: sets a wait's deadline, and sends its reminder, escalation or overdue notice",
    trigger: { kind: 'workflow-task' },
    uses: { table: ['GetItem', 'UpdateItem', 'PutItem'], mail: true, linkKeyring: true },
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
    uses: { table: ['UpdateItem', 'PutItem'], mail: true, workflow: ['SendTaskSuccess'] },
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
    uses: { table: ['UpdateItem'], indexes: ['CasesByStatus'], workflow: ['StartExecution', 'DescribeExecution'] },
    timeoutSeconds: 120,
  },
  PublishCaseGauges: {
    entry: 'functions/scheduled/publish-case-gauges.ts',
    description: "Publishes the open cases by status and the oldest waits, for SECAS's dashboard",
    trigger: { kind: 'every', minutes: 15 },
    uses: { indexes: ['CasesByStatus'] },
    settings: ['meetings'],
  },
  RemindOfAnnualReview: {
    entry: 'functions/scheduled/remind-of-annual-review.ts',
    description: 'Reminds the User and SECAS of the annual review a case was deferred to, and closes the case (invoked by its schedule)',
    trigger: { kind: 'annual-review-schedule' },
    uses: { table: ['GetItem', 'UpdateItem', 'PutItem'], mail: true },
    settings: ['recipients'],
  },
  AlertSecasOfWorkflowFault: {
    entry: 'functions/events/alert-secas-of-workflow-fault.ts',
    description: 'Records a stopped case workflow on the case and emails SECAS how to recover it',
    trigger: { kind: 'workflow-status', statuses: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
    uses: { table: ['GetItem', 'UpdateItem', 'PutItem'], mail: true, workflow: ['GetExecutionHistory'] },
    settings: ['recipients'],
  },
  RecordDeliveryProblem: {
    entry: 'functions/events/record-delivery-problem.ts',
    description: 'Records an email that bounced, was rejected, delayed or marked as spam on its case; tells SECAS of a notice that did not arrive',
    trigger: { kind: 'email-events', detailTypes: ['Email Bounced', 'Email Rejected', 'Email Complaint Received', 'Email Delivery Delayed'] },
    uses: { table: ['GetItem', 'PutItem', 'UpdateItem'], mail: true },
    settings: ['recipients'],
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
