import { existsSync, readFileSync, readdirSync } from 'node:fs';
import type * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { caseFileOf } from '../../functions/adapters/cases-repository';
import { type FunctionName, catalogue } from '../../functions/catalogue';
import { type CaseRecord, CaseSummary, NotificationCase, fileOf, toCaseSummary, toCaseView } from '../../functions/domain/case';
import { type StoredAnswer, keyedAnswer } from '../../functions/use-cases/submit-notification';
import { latestRecordedRelease } from '../../infra/local/release';

/**
 * What the releases before this one hand to its code, checked in milliseconds (the upgrade test,
 * test/workflow/upgrade.test.ts, runs the whole of it). A Standard execution keeps the definition
 * it started with, so after a deploy this release's handlers take the payloads the previous
 * release's ASL passes, and read the items it stored. Each release's are recorded once, by
 * `npm run record:release-contract`, in test/fixtures/releases/<release>/: every task payload its
 * ASL passed and the input its schedules give (fed to the schema each handler parses its input
 * with), and each path's case items as stored (read through this release's repository into the
 * case the API shows, which must satisfy the API's strict schema). Every recorded release's
 * fixtures are checked: its items stay in the table for as long as cases are kept. The SSC's decision
 * requests and SECAS's record requests are read by the link handlers, which the upgrade test
 * drives through the links the previous release emailed.
 */
const releases = new URL('../fixtures/releases/', import.meta.url);

interface Inputs {
  release: string;
  tasks: Array<{ state: string; function: string; payload: unknown }>;
  schedules: Array<{ function: string; input: Record<string, unknown> }>;
}
interface Items {
  cases: Record<string, Array<Record<string, unknown>>>;
  others: Array<Record<string, unknown>>;
}

const read = <T>(release: string, file: string): T => JSON.parse(readFileSync(new URL(`${release}/${file}`, releases), 'utf8')) as T;

/** The schema a function of this release parses its input with. */
const inputSchema = async (name: string): Promise<z.ZodType> => {
  if (!(name in catalogue)) throw new Error(`this release has no function ${name}`);
  const { handler } = (await import(/* @vite-ignore */ new URL(`../../${catalogue[name as FunctionName].entry}`, import.meta.url).href)) as {
    handler: { input?: z.ZodType };
  };
  if (!handler.input) throw new Error(`${name} does not declare the input it parses`);
  return handler.input;
};

const accepts = async (release: string, what: string, name: string, input: unknown) => {
  const result = (await inputSchema(name)).safeParse(input);
  expect(result.success, `${release}'s ${what} passes ${name} ${JSON.stringify(input)}: ${result.error?.message}`).toBe(true);
};

it('has the fixtures of the latest release CHANGELOG.md records', () => {
  const { name } = latestRecordedRelease();
  expect(existsSync(new URL(`${name}/inputs.json`, releases)), `run npm run record:release-contract for ${name}`).toBe(true);
  expect(existsSync(new URL(`${name}/items.json`, releases)), `run npm run record:release-contract for ${name}`).toBe(true);
});

for (const release of readdirSync(releases)) {
  const inputs = read<Inputs>(release, 'inputs.json');
  const items = read<Items>(release, 'items.json');

  describe(`what ${release} hands on to this release`, () => {
    it.each(inputs.tasks)("$state: this release's $function takes the payload it passes", async ({ state, function: fn, payload }) => {
      await accepts(release, `task ${state}`, fn, payload);
    });

    it.each(inputs.schedules)("an annual-review schedule: this release's $function takes its input", async ({ function: fn, input }) => {
      // EventBridge Scheduler fills in the time it fired at.
      const fired = JSON.parse(JSON.stringify(input).replaceAll('<aws.scheduler.scheduled-time>', '2027-03-17T09:00:00Z'));
      await accepts(release, 'schedule', fn, fired);
    });

    it.each(Object.entries(items.cases))('%s: this release reads the case as stored', (_, partition) => {
      const file = caseFileOf(partition);
      if (!file) throw new Error('no case item');
      const view = NotificationCase.parse(toCaseView(file));
      // Every event as stored, in the order recorded: the history pages, oldest first, then the case item's latest.
      const pages = partition.filter((item) => String(item.sk).startsWith('HISTORY#')).flatMap((page) => page.events as unknown[]);
      const caseItem = partition.find((item) => item.sk === 'CASE') as { history: unknown[] };
      const stored = [...pages, ...caseItem.history];
      expect(view.history.map(({ seq: _seq, ...event }) => event)).toEqual(stored);
      expect(view.history.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
      CaseSummary.parse(toCaseSummary(file.record));
    });

    it("replays an intake's answer it stored under an Idempotency-Key as the case it filed", () => {
      const records = items.others.filter((item) => String(item.pk).startsWith('IDEMPOTENCY#'));
      expect(records.length).toBeGreaterThan(0);
      for (const item of records) {
        const { record, replayed } = keyedAnswer(item.data as StoredAnswer, 'a request of this release');
        expect(replayed).toBe(true);
        expect(NotificationCase.parse(toCaseView(fileOf(record as CaseRecord))).reference).toMatch(/^SUS-/);
      }
    });
  });
}
