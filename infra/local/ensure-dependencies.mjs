// Runs before `npm start` and `npm test` on whatever Node the machine has (Node 20 here):
// installs the locked dependencies, including the project's own Node 24, when they are
// missing or older than package-lock.json, so a fresh clone needs nothing but npm.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || !existsSync('node_modules/.bin/node') || statSync(marker).mtimeMs < statSync('package-lock.json').mtimeMs;
if (stale) {
  process.stdout.write('Installing dependencies (npm ci)…\n');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}

// `npm test` ends with the suite on other days, under Debian's faketime (libfaketime): installed
// here when this runs as root on a Debian-like machine, as .ci/run does for Java and Chromium;
// otherwise a clear stop before the suite runs, not after.
const lifecycle = process.env.npm_lifecycle_event ?? '';
const works = (command, args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
if (lifecycle.startsWith('pretest') && !works('faketime', ['-f', '+0', 'true'])) {
  if (process.getuid?.() === 0 && works('sh', ['-c', 'command -v apt-get'])) {
    process.stdout.write('Installing faketime (apt-get install faketime)…\n');
    execSync('apt-get update -qq && apt-get install -y -qq faketime', { stdio: 'inherit' });
  } else {
    process.stderr.write('npm test runs the suite on other days under faketime, which is missing: install it with `apt-get install faketime` (as root).\n');
    process.exit(1);
  }
}
