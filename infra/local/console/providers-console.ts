import type { IncomingMessage } from 'node:http';
import { dateInput, parseDateInput } from '../../../functions/domain/date-input';
import type { Correction } from '../../../functions/domain/html';
import type { ProblemDocument } from '../../../functions/domain/problem';
import { messagePage } from './pages';
import { type Provider, type ProviderFormName, type ProviderFormValues, firstFieldOf, providerFormPage, providerPage, providersPage } from './provider-pages';
import { type Answer, type RegisterApi, apiCaller, correctionsOf, formGuard } from './sec-users-console';

/**
 * The console's pages for the register of Shared Resource Providers, a client of the API's SECAS
 * routes as the SEC Users' pages are (sec-users-console.ts): the register's rules live in the API;
 * its 409/422 show the form again with the detail beside the field it names. Forms are taken only
 * from the console's own pages (its Origin and its token). The dates are typed as day, month and
 * year (GOV.UK's date input) and read here, as the SSC's and SECAS's forms read them, before the
 * API is asked.
 */
const routeOf = (path: string): { form?: ProviderFormName; providerId?: string } | undefined => {
  if (path === '/providers') return {};
  if (path === '/providers/new') return { form: 'provider' };
  const m = /^\/providers\/([a-z0-9]+(?:-[a-z0-9]+)*)(\/assessments\/new)?$/.exec(path);
  if (!m || (m[1] as string).length > 100) return undefined;
  return m[2] ? { providerId: m[1] as string, form: 'assessment' } : { providerId: m[1] as string };
};

const DATES = [
  ['assessedOn', 'the date the assessment completed'],
  ['validUntil', 'the last day the outcome stands'],
] as const;

export const providersConsole = (register: RegisterApi, consoleOrigins: () => ReadonlySet<string>) => {
  const call = apiCaller(register);
  const { csrf, accept } = formGuard(consoleOrigins);
  const notFound = { status: 404, html: messagePage('Not found', 'No such Shared Resource Provider in the register.') };

  const provider = async (providerId: string) => {
    const answer = await call<Provider>('GET', `/shared-resource-providers/${providerId}`);
    return answer.status === 200 ? answer.body : undefined;
  };

  const get = async (path: string): Promise<Answer | undefined> => {
    const route = routeOf(path);
    if (!route) return undefined;
    if (!route.providerId && !route.form) {
      const list = await call<{ items: Provider[] }>('GET', '/shared-resource-providers');
      return { status: 200, html: providersPage(list.body.items) };
    }
    const subject = route.providerId ? await provider(route.providerId) : undefined;
    if (route.providerId && !subject) return notFound;
    if (!route.form) return { status: 200, html: providerPage(subject as Provider) };
    return { status: 200, html: providerFormPage(route.form, subject, path, csrf) };
  };

  /** What the form sends to the API, or the corrections of its dates, which the API never sees typed as three parts. */
  const requestOf = (form: ProviderFormName, values: ProviderFormValues): { body: Record<string, unknown> } | { corrections: Correction[] } => {
    if (form === 'provider') return { body: { name: values.name ?? '', officer: values.officer ?? '' } };
    const corrections: Correction[] = [];
    const dates: Record<string, string> = {};
    for (const [name, what] of DATES) {
      const parsed = parseDateInput(dateInput(values, name), `/${name}`, what);
      if ('date' in parsed) dates[name] = parsed.date;
      else corrections.push(parsed.correction);
    }
    if (!values.assuranceStatus) corrections.push({ pointer: '/assuranceStatus', detail: 'Select the assurance status' });
    if (corrections.length) return { corrections };
    return { body: { reference: values.reference ?? '', assuranceStatus: values.assuranceStatus, ...dates, officer: values.officer ?? '' } };
  };

  const post = async (req: IncomingMessage, path: string): Promise<Answer | undefined> => {
    const route = routeOf(path);
    if (!route?.form) return undefined;
    const taken = await accept(req);
    if ('refused' in taken) return taken.refused;
    const values: ProviderFormValues = taken.values;
    const subject = route.providerId ? await provider(route.providerId) : undefined;
    if (route.providerId && !subject) return notFound;
    const request = requestOf(route.form, values);
    if ('corrections' in request) return { status: 422, html: providerFormPage(route.form, subject, path, csrf, values, request.corrections) };
    const apiPath = route.form === 'provider' ? '/shared-resource-providers' : `/shared-resource-providers/${route.providerId}/assessments`;
    const answer = await call<Provider | ProblemDocument>('POST', apiPath, request.body);
    if (answer.status === 201 && 'providerId' in answer.body) return { redirect: `/providers/${answer.body.providerId}` };
    if (answer.status === 404) return notFound;
    if ((answer.status === 409 || answer.status === 422) && 'type' in answer.body)
      return {
        status: answer.status,
        html: providerFormPage(route.form, subject, path, csrf, values, correctionsOf(answer.body, firstFieldOf(route.form))),
      };
    throw new Error(`the API answered ${answer.status} to the console's ${route.form} form`);
  };

  return { get, post };
};
