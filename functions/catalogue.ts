/**
 * Every Lambda of the product, in one place: the CDK stack builds a function for each entry,
 * and the local sandbox imports the same entry files. Routes map HTTP API routes to handlers;
 * workflow tasks are what the SscTriageWorkflow's ASL invokes, through the definition
 * substitution `${<name>FunctionArn}`.
 */
/** ANY: one function answers every method (it refuses those it does not serve with a 405). */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'ANY';

export interface Route {
  /** The function's name in SEC terms; also its construct id. */
  name: string;
  method: HttpMethod;
  /** API Gateway route path, with {parameters}. */
  path: string;
  entry: string;
  /**
   * Who may call it. 'user': a SEC User's machine client only; 'user-or-secas': a User (its own
   * cases) or SECAS (every User's); 'secas': SECAS only; 'signed-link': an HMAC-signed link is
   * the credential (no login): the SSC's decision links, SECAS's assessment links; 'public':
   * anyone (the API's own description).
   */
  access: 'user' | 'user-or-secas' | 'secas' | 'signed-link' | 'public';
}

/**
 * The OAuth 2.0 scopes of the Users' and SECAS's machine clients (a Cognito resource server in
 * AWS, the sandbox's token issuer locally). API Gateway admits a token carrying any one of a
 * route's scopes; the handlers then tell a User from SECAS by the same scopes.
 */
export const RESOURCE_SERVER = 'second-user-system';
export const scopes = { user: `${RESOURCE_SERVER}/user`, secas: `${RESOURCE_SERVER}/secas` } as const;

export const routeScopes = (route: Route): string[] => {
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

export const routes: Route[] = [
  { name: 'SubmitNotification', method: 'POST', path: '/notifications', entry: 'functions/api/submit-notification.ts', access: 'user' },
  { name: 'ListNotifications', method: 'GET', path: '/notifications', entry: 'functions/api/list-notifications.ts', access: 'user-or-secas' },
  { name: 'GetNotification', method: 'GET', path: '/notifications/{reference}', entry: 'functions/api/get-notification.ts', access: 'user-or-secas' },
  { name: 'DecisionPage', method: 'GET', path: '/decisions/{decisionId}', entry: 'functions/api/decision-page.ts', access: 'signed-link' },
  { name: 'DecisionPage', method: 'HEAD', path: '/decisions/{decisionId}', entry: 'functions/api/decision-page.ts', access: 'signed-link' },
  { name: 'TakeDecision', method: 'POST', path: '/decisions/{decisionId}', entry: 'functions/api/take-decision.ts', access: 'signed-link' },
  {
    name: 'AnswerInformationRequest',
    method: 'POST',
    path: '/notifications/{reference}/information',
    entry: 'functions/api/answer-information-request.ts',
    access: 'user',
  },
  {
    name: 'WithdrawNotification',
    method: 'POST',
    path: '/notifications/{reference}/withdrawal',
    entry: 'functions/api/withdraw-notification.ts',
    access: 'user',
  },
  { name: 'RecordAssessment', method: 'POST', path: '/notifications/{reference}/assessment', entry: 'functions/api/record-assessment.ts', access: 'secas' },
  { name: 'AssessmentRecordForm', method: 'GET', path: '/assessments/{recordId}', entry: 'functions/api/assessment-record-form.ts', access: 'signed-link' },
  { name: 'AssessmentRecordForm', method: 'HEAD', path: '/assessments/{recordId}', entry: 'functions/api/assessment-record-form.ts', access: 'signed-link' },
  {
    name: 'SubmitAssessmentRecord',
    method: 'POST',
    path: '/assessments/{recordId}',
    entry: 'functions/api/submit-assessment-record.ts',
    access: 'signed-link',
  },
  { name: 'OpenApiDocument', method: 'ANY', path: '/openapi.json', entry: 'functions/api/openapi.ts', access: 'public' },
];

export const workflowTasks = {
  SendCaseEmail: 'functions/workflow/send-case-email.ts',
  ManageDeadline: 'functions/workflow/manage-deadline.ts',
  RequestSscDecision: 'functions/workflow/request-ssc-decision.ts',
  AskUserForInformation: 'functions/workflow/ask-user-for-information.ts',
  AwaitAssessmentRecord: 'functions/workflow/await-assessment-record.ts',
  ScheduleAnnualReviewReminder: 'functions/workflow/schedule-annual-review-reminder.ts',
} as const;
export type WorkflowTaskName = keyof typeof workflowTasks;

export const substitutionFor = (task: WorkflowTaskName): string => `${task}FunctionArn`;

/** Lambdas run on a schedule: an EventBridge rule in AWS, a timer in the sandbox. */
export const scheduledTasks = {
  /** Starts the workflow of any case stored without one (see use-cases/submit-notification.ts). */
  ResumeUnstartedCases: { entry: 'functions/scheduled/resume-unstarted-cases.ts', everyMinutes: 5 },
  /** Publishes the open cases by status and the oldest waits, for SECAS's dashboard (see use-cases/case-gauges.ts). */
  PublishCaseGauges: { entry: 'functions/scheduled/publish-case-gauges.ts', everyMinutes: 15 },
} as const;
export type ScheduledTaskName = keyof typeof scheduledTasks;

/**
 * Lambdas invoked by the one-time EventBridge Scheduler schedules the workflow leaves behind (the
 * sandbox's local Scheduler locally): a deferred case's annual-review reminder.
 */
export const scheduleTargets = {
  RemindOfAnnualReview: { entry: 'functions/scheduled/remind-of-annual-review.ts' },
} as const;

/**
 * Lambdas invoked on the SscTriageWorkflow's "Execution Status Change" events: an EventBridge
 * rule in AWS, the local runtime's own notification in the sandbox.
 */
export const workflowEventHandlers = {
  AlertSecasOfWorkflowFault: { entry: 'functions/events/alert-secas-of-workflow-fault.ts', statuses: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
} as const;

/**
 * Lambdas invoked on SES's events about sent emails (the configuration set publishes them to
 * EventBridge in AWS; the sandbox's SES front plays SES's mailbox simulator locally).
 */
export const emailEventHandlers = {
  RecordDeliveryProblem: {
    entry: 'functions/events/record-delivery-problem.ts',
    detailTypes: ['Email Bounced', 'Email Rejected', 'Email Complaint Received', 'Email Delivery Delayed'],
  },
} as const;
