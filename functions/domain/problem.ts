import type { z } from 'zod';

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
}

const TYPE_BASE = 'https://sec-second-user-system.example.org/problems/';

export class Problem extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    slug: string,
    title: string,
    detail?: string,
    options: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? title);
    this.name = 'Problem';
    this.status = status;
    this.type = TYPE_BASE + slug;
    this.title = title;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
  }

  toDocument(instance?: string): ProblemDocument {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

const pointer = (path: ReadonlyArray<PropertyKey>): string =>
  '/' + path.map((segment) => String(segment).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** A zod failure as a 422 naming every field, including unknown ones a strict object rejected. */
export const validationProblem = (error: z.ZodError, title = 'The request body is not valid'): Problem =>
  new Problem(422, 'validation', title, 'See errors for each field.', {
    errors: error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ pointer: pointer([...issue.path, key]), detail: 'unknown field' }))
        : [{ pointer: pointer(issue.path), detail: issue.message }],
    ),
  });

/** A 422 for fields that passed their schema but not a rule of the process (a date outside its window). */
export const invalidFields = (errors: FieldError[], title = 'The request body is not valid'): Problem =>
  new Problem(422, 'validation', title, errors.map((e) => `${e.pointer} ${e.detail}`).join('; '), { errors });

export const notFound = (what: string): Problem => new Problem(404, 'not-found', 'Not found', `${what} was not found.`);
