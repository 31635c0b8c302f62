import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { type Sandbox, type SandboxOptions, startSandbox } from '../../infra/local/sandbox';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describeReport, verifyTable } from '../../infra/tools/verify-history';
import { sweepEmails } from './mail-sweep';

export type Role = keyof Sandbox['credentials'];

/**
 * A sandbox for one test file: its own table and its own SSC and SECAS mailboxes, on the
 * run's shared DynamoDB Local and SES servers; or, with `ownInbox`, its own SES server, for a
 * browser that reads the inbox page (which renders every email the server holds, and stops
 * rendering past about a thousand: Chromium's limit on frames in a page).
 */
export const useSandbox = ({
  ownInbox = false,
  mailSweep = true,
  ...options
}: Omit<SandboxOptions, 'dynamodbUrl' | 'sesUrl'> & {
  ownInbox?: boolean;
  /** Off, or the sweep's sample (mail-sweep.ts), for a file of many cases alike. */
  mailSweep?: boolean | { emailsPerSubject: number };
} = {}) => {
  const id = randomBytes(4).toString('hex');
  const env = {
    SSC_ADDRESSES: `ssc+${id}@secas.example.org`,
    SECAS_ADDRESSES: `secas+${id}@secas.example.org`,
    ...options.environment,
  };
  const state = { sandbox: undefined as Sandbox | undefined };
  beforeAll(async () => {
    // Only this file's emails are fetched from the shared SES store (it holds every file's).
    storeSince = Math.floor(Date.now() / 1000) - 1;
    state.sandbox = await startSandbox({
      ...options,
      dynamodbUrl: inject('dynamodbUrl'),
      ...(ownInbox ? {} : { sesUrl: inject('sesUrl') }),
      tableName: `Notifications-${id}`,
      environment: env,
    });
  });
  afterAll(async () => {
    const sandbox = state.sandbox;
    if (!sandbox) return;
    try {
      // Every link of every email this file's sandbox sent, opened and its forms submitted as a mail scanner would.
      if (mailSweep) {
        const swept = await sweepEmails(sandbox.sentEmails, sandbox.apiUrl, mailSweep === true ? {} : mailSweep);
        writeFileSync(join(inject('sweepDir'), `${id}.json`), JSON.stringify(swept));
        if (swept.acted.length) throw new Error(`a mail scanner's submission acted: ${JSON.stringify(swept.acted)}`);
      }
      // Every case the file created: its tamper-evident history verifies (test/workflow/history-tampering.test.ts breaks them on purpose, and mends them).
      const broken = (await verifyTable(DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject('dynamodbUrl') })), sandbox.tableName)).filter(
        (r) => !r.ok,
      );
      if (broken.length) throw new Error(`broken case histories:\n${broken.map(describeReport).join('\n')}`);
    } finally {
      await sandbox.stop();
    }
    // The sweep of a file that filed hundreds of cases takes tens of seconds on a busy machine.
  }, 240_000);
  const sandbox = (): Sandbox => {
    if (!state.sandbox) throw new Error('sandbox not started');
    return state.sandbox;
  };
  return {
    get sandbox(): Sandbox {
      return sandbox();
    },
    /** The API as one of the sandbox's demo clients (default: the User), or with no credentials at all. */
    api: (as: Role | 'anonymous' = 'user') => {
      const auth = (): Record<string, string> => (as === 'anonymous' ? {} : { Authorization: sandbox().credentials[as].authorization });
      return {
        get: (path: string) => fetch(`${sandbox().apiUrl}${path}`, { headers: auth() }),
        post: (path: string, body: unknown, headers: Record<string, string> = {}) => postJson(sandbox().apiUrl, path, body, { ...auth(), ...headers }),
        fetch: (path: string, init: RequestInit = {}) =>
          fetch(`${sandbox().apiUrl}${path}`, { ...init, headers: { ...auth(), ...(init.headers as Record<string, string>) } }),
      };
    },
    sscAddress: env.SSC_ADDRESSES,
    secasAddress: env.SECAS_ADDRESSES,
  };
};

export interface StoredEmail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  body: { text: string; html: string };
  at: number;
}

let storeSince = 0;

export const emailsTo = async (sesUrl: string, address: string): Promise<StoredEmail[]> => {
  const store = (await (await fetch(`${sesUrl}/store?since=${storeSince}`)).json()) as { emails: StoredEmail[] };
  return store.emails.filter((e) => e.destination.to.includes(address));
};

/**
 * Waits for the n-th email (1-based) to an address whose subject contains (or matches) `subjectPart`,
 * and returns it.
 */
export const waitForEmail = async (sesUrl: string, address: string, subjectPart: string | RegExp = '', n = 1, timeoutMs = 10_000): Promise<StoredEmail> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const matches = (subject: string) => (typeof subjectPart === 'string' ? subject.includes(subjectPart) : subjectPart.test(subject));
    const emails = (await emailsTo(sesUrl, address)).filter((e) => matches(e.subject));
    if (emails.length >= n) return emails[n - 1] as StoredEmail;
    if (Date.now() > deadline) throw new Error(`no email #${n} to ${address} about '${subjectPart}' within ${timeoutMs} ms (have ${emails.length})`);
    await sleep(100);
  }
};

export const linksIn = (email: StoredEmail): string[] => email.body.text.match(/https?:\/\/\S+/g) ?? [];

export const waitUntil = async <T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
};

export const postJson = (apiUrl: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${apiUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** What an SSC member types on the confirmation page besides the advice; by default a name and the reference the page shows. */
export interface Signer {
  decidedBy?: string;
  caseReference?: string;
}

/**
 * Opens a decision link and submits its confirmation form as an SSC member does: the form's
 * fields as served, then their name, the case reference read off the page, and the advice.
 */
export const confirmDecision = async (link: string, advice = '', signer: Signer = {}) => {
  const url = new URL(link);
  const served = await (await fetch(link)).text();
  const form = new URLSearchParams(url.searchParams);
  // The version of the notice the page shows, a hidden field of its form (none on a page served before amendments).
  const version = served.match(/name="version" value="(\d+)"/)?.[1];
  if (version) form.set('version', version);
  form.set('decidedBy', signer.decidedBy ?? 'Priya Shah (SSC)');
  form.set('caseReference', signer.caseReference ?? referenceShown(served));
  form.set('advice', advice);
  return fetch(`${url.origin}${url.pathname}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
};

/** The case reference a page behind a signed link shows in its heading, as a person reads it there. */
const referenceShown = (page: string): string => page.match(/<h1[^>]*>(SUS-[0-9A-Z]{5}-\d{4}-\d{4,9}):/)?.[1] ?? '';

/**
 * A date as an officer types it into a form's day, month and year fields (no leading zeros): the
 * fields of date `name` for an ISO date.
 */
export const dateFields = (name: string, date: string): Record<string, string> => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`not an ISO date: ${date} (give a form's day, month and year fields as they are)`);
  return { [`${name}-day`]: String(Number(match[3])), [`${name}-month`]: String(Number(match[2])), [`${name}-year`]: match[1] as string };
};

/** Form fields, with `scheduledOn` and `completedOn` given as ISO dates typed into their three fields. */
const typedDates = (fields: Record<string, string>, served: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries(fields).flatMap(([name, value]) =>
      // Typed as the form asks: in day, month and year fields, or (a release before them) as one ISO date.
      (name === 'scheduledOn' || name === 'completedOn') && served.includes(`name="${name}-day"`) ? Object.entries(dateFields(name, value)) : [[name, value]],
    ),
  );

/**
 * Submits a SECAS assessment form as the officer does: the link's own fields, the case reference
 * read off the page, then `fields` (which may give another reference, or none; a `scheduledOn` or
 * `completedOn` as an ISO date is typed into that date's day, month and year fields where the form has them).
 */
export const recordByLink = async (link: string, fields: Record<string, string>) => {
  const url = new URL(link);
  const served = await (await fetch(link)).text();
  const form = new URLSearchParams({ ...Object.fromEntries(url.searchParams), caseReference: referenceShown(served), ...typedDates(fields, served) });
  return fetch(`${url.origin}${url.pathname}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
};

/** Submits the confirmation form exactly as served, every field untouched: what a mail scanner that submits forms does. */
export const submitFormAsServed = async (link: string) => {
  const url = new URL(link);
  const served = await (await fetch(link)).text();
  const form = new URLSearchParams();
  for (const [, name, value] of served.matchAll(/<input type="[a-z]+" (?:id="[^"]*" )?name="([^"]+)"(?: maxlength="\d+")? value="([^"]*)"/g))
    form.set(name as string, value as string);
  form.set('advice', served.match(/<textarea[^>]*>([^<]*)<\/textarea>/)?.[1] ?? '');
  return {
    fields: [...form.keys()],
    response: await fetch(`${url.origin}${url.pathname}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    }),
  };
};

/** Every case item in a table, counted across all pages of the scan (a page stops at 1 MB). */
export const caseCount = async (tableName: string): Promise<number> => {
  const dynamodb = new DynamoDBClient({});
  let count = 0;
  let start: Record<string, any> | undefined;
  do {
    const page = await dynamodb.send(
      new ScanCommand({
        TableName: tableName,
        Select: 'COUNT',
        FilterExpression: 'begins_with(pk, :case)',
        ExpressionAttributeValues: { ':case': { S: 'CASE#' } },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
};
