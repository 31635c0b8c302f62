import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { filerCode } from '../../functions/domain/reference';
import { type JsonDocument, sampleNotification } from '../local/sample-notification';
import type { Sandbox } from '../local/sandbox';

/**
 * Can another User tell that a case exists from how long its 404 takes? A large case (about
 * 36 KB) is filed by the sandbox's User; the other User then asks for it and for a reference
 * never issued, alternately, over HTTP as a client would. A threshold fitted on the first half of
 * the pairs guesses, for each request of the second half, whether the case existed: about half
 * right means the two 404s cannot be told apart. Measured twice: for the case as filed (its
 * reference carries its owner's filer code), and for a copy under the other User's own filer code,
 * as if their two codes clashed, where the owner has to be read. Reports numbers only: timings on
 * a shared machine are no test.
 */
export interface NotFoundTimings {
  scenario: string;
  caseBytes: number;
  pairs: number;
  medianExistingMs: number;
  medianMadeUpMs: number;
  guessesRight: number;
  guesses: number;
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/** The threshold (and its direction) that best separates the two samples. */
export const fitThreshold = (existing: number[], madeUp: number[]) => {
  let best = { threshold: 0, slowerMeansExisting: true, right: -1 };
  for (const threshold of [...existing, ...madeUp]) {
    for (const slowerMeansExisting of [true, false]) {
      const says = (t: number) => t > threshold === slowerMeansExisting;
      const right = existing.filter(says).length + madeUp.filter((t) => !says(t)).length;
      if (right > best.right) best = { threshold, slowerMeansExisting, right };
    }
  }
  return best;
};

const fileLargeCase = async (sandbox: Sandbox): Promise<string> => {
  const body = sampleNotification() as JsonDocument;
  body.newUserSystem.securityArchitectureSummary = '🔐'.repeat(7500);
  body.newUserSystem.purpose = '€'.repeat(1000);
  body.withheldDetails = '€'.repeat(1000);
  const filed = await fetch(`${sandbox.apiUrl}/notifications`, {
    method: 'POST',
    headers: { Authorization: sandbox.credentials.user.authorization, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (filed.status !== 201) throw new Error(`filing the large case answered ${filed.status}: ${await filed.text()}`);
  return ((await filed.json()) as { reference: string }).reference;
};

/** The other User asks for `reference` and for `madeUp`, alternately: how long each 404 takes, and how well a threshold tells them apart. */
const compare = async (sandbox: Sandbox, scenario: string, reference: string, madeUp: string, caseBytes: number, pairs: number, warmup: number) => {
  const time = async (ref: string) => {
    const started = performance.now();
    const answer = await fetch(`${sandbox.apiUrl}/notifications/${ref}`, { headers: { Authorization: sandbox.credentials.otherUser.authorization } });
    await answer.arrayBuffer();
    const elapsed = performance.now() - started;
    if (answer.status !== 404) throw new Error(`another User's GET ${ref} answered ${answer.status}`);
    return elapsed;
  };
  const existing: number[] = [];
  const made: number[] = [];
  for (let i = 0; i < pairs + warmup; i++) {
    // Alternate which goes first, so neither always follows the other.
    let e: number;
    let m: number;
    if (i % 2 === 0) {
      e = await time(reference);
      m = await time(madeUp);
    } else {
      m = await time(madeUp);
      e = await time(reference);
    }
    if (i >= warmup) {
      existing.push(e);
      made.push(m);
    }
  }
  const half = Math.floor(pairs / 2);
  const fitted = fitThreshold(existing.slice(0, half), made.slice(0, half));
  const says = (t: number) => t > fitted.threshold === fitted.slowerMeansExisting;
  const guessesRight = existing.slice(half).filter(says).length + made.slice(half).filter((t) => !says(t)).length;
  return {
    scenario,
    caseBytes,
    pairs,
    medianExistingMs: median(existing),
    medianMadeUpMs: median(made),
    guessesRight,
    guesses: (pairs - half) * 2,
  };
};

export const measureNotFoundTimings = async (sandbox: Sandbox, pairs = 200, warmup = 20): Promise<NotFoundTimings[]> => {
  const reference = await fileLargeCase(sandbox);
  const caseBytes = Buffer.byteLength(
    await (await fetch(`${sandbox.apiUrl}/notifications/${reference}`, { headers: { Authorization: sandbox.credentials.user.authorization } })).text(),
  );
  // The same filer code and year at numbers no filing reaches: the made-up reference, and the clashing copy below.
  const numbered = (ref: string, n: number) => ref.replace(/-\d+$/, `-${n}`);
  const asFiled = await compare(sandbox, "another User's code", reference, numbered(reference, 987654322), caseBytes, pairs, warmup);
  // The same case item under the other User's filer code: the owner must be read to answer.
  const dynamodb = new DynamoDBClient({ endpoint: sandbox.dynamodbUrl });
  const { Item } = await dynamodb.send(new GetItemCommand({ TableName: sandbox.tableName, Key: { pk: { S: `CASE#${reference}` }, sk: { S: 'CASE' } } }));
  const clashing = numbered(reference, 987654321).replace(/^SUS-[^-]+/, `SUS-${filerCode(sandbox.credentials.otherUser.clientId)}`);
  await dynamodb.send(new PutItemCommand({ TableName: sandbox.tableName, Item: { ...Item, pk: { S: `CASE#${clashing}` }, reference: { S: clashing } } }));
  const clash = await compare(sandbox, "the caller's own code (a clash)", clashing, numbered(clashing, 987654322), caseBytes, pairs, warmup);
  return [asFiled, clash];
};
