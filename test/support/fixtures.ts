import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const fixture = (): Record<string, any> =>
  JSON.parse(readFileSync(new URL('../fixtures/notification.json', import.meta.url), 'utf8'));

/** A fixture notification with its own contact address, so its emails are found unambiguously. */
export const uniqueNotification = (overrides: (body: Record<string, any>) => void = () => {}) => {
  const body = fixture();
  body.contact.email = `user+${randomBytes(4).toString('hex')}@northwold-energy.example.co.uk`;
  overrides(body);
  return body;
};
