import { startSandbox } from '../../infra/local/sandbox';

/** A sandbox in a process of its own, for tests of how it ends: prints its URLs once ready. */
const sandbox = await startSandbox({ ports: { dynamodb: Number(process.argv[2]) } });
process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid, dynamodbUrl: sandbox.dynamodbUrl })}\n`);
setInterval(() => undefined, 60_000);
