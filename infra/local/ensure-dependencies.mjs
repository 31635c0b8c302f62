// Runs before `npm start` and `npm test` on whatever Node the machine has (Node 20 here):
// installs the locked dependencies, including the project's own Node 24, when they are
// missing or older than package-lock.json, so a fresh clone needs nothing but npm.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || !existsSync('node_modules/.bin/node') || statSync(marker).mtimeMs < statSync('package-lock.json').mtimeMs;
if (stale) {
  process.stdout.write('Installing dependencies (npm ci)…\n');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}
