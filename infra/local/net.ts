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
