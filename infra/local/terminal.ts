import { createWriteStream } from 'node:fs';
import { currentFunctionName } from './lambda-context';
import type { SandboxEvent } from './sandbox';

/**
 * What `npm start` shows a person: its banner, then a line per notable event (a request answered,
 * an email sent, a workflow step entered, a case's workflow ended), and the functions' warnings
 * and errors in one line each. The functions' own output, Powertools' JSON logs and EMF metric
 * lines as Lambda would ship them to CloudWatch, goes to a file, or with SANDBOX_LOGS=terminal to
 * the terminal, one readable line each. The functions are not told: the sandbox routes what they
 * write during an invocation (its InvokeStore context) by where it was written from.
 */

export type LogDestination = 'file' | 'terminal';

export const logDestination = (value: string | undefined): LogDestination => {
  if (value === undefined || value === '' || value === 'file') return 'file';
  if (value === 'terminal') return 'terminal';
  throw new Error(`SANDBOX_LOGS is "${value}": give "file" (the default: the functions' logs go to .sandbox/functions.log) or "terminal"`);
};

const clock = (at: Date) => at.toTimeString().slice(0, 8);

/** Powertools' keys that every line carries and a reader of one line does not need. */
const ROUTINE_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
  'correlation_id',
  'reference',
]);

const compact = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * One line a function wrote, as a person reads it: `10:15:03 SubmitNotification SUS-… WARN message key=value`;
 * an EMF metric as `metric NotificationsFiled 1 (Late=false)`; anything else as it was written.
 */
export const readableLine = (line: string, functionName: string, at = new Date()): string => {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `${clock(at)} ${functionName} ${line}`;
  }
  if (entry === null || typeof entry !== 'object') return `${clock(at)} ${functionName} ${line}`;
  const emf = (entry._aws as { Timestamp?: number; CloudWatchMetrics?: Array<{ Dimensions: string[][]; Metrics: Array<{ Name: string }> }> } | undefined)
    ?.CloudWatchMetrics?.[0];
  if (emf) {
    const dimensions = emf.Dimensions.flat()
      .filter((d) => d !== 'service')
      .map((d) => `${d}=${compact(entry[d])}`);
    const metrics = emf.Metrics.map((m) => `${m.Name} ${compact(entry[m.Name])}`).join(', ');
    return `${clock(at)} ${functionName} metric ${metrics}${dimensions.length ? ` (${dimensions.join(', ')})` : ''}`;
  }
  const time = typeof entry.timestamp === 'string' && !Number.isNaN(Date.parse(entry.timestamp)) ? new Date(entry.timestamp) : at;
  const level = typeof entry.level === 'string' && entry.level !== 'INFO' ? ` ${entry.level}` : '';
  const reference = typeof entry.reference === 'string' ? ` ${entry.reference}` : '';
  const rest = Object.entries(entry)
    .filter(([key]) => !ROUTINE_KEYS.has(key))
    .map(([key, value]) => `${key}=${compact(value)}`);
  return `${clock(time)} ${functionName}${reference}${level} ${compact(entry.message ?? '')}${rest.length ? ` ${rest.join(' ')}` : ''}`;
};

/** Whether a line a function wrote is a warning or an error (shown on the terminal whatever SANDBOX_LOGS says). */
export const isWarningOrError = (line: string): boolean => /^\{.*"level":"(WARN|ERROR|CRITICAL)"/.test(line);

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A notable event, a line. */
export const eventLine = (event: SandboxEvent, at = new Date()): string => {
  const when = clock(at);
  switch (event.kind) {
    case 'answer':
      return `${when} ${event.method} ${event.path} → ${event.status} ${event.functionName ?? (event.path === '/oauth2/token' ? '(token endpoint)' : '(API Gateway)')}${event.reference && !event.path.includes(event.reference) ? ` ${event.reference}` : ''}`;
    case 'email':
      return `${when} email to ${event.to.join(', ')}: ${cut(event.subject, 100)}`;
    case 'step':
      return `${when} ${event.reference} ${event.state}${event.waits ? ' (waits for a person)' : ''}`;
    case 'ended':
      return event.status === 'SUCCEEDED'
        ? `${when} ${event.reference} ended in ${event.state ?? 'its final state'}`
        : `${when} ${event.reference} workflow ${event.status} in ${event.state ?? 'its first state'}${event.error ? ` (${event.error})` : ''}`;
  }
};

/**
 * Routes what the functions write (stdout and stderr, during an invocation) away from the
 * terminal: each line to the log file, or to the terminal as a readable line; a warning or error
 * to the terminal in any case. What the sandbox itself writes is left as it is.
 */
export const routeFunctionOutput = (destination: LogDestination, file: string): { close: () => Promise<void> } => {
  const log = destination === 'file' ? createWriteStream(file, { flags: 'w' }) : undefined;
  const terminal = process.stdout.write.bind(process.stdout);
  const pending = new Map<string, string>();
  const route = (stream: NodeJS.WriteStream) => {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const functionName = currentFunctionName();
      if (functionName === undefined) return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
      const text = (pending.get(functionName) ?? '') + (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const lines = text.split('\n');
      pending.set(functionName, lines.pop() ?? '');
      for (const line of lines) {
        log?.write(`${line}\n`);
        if (!log || isWarningOrError(line)) terminal(`${readableLine(line, functionName)}\n`);
      }
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
  };
  route(process.stdout);
  route(process.stderr);
  return { close: () => new Promise((resolve) => (log ? log.end(resolve) : resolve())) };
};
