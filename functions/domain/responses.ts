import * as z from 'zod';
import { CaseSummary } from './case';

/**
 * The API's JSON answers besides the case itself (NotificationCase, in case.ts): what the handlers
 * return and what the OpenAPI document describes, from one schema each.
 */
export const CaseList = z.object({
  items: z.array(CaseSummary),
  links: z.object({ self: z.string(), next: z.string().optional().describe('The next page, when there is one') }),
});
export type CaseList = z.infer<typeof CaseList>;

/** 202: the action is taken; the workflow carries it on. */
export const Accepted = z.object({
  reference: z.string(),
  message: z.string(),
  links: z.object({ self: z.string() }),
});
export type Accepted = z.infer<typeof Accepted>;

/** The header of an answer replayed for a repeated Idempotency-Key (the name Stripe's API gives it). */
export const IDEMPOTENT_REPLAYED = 'Idempotent-Replayed';

/** What an Idempotency-Key may be. */
export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9._:-]{8,128}$';

/** The token endpoint's answer (RFC 6749 §5.1). */
export const TokenResponse = z.object({
  access_token: z.string().describe('A JWT signed by the API (ES256): send it as `Authorization: Bearer <token>`'),
  token_type: z.literal('Bearer'),
  expires_in: z.int().describe('Seconds it is valid for'),
  scope: z.string().describe('`second-user-system/user` or `second-user-system/secas`'),
});
