import { fileURLToPath, pathToFileURL } from 'node:url';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Imports a catalogue entry (e.g. functions/api/x.ts) and returns its `handler`, once per entry. */
const loaded = new Map<string, Promise<unknown>>();
export const loadHandler = <H>(entry: string): Promise<H> => {
  let handler = loaded.get(entry);
  if (!handler) {
    handler = import(/* @vite-ignore */ pathToFileURL(projectRoot + entry).href).then((m: { handler: unknown }) => m.handler);
    loaded.set(entry, handler);
  }
  return handler as Promise<H>;
};
