import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, inject } from 'vitest';
import { getCase, updateCase } from '../../functions/adapters/cases-repository';
import { londonDate } from '../../functions/domain/working-days';
import definition from '../../statemachines/ssc-triage.asl.json' with { type: 'json' };
import { uniqueNotification } from './fixtures';
import { type Role, type StoredEmail, confirmDecision, linksIn, useSandbox, waitForEmail, waitUntil } from './sandbox';

/**
 * A sandbox for a workflow test file, with the helpers each path needs, recording which ASL
 * states its executions visited (and, per named path, the transitions and Lambda
 * invocations) for the run's coverage report.
 */
/** The event a test records when it brings a case's assessment day forward (assessmentDayComes). */
export const TEST_DATE_MOVED = 'AssessmentDayBroughtForwardByTest';

export const useWorkflow = (options: Parameters<typeof useSandbox>[0] = {}) => {
  const ctx = useSandbox(options);
  const paths: Array<{ name: string; reference: string }> = [];

  const execution = (reference: string) => ctx.sandbox.stepFunctions.listExecutions().find((e) => e.name === reference);

  const helpers = {
    ctx,
    getCase: async (reference: string, as: Role = 'user') => (await (await ctx.api(as).get(`/notifications/${reference}`)).json()) as Record<string, any>,
    submit: async (mutate: (body: Record<string, any>) => void = () => {}) => {
      const body = uniqueNotification(mutate);
      const response = await ctx.api('user').post('/notifications', body);
      if (response.status !== 201) throw new Error(`submit answered ${response.status}: ${await response.text()}`);
      const { reference } = (await response.json()) as { reference: string };
      return { body, reference, user: body.contact.email as string };
    },
    /** The n-th SSC decision email of a case, and its link for one decision. */
    sscEmail: async (reference: string, n = 1) => {
      const email = await waitForEmail(ctx.sandbox.sesUrl, ctx.sscAddress, `SSC decision needed: ${reference}`, n);
      const link = (slug: string) => linksIn(email).find((l) => l.includes(`decision=${slug}`)) as string;
      return { email, link };
    },
    decide: async (reference: string, slug: 'defer-to-annual-review' | 'ad-hoc-assessment' | 'more-information' | 'out-of-scope', advice = '', round = 1) => {
      const { link } = await helpers.sscEmail(reference, round);
      const response = await confirmDecision(link(slug), advice);
      if (response.status !== 200) throw new Error(`decision answered ${response.status}`);
      return link(slug);
    },
    /** POSTs as the User, or as SECAS (the assessment records). */
    post: (path: string, body: unknown, as: Role = 'user') => ctx.api(as).post(path, body),
    emailTo: (address: string, subjectPart: string | RegExp, n = 1, timeoutMs?: number): Promise<StoredEmail> =>
      waitForEmail(ctx.sandbox.sesUrl, address, subjectPart, n, timeoutMs),
    waitForStatus: (reference: string, status: string, timeoutMs = 15_000) =>
      waitUntil(
        async () => {
          const c = await helpers.getCase(reference);
          return c.status === status ? c : undefined;
        },
        `${reference} to reach ${status}`,
        timeoutMs,
      ),
    /** The case once the workflow has opened the given wait (its deadline is set a moment after the status moves on). */
    waitForDeadline: (reference: string, wait: string, timeoutMs = 15_000) =>
      waitUntil(
        async () => {
          const c = await helpers.getCase(reference);
          return c.deadline?.wait === wait ? c : undefined;
        },
        `${reference} to open its ${wait} wait`,
        timeoutMs,
      ),
    /**
     * The day of a case's ad-hoc assessment comes: its recorded date is moved to `on` (today by
     * default), as the case will stand once that day has come. The API's clock is the wall clock
     * and an assessment is scheduled on a Working Day after today, so a test records an outcome
     * only after this (the workflow keeps the deadlines it computed from the date given).
     */
    assessmentDayComes: async (reference: string, on = londonDate(new Date())) => {
      // Through the repository, with an event of its own, so the case's chain records the move (history-chain.ts).
      const record = await getCase(reference);
      if (record?.status !== 'AwaitingAssessmentOutcome' || !record.assessment?.scheduledOn) throw new Error(`${reference} awaits no assessment outcome`);
      await updateCase(
        reference,
        { assessment: { ...record.assessment, scheduledOn: on } },
        { at: new Date().toISOString(), type: TEST_DATE_MOVED, actor: { kind: 'System', id: 'test' }, text: `The assessment's date moved to ${on}` },
      );
    },
    execution,
    finished: async (reference: string) => {
      const e = await waitUntil(async () => execution(reference), `execution ${reference}`);
      await e.done;
      return e;
    },
    /** Names this case's execution as one path of the process, for the run's report. */
    path: (name: string, reference: string) => paths.push({ name, reference }),
  };

  afterAll(async () => {
    const dir = inject('coverageDir');
    mkdirSync(dir, { recursive: true });
    const executions = ctx.sandbox.stepFunctions.listExecutions();
    const visited = new Set(
      executions.flatMap((e) => e.history.filter((h) => h.type.endsWith('StateEntered')).map((h) => (h.stateEnteredEventDetails as { name: string }).name)),
    );
    const pathStats = paths.map(({ name, reference }) => {
      const e = executions.find((x) => x.name === reference);
      const entered = e?.history.filter((h) => h.type.endsWith('StateEntered')) ?? [];
      return {
        name,
        transitions: entered.length,
        lambdaInvocations: entered.filter((h) => h.type === 'TaskStateEntered' && lambdaStates.has((h.stateEnteredEventDetails as { name: string }).name))
          .length,
        status: e?.status,
        // How long the execution ran (or has run) on the case's clock: the sandbox's is accelerated.
        caseDays: e ? (((e.stopDate ?? new Date()).getTime() - e.startDate.getTime()) * (options.timeScale ?? 1)) / 86_400_000 : undefined,
      };
    });
    writeFileSync(join(dir, `${ctx.sandbox.tableName}.json`), JSON.stringify({ visited: [...visited], paths: pathStats }));
  });

  return helpers;
};

const lambdaStates = new Set(
  Object.entries(definition.States as Record<string, { Resource?: string }>)
    .filter(([, s]) => s.Resource?.startsWith('arn:aws:states:::lambda:invoke'))
    .map(([name]) => name),
);
