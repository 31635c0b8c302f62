import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, addWorkingDays, londonDate } from '../../functions/domain/working-days';
import { launchBrowser } from '../support/browser';
import { type StoredEmail, linksIn, recordByLink } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * An aggressive mail scanner against every link of every email the sandbox sent: a real headless
 * Chromium that opens each link (and each link on the pages it reaches) and submits each form it
 * finds, past the browser's own checks, as a scanner's detonation sandbox does — as served; as a
 * browser's autofill fills it (a name where the field asks for one); and filled by field type,
 * twice (each text field any text and each date its first admissible day, typed into its day,
 * month and year fields from the `<time datetime>` of its hint, as a date picker's `min`; then each
 * text field the page's heading copied and each date its last admissible day; each time the first option of each select, the first
 * radio of each group, each checkbox), each filled form's answer (the form again, with what was
 * filled) submitted as it stands once more. Nothing may be decided, recorded or emailed on any link
 * kind: the whole table, the SES store, every execution's history and the schedules are the same
 * after as before.
 *
 * The pages show the case reference (a person must see which case they act on, and the email's
 * subject carries it anyway), so a program that read the page and typed the reference into the
 * field asking for it would pass: that is an agent acting for the person, beyond what a mail
 * scanner does, and beyond what any step that does not authenticate the person can stop.
 */
const w = useWorkflow({ ownInbox: true });
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

const today = () => londonDate(new Date());

const FILLS = ['as served', 'autofill', 'by type: any text, dates at min', 'by type: heading copied, dates at max'] as const;
type Fill = (typeof FILLS)[number] | 'answer as served';

/**
 * Fills the page's `index`-th form as `fill` says, in the page, and submits it without the browser's validation (form.submit()).
 * In the page's own world (page.evaluate), as `look` reads it: a locator would have Playwright inject its selector engine into
 * every page the scan opens, a cost paid on each of its hundred-odd navigations.
 */
const fillAndSubmit = (page: Page, index: number, fill: Fill, heading: string) =>
  page.evaluate(
    // The page's DOM, untyped here: the project compiles without the DOM library.
    ({ index, fill, heading }: { index: number; fill: Fill; heading: string }) => {
      const form = (globalThis as any).document.forms[index];
      const anyText = fill === 'by type: heading copied, dates at max' ? heading : 'test';
      const radioGroups = new Set<string>();
      for (const field of form.elements) {
        if (fill === 'as served' || fill === 'answer as served' || field.type === 'hidden' || field.type === 'submit') continue;
        if (fill === 'autofill') {
          // A browser fills what the page says it is (autocomplete), and leaves autocomplete="off" alone.
          if (field.autocomplete === 'name') field.value = 'Alex Morgan';
          continue;
        }
        const datePart = /-(day|month|year)$/.exec(field.name ?? '')?.[1];
        if (datePart) {
          // A date typed as day, month and year: the first or the last day its hint names.
          const days = [...(field.closest('fieldset')?.querySelectorAll('time[datetime]') ?? [])].map((t: any) => String(t.getAttribute('datetime')));
          const [year, month, day] = (fill === 'by type: heading copied, dates at max' ? days.at(-1) : days[0])?.split('-') ?? [];
          field.value = { day, month, year }[datePart] ?? '';
        } else if (field.type === 'text' || field.type === 'textarea') field.value = anyText;
        else if (field.type === 'select-one') field.selectedIndex = 0;
        else if (field.type === 'checkbox') field.checked = true;
        else if (field.type === 'radio' && !radioGroups.has(field.name)) {
          radioGroups.add(field.name);
          field.checked = true;
        }
      }
      form.submit();
    },
    { index, fill, heading },
  );

interface Submission {
  link: string;
  fill: Fill;
  status: number;
}

/** What one scan did: the links it opened (from the emails and from pages), and each form it submitted. */
interface Scan {
  links: Map<string, number>;
  submissions: Submission[];
}

const kindOf = (url: string): string => {
  const u = new URL(url);
  const which = u.searchParams.get('decision') ?? u.searchParams.get('record');
  return which ? `${u.pathname.split('/')[1]}: ${which}` : u.pathname;
};

const linksOfEmail = (email: StoredEmail): string[] => [
  ...linksIn(email),
  ...[...email.body.html.matchAll(/href="([^"]+)"/g)].map((m) => (m[1] as string).replaceAll('&amp;', '&')),
];

/** The links (other than those within the page: its skip link, its error summary's), forms and heading of the page as it stands, in one look. */
const look = (page: Page) =>
  page.evaluate(() => {
    const root = (globalThis as any).document;
    return {
      links: [...root.querySelectorAll('a[href]:not([href^="#"])')].map((a: any) => String(a.href)),
      forms: root.querySelectorAll('form').length as number,
      heading: String(root.querySelector('h1')?.textContent ?? ''),
    };
  });

/** Scanners work through a message's links side by side: so does this one, on a few tabs sharing one queue. */
const TABS = 4;

const scan = async (emails: StoredEmail[]): Promise<Scan> => {
  const result: Scan = { links: new Map(), submissions: [] };
  const queue = [...new Set(emails.flatMap(linksOfEmail))];
  const next = (): string | undefined => {
    for (let link = queue.shift(); link !== undefined; link = queue.shift())
      if (!result.links.has(link) && /^https?:/.test(link)) {
        result.links.set(link, 0);
        return link;
      }
    return undefined;
  };
  const tab = async () => {
    const page = await browser.newPage();
    const submit = async (link: string, index: number, fill: Fill, heading: string) => {
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        // The answer's page has loaded (the page submitted from had, before the listener).
        page.waitForEvent('load'),
        fillAndSubmit(page, index, fill, heading),
      ]);
      result.submissions.push({ link, fill, status: answer.status() });
      const answered = await look(page);
      queue.push(...answered.links);
      return answered;
    };
    for (let link = next(); link !== undefined; link = next()) {
      const opened = await page.goto(link);
      result.links.set(link, opened?.status() ?? 0);
      const served = await look(page);
      queue.push(...served.links);
      for (let index = 0; index < served.forms; index++) {
        for (const fill of FILLS) {
          // A fresh page for each fill, as long as it still has the form (a link that acted shows none).
          if (fill !== FILLS[0]) {
            await page.goto(link);
            if (index >= (await look(page)).forms) break;
          }
          const answered = await submit(link, index, fill, served.heading);
          // The page a filled form answers with (the form again, what was filled kept), submitted as it stands.
          if (fill.startsWith('by type') && index < answered.forms) await submit(link, index, 'answer as served', served.heading);
        }
      }
    }
    await page.close();
  };
  await Promise.all(Array.from({ length: TABS }, tab));
  return result;
};

/** Everything the system holds: every item of the table, every email, every execution's history, every schedule. */
const state = async () => {
  const dynamodb = new DynamoDBClient({ endpoint: w.ctx.sandbox.dynamodbUrl });
  const items: unknown[] = [];
  let start: Record<string, any> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: w.ctx.sandbox.tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const { emails } = (await (await fetch(`${w.ctx.sandbox.sesUrl}/store`)).json()) as { emails: StoredEmail[] };
  return {
    table: items.map((item) => JSON.stringify(item)).sort(),
    emails,
    executions: w.ctx.sandbox.stepFunctions
      .listExecutions()
      .map((e) => ({ name: e.name, status: e.status, history: e.history }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    schedules: w.ctx.sandbox.scheduler.list({}),
  };
};

/** The state once nothing moves: the same twice, half a second apart. */
const settled = async () => {
  let last = JSON.stringify(await state());
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = await state();
    if (JSON.stringify(now) === last) return now;
    last = JSON.stringify(now);
  }
};

/** Cases at every wait, and past each, so that every kind of link is in an email, live or spent. */
const casesAtEveryWait = async () => {
  const review = (b: Record<string, any>) => (b.existingUserSystem.nextAnnualReviewOn = addMonths(today(), 12));
  const awaitingSsc = await w.submit();
  const askedAndAnswered = await w.submit();
  await w.decide(askedAndAnswered.reference, 'more-information', 'Which provider hosts it?');
  await w.waitForDeadline(askedAndAnswered.reference, 'UserInformation');
  expect((await w.post(`/notifications/${askedAndAnswered.reference}/information`, { answer: 'Northwold Hosting.' })).status).toBe(202);
  await w.sscEmail(askedAndAnswered.reference, 2);
  const asked = await w.submit();
  await w.decide(asked.reference, 'more-information', 'Who operates it?');
  const awaitingDate = await w.submit();
  await w.decide(awaitingDate.reference, 'ad-hoc-assessment');
  const awaitingOutcome = await w.submit();
  await w.decide(awaitingOutcome.reference, 'ad-hoc-assessment');
  const closed = await w.submit();
  await w.decide(closed.reference, 'ad-hoc-assessment');
  const deferred = await w.submit(review);
  await w.decide(deferred.reference, 'defer-to-annual-review', 'Include it in the annual review.');
  const outOfScope = await w.submit();
  await w.decide(outOfScope.reference, 'out-of-scope');
  const withdrawn = await w.submit();
  await w.sscEmail(withdrawn.reference);
  expect((await w.post(`/notifications/${withdrawn.reference}/withdrawal`, { reason: 'Cancelled.' })).status).toBe(202);

  for (const { reference } of [awaitingOutcome, closed]) {
    const [dateLink] = linksIn(await w.emailTo(w.ctx.secasAddress, `Arrange an ad-hoc User Security Assessment: ${reference}`));
    expect((await recordByLink(dateLink as string, { scheduledOn: addWorkingDays(today(), 5), recordedBy: 'Ada Lovelace' })).status).toBe(200);
    await w.waitForDeadline(reference, 'AssessmentOutcome');
    // The assessment's day has come: the outcome form takes a date, so only the human step stands in a scanner's way.
    await w.assessmentDayComes(reference);
  }
  const [outcomeLink] = linksIn(await w.emailTo(w.ctx.secasAddress, `Record the outcome of an ad-hoc User Security Assessment: ${closed.reference}`));
  expect((await recordByLink(outcomeLink as string, { assuranceStatus: 'Approved', completedOn: today(), recordedBy: 'Grace Hopper' })).status).toBe(200);

  await w.waitForDeadline(awaitingDate.reference, 'AssessmentSchedule');
  await w.waitForDeadline(asked.reference, 'UserInformation');
  await w.waitForDeadline(askedAndAnswered.reference, 'SscDecision');
  await w.waitForDeadline(awaitingSsc.reference, 'SscDecision');
  await w.emailTo(w.ctx.secasAddress, `Record the outcome of an ad-hoc User Security Assessment: ${awaitingOutcome.reference}`);
  for (const { reference } of [closed, deferred, outOfScope, withdrawn]) await w.finished(reference);
  return { awaitingSsc, askedAndAnswered, asked, awaitingDate, awaitingOutcome, closed, deferred, outOfScope, withdrawn };
};

describe('an aggressive mail scanner', () => {
  it('opens every link of every email and submits every form three ways: nothing is decided, recorded or emailed', async () => {
    const cases = await casesAtEveryWait();
    const before = await settled();
    const emails = before.emails;

    const started = performance.now();
    const result = await scan(emails);
    const seconds = (performance.now() - started) / 1000;
    const after = await settled();

    // Every kind of link the emails carry was opened.
    const kinds = new Set([...result.links.keys()].map(kindOf));
    expect([...kinds].sort()).toEqual(
      [
        'assessments: date',
        'assessments: outcome',
        'decisions: ad-hoc-assessment',
        'decisions: defer-to-annual-review',
        'decisions: more-information',
        'decisions: out-of-scope',
      ].sort(),
    );
    // Never a decision or a record, never a fault: only the page again, or the link's refusal.
    expect(result.submissions.filter((s) => ![403, 409, 410, 422].includes(s.status))).toEqual([]);

    expect(after.table).toEqual(before.table);
    expect(after.emails).toEqual(before.emails);
    expect(after.executions).toEqual(before.executions);
    expect(after.schedules).toEqual(before.schedules);

    // Every live form reached the server's checks and was shown again to be corrected, whatever was filled in.
    const refusedForCorrection = new Set(result.submissions.filter((s) => s.status === 422).map((s) => kindOf(s.link)));
    expect(refusedForCorrection).toEqual(kinds);
    // The live forms: the four decisions of the two cases awaiting the SSC, and SECAS's date and outcome.
    expect(new Set(result.submissions.map((s) => s.link)).size).toBe(10);
    expect(result.submissions).toHaveLength(10 * (FILLS.length + 2));
    for (const [reference, status] of [
      [cases.awaitingSsc.reference, 'AwaitingSscDecision'],
      [cases.askedAndAnswered.reference, 'AwaitingSscDecision'],
      [cases.asked.reference, 'AwaitingUserInformation'],
      [cases.awaitingDate.reference, 'AwaitingAssessmentSchedule'],
      [cases.awaitingOutcome.reference, 'AwaitingAssessmentOutcome'],
    ] as const)
      expect((await w.getCase(reference)).status).toBe(status);

    const statuses = Object.entries(Object.groupBy(result.submissions, (s) => String(s.status))).map(([s, l]) => `${l?.length} × ${s}`);
    const fromPages = result.links.size - new Set(emails.flatMap(linksOfEmail)).size;
    process.stdout.write(
      `mail scanner: ${emails.length} emails, ${result.links.size} links opened (${fromPages} found on pages), ${result.submissions.length} form submissions (${statuses.join(', ')}), ${seconds.toFixed(1)} s\n`,
    );
  }, 120_000);
});
