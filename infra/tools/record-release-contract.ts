import './bench-quiet';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { addMonths, addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { type JsonDocument, sampleNotification } from '../local/sample-notification';
import { buildRelease } from '../local/previous-release';
import { latestRecordedRelease } from '../local/release';
import { startSandbox } from '../local/sandbox';

/**
 * `npm run record:release-contract`: what the latest release recorded in CHANGELOG.md hands to
 * the code deployed after it, kept as fixtures in test/fixtures/releases/<release>/. The release
 * is built from its commit and run in the sandbox along every path of the process (each wait
 * answered, and each left to its hard limit), then:
 * - inputs.json: every payload its ASL passed to each Lambda task, one per state and shape, and
 *   the input its annual-review schedules give RemindOfAnnualReview;
 * - items.json: the shape of every kind of item it stored (attribute paths and their types), and
 *   the items of each path's case as stored.
 * test/unit/release-contract.test.ts feeds them to this tree's parsing. A release's fixtures are
 * recorded once, when it is entered in CHANGELOG.md (its code never changes).
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const TIME_SCALE = 86_400;
const recorded = latestRecordedRelease();
const release = await buildRelease(recorded);
const sandbox = await startSandbox({ release, timeScale: TIME_SCALE });
const today = londonDate(new Date());

type Email = { to: string[]; subject: string; text: string };
const emails = (): Email[] =>
  sandbox.sentEmails.map(({ request }) => ({
    to: request.Destination.ToAddresses as string[],
    subject: request.Content.Simple.Subject.Data as string,
    text: request.Content.Simple.Body.Text.Data as string,
  }));
const until = async <T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 120_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
/** The n-th email about a case whose subject has `part`, and its link with `linkPart`. */
const link = (reference: string, part: string, linkPart: string, n = 1) =>
  until(`email ${n} '${part}' of ${reference}`, () => {
    const email = emails().filter((e) => e.subject.includes(part) && e.subject.includes(reference))[n - 1];
    return email?.text.match(/https?:\/\/\S+/g)?.find((l) => l.includes(linkPart));
  });

const api = async (path: string, body?: unknown, as: 'user' | 'secas' = 'user', headers: Record<string, string> = {}) => {
  const response = await fetch(`${sandbox.apiUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: sandbox.credentials[as].authorization, 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status >= 300) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as JsonDocument;
};
const submit = async (mutate: (b: JsonDocument) => void = () => {}, headers: Record<string, string> = {}) => {
  const body = sampleNotification(today);
  mutate(body);
  return (await api('/notifications', body, 'user', headers)).reference as string;
};
const status = (reference: string, wanted: string) =>
  until(`${reference} to be ${wanted}`, async () => ((await api(`/notifications/${reference}`)).status === wanted ? true : undefined));
const deadlineOf = (reference: string, wait: string) =>
  until(`${reference} to wait for ${wait}`, async () => ((await api(`/notifications/${reference}`)).deadline?.wait === wait ? true : undefined));

/** A form behind an emailed link, submitted as a person fills it: their name and the case reference typed, and `fields`. */
const submitForm = async (url: string, reference: string, fields: Record<string, string>) => {
  const target = new URL(url);
  const served = await (await fetch(url)).text();
  // A date is typed as the form asks: into its day, month and year fields (from v1.1.0), or as one ISO date.
  const typed = Object.entries(fields).flatMap(([name, value]) => {
    const [year, month, day] = value.split('-');
    return /^\d{4}-\d{2}-\d{2}$/.test(value) && served.includes(`name="${name}-day"`)
      ? [
          [`${name}-day`, String(Number(day))],
          [`${name}-month`, String(Number(month))],
          [`${name}-year`, year as string],
        ]
      : [[name, value]];
  });
  const form = new URLSearchParams({ ...Object.fromEntries(target.searchParams), caseReference: reference, ...Object.fromEntries(typed) });
  const response = await fetch(`${target.origin}${target.pathname}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  if (response.status !== 200)
    throw new Error(`${target.pathname} answered ${response.status}: ${(await response.text()).replace(/<[^>]+>/g, ' ').slice(0, 600)}`);
};
const decide = async (reference: string, decision: string, advice = 'Advice.', round = 1) =>
  submitForm(await link(reference, 'SSC decision needed', `decision=${decision}`, round), reference, { decidedBy: 'Priya Shah (SSC)', advice });
const officer = { recordedBy: 'Sam Okafor (SECAS)' };
const toAssessment = async (reference: string) => {
  await decide(reference, 'ad-hoc-assessment');
  await deadlineOf(reference, 'AssessmentSchedule');
};
const scheduleAssessment = async (reference: string) => {
  await submitForm(await link(reference, 'Arrange an ad-hoc', 'record=date'), reference, { ...officer, scheduledOn: addWorkingDays(today, 1) });
  await deadlineOf(reference, 'AssessmentOutcome');
};
/** The assessment's day comes (the API's clock is the wall clock): its date moved to today, as the upgrade test does. */
const assessmentDayComes = (reference: string) =>
  new DynamoDBClient({ endpoint: sandbox.dynamodbUrl }).send(
    new UpdateItemCommand({
      TableName: sandbox.tableName,
      Key: { pk: { S: `CASE#${reference}` }, sk: { S: 'CASE' } },
      UpdateExpression: 'SET assessment.scheduledOn = :on',
      ExpressionAttributeValues: { ':on': { S: today } },
    }),
  );
const outcome = async (reference: string, fields: Record<string, string>) => {
  await assessmentDayComes(reference);
  await submitForm(await link(reference, 'Record the outcome', 'record=outcome'), reference, { ...officer, completedOn: today, ...fields });
};
const farReview = (b: JsonDocument) => {
  // Beyond the recording: the schedule is still there to read.
  b.existingUserSystem.nextAnnualReviewOn = addMonths(today, 12);
};

/** Every path of the process, each to its end (or, for a deferral, to its schedule). */
const paths: Record<string, () => Promise<string>> = {
  'late notice, the SSC silent to its hard limit': async () => {
    const reference = await submit((b) => {
      b.newUserSystem.alreadyInUse = true;
    });
    await status(reference, 'SscDecisionOverdue');
    return reference;
  },
  "the SSC's question unanswered to its hard limit": async () => {
    const reference = await submit();
    await decide(reference, 'more-information', 'Who operates the HSMs?');
    await status(reference, 'UserInformationOverdue');
    return reference;
  },
  'assessment date never recorded': async () => {
    const reference = await submit();
    await toAssessment(reference);
    await status(reference, 'AssessmentScheduleOverdue');
    return reference;
  },
  'assessment outcome never recorded': async () => {
    const reference = await submit();
    await toAssessment(reference);
    await scheduleAssessment(reference);
    await status(reference, 'AssessmentOutcomeOverdue');
    return reference;
  },
  'assessment Approved, subject to conditions': async () => {
    const reference = await submit();
    await toAssessment(reference);
    await scheduleAssessment(reference);
    await outcome(reference, { assuranceStatus: 'ApprovedSubjectTo', conditions: 'Remediate finding 3.', reportReference: 'USA-2026-031' });
    await status(reference, 'Closed');
    return reference;
  },
  'assessment Deferred, then to the annual review': async () => {
    const reference = await submit(farReview);
    await toAssessment(reference);
    await scheduleAssessment(reference);
    await outcome(reference, { assuranceStatus: 'Deferred' });
    await status(reference, 'DeferredToAnnualReview');
    return reference;
  },
  'assessment Rejected': async () => {
    const reference = await submit();
    await toAssessment(reference);
    await scheduleAssessment(reference);
    await outcome(reference, { assuranceStatus: 'Rejected' });
    await status(reference, 'Closed');
    return reference;
  },
  'deferral to the annual review, filed with an Idempotency-Key': async () => {
    const reference = await submit(farReview, { 'Idempotency-Key': 'release-contract-0001' });
    await decide(reference, 'defer-to-annual-review');
    await status(reference, 'DeferredToAnnualReview');
    return reference;
  },
  "out of scope, the User's address bouncing": async () => {
    const reference = await submit((b) => {
      b.contact.email = 'bounce@simulator.amazonses.com';
    });
    await decide(reference, 'out-of-scope');
    await status(reference, 'OutOfScope');
    await until('the bounce on its case', async () => ((await api(`/notifications/${reference}`)).deliveryProblems.length ? true : undefined));
    return reference;
  },
  'withdrawn while the SSC decides': async () => {
    const reference = await submit();
    await deadlineOf(reference, 'SscDecision');
    await api(`/notifications/${reference}/withdrawal`, { reason: 'Plans changed.' });
    await status(reference, 'Withdrawn');
    return reference;
  },
  'five questions and answers (history pages), then out of scope': async () => {
    const reference = await submit();
    for (let round = 1; round <= 5; round++) {
      await decide(reference, 'more-information', `Question ${round}?`, round);
      await deadlineOf(reference, 'UserInformation');
      await api(`/notifications/${reference}/information`, { answer: `Answer ${round}.` });
      await deadlineOf(reference, 'SscDecision');
    }
    await decide(reference, 'out-of-scope', 'Out of scope.', 6);
    await status(reference, 'OutOfScope');
    return reference;
  },
};

/** A JSON value's shape: each attribute path with its type (an array's elements under `[]`). */
const shapeOf = (value: unknown, path = '', into: Record<string, string> = {}): Record<string, string> => {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (path) into[path] = into[path] && into[path] !== type ? [...new Set([...into[path].split(' | '), type])].sort().join(' | ') : type;
  if (Array.isArray(value)) for (const element of value) shapeOf(element, `${path}[]`, into);
  else if (value && typeof value === 'object') for (const [key, v] of Object.entries(value)) shapeOf(v, path ? `${path}.${key}` : key, into);
  return into;
};
/** An item's kind: its key's fixed parts (`CASE#/EXCHANGE#`, `DECISION#/DECISION`). */
const kindOf = (item: JsonDocument) => `${String(item.pk).replace(/#.*$/, '#')}/${String(item.sk).replace(/#.*$/, '#')}`;
const sortKeys = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(sortKeys)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => [k, sortKeys(v)]),
        )
      : value;

try {
  const references = Object.fromEntries(await Promise.all(Object.entries(paths).map(async ([name, run]) => [name, await run()] as const)));

  // Every Lambda task each execution ran, with the payload its definition passed.
  const definition = JSON.parse(release.asl) as { States: Record<string, { Resource?: string }> };
  const lambdaStates = Object.entries(definition.States)
    .filter(([, state]) => state.Resource?.startsWith('arn:aws:states:::lambda:invoke'))
    .map(([name]) => name);
  const tasks = new Map<string, { state: string; function: string; payload: unknown }>();
  for (const execution of sandbox.stepFunctions.listExecutions().reverse()) {
    let state = '';
    for (const event of execution.history) {
      if (event.type === 'TaskStateEntered') state = (event.stateEnteredEventDetails as { name: string }).name;
      const details = event.taskScheduledEventDetails as { resourceType: string; parameters: string } | undefined;
      if (event.type !== 'TaskScheduled' || details?.resourceType !== 'lambda') continue;
      const { FunctionName, Payload } = JSON.parse(details.parameters) as { FunctionName: string; Payload: unknown };
      const fn = FunctionName.split(':').pop() as string;
      // One payload per state and shape: the values differ from case to case, the contract is the shape.
      const key = `${state} ${fn} ${JSON.stringify(shapeOf(Payload))}`;
      if (!tasks.has(key)) tasks.set(key, { state, function: fn, payload: Payload });
    }
  }
  const missing = lambdaStates.filter((state) => ![...tasks.values()].some((t) => t.state === state));
  if (missing.length) throw new Error(`no path ran these Lambda tasks of ${recorded.name}'s definition: ${missing.join(', ')}`);
  // The input each schedule gives its function, one per shape.
  const schedules = new Map<string, { function: string; input: unknown }>();
  for (const schedule of sandbox.scheduler.list({})) {
    const input = JSON.parse(schedule.Target.Input ?? 'null') as unknown;
    const fn = schedule.Target.Arn.split(':').pop() as string;
    schedules.set(`${fn} ${JSON.stringify(shapeOf(input))}`, { function: fn, input });
  }
  if (schedules.size === 0) throw new Error('no annual-review schedule left to read');

  const items = (await DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: sandbox.dynamodbUrl })).send(
    new ScanCommand({ TableName: sandbox.tableName, ConsistentRead: true }),
  )) as { Items: JsonDocument[]; LastEvaluatedKey?: unknown };
  if (items.LastEvaluatedKey) throw new Error('the table is larger than one scan page');
  const shapes: Record<string, Record<string, string>> = {};
  for (const item of items.Items) shapes[kindOf(item)] = shapeOf(item, '', shapes[kindOf(item)] ?? {});
  const inKeyOrder = (a: JsonDocument, b: JsonDocument) => String(a.sk).localeCompare(String(b.sk));
  const cases = Object.fromEntries(
    Object.entries(references).map(([name, reference]) => [name, items.Items.filter((i) => i.pk === `CASE#${reference}`).sort(inKeyOrder)]),
  );
  const others = items.Items.filter((i) => !String(i.pk).startsWith('CASE#'));

  const directory = join(root, 'test/fixtures/releases', recorded.name);
  mkdirSync(directory, { recursive: true });
  const header = { release: recorded.name, commit: recorded.commit, recordedBy: 'npm run record:release-contract' };
  const write = (file: string, content: unknown) => writeFileSync(join(directory, file), `${JSON.stringify(sortKeys(content), null, 2)}\n`);
  write('inputs.json', {
    ...header,
    tasks: [...tasks.values()].sort((a, b) => lambdaStates.indexOf(a.state) - lambdaStates.indexOf(b.state)),
    schedules: [...schedules.values()],
  });
  write('items.json', { ...header, shapes, cases, others: Object.values(Object.groupBy(others, kindOf)).map((group) => group?.[0]) });
  process.stdout.write(
    `${recorded.name} (${recorded.commit}): ${tasks.size} task payloads of ${lambdaStates.length} Lambda tasks, ${schedules.size} schedule inputs, ` +
      `${items.Items.length} items of ${Object.keys(shapes).length} kinds, in ${directory}\n`,
  );
} finally {
  await sandbox.stop();
}
