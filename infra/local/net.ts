import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * Fails, naming what wanted the port, when anything already listens on it: a server left
 * running by an earlier sandbox would otherwise answer in the new one's place.
 */
export const assertPortFree = (port: number, what: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `port ${port} for ${what} is in use: another sandbox, or a server it left, is still running (see \`lsof -i :${port}\`); stop it and start again`
            : `port ${port} for ${what}: ${error.message}`,
        ),
      ),
    );
    probe.listen(port, () => probe.close(() => resolve()));
  });

/** Retries `probe` until it resolves, or fails with its last error after `timeoutMs`. */
export const waitFor = async (probe: () => Promise<unknown>, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await probe();
      return;
    } catch (error) {
      if (Date.now() > deadline || (error as Error).message.includes('exited')) throw error;
      await sleep(100);
    }
  }
};
