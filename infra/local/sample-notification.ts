import { readFileSync } from 'node:fs';

/**
 * The sample notification (test/fixtures/notification.json) with its dates moved by as many
 * days as separate `today` from the day it was written, so that it stays as valid, and as far
 * from its deadlines, as on that day: the README's example, the demo and the tests never rot.
 */
export const SAMPLE_WRITTEN_ON = '2026-11-24';
const SAMPLE = new URL('../../test/fixtures/notification.json', import.meta.url);

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const shift = (value: unknown, days: number): unknown => {
  if (typeof value === 'string' && DATE.test(value)) return new Date(Date.parse(`${value}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  if (Array.isArray(value)) return value.map((v) => shift(v, days));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shift(v, days)]));
  return value;
};

/** A JSON document of free shape, read and edited by path (a sample body, an SES request as sent). */
// biome-ignore lint/suspicious/noExplicitAny: free-shaped JSON, edited by path in the sandbox and its tools
export type JsonDocument = Record<string, any>;

export const sampleNotification = (today = new Date().toISOString().slice(0, 10)): JsonDocument => {
  const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${SAMPLE_WRITTEN_ON}T00:00:00Z`)) / 86_400_000);
  return shift(JSON.parse(readFileSync(SAMPLE, 'utf8')), days) as JsonDocument;
};
