/**
 * What the product costs a month on AWS, at list price, before (one Cognito app client per SEC
 * User) and after (issue 18: the API's own token endpoint, one KMS signing key, a Lambda
 * authorizer, Users as register items). Pure: the counts of what is deployed come from the
 * synthesized templates (`inventoryOf`), what a case does from the bench's measurements, and
 * every price from the constants below; `npm run bench` prints it, test/infra/cost-model.test.ts
 * holds its arithmetic. Free tiers are left out throughout (they belong to the account, not to
 * this product).
 */

/** A list price as published, where it was read, and how sure the figure is for Europe (London). */
export interface Price {
  usd: number;
  unit: string;
  source: string;
  read: string;
  /** London (eu-west-2) confirmed, or what was assumed and why. */
  london: string;
}

const READ = '2026-12-06';

export const CLOUDWATCH_ALARM_METRIC: Price = {
  usd: 0.1,
  unit: 'standard-resolution alarm metric a month (a metric-math alarm pays for each metric it reads)',
  source: 'https://aws.amazon.com/cloudwatch/pricing/ (as summarised by https://c3x.dev/resources/aws/aws_cloudwatch_metric_alarm)',
  read: READ,
  london: 'not confirmed: the regional table could not be read; assumed equal to us-east-1',
};
export const CLOUDWATCH_DASHBOARD: Price = {
  usd: 3,
  unit: 'dashboard a month',
  source:
    'https://aws.amazon.com/cloudwatch/pricing/ (as summarised by https://www.factualminds.com/blog/amazon-cloudwatch-pricing-metrics-logs-alarms-dashboards/)',
  read: READ,
  london: 'not confirmed; assumed equal to us-east-1',
};
export const CLOUDWATCH_CUSTOM_METRIC: Price = {
  usd: 0.3,
  unit: 'custom metric a month (first 10,000; prorated by the hour it receives data)',
  source: 'https://aws.amazon.com/cloudwatch/pricing/ (as summarised by https://cloudcostkit.com/guides/aws-cloudwatch-metrics-pricing)',
  read: READ,
  london: 'not confirmed; assumed equal to us-east-1',
};
export const KMS_KEY: Price = {
  usd: 1,
  unit: 'customer managed key a month, symmetric or asymmetric alike (a yearly-rotated key adds $1 at each of its first two rotations)',
  source:
    'https://aws.amazon.com/kms/pricing/ ("each newly generated backing key costs an additional $1/month"; the cap after two rotations since May 2024 per https://cloudburn.io/blog/aws-kms-pricing)',
  read: READ,
  london: 'the page states one price for every key type and Region',
};
export const KMS_ASYMMETRIC_REQUEST: Price = {
  usd: 0.15 / 10_000,
  unit: 'asymmetric request (Sign, GetPublicKey on an ECC_NIST_P256 key), excluded from the free tier',
  source:
    'https://aws.amazon.com/kms/pricing/ ("requests to APIs such as Sign, Verify, Encrypt, Decrypt, and GetPublicKey that reference asymmetric KMS keys" are outside the free tier, quoted at https://laboratory.kazuuu.net/i-thought-i-was-using-aws-key-management-service-under-the-free-usage-limit-but-i-am-being-charged-for-it/); $0.15 per 10,000, 5× the symmetric rate, per https://www.factualminds.com/blog/aws-kms-pricing-keys-requests-multi-region/',
  read: READ,
  london: 'the $0.15 figure is the us-east-1 rate as quoted; KMS request prices were not found to differ by Region',
};
export const SECRETS_MANAGER_SECRET: Price = {
  usd: 0.4,
  unit: 'secret a month',
  source:
    'https://aws.amazon.com/secrets-manager/pricing/ (as given by https://hivebook.wiki/wiki/aws-secrets-manager-rotated-secrets-dynamic-db-credentials-kms)',
  read: READ,
  london: 'not confirmed; assumed equal to us-east-1',
};
export const COGNITO_M2M_APP_CLIENT: Price = {
  usd: 6,
  unit: 'app client with the client-credentials grant a month (tier up to 100 clients; higher tiers not found)',
  source:
    'https://aws.amazon.com/cognito/pricing/ (M2M pricing from 2024-07-09, as given by https://dev.classmethod.jp/articles/amazon-cognito-tiered-pricing-m2m-usage and https://www.rhythmictech.com/blog/the-aws-cognito-m2m-bill-has-come-due-what-you-need-to-know/)',
  read: READ,
  london:
    'not confirmed for London. Caution: the current AWS guide (https://docs.aws.amazon.com/cognito/latest/developerguide/tracking-cost.html, .md version) lists M2M "request volume" only, no longer "active app clients"; if AWS dropped the per-client fee, the before column overstates by this line',
};
export const COGNITO_M2M_TOKEN_REQUEST: Price = {
  usd: 2.25 / 1000,
  unit: 'successful client-credentials token request (first 250,000 a month)',
  source: 'https://aws.amazon.com/cognito/pricing/ (as given by https://cur.vantage-api.com/aws/amazoncognito/user-pools-m2m/cupm2mtokenrequestsfull)',
  read: READ,
  london: 'not confirmed; assumed equal to us-east-1',
};
export const HTTP_API_REQUEST: Price = {
  usd: 1 / 1_000_000,
  unit: 'HTTP API request (first 300 million a month, metered per 512 KB)',
  source:
    'https://aws.amazon.com/api-gateway/pricing/ (us-east-1 figure per https://docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html)',
  read: READ,
  london: 'not confirmed: London may be a little higher; assumed equal to us-east-1',
};
export const LAMBDA_REQUEST: Price = {
  usd: 0.2 / 1_000_000,
  unit: 'Lambda invocation',
  source: 'https://aws.amazon.com/lambda/pricing/',
  read: READ,
  london: 'not confirmed (the regional table renders as tokens); assumed equal to us-east-1',
};
export const LAMBDA_ARM_GB_SECOND: Price = {
  usd: 0.0000133334,
  unit: 'GB-second on arm64 (first 7.5 billion a month)',
  source: 'https://aws.amazon.com/lambda/pricing/ (us-east-1 figure per https://cloudchipr.com/blog/aws-lambda-pricing)',
  read: READ,
  london: 'not confirmed; assumed equal to us-east-1',
};
export const STEP_FUNCTIONS_TRANSITION: Price = {
  usd: 0.025 / 1000,
  unit: 'Standard workflow state transition',
  source: 'https://aws.amazon.com/step-functions/pricing/',
  read: READ,
  london: 'confirmed: Europe (London) $0.0250 per 1,000 in the regional table',
};
export const DYNAMODB_WRITE_REQUEST_UNIT: Price = {
  usd: 0.7425 / 1_000_000,
  unit: 'on-demand write request unit (1 KB; a transactional write 2)',
  source:
    'https://aws.amazon.com/dynamodb/pricing/on-demand/ (the 50% on-demand cut of 1 November 2024 "applied automatically to all regions", us-east-1 now $0.625, per https://www.jusdb.com/blog/dynamodb-cost-optimization-a-comprehensive-guide-by-jusdb and https://airbyte.com/data-engineering-resources/dynamodb-pricing)',
  read: READ,
  london: "not confirmed: London's earlier $1.4846 per million (as remembered, not re-read) halved by the cut",
};
export const DYNAMODB_READ_REQUEST_UNIT: Price = {
  usd: 0.1485 / 1_000_000,
  unit: 'on-demand read request unit (4 KB strongly consistent; eventually consistent half)',
  source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (us-east-1 now $0.125 after the same cut, same pages)',
  read: READ,
  london: "not confirmed: London's earlier $0.297 per million (as remembered, not re-read) halved by the cut",
};
export const SES_EMAIL: Price = {
  usd: 0.1 / 1000,
  unit: 'email sent',
  source: 'https://aws.amazon.com/ses/pricing/',
  read: READ,
  london: 'one price for every Region',
};

export const PRICES = {
  CLOUDWATCH_ALARM_METRIC,
  CLOUDWATCH_DASHBOARD,
  CLOUDWATCH_CUSTOM_METRIC,
  KMS_KEY,
  KMS_ASYMMETRIC_REQUEST,
  SECRETS_MANAGER_SECRET,
  COGNITO_M2M_APP_CLIENT,
  COGNITO_M2M_TOKEN_REQUEST,
  HTTP_API_REQUEST,
  LAMBDA_REQUEST,
  LAMBDA_ARM_GB_SECOND,
  STEP_FUNCTIONS_TRANSITION,
  DYNAMODB_WRITE_REQUEST_UNIT,
  DYNAMODB_READ_REQUEST_UNIT,
  SES_EMAIL,
} as const;

// ---- assumptions the templates and the bench cannot give --------------------------------------

/** Billed duration of an invocation: the bench's warm handlers take 3–15 ms; 100 ms covers cold starts and the SDK's round trips on AWS. */
export const LAMBDA_MS_ASSUMED = 100;
/** Write units per DynamoDB write call: the product's items are 1–3 KB (a case with its history the largest). */
export const WRITE_UNITS_PER_CALL = 2;
/** Read units per read call: a strongly consistent read of up to 4 KB. */
export const READ_UNITS_PER_CALL = 1;
export const HOURS_A_MONTH = 730;
const MINUTES_A_MONTH = HOURS_A_MONTH * 60;

// ---- what is deployed -------------------------------------------------------------------------

interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}
export interface CfnTemplate {
  Resources?: Record<string, CfnResource>;
}

export interface Inventory {
  alarms: number;
  /** What alarms are billed by: one a plain alarm, each metric a metric-math alarm reads. */
  alarmMetrics: number;
  dashboards: number;
  symmetricKeys: number;
  signingKeys: number;
  secrets: number;
  /** Invocations a month of each function EventBridge runs on a rate (`rate(5 minutes)`…), by the target's logical id. */
  scheduledRunsPerMonth: Record<string, number>;
  lambdaMemoryMb: number;
}

const resources = (templates: CfnTemplate[]) => templates.flatMap((t) => Object.values(t.Resources ?? {}));
const MINUTES_BY_UNIT: Record<string, number> = { minute: 1, minutes: 1, hour: 60, hours: 60, day: 1440, days: 1440 };

/** Counts the billed things in the synthesized stacks (CloudFormation JSON, e.g. `Template.toJSON()`). */
export const inventoryOf = (...templates: CfnTemplate[]): Inventory => {
  const all = resources(templates);
  const of = (type: string) => all.filter((r) => r.Type === type);
  const keys = of('AWS::KMS::Key');
  const isSigning = (k: CfnResource) => k.Properties?.KeyUsage === 'SIGN_VERIFY';
  const alarms = of('AWS::CloudWatch::Alarm');
  const metricsRead = (a: CfnResource) => {
    const metrics = a.Properties?.Metrics as Array<{ MetricStat?: unknown }> | undefined;
    return metrics ? metrics.filter((m) => m.MetricStat).length : 1;
  };
  const scheduledRunsPerMonth: Record<string, number> = {};
  for (const rule of of('AWS::Events::Rule')) {
    const rate = /^rate\((\d+) (\w+)\)$/.exec(String(rule.Properties?.ScheduleExpression ?? ''));
    if (!rate) continue;
    const targets = (rule.Properties?.Targets ?? []) as Array<{ Arn?: { 'Fn::GetAtt'?: [string, string] } }>;
    for (const target of targets)
      scheduledRunsPerMonth[target.Arn?.['Fn::GetAtt']?.[0] ?? JSON.stringify(target.Arn)] =
        MINUTES_A_MONTH / (Number(rate[1]) * (MINUTES_BY_UNIT[rate[2] as string] ?? Number.NaN));
  }
  return {
    alarms: alarms.length,
    alarmMetrics: alarms.reduce((n, a) => n + metricsRead(a), 0),
    dashboards: of('AWS::CloudWatch::Dashboard').length,
    symmetricKeys: keys.filter((k) => !isSigning(k)).length,
    signingKeys: keys.filter(isSigning).length,
    secrets: of('AWS::SecretsManager::Secret').length,
    scheduledRunsPerMonth,
    lambdaMemoryMb: Math.max(0, ...of('AWS::Lambda::Function').map((f) => Number(f.Properties?.MemorySize ?? 128))),
  };
};

// ---- the model ------------------------------------------------------------------------------------

export type Design = 'before' | 'after';

export interface LineItem {
  item: string;
  quantity: number;
  price: Price;
  usd: number;
}

/** What runs whatever the Users do, beyond the inventory: the case gauges' custom metrics and queries. */
export interface StandingWork {
  /** Custom metrics PublishCaseGauges keeps alive (one per open status, per party waited on, the calendar). */
  gaugeMetrics: number;
  /** DynamoDB queries a run of each scheduled function makes, by catalogue name (PublishCaseGauges one per open status). */
  queriesPerRun: Record<string, number>;
}

/** What one case costs to carry from filing to its end, as the bench measures it on a path. */
export interface CaseProfile {
  /** Requests the User and SECAS make to the API for it (filing, answers, records). */
  apiRequests: number;
  lambdaInvocations: number;
  transitions: number;
  emails: number;
  dynamoReads: number;
  dynamoWrites: number;
}

/** The stated load: each User files `noticesPerUserPerYear` and calls the API `callsPerUserPerMonth` more times (reads, listings), fetching a token every `callsPerToken` calls. */
export interface Load {
  noticesPerUserPerYear: number;
  callsPerUserPerMonth: number;
  callsPerToken: number;
  /** DynamoDB reads of one such call (GET: the owner's GetItem and the case file's Query). */
  readsPerCall: number;
}

export interface Facts {
  inventory: Inventory;
  standing: StandingWork;
}

const line = (item: string, quantity: number, price: Price): LineItem => ({ item, quantity, price, usd: quantity * price.usd });
const gbSeconds = (invocations: number, memoryMb: number) => (invocations * (LAMBDA_MS_ASSUMED / 1000) * memoryMb) / 1024;

/**
 * The monthly bill with nobody filing. Before: an app client for each User and one for SECAS.
 * After: no per-User item; the signing key, counted from the template once it carries one (the
 * authentication of issue 18 lands on its own branch), else the design's one key.
 */
export const atRest = (design: Design, users: number, { inventory, standing }: Facts): LineItem[] => {
  const signingKeys = design === 'after' ? Math.max(1, inventory.signingKeys) : 0;
  const runs = Object.entries(inventory.scheduledRunsPerMonth);
  const scheduled = runs.reduce((n, [, r]) => n + r, 0);
  const queriesOf = (logicalId: string) => Object.entries(standing.queriesPerRun).find(([name]) => logicalId.includes(name))?.[1] ?? 0;
  const scheduledQueries = runs.reduce((n, [id, r]) => n + r * queriesOf(id), 0);
  return [
    line(`CloudWatch alarms (${inventory.alarms}, reading ${inventory.alarmMetrics} metrics)`, inventory.alarmMetrics, CLOUDWATCH_ALARM_METRIC),
    line(`CloudWatch dashboards (${inventory.dashboards})`, inventory.dashboards, CLOUDWATCH_DASHBOARD),
    line(`Case gauges' custom metrics (${standing.gaugeMetrics})`, standing.gaugeMetrics, CLOUDWATCH_CUSTOM_METRIC),
    line(`KMS keys: table, keyring, alarm topic (${inventory.symmetricKeys}; first year)`, inventory.symmetricKeys, KMS_KEY),
    line(`Secrets Manager secret (${inventory.secrets})`, inventory.secrets, SECRETS_MANAGER_SECRET),
    line(`Scheduled runs (${Math.round(scheduled)} invocations)`, scheduled, LAMBDA_REQUEST),
    line('Scheduled runs, duration (GB-s)', gbSeconds(scheduled, inventory.lambdaMemoryMb), LAMBDA_ARM_GB_SECOND),
    line('Scheduled runs, DynamoDB queries (read units)', scheduledQueries * READ_UNITS_PER_CALL, DYNAMODB_READ_REQUEST_UNIT),
    ...(design === 'before'
      ? [line("Cognito app clients (each User's and SECAS's)", users + 1, COGNITO_M2M_APP_CLIENT)]
      : [line(`KMS signing key (${signingKeys})`, signingKeys, KMS_KEY)]),
  ];
};

/** The monthly bill under `load` for `users` Users: at rest, then the cases, the other calls and the tokens. */
export const running = (design: Design, users: number, load: Load, facts: Facts, perCase: CaseProfile): LineItem[] => {
  const memory = facts.inventory.lambdaMemoryMb;
  const cases = (users * load.noticesPerUserPerYear) / 12;
  const calls = users * load.callsPerUserPerMonth;
  const apiRequests = cases * perCase.apiRequests + calls;
  const tokens = apiRequests / load.callsPerToken;
  const lambdas = cases * perCase.lambdaInvocations + calls;
  const reads = cases * perCase.dynamoReads + calls * load.readsPerCall;
  const writes = cases * perCase.dynamoWrites;
  const work = [
    line('API requests (the cases and the other calls)', apiRequests, HTTP_API_REQUEST),
    line('Lambda invocations', lambdas, LAMBDA_REQUEST),
    line('Lambda duration (GB-s)', gbSeconds(lambdas, memory), LAMBDA_ARM_GB_SECOND),
    line('Step Functions transitions', cases * perCase.transitions, STEP_FUNCTIONS_TRANSITION),
    line('DynamoDB reads (read units)', reads * READ_UNITS_PER_CALL, DYNAMODB_READ_REQUEST_UNIT),
    line('DynamoDB writes (write units)', writes * WRITE_UNITS_PER_CALL, DYNAMODB_WRITE_REQUEST_UNIT),
    line('SES emails', cases * perCase.emails, SES_EMAIL),
  ];
  // After: a token is the token endpoint's invocation (the register's GetItem, the jti's PutItem, a
  // KMS Sign); every API request, at these rates, misses the authorizer's 300 s cache: an
  // invocation, the register's GetItem and, at worst on a cold start, KMS GetPublicKey.
  const auth =
    design === 'before'
      ? [line(`Cognito token requests (one per ${load.callsPerToken} calls)`, tokens, COGNITO_M2M_TOKEN_REQUEST)]
      : [
          line(`Token endpoint requests (one per ${load.callsPerToken} calls)`, tokens, HTTP_API_REQUEST),
          line('Token endpoint and authorizer invocations', tokens + apiRequests, LAMBDA_REQUEST),
          line('Token endpoint and authorizer duration (GB-s)', gbSeconds(tokens + apiRequests, memory), LAMBDA_ARM_GB_SECOND),
          line('Register reads (read units)', (tokens + apiRequests) * READ_UNITS_PER_CALL, DYNAMODB_READ_REQUEST_UNIT),
          line('jti writes, TTL-deleted free (write units)', tokens, DYNAMODB_WRITE_REQUEST_UNIT),
          line('KMS Sign and GetPublicKey (asymmetric requests)', tokens + apiRequests, KMS_ASYMMETRIC_REQUEST),
        ];
  return [...atRest(design, users, facts), ...work, ...auth];
};

export const total = (items: LineItem[]): number => items.reduce((sum, i) => sum + i.usd, 0);

/** The mean of the measured paths: a case as the bench's mix of paths runs it. */
export const meanProfile = (profiles: CaseProfile[]): CaseProfile => {
  const mean = (key: keyof CaseProfile) => profiles.reduce((n, p) => n + p[key], 0) / profiles.length;
  return {
    apiRequests: mean('apiRequests'),
    lambdaInvocations: mean('lambdaInvocations'),
    transitions: mean('transitions'),
    emails: mean('emails'),
    dynamoReads: mean('dynamoReads'),
    dynamoWrites: mean('dynamoWrites'),
  };
};

// ---- the service report -------------------------------------------------------------------------

/** What a service report reads: the cases received in its range, and their questions-and-answers items. */
export interface ReportReads {
  cases: number;
  /** The mean size of a case item, as DynamoDB counts it (the index projects whole items, and a Query is billed on them). */
  caseItemBytes: number;
  /** How many of them had questions, and the mean size of all of one case's question-and-answer items together. */
  casesWithQuestions: number;
  exchangeBytesPerCase: number;
  /** One Query per status the index is read in (CaseStatus: 14). */
  statuses: number;
}

const READ_UNIT_BYTES = 4096;
/** A Query returns at most 1 MB a page: each page's item sizes are summed and rounded up to 4 KB. */
const QUERY_PAGE_BYTES = 1024 * 1024;

/**
 * A report's reads at list price, at most: eventually consistent Queries (half a read unit per
 * 4 KB, the sum of a page's items rounded up; an index can be read no other way), at least half a
 * unit each: one per status (a page a megabyte; each page rounds up by less than half a unit, an
 * empty one costs half) and one per case with questions (its own partition).
 */
export const reportCost = (r: ReportReads): { readUnits: number; bytesRead: number; usd: number } => {
  const caseBytes = r.cases * r.caseItemBytes;
  const pages = Math.max(r.statuses, r.statuses - 1 + Math.ceil(caseBytes / QUERY_PAGE_BYTES));
  const indexUnits = Math.max(pages * 0.5, 0.5 * Math.ceil(caseBytes / READ_UNIT_BYTES) + (pages - 1) * 0.5);
  const exchangeUnits = r.casesWithQuestions * 0.5 * Math.max(1, Math.ceil(r.exchangeBytesPerCase / READ_UNIT_BYTES));
  const readUnits = indexUnits + exchangeUnits;
  return { readUnits, bytesRead: caseBytes + r.casesWithQuestions * r.exchangeBytesPerCase, usd: readUnits * DYNAMODB_READ_REQUEST_UNIT.usd };
};
