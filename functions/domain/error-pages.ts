import { html, page } from './html';
import type { Problem } from './problem';

/**
 * What a person sees when a form behind an emailed link cannot be taken at all (the request, not
 * what was typed in it): words for a person, not an API client's instructions, and always what
 * to do next and whether anything changed.
 */
const pages: Partial<Record<string, { title: string; text: string }>> = {
  'unsupported-media-type': {
    title: 'This form could not be read',
    text: 'Your browser sent the form in a way this service does not read. Open the link in the email again and submit the form from that page. Nothing has been changed.',
  },
  'invalid-encoding': {
    title: 'This form could not be read',
    text: 'Some of what was sent is not readable text (it was not sent as UTF-8). Open the link in the email again, type your answers into that page and submit it. Nothing has been changed.',
  },
  'payload-too-large': {
    title: 'Too much text for this form',
    text: 'What was sent is larger than this form takes. Go back, shorten the longest text and submit again. Nothing has been changed.',
  },
  'dependency-unavailable': {
    title: 'Please try again in a minute',
    text: 'A service this page depends on is not answering just now. Nothing has been changed; submit the form again in a minute.',
  },
  internal: {
    title: 'Something went wrong',
    text: 'The error has been logged. Try the link again later; if it keeps happening, tell SECAS which email and link you used.',
  },
};

const fallback = {
  title: 'This request could not be handled',
  text: 'Open the link in the email again and use the page it shows. If it keeps happening, tell SECAS which email and link you used.',
};

/** The page for a request a person's browser made that failed before its form could be read (or after, on a fault). */
export const errorPage = (problem: Problem): string => {
  const slug = problem.type.slice(problem.type.lastIndexOf('/') + 1);
  const { title, text } = pages[slug] ?? fallback;
  return page(title, html`<h1 class="govuk-heading-l">${title}</h1><p class="govuk-body">${text}</p>`);
};
