// Runs before `npm start`, `npm test`, `npm run test:on` and `npm run bench` on whatever Node the
// machine has (Node 20 here), so that a fresh clone on a bare Debian machine needs only git and npm:
// first what the command needs from Debian (Java for DynamoDB Local; for the tests Chromium and
// faketime), installed with apt-get when this runs as root, otherwise a stop before anything runs
// that gives the exact command; then the locked npm dependencies, the project's own Node 24 among
// them, when they are missing or older than package-lock.json.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Debian's packages, and what each is for. default-jre-headless is OpenJDK 17 on Debian 12 and 21 on Debian 13 (which has no 17). */
const JAVA = { package: 'default-jre-headless', what: 'Java 17 or later, for DynamoDB Local' };
const CHROMIUM = { package: 'chromium', what: 'Chromium, for the browser tests' };
const FAKETIME = { package: 'faketime', what: 'faketime, for the suite on other days' };

/** What each npm script needs beyond npm's packages: `npm start` and the benchmark only a sandbox, the tests a browser and faketime too. */
const NEEDS = {
  prestart: [JAVA],
  prebench: [JAVA],
  pretest: [JAVA, CHROMIUM, FAKETIME],
  'pretest:on': [JAVA, CHROMIUM, FAKETIME],
};

/** The Java major version `java -version` reports (1.8 is 8), or undefined when there is no Java. */
export const javaMajor = (versionOutput) => {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput ?? '');
  if (!match) return undefined;
  const major = Number(match[1]);
  return major === 1 ? Number(match[2]) : major;
};

/**
 * The Debian packages the lifecycle event needs and the machine lacks, and any problem no package
 * can fix (a CHROMIUM_PATH naming nothing). `probe` answers what is there: the output of
 * `java -version` (undefined without Java), whether a path is an executable, whether faketime runs.
 */
export const missingOnMachine = (lifecycle, env, probe) => {
  const missing = [];
  const problems = [];
  for (const need of NEEDS[lifecycle] ?? []) {
    if (need === JAVA) {
      const output = probe.javaVersion();
      const major = javaMajor(output);
      if (output !== undefined && major !== undefined && major < 17) problems.push(`Java ${major} is installed, and DynamoDB Local needs Java 17 or later`);
      else if (major === undefined) missing.push(need);
    }
    if (need === CHROMIUM) {
      if (env.CHROMIUM_PATH) {
        if (!probe.executable(env.CHROMIUM_PATH))
          problems.push(`CHROMIUM_PATH names ${env.CHROMIUM_PATH}, which is not a program: correct it, or unset it to use Debian's chromium`);
      } else if (!probe.executable('/usr/bin/chromium')) missing.push(need);
    }
    if (need === FAKETIME && !probe.faketimeRuns()) missing.push(need);
  }
  return { missing, problems };
};

/** The command that installs the packages, as root or through sudo. */
export const installCommand = (packages, asRoot) => {
  const sudo = asRoot ? '' : 'sudo ';
  return `${sudo}apt-get update && ${sudo}apt-get install -y ${packages.join(' ')}`;
};

/** What a person reads when this cannot install the packages itself: what is missing, why, and the exact command. */
export const stopMessage = (command, missing, problems, hasAptGet) => {
  const lines = [`${command} needs what this machine lacks:`];
  for (const need of missing) lines.push(`  - ${need.what} (Debian's ${need.package})`);
  for (const problem of problems) lines.push(`  - ${problem}`);
  if (missing.length) {
    lines.push(
      hasAptGet
        ? `Install ${missing.length > 1 ? 'them' : 'it'}, then run ${command} again:\n  ${installCommand(
            missing.map((n) => n.package),
            false,
          )}`
        : `Install ${missing.length > 1 ? 'them' : 'it'} with this system's package manager, then run ${command} again.`,
    );
  }
  return `${lines.join('\n')}\n`;
};

const runs = (command, args) => {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return result.error ? undefined : result;
};

const machineProbe = {
  javaVersion: () => {
    const result = runs('java', ['-version']);
    return result && result.status === 0 ? `${result.stderr}${result.stdout}` : undefined;
  },
  executable: (path) => {
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  },
  faketimeRuns: () => runs('faketime', ['-f', '+0', 'true'])?.status === 0,
};

const ensureMachine = (lifecycle) => {
  const command = lifecycle === 'pretest:on' ? 'npm run test:on' : lifecycle === 'prebench' ? 'npm run bench' : `npm ${lifecycle.slice(3)}`;
  let { missing, problems } = missingOnMachine(lifecycle, process.env, machineProbe);
  const hasAptGet = runs('sh', ['-c', 'command -v apt-get'])?.status === 0;
  if (missing.length && !problems.length && hasAptGet && process.getuid?.() === 0) {
    const packages = missing.map((n) => n.package);
    process.stdout.write(`Installing ${missing.map((n) => n.what).join('; ')}: ${installCommand(packages, true)}\n`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const installed = spawnSync('sh', ['-c', `apt-get update -qq && apt-get install -y -qq ${packages.join(' ')}`], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
    });
    if (installed.status !== 0) {
      process.stderr.write(`apt-get could not install ${packages.join(' ')} (exit ${installed.status}); see above.\n`);
      process.exit(1);
    }
    ({ missing, problems } = missingOnMachine(lifecycle, process.env, machineProbe));
  }
  if (missing.length || problems.length) {
    process.stderr.write(stopMessage(command, missing, problems, hasAptGet));
    process.exit(1);
  }
};

/**
 * npm on the machine's Node (20 here) warns, once per package, that 14 dependencies ask for
 * Node 22 or later, and this project for 24 (EBADENGINE): they never run on that Node, only on the
 * project's own, which every npm script puts first on PATH. Those warnings, four lines each, are
 * told as one line that says so; any other line npm writes is shown as it comes.
 */
export const engineSummary = (blocks, npmNode) => {
  if (!blocks.length) return '';
  const packages = blocks.filter((b) => !b.startsWith('sec-second-user-system@'));
  const project = packages.length < blocks.length ? ' and this project' : '';
  return `npm runs on Node ${npmNode} here, and ${packages.length} packages${project} ask for a newer Node (npm's EBADENGINE warnings): they run on the project's own Node 24 (node_modules/.bin/node), which npm start, npm test and every npm script use.\n`;
};

const installDependencies = () =>
  new Promise((resolve) => {
    process.stdout.write('Installing dependencies (npm ci)…\n');
    const child = spawn('npm', ['ci', '--no-audit', '--no-fund'], { stdio: ['ignore', 'inherit', 'pipe'] });
    const blocks = [];
    let pending = '';
    const pass = (line) => {
      const engine = /^npm warn EBADENGINE(.*)$/.exec(line);
      if (!engine) return process.stderr.write(`${line}\n`);
      const pkg = /package: '([^']+)'/.exec(engine[1]);
      if (pkg) blocks.push(pkg[1]);
    };
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) pass(line);
    });
    child.on('close', (code) => {
      if (pending) pass(pending);
      process.stdout.write(engineSummary(blocks, process.version));
      if (code !== 0) process.exit(code ?? 1);
      resolve();
    });
  });

const main = async () => {
  ensureMachine(process.env.npm_lifecycle_event ?? '');
  const marker = 'node_modules/.package-lock.json';
  const stale = !existsSync(marker) || !existsSync('node_modules/.bin/node') || statSync(marker).mtimeMs < statSync('package-lock.json').mtimeMs;
  if (stale) await installDependencies();
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
