import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type MachineProbe, engineSummary, javaMajor, missingOnMachine, stopMessage } from '../../infra/local/ensure-dependencies.mjs';

/** What `npm start` and `npm test` find missing on a machine, and what they tell a person who cannot install it as root. */
const bare: MachineProbe = { javaVersion: () => undefined, executable: () => false, faketimeRuns: () => false };
const equipped: MachineProbe = {
  javaVersion: () => 'openjdk version "17.0.15" 2025-04-15',
  executable: (p: string) => p === '/usr/bin/chromium',
  faketimeRuns: () => true,
};
const packagesOf = (lifecycle: string, probe = bare, env: Record<string, string> = {}) => missingOnMachine(lifecycle, env, probe).missing.map((n) => n.package);

describe('what npm start and npm test need from Debian', () => {
  it('npm start needs Java only; npm test and test:on Java, Chromium and faketime; nothing on an equipped machine', () => {
    expect(packagesOf('prestart')).toEqual(['default-jre-headless']);
    expect(packagesOf('prebench')).toEqual(['default-jre-headless']);
    expect(packagesOf('pretest')).toEqual(['default-jre-headless', 'chromium', 'faketime']);
    expect(packagesOf('pretest:on')).toEqual(['default-jre-headless', 'chromium', 'faketime']);
    expect(packagesOf('pretest', equipped)).toEqual([]);
    expect(packagesOf('prelint')).toEqual([]);
  });

  it('reads the Java version, and refuses a Java older than 17 rather than installing beside it', () => {
    expect(javaMajor('openjdk version "21.0.2" 2024-01-16')).toBe(21);
    expect(javaMajor('java version "1.8.0_392"')).toBe(8);
    expect(javaMajor(undefined)).toBeUndefined();
    const old = missingOnMachine('prestart', {}, { ...equipped, javaVersion: () => 'openjdk version "11.0.22"' });
    expect(old.missing).toEqual([]);
    expect(old.problems).toEqual(['Java 11 is installed, and DynamoDB Local needs Java 17 or later']);
  });

  it('takes CHROMIUM_PATH as the browser, and says so when it names nothing', () => {
    expect(packagesOf('pretest', equipped, { CHROMIUM_PATH: '/opt/chrome/chrome' })).toEqual([]);
    const named = missingOnMachine('pretest', { CHROMIUM_PATH: '/opt/chrome/chrome' }, equipped);
    expect(named.problems).toEqual([expect.stringContaining('CHROMIUM_PATH names /opt/chrome/chrome, which is not a program')]);
    expect(packagesOf('pretest', { ...equipped, executable: (p: string) => p === '/opt/chrome/chrome' }, { CHROMIUM_PATH: '/opt/chrome/chrome' })).toEqual([]);
  });

  it('gives a person without root the exact command to run', () => {
    const { missing, problems } = missingOnMachine('pretest', {}, bare);
    const message = stopMessage('npm test', missing, problems, true);
    expect(message).toContain('npm test needs what this machine lacks:');
    expect(message).toContain('sudo apt-get update && sudo apt-get install -y default-jre-headless chromium faketime');
    expect(stopMessage('npm test', missing, problems, false)).toContain("with this system's package manager");
  });

  it("tells npm's EBADENGINE warnings as one line that says why they do not matter", () => {
    expect(engineSummary([], 'v20.20.2')).toBe('');
    const line = engineSummary(['sec-second-user-system@0.1.0', 'vitest@5.1.1', '@middy/core@7.9.2'], 'v20.20.2');
    expect(line).toMatch(/^npm runs on Node v20.20.2 here, and 2 packages and this project ask for a newer Node .*Node 24 .*\n$/);
    expect(line.split('\n')).toHaveLength(2);
  });

  it('stops before anything runs when a command it needs is missing', () => {
    // A machine with nothing but a shell: no Java, no faketime, no apt-get.
    const bin = mkdtempSync(join(tmpdir(), 'bare-machine-'));
    symlinkSync('/bin/sh', join(bin, 'sh'));
    writeFileSync(join(bin, 'java'), '#!/bin/sh\necho \'openjdk version "11.0.22"\' >&2\n');
    chmodSync(join(bin, 'java'), 0o755);
    const run = spawnSync(process.execPath, ['infra/local/ensure-dependencies.mjs'], {
      env: { PATH: bin, npm_lifecycle_event: 'pretest', CHROMIUM_PATH: join(bin, 'chromium') },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('npm test needs what this machine lacks:');
    expect(run.stderr).toContain('Java 11 is installed');
    expect(run.stderr).toContain(`CHROMIUM_PATH names ${join(bin, 'chromium')}`);
    expect(run.stderr).toContain("faketime, for the suite on other days (Debian's faketime)");
    expect(run.stdout).not.toContain('npm ci');
  });
});
