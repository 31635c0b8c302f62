import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filerCode } from '../../functions/domain/reference';
import { sandboxClients } from '../../infra/local/sandbox-clients';

/**
 * The README's examples, as a newcomer copies them: `npm start`'s own program (infra/local/start.ts,
 * in a folder of its own, on free ports: SANDBOX_PORTS=any), then every shell block the README marks
 * `<!-- readme-examples: run -->`, run by bash in that folder, each command in turn, with the
 * sandbox's API address in place of http://localhost:3000. Each command must succeed; a comment
 * `# → NNN` after a command is the HTTP status its output must show. And the terminal `npm start`
 * leaves a person: its banner, then a line per notable event, and no JSON.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README_API = 'http://localhost:3000';

interface Command {
  text: string;
  /** The statuses its `# → NNN` comment promises. */
  statuses: string[];
}

/** The marked blocks' commands: continued lines joined, each with the comments that follow it. */
const readmeCommands = (readme: string): Command[][] =>
  [...readme.matchAll(/<!-- readme-examples: run[^>]*-->\n```sh\n([\s\S]*?)```/g)].map(([, block]) => {
    const commands: Command[] = [];
    let continued = '';
    for (const line of (block as string).split('\n')) {
      if (/^\s*#/.test(line)) {
        const status = /^\s*# → (\d{3})\b/.exec(line)?.[1];
        if (status) commands.at(-1)?.statuses.push(status);
        continue;
      }
      if (!line.trim()) continue;
      continued += `${line.replace(/\\$/, '')}${line.endsWith('\\') ? ' ' : ''}`;
      if (!line.endsWith('\\')) {
        commands.push({ text: continued, statuses: [] });
        continued = '';
      }
    }
    return commands;
  });

const folder = mkdtempSync(join(tmpdir(), 'readme-'));
let sandbox: ChildProcess;
let terminal = '';
let apiUrl = '';

beforeAll(async () => {
  // A project folder's package.json, as the README's commands meet it (node -p reads CommonJS all the same).
  writeFileSync(join(folder, 'package.json'), '{ "type": "module" }\n');
  sandbox = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'infra/local/start.ts')], {
    cwd: folder,
    env: { ...process.env, SANDBOX_PORTS: 'any', SANDBOX_LOGS: '', POWERTOOLS_LOG_LEVEL: 'INFO', POWERTOOLS_METRICS_DISABLED: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  sandbox.stdout?.on('data', (chunk) => {
    terminal += chunk;
  });
  sandbox.stderr?.on('data', (chunk) => {
    terminal += chunk;
  });
  const deadline = Date.now() + 50_000;
  while (!terminal.includes('What happens, a line each:')) {
    if (Date.now() > deadline || sandbox.exitCode !== null) throw new Error(`npm start's sandbox did not start:\n${terminal}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  apiUrl = /API \(HTTP API routes\)\s+(http:\/\/localhost:\d+)/.exec(terminal)?.[1] ?? '';
});

afterAll(async () => {
  if (sandbox.exitCode === null) {
    const exited = new Promise((resolve) => sandbox.once('exit', resolve));
    sandbox.kill('SIGINT');
    await exited;
  }
  rmSync(folder, { recursive: true, force: true });
});

describe("the README's examples, copied as written, against npm start's sandbox", () => {
  it('marks the blocks it runs: the case, and the token endpoint', () => {
    const blocks = readmeCommands(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const all = blocks.flat().map((c) => c.text);
    expect(all.some((c) => c.includes('-X POST http://localhost:3000/notifications'))).toBe(true);
    expect(all.some((c) => c.includes('/oauth2/token'))).toBe(true);
  });

  it('works: each command succeeds and answers what its comment says', () => {
    const commands = readmeCommands(readFileSync(join(ROOT, 'README.md'), 'utf8')).flat();
    // A body need not end its line: each marker starts a line of its own.
    const marked = commands.map((c, i) => `${c.text.replaceAll(README_API, apiUrl)}\nstatus=$?; printf '\\n@@ ${i} %s\\n' "$status"`);
    const script = [...marked, 'echo "@@ REF=$REF"'].join('\n');
    const run = spawnSync('bash', ['-c', script], { cwd: folder, encoding: 'utf8', env: process.env, timeout: 60_000 });
    expect(run.error).toBeUndefined();
    const outputs = run.stdout.split(/^@@ (\d+) (\d+)$/m);
    // [before, i, status, output, i, status, output, …]: the output before each marker is its command's.
    let before = outputs[0] ?? '';
    for (let k = 1; k + 1 < outputs.length; k += 3) {
      const command = commands[Number(outputs[k])] as Command;
      expect(outputs[k + 1], `${command.text}\n${before}\n${run.stderr}`).toBe('0');
      for (const status of command.statuses) expect(before, command.text).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `, 'm'));
      before = outputs[k + 2] ?? '';
    }
    expect((outputs.length - 1) / 3, 'every command ran').toBe(commands.length);

    // The reference comes from the 201, and is the demo User's, numbered from 1 at every start.
    const reference = /^@@ REF=(.*)$/m.exec(run.stdout)?.[1];
    expect(reference).toMatch(new RegExp(`^SUS-${filerCode(sandboxClients.user.clientId)}-\\d{4}-0001$`));
    const out = run.stdout;
    expect(out).toMatch(new RegExp(`^HTTP/1\\.1 201 [\\s\\S]*^Location: /notifications/${reference}\\r?$`, 'im'));
    expect(out).toContain(`"reference":"${reference}"`);
    expect(out).toContain('{"message":"Unauthorized"}');
    expect(out).toMatch(/"access_token":"[\w-]+\.[\w-]+\.[\w-]+"/);
    expect(JSON.parse(readFileSync(join(folder, '.sandbox/case.json'), 'utf8'))).toMatchObject({ reference, status: expect.any(String) });
  });

  it("leaves a quiet terminal: the banner, a line per notable event, no JSON; the functions' logs in the file it names", async () => {
    // The case the examples filed has reached the SSC's wait by now, or will shortly.
    const deadline = Date.now() + 10_000;
    while (!terminal.includes('AwaitSscDecision (waits for a person)') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const [banner = '', events = ''] = terminal.split('What happens, a line each:\n');
    expect(banner).toContain('.sandbox/functions.log (SANDBOX_LOGS=terminal shows them here)');
    expect(banner).not.toMatch(/Bearer ey/);
    const lines = events.split('\n').filter(Boolean);
    expect(lines.filter((l) => l.trimStart().startsWith('{'))).toEqual([]);
    const reference = /POST \/notifications → 201 SubmitNotification (SUS-\S+)/.exec(events)?.[1] as string;
    expect(reference).toBeDefined();
    for (const expected of [
      `${reference} AcknowledgeReceipt`,
      `${reference} AwaitSscDecision (waits for a person)`,
      `email to ssc@secas.example.org: SSC decision needed: ${reference}`,
      `GET /notifications/${reference} → 404 GetNotification`,
      `GET /notifications/${reference} → 401 (API Gateway)`,
    ])
      expect(events).toContain(expected);
    for (const line of lines) expect(line, 'each line starts with its time').toMatch(/^\d{2}:\d{2}:\d{2} /);
    const logged = readFileSync(join(folder, '.sandbox/functions.log'), 'utf8').split('\n').filter(Boolean);
    expect(logged.length).toBeGreaterThan(0);
    for (const line of logged) expect(() => JSON.parse(line), line).not.toThrow();
    expect(logged.some((l) => l.includes('"NotificationsFiled"'))).toBe(true);
  });
});
