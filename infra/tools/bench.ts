import './bench-quiet';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { build } from 'esbuild';
import { InvokeStore } from '@aws/lambda-invoke-store';
import { dynamodbClient, documentClient, sfnClient } from '../../functions/adapters/aws-clients';
import { functionNames, routes, specOf } from '../../functions/catalogue';
import { addWorkingDays, londonDate } from '../../functions/domain/working-days';
import definition from '../../statemachines/ssc-triage.asl.json' with { type: 'json' };
import { LAMBDA_BUNDLE } from '../constructs/catalogue-bundles';
import { recordedAwsCalls } from '../local/aws-calls';
import { FUNCTION_NAME, invoke } from '../local/lambda-context';
import { loadHandler } from '../local/load-handler';
import { type JsonDocument, sampleNotification } from '../local/sample-notification';
import { type Sandbox, startSandbox } from '../local/sandbox';
import { type CaseProfile, meanProfile } from './cost-model';
import { printCosts } from './cost-table';
import { measureNotFoundTimings } from './not-found-timing';

/**
 * `npm run bench`: what the Lambdas weigh and cost, measured on this machine against the
 * sandbox's own local servers (it starts them and refuses any other endpoint). Prints tables:
 * bundle sizes; the intake's cold import against a bare handler's; warm handler latency against
 * raw DynamoDB calls on the same DynamoDB Local; the AWS calls each request makes; whether another
 * User's 404 can be told from a made-up reference's by its time; per path of the process,
 * state transitions, Lambda invocations, emails, DynamoDB calls and cost at list prices; and the
 * monthly cost for 10, 100 and 300 Users before and after issue 18 (infra/tools/cost-model.ts).
 */

// ---- refuse anything but local servers ----------------------------------------------------
const isLocal = (url: string) => /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(url);
const refuseRemote = () => {
  const remote = Object.entries(process.env).filter(([k, v]) => k.startsWith('AWS_ENDPOINT_URL') && v && !isLocal(v));
  if (remote.length || process.argv.slice(2).length) {
    process.stderr.write(
      `npm run bench runs only against the local servers it starts itself; refusing ${remote
        .map(([k, v]) => `${k}=${v}`)
        .concat(process.argv.slice(2))
        .join(' ')}\n`,
    );
    process.exit(2);
  }
};

// ---- statistics ---------------------------------------------------------------------------
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
};
const median = (values: number[]) => quantile(values, 0.5);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const ms = (value: number) => `${value.toFixed(2)} ms`;
const table = (title: string, header: string[], rows: Array<Array<string | number>>) => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: Array<string | number>) =>
    cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i] as number) : String(c).padStart(widths[i] as number))).join('  ');
  process.stdout.write(`\n${title}\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`);
};

// ---- 1. bundles ---------------------------------------------------------------------------
const entries = (): Array<[string, string]> => functionNames.map((name) => [name, specOf(name).entry]);

const bundle = async (entry: string, outfile: string) => {
  const result = await build({
    entryPoints: [entry],
    ...LAMBDA_BUNDLE,
    outfile,
    metafile: true,
    logLevel: 'silent',
  });
  const bytes = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
  return bytes;
};

// ---- 2. cold import -------------------------------------------------------------------------
/** A fresh Node process imports the bundle: the import alone, and the whole process from spawn to handler ready (what a cold start adds up to). */
const coldStart = (file: string): { importMs: number; processMs: number } => {
  const started = performance.now();
  const importMs = Number(
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const t=performance.now();await import(${JSON.stringify(`file://${file}`)});process.stdout.write(String(performance.now()-t))`,
      ],
      {
        env: { PATH: process.env.PATH, POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' },
      },
    ).toString(),
  );
  return { importMs, processMs: performance.now() - started };
};

// ---- 3/4. warm latency and calls per request ---------------------------------------------------
type Calls = Record<string, Record<string, number>>;
const calls: Calls = {};
const countCalls = (client: { middlewareStack: { add: (m: unknown, o: unknown) => void } }, service: string) =>
  client.middlewareStack.add(
    (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const fn = (await InvokeStore.getInstanceAsync(true)).get<string>(FUNCTION_NAME) ?? '(workflow)';
      calls[fn] ??= {};
      const key = `${service}.${(context.commandName ?? '').replace(/Command$/, '')}`;
      (calls[fn] as Record<string, number>)[key] = ((calls[fn] as Record<string, number>)[key] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: `benchCount${service}` },
  );

type Handler = (event: unknown, context: Context) => Promise<{ statusCode?: number; body?: string }>;

const apiEvent = (
  sandbox: Sandbox,
  method: string,
  routePath: string,
  path: string,
  options: {
    as?: 'user' | 'secas' | 'none';
    body?: string;
    contentType?: string;
    pathParameters?: Record<string, string>;
    headers?: Record<string, string>;
  } = {},
) => {
  const as = options.as ?? 'user';
  const client = as === 'none' ? undefined : sandbox.credentials[as];
  return {
    version: '2.0',
    routeKey: `${method} ${routePath}`,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': options.contentType ?? 'application/json', ...options.headers },
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: `bench-${Math.random().toString(36).slice(2)}`,
      routeKey: `${method} ${routePath}`,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
      ...(client
        ? {
            // What the Lambda authorizer hands the route (functions/api/authorize-request.ts).
            authorizer: { lambda: { clientId: client.clientId, kind: as === 'secas' ? 'SECAS' : 'User' } },
          }
        : {}),
    },
    pathParameters: options.pathParameters,
    body: options.body,
    isBase64Encoded: false,
  };
};

const timed = async (n: number, warmup: number, run: (i: number) => Promise<void>, between?: (i: number) => Promise<void>) => {
  const samples: number[] = [];
  for (let i = 0; i < n + warmup; i++) {
    const t = performance.now();
    await run(i);
    if (i >= warmup) samples.push(performance.now() - t);
    await between?.(i);
  }
  return samples;
};

const until = async <T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 30_000): Promise<T> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const executionOf = (sandbox: Sandbox, reference: string) => sandbox.stepFunctions.listExecutions().find((e) => e.name === reference);
const waitingOrDone = (sandbox: Sandbox, reference: string, state: string) =>
  until(() => {
    const e = executionOf(sandbox, reference);
    if (!e) return undefined;
    if (e.status !== 'RUNNING') return e;
    const entered = e.history.filter((h) => h.type.endsWith('StateEntered'));
    const last = entered.at(-1)?.stateEnteredEventDetails as { name?: string } | undefined;
    return last?.name === state ? e : undefined;
  }, `${reference} at ${state}`);

const caseEmails = (sandbox: Sandbox, reference: string) =>
  sandbox.sentEmails.filter((m) =>
    (m.request.EmailTags as Array<{ Name: string; Value: string }> | undefined)?.some((t) => t.Name === 'case' && t.Value === reference),
  );

const sscLink = (sandbox: Sandbox, reference: string, slug: string, round = 1) =>
  until(() => {
    const emails = caseEmails(sandbox, reference).filter((m) => String(m.request.Content?.Simple?.Subject?.Data ?? '').startsWith('SSC decision needed'));
    const text = emails[round - 1]?.request.Content?.Simple?.Body?.Text?.Data as string | undefined;
    return text?.match(new RegExp(`https?://\\S+decision=${slug}\\S*`))?.[0];
  }, `the SSC email of ${reference}`);

const decisionForm = (link: string, reference: string) => {
  const url = new URL(link);
  const form = new URLSearchParams({
    decision: url.searchParams.get('decision') ?? '',
    expires: url.searchParams.get('expires') ?? '',
    sig: url.searchParams.get('sig') ?? '',
    decidedBy: 'Bench Member',
    caseReference: reference,
    advice: 'Benchmark decision.',
  });
  return { id: url.pathname.split('/').pop() as string, body: form.toString() };
};

// ---- 5. paths -------------------------------------------------------------------------------
/** List prices, Europe (London), as published on each service's pricing page (November 2026). */
const PRICES = {
  stateTransition: 0.025 / 1000, // aws.amazon.com/step-functions/pricing
  lambdaRequest: 0.2 / 1_000_000, // aws.amazon.com/lambda/pricing
  lambdaGbSecondArm: 0.0000133334,
  email: 0.1 / 1000, // aws.amazon.com/ses/pricing
};
const LAMBDA_GB = 0.5;

const main = async () => {
  refuseRemote();
  process.stdout.write(`npm run bench — ${new Date().toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'ssc-bench-'));
  try {
    // 1. Bundles.
    const sizes: Array<[string, number, number]> = [];
    const { readFileSync } = await import('node:fs');
    for (const [name, entry] of entries()) {
      const file = join(dir, `${name}.mjs`);
      const bytes = await bundle(entry, file);
      sizes.push([name, bytes, gzipSync(readFileSync(file)).length]);
    }
    sizes.sort((a, b) => b[1] - a[1]);
    table(
      'Lambda bundles (minified ESM, as deployed; target: intake ≤ 400 KB)',
      ['function', 'minified', 'gzipped'],
      sizes.map(([n, b, g]) => [n, kb(b), kb(g)]),
    );

    // 2. Cold import, paired with a bare handler.
    const bare = join(dir, 'bare.mjs');
    writeFileSync(join(dir, 'bare-src.mjs'), 'export const handler = async () => ({ statusCode: 200 });\n');
    await bundle(join(dir, 'bare-src.mjs'), bare);
    const intake = join(dir, 'SubmitNotification.mjs');
    const pairs: Array<[ReturnType<typeof coldStart>, ReturnType<typeof coldStart>]> = [];
    for (let i = 0; i < 15; i++) {
      // Alternate which goes first, so neither always finds the disk cache warm.
      if (i % 2 === 0) {
        const a = coldStart(intake);
        pairs.push([a, coldStart(bare)]);
      } else {
        const b = coldStart(bare);
        pairs.push([coldStart(intake), b]);
      }
    }
    const of = (side: 0 | 1, key: 'importMs' | 'processMs') => median(pairs.map((p) => p[side][key]));
    const pairRatio = (key: 'importMs' | 'processMs') => median(pairs.map((p) => p[0][key] / p[1][key]));
    table(
      'Cold start of the intake, 15 paired runs against a bare handler (target: ≤ 3× bare, process to handler ready)',
      ['measure', 'bare', 'SubmitNotification', 'ratio (median of pairs)'],
      [
        ['process spawn to handler ready', ms(of(1, 'processMs')), ms(of(0, 'processMs')), `${pairRatio('processMs').toFixed(1)}×`],
        ['module import alone', ms(of(1, 'importMs')), ms(of(0, 'importMs')), `${pairRatio('importMs').toFixed(1)}×`],
      ],
    );

    // 3. Warm latency, in-process handlers against the sandbox's servers. One sandbox for the
    // whole bench (the handlers' SDK clients are made once per process), its clock a day a second
    // so that the paths below run to their ends in seconds.
    const sandbox = await startSandbox({ timeScale: 86_400 });
    let getReads = 0;
    try {
      for (const url of [sandbox.dynamodbUrl, sandbox.stepFunctionsUrl, sandbox.sesUrl, sandbox.schedulerUrl])
        if (!isLocal(url)) throw new Error(`not local: ${url}`);
      // 5 first (printed last): the paths, on the accelerated clock, while no other case runs or
      // waits on a schedule, so that the DynamoDB calls counted during a path are its own.
      const paths = await pathCosts(sandbox);
      // The document client shares its base client's middleware stack: one counter sees both.
      documentClient();
      countCalls(dynamodbClient() as never, 'DynamoDB');
      countCalls(sfnClient() as never, 'StepFunctions');
      const raw = new DynamoDBClient({ endpoint: sandbox.dynamodbUrl });
      const handler = (name: string) => loadHandler<Handler>(routes.find((r) => r.name === name)?.entry as string);
      const submit = await handler('SubmitNotification');
      const get = await handler('GetNotification');
      const take = await handler('TakeDecision');
      const N = 100;
      const references: string[] = [];
      const body = () =>
        JSON.stringify({ ...sampleNotification(), contact: { name: 'Bench', email: `bench+${Math.random().toString(36).slice(2)}@example.org` } });

      const item = { pk: { S: '' }, sk: { S: 'BENCH' }, data: { S: 'x'.repeat(3000) } };
      const putItem = await timed(
        N * 2,
        20,
        async (i) => void (await raw.send(new PutItemCommand({ TableName: sandbox.tableName, Item: { ...item, pk: { S: `BENCH#${i}` } } }))),
      );
      const getItem = await timed(
        N * 2,
        20,
        async (i) => void (await raw.send(new GetItemCommand({ TableName: sandbox.tableName, Key: { pk: { S: `BENCH#${i}` }, sk: { S: 'BENCH' } } }))),
      );

      const before = (fn: string) => structuredClone(calls[fn] ?? {});
      const perRequest = (fn: string, was: Record<string, number>, n: number) =>
        Object.entries(calls[fn] ?? {})
          .map(([op, c]) => [op, (c - (was[op] ?? 0)) / n] as const)
          .filter(([, c]) => c > 0)
          .map(([op, c]) => `${op} ${Number.isInteger(c) ? c : c.toFixed(1)}`)
          .join(', ');

      let was = before('SubmitNotification');
      const post = await timed(
        N,
        10,
        async () => {
          const answer = await invoke(submit, apiEvent(sandbox, 'POST', '/notifications', '/notifications', { body: body() }), 'SubmitNotification');
          references.push((JSON.parse(answer.body ?? '{}') as { reference: string }).reference);
        },
        async (i) => void (await waitingOrDone(sandbox, references[i] as string, 'AwaitSscDecision')),
      );
      const postCalls = perRequest('SubmitNotification', was, N + 10);
      was = before('SubmitNotification');
      const postKeyed = await timed(
        N,
        10,
        async (i) => {
          const answer = await invoke(
            submit,
            apiEvent(sandbox, 'POST', '/notifications', '/notifications', { body: body(), headers: { 'idempotency-key': `bench-key-${i}-${Date.now()}` } }),
            'SubmitNotification',
          );
          references.push((JSON.parse(answer.body ?? '{}') as { reference: string }).reference);
        },
        async () => void (await waitingOrDone(sandbox, references.at(-1) as string, 'AwaitSscDecision')),
      );
      const postKeyedCalls = perRequest('SubmitNotification', was, N + 10);
      was = before('GetNotification');
      const getCase = await timed(N * 2, 20, async (i) => {
        const reference = references[i % references.length] as string;
        await invoke(
          get,
          apiEvent(sandbox, 'GET', '/notifications/{reference}', `/notifications/${reference}`, { pathParameters: { reference } }),
          'GetNotification',
        );
      });
      const getCalls = perRequest('GetNotification', was, N * 2 + 20);
      getReads = ['GetItem', 'Query'].reduce(
        (n, op) => n + ((calls.GetNotification?.[`DynamoDB.${op}`] ?? 0) - (was[`DynamoDB.${op}`] ?? 0)) / (N * 2 + 20),
        0,
      );
      was = before('TakeDecision');
      // The latest cases: the earliest may have passed their SSC wait on the accelerated clock.
      const decided = references.slice(-60);
      const decisions = await timed(
        50,
        10,
        async (i) => {
          const reference = decided[i] as string;
          const form = decisionForm(await sscLink(sandbox, reference, 'defer-to-annual-review'), reference);
          const answer = await invoke(
            take,
            apiEvent(sandbox, 'POST', '/decisions/{decisionId}', `/decisions/${form.id}`, {
              as: 'none',
              body: form.body,
              contentType: 'application/x-www-form-urlencoded',
              pathParameters: { decisionId: form.id },
            }),
            'TakeDecision',
          );
          if (answer.statusCode !== 200) throw new Error(`decision answered ${answer.statusCode}`);
        },
        async (i) => void (await waitingOrDone(sandbox, decided[i] as string, 'CaseDeferredToAnnualReview')),
      );
      const decisionCalls = perRequest('TakeDecision', was, 60);

      const p50Put = median(putItem);
      const p50Get = median(getItem);
      table(
        'Warm latency, handler in process against DynamoDB Local (targets: POST p50 ≤ 2.5× PutItem)',
        ['request', 'p50', 'p95', 'p50 ratio'],
        [
          ['raw PutItem (3 KB item)', ms(p50Put), ms(quantile(putItem, 0.95)), '1.0×'],
          ['raw GetItem', ms(p50Get), ms(quantile(getItem, 0.95)), '1.0×'],
          ['POST /notifications', ms(median(post)), ms(quantile(post, 0.95)), `${(median(post) / p50Put).toFixed(1)}× PutItem`],
          [
            'POST /notifications + Idempotency-Key',
            ms(median(postKeyed)),
            ms(quantile(postKeyed, 0.95)),
            `${(median(postKeyed) / p50Put).toFixed(1)}× PutItem`,
          ],
          ['GET /notifications/{reference}', ms(median(getCase)), ms(quantile(getCase, 0.95)), `${(median(getCase) / p50Get).toFixed(1)}× GetItem`],
          ['POST /decisions/{id} (defer)', ms(median(decisions)), ms(quantile(decisions, 0.95)), `${(median(decisions) / p50Put).toFixed(1)}× PutItem`],
        ],
      );
      table(
        'AWS calls per request (as the handler makes them)',
        ['request', 'calls'],
        [
          ['POST /notifications', postCalls],
          ['POST /notifications + Idempotency-Key', postKeyedCalls],
          ['GET /notifications/{reference}', getCalls],
          ['POST /decisions/{id} (defer)', decisionCalls],
        ],
      );
      // 4b. Another User's 404s, timed over HTTP as a client would: target about chance (100 of 200).
      const notFound = await measureNotFoundTimings(sandbox);
      table(
        `Another User's GET of a ${kb(notFound[0]?.caseBytes ?? 0)} case against a reference never issued, 200 alternating pairs each; a threshold fitted on the first 100 pairs guesses the other 200 requests (target: about 100 right, chance)`,
        ['reference carries', '404 p50: the case', '404 p50: made up', 'guesses right'],
        notFound.map((r) => [r.scenario, ms(r.medianExistingMs), ms(r.medianMadeUpMs), `${r.guessesRight} of ${r.guesses}`]),
      );
      // 5. Paths.
      paths.print();
      // 6. The monthly bill, before and after issue 18, from the stacks as synthesized and the paths' mean.
      printCosts(meanProfile(paths.profiles), getReads, table);
    } finally {
      await sandbox.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const lambdaStates = new Set(
  Object.entries(definition.States as Record<string, { Resource?: string }>)
    .filter(([, s]) => s.Resource === 'arn:aws:states:::lambda:invoke')
    .map(([n]) => n),
);

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'ConditionCheckItem']);
/**
 * Not a case's own: the bench's status polls (GetNotification) and every scheduled function (the
 * catalogue's `every` triggers: sweeps, gauges, papers, anchors, report, erasure), priced at rest;
 * on the sandbox's accelerated clock they run many times during one case.
 */
const NOT_A_CASES = new Set([
  'function:GetNotification',
  ...functionNames.filter((name) => specOf(name).trigger.kind === 'every').map((name) => `function:${name}`),
]);
/** DynamoDB calls the sandbox has recorded so far (each transaction item as its own), by reads and writes. */
const dynamoCalls = () => {
  const counted = { reads: 0, writes: 0 };
  for (const call of recordedAwsCalls()) {
    const op = /^dynamodb:(\w+)$/.exec(call.action)?.[1];
    if (!op || NOT_A_CASES.has(call.principal)) continue;
    if (READS.has(op)) counted.reads += call.count;
    if (WRITES.has(op)) counted.writes += call.count;
  }
  return counted;
};

const pathCosts = async (sandbox: Sandbox): Promise<{ profiles: CaseProfile[]; print: () => void }> => {
  const api = (as: 'user' | 'secas', method: string, path: string, body?: unknown) =>
    fetch(`${sandbox.apiUrl}${path}`, {
      method,
      headers: { Authorization: sandbox.credentials[as].authorization, 'Content-Type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const file = async (mutate: (b: JsonDocument) => void = () => {}) => {
    const b = { ...sampleNotification(), contact: { name: 'Bench', email: `bench+${Math.random().toString(36).slice(2)}@example.org` } } as JsonDocument;
    mutate(b);
    const answer = await api('user', 'POST', '/notifications', b);
    return ((await answer.json()) as { reference: string }).reference;
  };
  const decide = async (reference: string, slug: string, round = 1) => {
    const form = decisionForm(await sscLink(sandbox, reference, slug, round), reference);
    await fetch(`${sandbox.apiUrl}/decisions/${form.id}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.body,
    });
  };
  const status = async (reference: string, wanted: string) =>
    until(
      async () => {
        const c = (await (await api('secas', 'GET', `/notifications/${reference}`)).json()) as { status: string };
        return c.status === wanted ? c : undefined;
      },
      `${reference} ${wanted}`,
      120_000,
    );
  const today = new Date();
  const inDays = (d: number) => new Date(today.getTime() + d * 86_400_000).toISOString().slice(0, 10);
  type Path = { name: string; run: () => Promise<{ reference: string; apiCalls: number; scheduled?: number }> };
  const paths: Path[] = [
    {
      name: 'out of scope',
      run: async () => {
        const r = await file();
        await decide(r, 'out-of-scope');
        await status(r, 'OutOfScope');
        return { reference: r, apiCalls: 2 };
      },
    },
    {
      name: 'deferral to the annual review, reminded',
      run: async () => {
        const r = await file((b) => (b.existingUserSystem.nextAnnualReviewOn = inDays(40)));
        await decide(r, 'defer-to-annual-review');
        await status(r, 'Closed');
        return { reference: r, apiCalls: 2, scheduled: 1 };
      },
    },
    {
      name: 'more information once, then deferral',
      run: async () => {
        const r = await file((b) => (b.existingUserSystem.nextAnnualReviewOn = inDays(40)));
        await decide(r, 'more-information');
        await status(r, 'AwaitingUserInformation');
        await api('user', 'POST', `/notifications/${r}/information`, { answer: 'Here is more.' });
        await decide(r, 'defer-to-annual-review', 2);
        await status(r, 'Closed');
        return { reference: r, apiCalls: 4, scheduled: 1 };
      },
    },
    {
      name: 'ad-hoc assessment, Approved',
      run: async () => {
        const r = await file();
        await decide(r, 'ad-hoc-assessment');
        await status(r, 'AwaitingAssessmentSchedule');
        await waitingOrDone(sandbox, r, 'AwaitAssessmentSchedule');
        const ukToday = londonDate(today);
        await api('secas', 'POST', `/notifications/${r}/assessment`, { scheduledOn: addWorkingDays(ukToday, 1) });
        await status(r, 'AwaitingAssessmentOutcome');
        await waitingOrDone(sandbox, r, 'AwaitAssessmentOutcome');
        // The assessment's day comes (its date moved to today): the API takes an outcome only from that day.
        await new DynamoDBClient({ endpoint: sandbox.dynamodbUrl }).send(
          new UpdateItemCommand({
            TableName: sandbox.tableName,
            Key: { pk: { S: `CASE#${r}` }, sk: { S: 'CASE' } },
            UpdateExpression: 'SET assessment.scheduledOn = :today',
            ExpressionAttributeValues: { ':today': { S: ukToday } },
          }),
        );
        await api('secas', 'POST', `/notifications/${r}/assessment`, { outcome: { assuranceStatus: 'Approved', completedOn: ukToday } });
        await status(r, 'Closed');
        return { reference: r, apiCalls: 4 };
      },
    },
    {
      name: 'SSC silent: reminder, escalation, overdue',
      run: async () => {
        const r = await file();
        await status(r, 'SscDecisionOverdue');
        return { reference: r, apiCalls: 1 };
      },
    },
  ];
  const rows: Array<Array<string | number>> = [];
  const profiles: CaseProfile[] = [];
  for (const path of paths) {
    const dynamoBefore = dynamoCalls();
    const { reference, apiCalls, scheduled = 0 } = await path.run();
    const execution = await until(
      () => {
        const e = executionOf(sandbox, reference);
        return e && e.status !== 'RUNNING' ? e : undefined;
      },
      `${reference} to end`,
      60_000,
    );
    const entered = execution.history.filter((h) => h.type.endsWith('StateEntered'));
    const transitions = entered.length;
    const workflowLambdas = entered.filter(
      (h) => h.type === 'TaskStateEntered' && lambdaStates.has((h.stateEnteredEventDetails as { name: string }).name),
    ).length;
    const lambdas = workflowLambdas + apiCalls + scheduled;
    const emails = caseEmails(sandbox, reference).length;
    // Lambda duration is assumed at 100 ms an invocation at 512 MB (the bench's warm latencies are well under).
    const cost = transitions * PRICES.stateTransition + lambdas * (PRICES.lambdaRequest + LAMBDA_GB * 0.1 * PRICES.lambdaGbSecondArm) + emails * PRICES.email;
    const dynamoAfter = dynamoCalls();
    const dynamo = { reads: dynamoAfter.reads - dynamoBefore.reads, writes: dynamoAfter.writes - dynamoBefore.writes };
    profiles.push({ apiRequests: apiCalls, lambdaInvocations: lambdas, transitions, emails, dynamoReads: dynamo.reads, dynamoWrites: dynamo.writes });
    rows.push([path.name, transitions, lambdas, emails, `${dynamo.reads} / ${dynamo.writes}`, `$${(cost * 1000).toFixed(3)}`]);
  }
  const print = () =>
    table(
      'Per case, by path (Step Functions $0.025/1k transitions; Lambda $0.20/M requests + 512 MB × 100 ms arm64; SES $0.10/1k; DynamoDB, priced below, and CloudWatch not included)',
      ['path', 'transitions', 'Lambda invocations', 'emails', 'DynamoDB reads / writes', 'cost per 1,000 cases'],
      rows,
    );
  return { profiles, print };
};

await main();
process.exit(0);
