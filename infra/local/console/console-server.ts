import { readFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  type HistoryEvent,
  ListExecutionsCommand,
  SFNClient,
  paginateGetExecutionHistory,
} from '@aws-sdk/client-sfn';
import { type CaseRecord, CaseStatus } from '../../../functions/domain/case';
import { isReference } from '../../../functions/domain/reference';
import { meetingsBetween, nextMeeting } from '../../../functions/domain/ssc-meetings';
import { addMonths, calendarRange, londonDate } from '../../../functions/domain/working-days';
import definition from '../../../statemachines/ssc-triage.asl.json' with { type: 'json' };
import { serveSafely } from '../http-kit';
import type { SentEmail } from '../ses-local';
import { type Definition, mermaidOf } from '../../workflow-diagram';
import { meetingPapersPage } from './meeting-papers-page';
import { casePage, casesPage, consoleStyle, messagePage, notFoundPage } from './pages';
import { providersConsole } from './providers-console';
import { membersConsole } from './members-console';
import { reportConsole } from './report-pages';
import { type Answer, type RegisterApi, secasFetch, secUsersConsole } from './sec-users-console';

/**
 * The sandbox's console for SECAS: every case and whose move it is; a case's workflow drawn from
 * the ASL file with where it has been and where it waits, its execution history read through the
 * Step Functions API (as the AWS console reads it), its audit history and its emails (all read
 * only); the SSC's papers for any meeting of the calendar (meeting-papers-page.ts); and the
 * register of SEC Users with its forms, through the API's SECAS routes (sec-users-console.ts), and
 * the register of Shared Resource Providers with its forms, the same way (providers-console.ts), and
 * the register of SSC members and their Alternates (members-console.ts).
 *
 * It is bound to the loopback interface only, and answers only requests addressed to localhost
 * (a web page elsewhere cannot reach it through DNS rebinding): the sandbox is one developer's,
 * and a credential would only stand between a person and a rehearsal. It serves GET and HEAD, and
 * POST for the register's forms from its own pages only.
 */
export interface ConsoleOptions {
  port?: number;
  stepFunctionsUrl: string;
  stateMachineArn: string;
  sesUrl: string;
  /** The emails the sandbox's SES has sent, newest last. */
  sentEmails: () => readonly SentEmail[];
  /** The API the register's forms call, as SECAS's machine client. */
  api: RegisterApi;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const SECURITY_HEADERS = {
  // Mermaid draws in the page (a script of this origin) and styles its drawing inline.
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  // Not no-referrer: under it a browser sends `Origin: null` with a form, and the forms' Origin check needs the real one (same-origin only).
  'Referrer-Policy': 'same-origin',
};

const MERMAID_INIT = "mermaid.initialize({ startOnLoad: true, securityLevel: 'strict', flowchart: { useMaxWidth: false } });\n";

/**
 * The repository, loaded on the first request: like a handler's module it reads its environment
 * when it loads, which the sandbox sets once it has started.
 */
const repository = () => import('../../../functions/adapters/cases-repository');
const papersUseCase = () => import('../../../functions/use-cases/meeting-papers');
const configuration = () => import('../../../functions/adapters/config');

/** A real date (YYYY-MM-DD) within the Working-Day data, as a meeting's address gives it. */
const isCalendarDate = (text: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(text) &&
  !Number.isNaN(Date.parse(text)) &&
  new Date(Date.parse(text)).toISOString().slice(0, 10) === text &&
  text >= calendarRange.firstDay &&
  text <= calendarRange.lastDay;

/**
 * The papers of the meeting on `on` (by default the next whose paper deadline is still ahead), as
 * the cases stand now, and the meetings three months either side to choose from; undefined when
 * the calendar has no such meeting.
 */
const meetingPapersOf = async (on: string | undefined) => {
  const now = new Date();
  const today = londonDate(now);
  const calendar = (await configuration()).meetingCalendar();
  const meetings = meetingsBetween(calendar, addMonths(today, -3), addMonths(today, 3));
  const meeting = on ? meetingsBetween(calendar, on, on)[0] : nextMeeting(calendar, today);
  if (!meeting) return undefined;
  return meetingPapersPage(await (await papersUseCase()).meetingPapers(meeting, now), meetings);
};

const every = async (): Promise<CaseRecord[]> => {
  const { queryCases } = await repository();
  const cases: CaseRecord[] = [];
  for (const status of CaseStatus.options) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await queryCases({ by: 'status', status }, { limit: 100, ...(startKey ? { startKey } : {}) });
      cases.push(...page.items);
      startKey = page.lastKey;
    } while (startKey);
  }
  return cases.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
};

/** SECAS's form for the record a case awaits: the link in the latest email that asked SECAS for it. */
const secasFormOf = (c: CaseRecord, emails: readonly SentEmail[]) => {
  const stage = c.status === 'AwaitingAssessmentSchedule' ? 'date' : c.status === 'AwaitingAssessmentOutcome' ? 'outcome' : undefined;
  if (!stage) return undefined;
  const links = emails.flatMap((m) => String(m.request.Content?.Simple?.Body?.Text?.Data ?? '').match(/https?:\/\/\S+\/assessments\/\S+/g) ?? []);
  const url = links.reverse().find((l) => new URL(l).searchParams.get('record') === stage);
  return url ? { label: stage === 'date' ? 'Record the assessment date' : 'Record the assessment outcome', url } : undefined;
};

export const startConsole = async (options: ConsoleOptions): Promise<{ server: Server; url: string }> => {
  const sfn = new SFNClient({ endpoint: options.stepFunctionsUrl });
  const mermaidFile = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
  const executionArn = (reference: string) => `${options.stateMachineArn.replace(':stateMachine:', ':execution:')}:${reference}`;

  const stoppedCases = async (): Promise<Set<string>> => {
    const names = new Set<string>();
    for (const statusFilter of ['FAILED', 'TIMED_OUT', 'ABORTED'] as const) {
      const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: options.stateMachineArn, statusFilter, maxResults: 1000 }));
      for (const e of executions ?? []) if (e.name) names.add(e.name);
    }
    return names;
  };

  const execution = async (reference: string) => {
    const arn = executionArn(reference);
    try {
      const described = await sfn.send(new DescribeExecutionCommand({ executionArn: arn, includedData: 'METADATA_ONLY' }));
      const events: HistoryEvent[] = [];
      for await (const page of paginateGetExecutionHistory({ client: sfn, pageSize: 200 }, { executionArn: arn, includeExecutionData: false }))
        events.push(...(page.events ?? []));
      return { status: described.status ?? '', arn, events, redriveCount: described.redriveCount ?? 0 };
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw error;
    }
  };

  const respond = (req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string | Buffer, cache = false) => {
    res.writeHead(status, { 'Content-Type': type, ...SECURITY_HEADERS, ...(cache ? { 'Cache-Control': 'max-age=3600' } : {}) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  /**
   * The case file as the API serves it to SECAS (GET /notifications/{reference}/case-file, its page):
   * the console shows the product's own page, not one of its own, so what is printed is what the API gives.
   */
  const secas = secasFetch(options.api);
  const caseFile = async (req: IncomingMessage, res: ServerResponse, reference: string) => {
    if (!isReference(reference)) return respond(req, res, 404, 'text/html; charset=utf-8', notFoundPage(`No case ${reference}.`));
    const answer = await secas(`/notifications/${reference}/case-file?format=html`, { headers: { Accept: 'text/html' } });
    if (answer.status === 404) return respond(req, res, 404, 'text/html; charset=utf-8', notFoundPage(`No case ${reference}.`));
    // Disposed of at the end of its retention: the API's problem says when and under what, dates in words.
    if (answer.status === 410)
      return respond(req, res, 410, 'text/html; charset=utf-8', messagePage('Disposed of', String(((await answer.json()) as { detail?: unknown }).detail)));
    if (answer.status !== 200) throw new Error(`the API answered the case file of ${reference} with ${answer.status}`);
    return respond(req, res, 200, 'text/html; charset=utf-8', await answer.text());
  };

  let origins = new Set<string>();
  const users = secUsersConsole(options.api, () => origins);
  const report = reportConsole(options.api);
  const providers = providersConsole(options.api, () => origins);
  const members = membersConsole(options.api, () => origins);
  const answer = (req: IncomingMessage, res: ServerResponse, a: Answer) => {
    // After a change, the User's page (POST, redirect, GET): reloading it changes nothing again.
    if ('redirect' in a) res.writeHead(303, { Location: a.redirect, ...SECURITY_HEADERS }).end();
    else respond(req, res, a.status, 'text/html; charset=utf-8', a.html);
  };

  const server = createServer(
    serveSafely(
      async (req, res) => {
        const host = (req.headers.host ?? '').replace(/:\d+$/, '');
        if (!LOCAL_HOSTS.has(host)) return respond(req, res, 403, 'text/plain; charset=utf-8', 'The console answers only requests to localhost.\n');
        const url = new URL(req.url ?? '/', 'http://localhost');
        const path = url.pathname;
        const posted =
          req.method === 'POST' ? ((await users.post(req, path)) ?? (await providers.post(req, path)) ?? (await members.post(req, path))) : undefined;
        if (posted) return answer(req, res, posted);
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('The console takes forms only at their own addresses.\n');
          return;
        }
        if (path === '/reports') return answer(req, res, await report(url.searchParams));
        const page = (await users.get(path)) ?? (await providers.get(path)) ?? (await members.get(path));
        if (page) return answer(req, res, page);
        if (path === '/favicon.ico') return respond(req, res, 204, 'image/x-icon', '', true);
        if (path === '/assets/console.css') return respond(req, res, 200, 'text/css; charset=utf-8', consoleStyle, true);
        if (path === '/assets/console.js') return respond(req, res, 200, 'text/javascript; charset=utf-8', MERMAID_INIT, true);
        if (path === '/assets/mermaid.min.js') return respond(req, res, 200, 'text/javascript; charset=utf-8', await readFile(mermaidFile), true);
        if (path === '/') return respond(req, res, 200, 'text/html; charset=utf-8', casesPage(await every(), await stoppedCases(), options.sesUrl));
        if (path === '/meetings' || path.startsWith('/meetings/')) {
          const on = path === '/meetings' ? undefined : path.slice('/meetings/'.length);
          const papers = on === undefined || isCalendarDate(on) ? await meetingPapersOf(on) : undefined;
          if (papers) return respond(req, res, 200, 'text/html; charset=utf-8', papers);
          return respond(
            req,
            res,
            404,
            'text/html; charset=utf-8',
            notFoundPage('The SSC meeting calendar has no meeting on that date: choose one on the meeting papers page.'),
          );
        }
        const filed = /^\/cases\/([^/]+)\/file$/.exec(path)?.[1];
        if (filed) return caseFile(req, res, filed);
        const reference = /^\/cases\/([^/]+)$/.exec(path)?.[1];
        const file = reference && isReference(reference) ? await (await repository()).loadCase(reference) : undefined;
        // No case item: the API says whether it was disposed of (410, when and under what) or never was.
        if (reference && !file) return caseFile(req, res, reference);
        if (!reference || !file) return respond(req, res, 404, 'text/html; charset=utf-8', notFoundPage('Nothing here.'));
        const run = await execution(reference);
        const entered = (run?.events ?? []).filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails?.name as string);
        const last = entered.at(-1);
        const stopped = ['FAILED', 'TIMED_OUT', 'ABORTED'].includes(run?.status ?? '');
        const diagram = mermaidOf(definition as unknown as Definition, {
          visited: new Set(entered),
          ...(run?.status === 'RUNNING' && last ? { current: last } : {}),
          ...(stopped && last ? { failed: last } : {}),
        });
        const emails = options
          .sentEmails()
          .filter((m) => (m.request.EmailTags as Array<{ Name: string; Value: string }> | undefined)?.some((t) => t.Name === 'case' && t.Value === reference));
        const secasForm = secasFormOf(file.record, emails);
        return respond(
          req,
          res,
          200,
          'text/html; charset=utf-8',
          casePage({ file, diagram, emails, sesUrl: options.sesUrl, ...(run ? { execution: run } : {}), ...(secasForm ? { secasForm } : {}) }),
        );
      },
      { headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'The console could not show this page; see the sandbox output.\n' },
    ),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  origins = new Set([...LOCAL_HOSTS].map((h) => `http://${h}:${port}`));
  return { server, url: `http://localhost:${port}` };
};
