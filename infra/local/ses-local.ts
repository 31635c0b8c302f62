import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesLocal from 'aws-ses-v2-local';

/** aws-ses-v2-local, in-process: SES v2 SendEmail for the handlers, and a web inbox for people. */
export const startSesLocal = async (port = 0): Promise<{ server: Server; url: string }> => {
  // The package is CommonJS with a default export; unwrap it whichever way the loader hands it over.
  const start = ((sesLocal as unknown as { default?: typeof sesLocal }).default ?? sesLocal) as typeof sesLocal;
  const server = await start({ host: '127.0.0.1', port });
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}` };
};
