import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Correction } from '../../../functions/domain/html';
import type { ProblemDocument } from '../../../functions/domain/problem';
import { type ClientSigningKey, requestAccessToken } from '../../tools/token';
import { readBody } from '../http-kit';
import { messagePage } from './pages';
import { CONTACT_ORDINALS, type Client, type FormName, type FormValues, formPage, forms, offboardConfirmPage, userPage, usersPage } from './user-pages';

/**
 * The console's pages for the register of SEC Users. The console is a client of the API: it reads
 * and changes the register only through the API's SECAS routes, with the sandbox's SECAS client's
 * own key (a token from the token endpoint, as any client gets one), so the register's rules live
 * in one place. A refusal (the API's 409/422 problem) shows the form again with its detail beside
 * the field it names; nothing changed.
 *
 * Forgery: a form's POST must come from the console's own pages: its Origin must be the console's
 * (a browser sends it on every POST), and it must carry the console's token, a random value made
 * at start that only its pages hold (another site's page cannot read them: the console answers
 * only requests addressed to localhost).
 */
export interface RegisterApi {
  url: string;
  /** SECAS's machine client in the sandbox: what the console signs its assertions with. */
  secas: ClientSigningKey;
}

export type Answer = { status: number; html: string } | { redirect: string };

/** The form fields' largest submission: a JWK of an RSA 4096-bit key with room to spare. */
const FORM_LIMIT = 64 * 1024;

/**
 * How the console takes a form, for every register it keeps: only from its own pages, which carry
 * its Origin and its per-start token; a form larger than FORM_LIMIT is refused whole.
 */
export const formGuard = (consoleOrigins: () => ReadonlySet<string>) => {
  const csrf = randomBytes(32).toString('base64url');
  const sameToken = (sent: string | undefined) => {
    const a = Buffer.from(sent ?? '');
    const b = Buffer.from(csrf);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  /** A POST's fields (without the token), or the page refusing it. */
  const accept = async (req: IncomingMessage): Promise<{ values: Record<string, string> } | { refused: Answer }> => {
    const body = await readBody(req, FORM_LIMIT);
    if (body === 'too-large')
      return { refused: { status: 413, html: messagePage('Too large', 'The form was larger than the console takes. Nothing has changed.') } };
    const fields = new URLSearchParams(body.toString('utf8'));
    if (!consoleOrigins().has(req.headers.origin ?? '') || !sameToken(fields.get('csrf') ?? undefined))
      return { refused: { status: 403, html: messagePage('Refused', 'The console takes forms only from its own pages. Nothing has changed.') } };
    return { values: Object.fromEntries([...fields].filter(([name]) => name !== 'csrf')) };
  };
  return { csrf, accept };
};

/** The API as SECAS's machine client: `fetch` with SECAS's access token, renewed as it lapses. */
export const secasFetch = (register: RegisterApi) => {
  let token: { value: string; until: number } | undefined;
  const authorization = async () => {
    if (!token || token.until < Date.now()) {
      const { accessToken, expiresIn } = await requestAccessToken(register.secas, register.url);
      // Renewed a minute before it expires, so no request carries a token about to lapse.
      token = { value: `Bearer ${accessToken}`, until: Date.now() + (expiresIn - 60) * 1000 };
    }
    return token.value;
  };
  return async (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${register.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: await authorization() } });
};

/** The API's JSON routes as SECAS's machine client. */
export const apiCaller = (register: RegisterApi) => {
  const send = secasFetch(register);
  return async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const response = await send(path, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
};

/** The API's refusal, as corrections: each field it names; a refusal naming none, beside the form's first field. */
export const correctionsOf = (problem: ProblemDocument, fallback: string): Correction[] =>
  problem.errors?.length
    ? problem.errors.map((e) => ({ pointer: e.pointer, detail: e.detail }))
    : [{ pointer: fallback, detail: problem.detail ?? problem.title }];

/** A pasted key: a JWK when it reads as a JSON object, the PEM text otherwise (the API says which it could not read). */
const keyOf = (pasted: string): string | Record<string, unknown> => {
  try {
    const parsed: unknown = JSON.parse(pasted);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Not JSON: a PEM.
  }
  return pasted;
};

/**
 * The contacts as typed, up to the last one with anything in it: one left empty between two is
 * sent as it is, so that the API's refusal points at its fields.
 */
const contactsOf = (v: FormValues) => {
  const typed = CONTACT_ORDINALS.map((_, i) => ({
    name: (i ? v[`contact${i + 1}Name`] : v.contactName) ?? '',
    email: (i ? v[`contact${i + 1}Email`] : v.contactEmail) ?? '',
  }));
  const last = typed.findLastIndex((c, i) => i === 0 || c.name || c.email);
  return typed.slice(0, last + 1);
};

/** What each form sends to the API, from its fields as typed (empty optional fields left out). */
const requests: Record<FormName, (v: FormValues) => unknown> = {
  register: (v) => ({
    name: v.name ?? '',
    secPartyId: v.secPartyId ?? '',
    contacts: contactsOf(v),
    officer: v.officer ?? '',
  }),
  addKey: (v) => ({ kid: v.kid ?? '', publicKey: keyOf(v.publicKey ?? ''), officer: v.officer ?? '' }),
  retire: (v) => ({ officer: v.officer ?? '', ...(v.reason ? { reason: v.reason } : {}) }),
  suspend: (v) => ({ officer: v.officer ?? '', ...(v.reason ? { reason: v.reason } : {}) }),
  reinstate: (v) => ({ officer: v.officer ?? '', ...(v.reason ? { reason: v.reason } : {}) }),
  offboard: (v) => ({ officer: v.officer ?? '', ...(v.reason ? { reason: v.reason } : {}) }),
};

/** The console's routes for the register: `/users…`. Undefined for a path that is not one of them. */
const routeOf = (path: string): { form?: FormName; clientId?: string; kid?: string } | undefined => {
  if (path === '/users') return {};
  if (path === '/users/new') return { form: 'register' };
  const m = /^\/users\/([a-z0-9]{26})(?:\/(keys\/new|keys\/([A-Za-z0-9._-]{1,64})\/retire|suspend|reinstate|offboard))?$/.exec(path);
  if (!m) return undefined;
  const [, clientId, action, kid] = m as unknown as [string, string, string | undefined, string | undefined];
  if (!action) return { clientId };
  if (action === 'keys/new') return { clientId, form: 'addKey' };
  if (kid) return { clientId, form: 'retire', kid };
  return { clientId, form: action as FormName };
};

/** The API's path for a form's change. */
const apiPathOf = (form: FormName, clientId = '', kid = '') =>
  ({
    register: '/clients',
    addKey: `/clients/${clientId}/keys`,
    retire: `/clients/${clientId}/keys/${encodeURIComponent(kid)}/retire`,
    suspend: `/clients/${clientId}/suspend`,
    reinstate: `/clients/${clientId}/reinstate`,
    offboard: `/clients/${clientId}/offboard`,
  })[form];

export const secUsersConsole = (register: RegisterApi, consoleOrigins: () => ReadonlySet<string>) => {
  const call = apiCaller(register);
  const { csrf, accept } = formGuard(consoleOrigins);
  const notFound = { status: 404, html: messagePage('Not found', 'No such SEC User or key in the register.') };

  const client = async (clientId: string) => {
    const answer = await call<Client>('GET', `/clients/${clientId}`);
    return answer.status === 200 ? answer.body : undefined;
  };

  const get = async (path: string): Promise<Answer | undefined> => {
    const route = routeOf(path);
    if (!route) return undefined;
    if (!route.clientId && !route.form) {
      const list = await call<{ items: Client[] }>('GET', '/clients');
      return { status: 200, html: usersPage(list.body.items.sort((a, b) => a.name.localeCompare(b.name))) };
    }
    const subject = route.clientId ? await client(route.clientId) : undefined;
    if (route.clientId && !subject) return notFound;
    if (route.kid && !subject?.keys.some((k) => k.kid === route.kid)) return notFound;
    if (!route.form) return { status: 200, html: userPage(subject as Client) };
    return { status: 200, html: formPage(titled(route.form, route.kid), subject, path, csrf) };
  };

  /** The retire form names its key. */
  const titled = (form: FormName, kid?: string) => (form === 'retire' ? { ...forms.retire, title: `Retire key ${kid}` } : forms[form]);

  /** A POST: refused (403) unless it comes from the console's own page; otherwise the API's answer, as a page. */
  const post = async (req: IncomingMessage, path: string): Promise<Answer | undefined> => {
    const route = routeOf(path);
    if (!route?.form) return undefined;
    const taken = await accept(req);
    if ('refused' in taken) return taken.refused;
    const values: FormValues = taken.values;
    const subject = route.clientId ? await client(route.clientId) : undefined;
    if (route.clientId && !subject) return notFound;
    const form = titled(route.form, route.kid);
    if (route.form === 'offboard' && values.confirmed !== 'yes') {
      // The first step only asks: its name must be there before the question is put.
      if (!values.officer?.trim())
        return { status: 422, html: formPage(form, subject, path, csrf, values, [{ pointer: '/officer', detail: 'Enter your full name' }]) };
      return { status: 200, html: offboardConfirmPage(subject as Client, csrf, values) };
    }
    const answer = await call<Client | ProblemDocument>('POST', apiPathOf(route.form, route.clientId, route.kid), requests[route.form](values));
    if ((answer.status === 200 || answer.status === 201) && 'clientId' in answer.body) return { redirect: `/users/${answer.body.clientId}` };
    if (answer.status === 404) return notFound;
    if ((answer.status === 409 || answer.status === 422) && 'type' in answer.body)
      return { status: answer.status, html: formPage(form, subject, path, csrf, values, correctionsOf(answer.body, form.fields[0]?.pointer ?? '/officer')) };
    throw new Error(`the API answered ${answer.status} to the console's ${route.form}`);
  };

  return { get, post };
};
