import * as z from 'zod';

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
  /** Only the functions that start executions have it (the workflow's own tasks cannot: a cycle). */
  STATE_MACHINE_ARN: z.string().min(1).optional(),
  SENDER_ADDRESS: z.email(),
  SSC_ADDRESSES: addressList,
  SECAS_ADDRESSES: addressList,
  /** Where the SSC's decision links point: the API's public base URL. Only link-issuing functions have it. */
  PUBLIC_BASE_URL: z.url().optional(),
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

/** A setting only some functions have: a clear error where it is missing, not an undefined. */
export const required = <K extends keyof Config>(key: K): NonNullable<Config[K]> => {
  const value = config()[key];
  if (value === undefined) throw new Error(`${key} is not set for this function`);
  return value as NonNullable<Config[K]>;
};

/** For tests that change the environment between cases. */
export const resetConfig = (): void => {
  cached = undefined;
};
