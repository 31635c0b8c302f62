import type { Template } from 'aws-cdk-lib/assertions';
import { synth } from '../../test/infra/synth';
import { CaseStatus, isFinal, waitingOn } from '../../functions/domain/case';
import {
  atRest,
  type CaseProfile,
  type Design,
  type Facts,
  inventoryOf,
  type Load,
  type LineItem,
  PRICES,
  running,
  type StandingWork,
  total,
} from './cost-model';

/** The load the bench prices: each User files 4 notices a year and makes 100 other calls a month (about three a day: reads of its cases). */
export const STATED_LOAD: Omit<Load, 'readsPerCall'> = {
  noticesPerUserPerYear: 4,
  callsPerUserPerMonth: 100,
  // Calls hours apart outlive a one-hour token: each fetches its own (the worst case for both designs).
  callsPerToken: 1,
};
export const USERS = [10, 100, 300] as const;
const DESIGNS: Design[] = ['before', 'after'];

const HOURLY_RUNS_PER_MONTH = (365 / 12) * 24;

/** What PublishCaseGauges keeps running: a metric per open status, two per party waited on, the SSC calendar's; a query per open status. */
export const standingWork = (): StandingWork => {
  const open = CaseStatus.options.filter((s) => !isFinal(s)).length;
  const parties = new Set(Object.values(waitingOn)).size;
  // SendMeetingPapers runs hourly but queries only on a paper deadline: a query per status, at two meetings a month (the default calendar).
  const papersQueriesPerRun = (2 * CaseStatus.options.length) / HOURLY_RUNS_PER_MONTH;
  return {
    gaugeMetrics: open + 2 * parties + 1,
    queriesPerRun: { PublishCaseGauges: open, ResumeUnstartedCases: 1, SendMeetingPapers: papersQueriesPerRun },
  };
};

/** The stacks as `cdk synth` builds them (cdk.json's context), counted. */
export const deployedFacts = (): Facts => {
  const { records, service } = synth();
  return { inventory: inventoryOf(toJson(records), toJson(service)), standing: standingWork() };
};
const toJson = (template: Template) => template.toJSON() as Parameters<typeof inventoryOf>[0];

type Table = (title: string, header: string[], rows: Array<Array<string | number>>) => void;
const usd = (n: number) => `$${n.toFixed(n >= 1 || n === 0 ? 2 : 3)}`;

/** One column a (Users, design) pair, one row a line item; the totals last. */
const bill = (columns: Array<{ users: number; design: Design; items: LineItem[] }>) => {
  const labels = [...new Set(columns.flatMap((c) => c.items.map((i) => i.item)))];
  return [
    ...labels.map((label) => [
      label,
      ...columns.map((c) => {
        const found = c.items.find((i) => i.item === label);
        return found ? usd(found.usd) : '';
      }),
    ]),
    ['total a month', ...columns.map((c) => usd(total(c.items)))],
  ];
};

/** `npm run bench`'s last tables: the monthly bill at rest and under the stated load, for 10, 100 and 300 Users, before and after. */
export const printCosts = (perCase: CaseProfile, readsPerCall: number, table: Table): void => {
  const facts = deployedFacts();
  const load: Load = { ...STATED_LOAD, readsPerCall };
  const header = ['line item', ...USERS.flatMap((u) => DESIGNS.map((d) => `${u} ${d}`))];
  const columns = (items: (design: Design, users: number) => LineItem[]) =>
    USERS.flatMap((users) => DESIGNS.map((design) => ({ users, design, items: items(design, users) })));
  table(
    `Monthly cost at rest, list prices (Europe (London) where confirmed; see infra/tools/cost-model.ts), before (a Cognito app client per User) and after (issue 18)`,
    header,
    bill(columns((design, users) => atRest(design, users, facts))),
  );
  const c = perCase;
  table(
    `Monthly cost under load: each User files ${load.noticesPerUserPerYear} notices a year (a case as the paths' mean: ${c.apiRequests.toFixed(1)} API requests, ${c.lambdaInvocations.toFixed(1)} invocations, ${c.transitions.toFixed(1)} transitions, ${c.emails.toFixed(1)} emails, ${c.dynamoReads.toFixed(1)} DynamoDB reads, ${c.dynamoWrites.toFixed(1)} writes) and makes ${load.callsPerUserPerMonth} other calls a month (${readsPerCall.toFixed(1)} reads each), a token every ${load.callsPerToken} call(s); every request misses the authorizer's cache`,
    header,
    bill(columns((design, users) => running(design, users, load, facts, perCase))),
  );
  // Twelve Users filing one notice a year and calling nothing else: one case a month, its tokens included.
  const oneCase = (design: Design) => {
    const work = { ...load, noticesPerUserPerYear: 1, callsPerUserPerMonth: 0 };
    return total(running(design, 12, work, facts, perCase)) - total(atRest(design, 12, facts));
  };
  table(
    `One case (the paths' mean), its ${c.apiRequests.toFixed(1)} API requests' tokens included`,
    ['design', 'per case', 'per 1,000 cases'],
    DESIGNS.map((d) => [d, `$${oneCase(d).toFixed(5)}`, usd(oneCase(d) * 1000)]),
  );
  table(
    'Prices used (sources, and which are confirmed for Europe (London): infra/tools/cost-model.ts)',
    ['price', 'USD', 'per'],
    Object.entries(PRICES).map(([name, p]) => [name, String(Number(p.usd.toPrecision(6))), p.unit]),
  );
};
