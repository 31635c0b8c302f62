import type { IncomingMessage } from 'node:http';
import type { ProblemDocument } from '../../../functions/domain/problem';
import { type Member, type MemberFormName, firstMemberFieldOf, memberFormPage, memberPage, membersPage } from './member-pages';
import { messagePage } from './pages';
import { type Answer, type RegisterApi, apiCaller, correctionsOf, formGuard } from './sec-users-console';

/**
 * The console's pages for the register of SSC members, a client of the API's SECAS routes as the
 * other registers' pages are (sec-users-console.ts, providers-console.ts): the register's rules
 * live in the API; its 409/422 show the form again with the detail beside the field it names.
 * Forms are taken only from the console's own pages (its Origin and its token).
 */
const FORMS: Record<string, MemberFormName> = { '/alternate': 'alternate', '/alternate/removal': 'alternate-removal', '/removal': 'removal' };
const API_PATHS: Record<Exclude<MemberFormName, 'member'>, string> = {
  alternate: '/alternate',
  'alternate-removal': '/alternate/removal',
  removal: '/removal',
};

const routeOf = (path: string): { form?: MemberFormName; memberId?: string } | undefined => {
  if (path === '/members') return {};
  if (path === '/members/new') return { form: 'member' };
  const m = /^\/members\/([A-Za-z0-9_-]{12})(\/alternate|\/alternate\/removal|\/removal)?$/.exec(path);
  if (!m) return undefined;
  return m[2] ? { memberId: m[1] as string, form: FORMS[m[2]] as MemberFormName } : { memberId: m[1] as string };
};

export const membersConsole = (register: RegisterApi, consoleOrigins: () => ReadonlySet<string>) => {
  const call = apiCaller(register);
  const { csrf, accept } = formGuard(consoleOrigins);
  const notFound = { status: 404, html: messagePage('Not found', 'No such member in the SSC register.') };

  const member = async (memberId: string) => {
    const answer = await call<Member>('GET', `/ssc-members/${memberId}`);
    return answer.status === 200 ? answer.body : undefined;
  };

  const get = async (path: string): Promise<Answer | undefined> => {
    const route = routeOf(path);
    if (!route) return undefined;
    if (!route.memberId && !route.form) {
      const list = await call<{ items: Member[]; former: Member[] }>('GET', '/ssc-members');
      return { status: 200, html: membersPage(list.body.items, list.body.former) };
    }
    const subject = route.memberId ? await member(route.memberId) : undefined;
    if (route.memberId && !subject) return notFound;
    if (route.form === 'alternate-removal' && !subject?.alternate)
      return { status: 409, html: messagePage('No Alternate', 'The member has no Alternate to remove.') };
    if (!route.form) return { status: 200, html: memberPage(subject as Member) };
    return { status: 200, html: memberFormPage(route.form, subject, path, csrf) };
  };

  const post = async (req: IncomingMessage, path: string): Promise<Answer | undefined> => {
    const route = routeOf(path);
    if (!route?.form) return undefined;
    const taken = await accept(req);
    if ('refused' in taken) return taken.refused;
    const { values } = taken;
    const subject = route.memberId ? await member(route.memberId) : undefined;
    if (route.memberId && !subject) return notFound;
    const person = route.form === 'member' || route.form === 'alternate';
    const body = person ? { name: values.name ?? '', email: values.email ?? '', officer: values.officer ?? '' } : { officer: values.officer ?? '' };
    const apiPath = route.form === 'member' ? '/ssc-members' : `/ssc-members/${route.memberId}${API_PATHS[route.form]}`;
    const answer = await call<Member | ProblemDocument>('POST', apiPath, body);
    if ((answer.status === 200 || answer.status === 201) && 'memberId' in answer.body)
      return { redirect: route.form === 'removal' ? '/members' : `/members/${answer.body.memberId}` };
    if (answer.status === 404) return notFound;
    if ((answer.status === 409 || answer.status === 422) && 'type' in answer.body)
      return {
        status: answer.status,
        html: memberFormPage(route.form, subject, path, csrf, values, correctionsOf(answer.body, firstMemberFieldOf(route.form))),
      };
    throw new Error(`the API answered ${answer.status} to the console's ${route.form} form`);
  };

  return { get, post };
};
