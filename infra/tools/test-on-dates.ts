import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { londonInstant, londonWallClock } from '../../functions/domain/working-days';

/**
 * The test suite on other days, its clock moved by Debian's faketime (libfaketime) for every
 * process a run starts: Node, its workers, DynamoDB Local's Java and Chromium alike.
 *
 *   tsx infra/tools/test-on-dates.ts               the shifted runs `npm test` ends with
 *   tsx infra/tools/test-on-dates.ts 2031-12-24    the whole suite on that day (`npm run test:on -- 2031-12-24`)
 *
 * A day is `YYYY-MM-DD` (10:00 UK time that day), an instant `YYYY-MM-DDTHH:MM[:SS]Z`, or an
 * offset from now, `+400d` / `-30d`. The clock starts there and runs on.
 *
 * Every run gets its clock as an offset in seconds from the real one, never as faketime's
 * "start at" date: a start-at clock restarts in each process, so a worker or a server started
 * later would be behind the process that started it, and a sandbox's processes would disagree
 * on the time. The monotonic clock moves by the same offset (libfaketime's default): kept real
 * (--exclude-monotonic), DynamoDB Local's JVM took 30 s to start instead of 3, past the sandbox's
 * wait for it. File times stay real (NO_FAKE_STAT): caches compare them with the files they were
 * made from. The thread-safe variant of the library (-m): Node and Java read the clock from
 * many threads.
 */

interface Clock {
  spec: string;
  /** Where the clock is when a run starts. */
  at: () => number;
}

const usage = 'a day (2031-12-24), an instant (2027-03-28T00:59:57Z) or an offset from now (+400d, -30d)';

const clockOf = (spec: string): Clock => {
  const days = /^([+-]\d{1,6})d$/.exec(spec);
  if (days) return { spec, at: () => Date.now() + Number(days[1]) * 86_400_000 };
  // A real day only: Date.parse takes 30 February as 2 March.
  const day = /^\d{4}-\d{2}-\d{2}/.exec(spec)?.[0];
  const midnight = Date.parse(`${day}T00:00:00Z`);
  const real = day !== undefined && !Number.isNaN(midnight) && new Date(midnight).toISOString().startsWith(day);
  const instant = !real
    ? Number.NaN
    : spec === day
      ? londonInstant(day, '10:00').getTime()
      : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/.test(spec)
        ? Date.parse(spec)
        : Number.NaN;
  if (Number.isNaN(instant)) throw new Error(`not a clock: ${spec} (give ${usage})`);
  return { spec, at: () => instant };
};

interface Run {
  what: string;
  clock: Clock;
  args: string[];
  env?: Record<string, string>;
}

/**
 * What `npm test` runs besides today: the unit project on days that have broken date code
 * (a year and three years on, Christmas week, 29 February, the nights the clocks go forward and
 * back, a Christmas Eve years ahead), and the sandbox's walking skeleton and deadline tests,
 * which run whole workflows to their deadlines, a year on and on that Christmas Eve.
 */
const UNIT_CLOCKS = ['+365d', '+1096d', '2027-12-28', '2028-02-29', '2027-03-28T00:59:57Z', '2027-10-31T00:59:57Z', '2031-12-24'];
const WORKFLOW_CLOCKS = ['+365d', '2031-12-24'];
const WORKFLOW_FILES = ['test/workflow/walking-skeleton.test.ts', 'test/workflow/deadlines.test.ts'];

const workflowRuns = (): Run[] =>
  WORKFLOW_CLOCKS.map((spec) => ({ what: 'walking skeleton and deadlines', clock: clockOf(spec), args: ['--maxWorkers=1', ...WORKFLOW_FILES] }));
/**
 * Unit files the runs on other days leave out, as a shifted process clock can give them nothing:
 * the calendar's properties draw "today", and the process clock in each of their runs, across
 * every year the Working-Day data covers (and are a third of the project's time).
 */
const CLOCK_DRAWN = ['test/unit/calendar-properties.test.ts'];
// One test worker a run, two runs at a time: three workers a run import the same modules three times (some 20% more CPU, on a machine whose two cores the runs fill).
const unitRuns = (): Run[] =>
  UNIT_CLOCKS.map((spec) => ({
    what: 'unit',
    clock: clockOf(spec),
    args: ['--project', 'unit', '--maxWorkers=1', ...CLOCK_DRAWN.flatMap((file) => ['--exclude', file])],
  }));

const wholeSuite = (clock: Clock): Run => ({ what: 'the whole suite', clock, args: [], env: { REQUIRE_FULL_STATE_COVERAGE: '1' } });

const VITEST = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url));
const RUN_TIMEOUT_MS = 5 * 60_000;

const faketimeMissing = (): string | undefined => {
  const probe = spawnSync('faketime', ['-f', '+0', 'true'], { stdio: 'ignore' });
  return probe.error || probe.status !== 0
    ? "faketime is not installed: the suite runs on other days under Debian's faketime (libfaketime). Install it with `apt-get install faketime` (as root)."
    : undefined;
};

const startOf = (clock: Clock) => `${londonWallClock(new Date(clock.at())).replace('T', ' ')} UK time`;

interface Outcome {
  run: Run;
  ok: boolean;
  seconds: number;
  output: string;
  /** The failed tests and the first lines of their errors, from Vitest's JSON report. */
  failures: string[];
}

interface VitestJsonReport {
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
  }[];
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const firstLines = (text: string, count: number) =>
  text
    .split('\n')
    .filter((line) => line.trim())
    .slice(0, count)
    .map((line) => `      ${line.slice(0, 300)}`);

/**
 * What failed in a run, short enough to stand at the end of a log that CI keeps only the tail of:
 * the full output of a run on another day (a permission report, the servers' logs) comes before.
 */
const failuresIn = (reportFile: string): string[] => {
  if (!existsSync(reportFile)) return ['  (no test report: the run stopped before Vitest wrote one)'];
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as VitestJsonReport;
  return report.testResults.flatMap((file) => {
    const failed = file.assertionResults.filter((t) => t.status === 'failed');
    const where = relative(ROOT, file.name);
    if (!failed.length) return file.status === 'failed' ? [`  ${where}: ${file.message?.split('\n')[0] ?? 'failed outside its tests'}`] : [];
    return failed.flatMap((t) => [`  ${where} › ${t.fullName}`, ...firstLines(t.failureMessages.join('\n'), 3)]);
  });
};

/** The process groups of the runs going on in the background, stopped with this process. */
const running = new Set<number>();
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    for (const pid of running) process.kill(-pid, 'SIGTERM');
    process.exit(130);
  });

/**
 * One vitest run under the run's clock: in the background, its output kept for a failure's
 * report, or in the foreground, its output shown as it comes.
 */
const runUnderClock = (run: Run, foreground: boolean): Promise<Outcome> =>
  new Promise((resolve) => {
    const started = Date.now();
    const offset = Math.round((run.clock.at() - started) / 1000);
    const reports = mkdtempSync(join(tmpdir(), 'test-on-dates-'));
    const reportFile = join(reports, 'report.json');
    const reporters = foreground ? [] : ['--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`];
    const child = spawn('faketime', ['-m', '-f', `${offset >= 0 ? '+' : ''}${offset}`, process.execPath, VITEST, 'run', ...reporters, ...run.args], {
      env: { ...process.env, ...run.env, NO_FAKE_STAT: '1' },
      stdio: foreground ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      // In the background, its own process group: faketime does not pass a signal on to the
      // program it runs, so a run that hangs, or is stopped, is stopped whole.
      detached: !foreground,
    });
    const pid = child.pid;
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    let timer: NodeJS.Timeout | undefined;
    if (!foreground && pid) {
      running.add(pid);
      timer = setTimeout(() => {
        output += `\nstopped after ${RUN_TIMEOUT_MS / 1000} s\n`;
        process.kill(-pid, 'SIGKILL');
      }, RUN_TIMEOUT_MS);
    }
    child.on('close', (code) => {
      clearTimeout(timer);
      if (pid) running.delete(pid);
      const ok = code === 0;
      const failures = ok || foreground ? [] : failuresIn(reportFile);
      rmSync(reports, { recursive: true, force: true });
      resolve({ run, ok, seconds: (Date.now() - started) / 1000, output, failures });
    });
  });

/**
 * The workflow runs first, one at a time and alone: their sandbox runs a case's clock five days
 * per real second, and a Lambda slowed by another run (even one at the lowest CPU priority) was
 * outrun by the next checkpoint: an escalation skipped, a reminder before its decision request
 * existed. The unit runs, which depend on no real time, then two at a time.
 */
const UNIT_CONCURRENCY = 2;

const runAll = async (runs: Run[], concurrency: number): Promise<Outcome[]> => {
  const queue = [...runs];
  const outcomes: Outcome[] = [];
  const worker = async () => {
    for (let run = queue.shift(); run; run = queue.shift()) {
      const outcome = await runUnderClock(run, false);
      process.stdout.write(`  ${outcome.ok ? '✓' : '✗'} ${run.what} at ${run.clock.spec} (from ${startOf(run.clock)}) ${outcome.seconds.toFixed(1)} s\n`);
      outcomes.push(outcome);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
};

const main = async () => {
  const specs = process.argv.slice(2);
  const missing = faketimeMissing();
  if (missing) {
    process.stderr.write(`${missing}\n`);
    process.exit(1);
  }
  let clocks: Clock[];
  try {
    clocks = specs.map(clockOf);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nUsage: npm run test:on -- <clock>…\n`);
    process.exit(2);
  }
  if (clocks.length) {
    // The whole suite at each clock, one after another, its output as it comes.
    for (const clock of clocks) {
      process.stdout.write(`\nThe whole suite from ${startOf(clock)} (${clock.spec})\n`);
      const outcome = await runUnderClock(wholeSuite(clock), true);
      if (!outcome.ok) process.exit(1);
    }
    return;
  }
  const started = Date.now();
  process.stdout.write('\nOn other days (faketime):\n');
  const outcomes = [...(await runAll(workflowRuns(), 1)), ...(await runAll(unitRuns(), UNIT_CONCURRENCY))];
  const failed = outcomes.filter((o) => !o.ok);
  for (const f of failed) process.stdout.write(`\n---- ${f.run.what} at ${f.run.clock.spec} (from ${startOf(f.run.clock)}) ----\n${f.output}\n`);
  if (failed.length) process.stdout.write('\nFailed on other days:\n');
  for (const f of failed)
    process.stdout.write(`${f.run.what} at ${f.run.clock.spec} (from ${startOf(f.run.clock)}), ${f.seconds.toFixed(1)} s:\n${f.failures.join('\n')}\n`);
  process.stdout.write(
    `${failed.length ? `${failed.length} of ${outcomes.length} runs failed` : `${outcomes.length} runs passed`} on other days in ${((Date.now() - started) / 1000).toFixed(1)} s` +
      `${failed.length ? `; repeat one with npm run test:on -- ${failed[0]?.run.clock.spec}` : ''}\n`,
  );
  if (failed.length) process.exit(1);
};

await main();
