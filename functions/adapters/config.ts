import { z } from 'zod';

/**
 * Everything a function learns from its environment, validated once. The CDK stack and the
 * local sandbox set the same variables; nothing else tells the code where it runs.
 */
const addressList = z
  .string()
  .transform((s) => s.split(',').map((a) => a.trim()).filter(Boolean))
  .pipe(z.array(z.email()).min(1));

const Config = z.object({
  TABLE_NAME: z.string().min(1),
  STATE_MACHINE_ARN: z.string().min(1),
  SENDER_ADDRESS: z.email(),
  SSC_ADDRESSES: addressList,
  SECAS_ADDRESSES: addressList,
  /** Where the SSC's decision links point: the API's public base URL. */
  PUBLIC_BASE_URL: z.url(),
  LINK_KEYRING_SECRET_ID: z.string().min(1),
  SES_CONFIGURATION_SET: z.string().optional(),
  /** How long a decision link stays valid, in days; longer than the longest decision wait. */
  DECISION_LINK_VALIDITY_DAYS: z.coerce.number().int().min(1).max(366).default(60),
  /** The hard limit on the SSC's decision wait, in days, after which the case ends overdue. */
  SSC_DECISION_HARD_LIMIT_DAYS: z.coerce.number().int().min(1).max(300).default(42),
});
export type Config = z.infer<typeof Config>;

let cached: Config | undefined;

export const config = (): Config => {
  cached ??= Config.parse(process.env);
  return cached;
};

/** For tests that change the environment between cases. */
export const resetConfig = (): void => {
  cached = undefined;
};
