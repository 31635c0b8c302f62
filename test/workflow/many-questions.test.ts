import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { decisionLinkQuery, parseKeyring } from '../../functions/domain/decision-link';
import { MAX_INFORMATION_ROUNDS } from '../../functions/domain/ssc-decision';
import { itemSize } from '../support/item-size';
import { confirmDecision, linksIn } from '../support/sandbox';
import { useWorkflow } from '../support/workflow';

/**
 * The SSC asks, the User answers, again and again, with the longest texts the API takes in
 * 3-byte characters. Once the fourth answer made the case item exceed DynamoDB's 400 KB (a 500),
 * and the SSC's next decision was then told the case had been withdrawn or closed.
 */
const w = useWorkflow();
const wide = (length: number) => '語'.repeat(length);

const caseItemSize = async (tableName: string, reference: string) => {
  const { Item } = await new DynamoDBClient({}).send(
    new GetItemCommand({ TableName: tableName, Key: { pk: { S: `CASE#${reference}` }, sk: { S: 'CASE' } }, ConsistentRead: true }),
  );
  return itemSize(unmarshall(Item ?? {}));
};

/** One round: the SSC asks (through round n's email), the User answers. */
const round = async (reference: string, n: number, question: string, answer: string) => {
  await w.decide(reference, 'more-information', question, n);
  await w.waitForDeadline(reference, 'UserInformation');
  const answered = await w.post(`/notifications/${reference}/information`, { answer });
  expect(answered.status, `answer ${n}`).toBe(202);
  await w.waitForDeadline(reference, 'SscDecision');
};

describe('many rounds of questions', () => {
  it('takes six rounds of the longest multi-byte question and answer, keeps every one whole, and the SSC still decides', async () => {
    const { reference } = await w.submit();
    w.path('six rounds of the longest questions and answers, then ad-hoc assessment', reference);
    const rounds = 6;
    for (let n = 1; n <= rounds; n++) await round(reference, n, `${n}${wide(4999)}`, `${n}${wide(9999)}`);
    const { email, link } = await w.sscEmail(reference, rounds + 1);
    expect(email.body.text).toContain(`The User has answered the SSC's questions (${rounds} so far)`);
    const page = await (await fetch(link('ad-hoc-assessment'))).text();
    for (let n = 1; n <= rounds; n++) expect(page).toContain(`User answer ${n} (`);
    expect(page).toContain(`${rounds}${wide(9999)}`);
    expect((await confirmDecision(link('ad-hoc-assessment'), 'Thank you.')).status).toBe(200);
    const c = await w.waitForStatus(reference, 'AwaitingAssessmentSchedule');
    expect(c.informationExchanges).toHaveLength(rounds);
    c.informationExchanges.forEach((e: { question: string; answer: string }, i: number) => {
      expect(e.question).toBe(`${i + 1}${wide(4999)}`);
      expect(e.answer).toBe(`${i + 1}${wide(9999)}`);
    });
    const size = await caseItemSize(w.ctx.sandbox.tableName, reference);
    process.stdout.write(`case item after ${rounds} rounds of the longest texts: ${(size / 1024).toFixed(1)} KB\n`);
    expect(size).toBeLessThan(120 * 1024);
  }, 60_000);

  it(`stops offering a question after ${MAX_INFORMATION_ROUNDS}, and refuses one through a link made for it`, async () => {
    const { reference } = await w.submit();
    for (let n = 1; n <= MAX_INFORMATION_ROUNDS; n++) await round(reference, n, `Question ${n}?`, `Answer ${n}.`);
    const last = await w.sscEmail(reference, MAX_INFORMATION_ROUNDS + 1);
    const links = linksIn(last.email);
    expect(links.map((l) => new URL(l).searchParams.get('decision'))).toEqual(['defer-to-annual-review', 'ad-hoc-assessment', 'out-of-scope']);
    expect(last.email.body.text).not.toContain('Ask the User for more information');

    // A validly signed link for a further question on the open request: the page and the form refuse it.
    const offered = new URL(links[0] as string);
    const decisionId = offered.pathname.split('/').pop() as string;
    const keyring = parseKeyring(JSON.stringify(w.ctx.sandbox.linkKeyring.get()));
    const query = decisionLinkQuery({ decisionId, decision: 'MoreInformationNeeded', expires: Number(offered.searchParams.get('expires')) }, keyring);
    const further = `${offered.origin}${offered.pathname}?${query}`;
    const page = await fetch(further);
    expect(page.status).toBe(409);
    expect(await page.text()).toContain(`${MAX_INFORMATION_ROUNDS} questions on this case`);
    expect((await confirmDecision(further, 'One more?')).status).toBe(409);
    expect((await w.getCase(reference)).status).toBe('AwaitingSscDecision');

    expect((await confirmDecision(links[0] as string)).status).toBe(200);
    const c = await w.waitForStatus(reference, 'DeferredToAnnualReview');
    expect(c.informationExchanges).toHaveLength(MAX_INFORMATION_ROUNDS);
    expect(c.history.length).toBeGreaterThan(100);
  }, 90_000);
});
