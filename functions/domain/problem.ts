import type * as z from 'zod';

/**
 * HTTP problem details (RFC 9457). Every error the API returns is one of these, thrown as a
 * `Problem` by the domain or the handler and rendered by the problem-details middleware.
 */
export interface FieldError {
  /** JSON path of the offending field, e.g. `/newUserSystem/plannedLiveOn`. */
  pointer: string;
  detail: string;
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  /** A disposed case's record (410 gone): RFC 9457 extension member. */
  disposal?: unknown;
}

export const PROBLEM_TYPE_BASE = 'https://sec-second-user-system.example.org/problems/';

/** Every problem the API answers, by the last segment of its `type`: the statuses it comes with and what it means (the API description lists them). */
export const problemTypes = {
  'malformed-json': { statuses: [400], meaning: 'The body is not JSON.' },
  'duplicate-key': { statuses: [400], meaning: 'An object in the body gives the same key twice (at any depth): which value was meant is ambiguous.' },
  'invalid-encoding': {
    statuses: [400],
    meaning: 'The body is not UTF-8 text, or holds U+FFFD (the replacement character, which stands where bytes that were not UTF-8 were received).',
  },
  'bad-request': { statuses: [400], meaning: 'The request could not be read (its encoding or headers).' },
  'filter-required': { statuses: [400], meaning: 'SECAS lists by status or by owner: give one of them.' },
  'invalid-cursor': { statuses: [400], meaning: 'The cursor is not one this listing gave.' },
  'invalid-idempotency-key': { statuses: [400], meaning: 'An Idempotency-Key is 8 to 128 characters: letters, digits, and . _ : -' },
  unauthenticated: {
    statuses: [401],
    meaning:
      'No valid access token: API Gateway answers this itself (401 `{"message":"Unauthorized"}`); a function says it only behind a route left without its authorizer.',
  },
  forbidden: {
    statuses: [403],
    meaning:
      'The token\'s client may not do this: a User listing another User\'s cases (`owner`). A token without the route\'s scope gets API Gateway\'s own 403 `{"message":"Forbidden"}`.',
  },
  'not-found': { statuses: [404], meaning: 'No such case, or not one this client may see; or no such client or key in the register.' },
  gone: {
    statuses: [410],
    meaning:
      "The case was disposed of at the end of its decision record's retention period: `disposal` says when, under which retention schedule, and the final head its history was verified at. Only its owner and SECAS are told; to anyone else it is not found.",
  },
  'method-not-allowed': { statuses: [405], meaning: 'The resource answers other methods only (see the Allow header).' },
  conflict: {
    statuses: [409],
    meaning:
      'The case is not in a state that takes this action (it has moved on); or the register refuses the change (a kid used before, a third active key, an offboarded client); or the retention schedule was changed meanwhile; nothing was changed.',
  },
  'idempotency-key-reused': { statuses: [409], meaning: 'This Idempotency-Key was used with a different body.' },
  'request-in-progress': { statuses: [409], meaning: 'A request with this Idempotency-Key is still being processed; retry shortly.' },
  'precondition-failed': {
    statuses: [412],
    meaning:
      'The If-Match names a version of the case that is no longer its current one (it was amended meanwhile): GET the case, and patch its current version (its ETag).',
  },
  'precondition-required': {
    statuses: [428],
    meaning: 'Send If-Match with the ETag of the case as you last read it (GET the case), so an amendment never overwrites one you have not seen.',
  },
  'payload-too-large': { statuses: [413], meaning: 'The body is larger than 256 KiB.' },
  'unsupported-media-type': { statuses: [415], meaning: 'Send the body as application/json.' },
  validation: { statuses: [422], meaning: 'Fields are missing, malformed, unknown or outside their windows: `errors` names each by JSON pointer.' },
  'forbidden-key': { statuses: [422], meaning: 'The body uses a reserved key (__proto__, constructor or prototype).' },
  'invalid-key': {
    statuses: [422],
    meaning:
      'A key SECAS tried to register is not a public key of an allowed kind (EC P-256, Ed25519, RSA ≥ 2048 bits): private, symmetric, too small, another curve, or unreadable.',
  },
  internal: { statuses: [500], meaning: 'An error the server logged; nothing half-written. Retrying may help.' },
  'dependency-unavailable': { statuses: [503], meaning: 'A service the API depends on is passing through a fault; retry after Retry-After seconds.' },
  'workflow-unavailable': { statuses: [503], meaning: 'The workflow could not be reached just now; nothing has been changed; try again in a minute.' },
} as const;
export type ProblemSlug = keyof typeof problemTypes;

export class Problem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  readonly disposal: unknown;

  constructor(
    status: number,
    slug: ProblemSlug,
    title: string,
    detail?: string,
    options: { errors?: FieldError[]; headers?: Record<string, string>; disposal?: unknown } = {},
  ) {
    super(detail ?? title);
    this.name = 'Problem';
    this.status = status;
    this.type = PROBLEM_TYPE_BASE + slug;
    this.title = title;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.disposal = options.disposal;
  }

  toDocument(instance?: string): ProblemDocument {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
      ...(this.disposal === undefined ? {} : { disposal: this.disposal }),
    };
  }
}

const pointer = (path: ReadonlyArray<PropertyKey>): string =>
  `/${path.map((segment) => String(segment).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;

type Issue = z.core.$ZodIssue;

/** Unknown keys of the object the issue is about (not of a nested one). */
const unknownKeysHere = (issue: Issue): issue is z.core.$ZodIssueUnrecognizedKeys => issue.code === 'unrecognized_keys' && issue.path.length === 0;

/**
 * The fields an issue is about. A body that matches none of a union's shapes (the assessment's date,
 * or its outcome) is told about the shape it meant: the one whose keys it uses, if only one takes
 * them all; keys of several shapes given together are each named; nothing of any shape, the keys
 * each would need.
 */
const fieldErrors = (issue: Issue, at: ReadonlyArray<PropertyKey> = []): FieldError[] => {
  const path = [...at, ...issue.path];
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ pointer: pointer([...path, key]), detail: 'unknown field' }));
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [{ pointer: pointer(path), detail: issue.message }];
  const fitting = issue.errors.filter((branch) => !branch.some(unknownKeysHere));
  if (fitting.length === 1) return (fitting[0] as Issue[]).flatMap((i) => fieldErrors(i, path));
  if (issue.errors.every((branch) => branch.every(unknownKeysHere))) {
    // Each shape names the keys of the others: in the union's order, the last shape's first.
    const keys = [...new Set(issue.errors.flatMap((branch) => branch.flatMap((i) => (unknownKeysHere(i) ? i.keys : []))))].reverse();
    return keys.map((key) => ({ pointer: pointer([...path, key]), detail: `give ${keys.join(' or ')}, not both` }));
  }
  const needed = issue.errors.flatMap((branch) => branch.filter((i) => i.code === 'invalid_type' && i.path.length === 1).map((i) => String(i.path[0])));
  return [{ pointer: pointer(path), detail: needed.length === issue.errors.length ? `must give one of ${needed.join(', ')}` : issue.message }];
};

/** A zod failure as a 422 naming every field, including unknown ones a strict object rejected. */
export const validationProblem = (error: z.ZodError, title = 'The request body is not valid'): Problem =>
  new Problem(422, 'validation', title, 'See errors for each field.', { errors: error.issues.flatMap((issue) => fieldErrors(issue)) });

/** A 422 for fields that passed their schema but not a rule of the process (a date outside its window). */
export const invalidFields = (errors: FieldError[], title = 'The request body is not valid'): Problem =>
  new Problem(422, 'validation', title, errors.map((e) => `${e.pointer} ${e.detail}`).join('; '), { errors });

export const notFound = (what: string): Problem => new Problem(404, 'not-found', 'Not found', `${what} was not found.`);
