import * as z from 'zod';
import { invalidFields } from './problem';
import { line } from './text';
import type { IsoDate } from './working-days';

/**
 * The register of Shared Resource Providers and their User Security Assessments, which SECAS keeps
 * (SECMP0044; SEC G10.8 since SCF v2.3 / Agreed Interpretations v2.2): triage checks a notice's
 * named provider and prior assessment against it, and a new outcome is shared with every User
 * whose open or deferred case employs the provider. Every change names the SECAS officer.
 */

export const REGISTER_ASSURANCE_STATUSES = ['Approved', 'Deferred', 'Rejected'] as const;
export type RegisterAssuranceStatus = (typeof REGISTER_ASSURANCE_STATUSES)[number];

/** A User Security Assessment reference as SECAS issues them: capital letters and digits in hyphen-separated groups, e.g. USAR-2026-014. */
export const ASSESSMENT_REFERENCE_PATTERN = '^[A-Z][A-Z0-9]{1,15}(-[A-Z0-9]{1,15}){1,5}$';
const ASSESSMENT_REFERENCE = new RegExp(ASSESSMENT_REFERENCE_PATTERN);

export interface RegisterAssessment {
  reference: string;
  assessedOn: IsoDate;
  assuranceStatus: RegisterAssuranceStatus;
  validUntil: IsoDate;
  recordedAt: string;
}

export interface ProviderAuditEntry {
  at: string;
  action: 'provider-recorded' | 'assessment-recorded';
  /** The SECAS officer who made the change, as typed. */
  officer: string;
  /** SECAS's machine client that made the call. */
  by: string;
  assessmentReference?: string;
  /** The cases whose Users were told of the outcome (SEC G10.8). */
  notifiedCases?: string[];
}

export interface SharedResourceProvider {
  providerId: string;
  name: string;
  assessments: RegisterAssessment[];
  audit: ProviderAuditEntry[];
  createdAt: string;
  updatedAt: string;
  /** Raised by each change: a write is conditional on the version it read, so two officers never overwrite each other. */
  version: number;
}

// ---- the requests SECAS sends --------------------------------------------------------------------

const officer = line(200).describe('The full name of the SECAS officer making this change (recorded in the audit trail)');
const isoDate = () => z.iso.date().describe('Calendar date, YYYY-MM-DD');

export const RecordProviderRequest = z
  .strictObject({ name: line(200).describe("The Shared Resource Provider's name, as Users name it in their notices"), officer })
  .describe('POST /shared-resource-providers');
export type RecordProviderRequest = z.infer<typeof RecordProviderRequest>;

export const RecordProviderAssessmentRequest = z
  .strictObject({
    reference: z
      .string()
      .regex(ASSESSMENT_REFERENCE, 'must be an assessment reference: capital letters and digits in 2 to 6 hyphen-separated groups, e.g. USAR-2026-014')
      .describe('The User Security Assessment reference, unique in the register'),
    assessedOn: isoDate().describe('When the assessment completed: not in the future'),
    assuranceStatus: z.enum(REGISTER_ASSURANCE_STATUSES).describe("The SSC's assurance status for the provider"),
    validUntil: isoDate().describe('The last day the outcome stands: after assessedOn'),
    officer,
  })
  .describe('POST /shared-resource-providers/{providerId}/assessments');
export type RecordProviderAssessmentRequest = z.infer<typeof RecordProviderAssessmentRequest>;

const Assessment = z.object({
  reference: z.string(),
  assessedOn: z.string(),
  assuranceStatus: z.enum(REGISTER_ASSURANCE_STATUSES),
  validUntil: z.string(),
  recordedAt: z.string(),
});

export const ProviderView = z
  .object({
    providerId: z.string(),
    name: z.string(),
    assessments: z.array(Assessment).describe('Every outcome recorded, oldest first'),
    audit: z.array(
      z.object({
        at: z.string(),
        action: z.string(),
        officer: z.string(),
        by: z.string(),
        assessmentReference: z.string().optional(),
        notifiedCases: z.array(z.string()).optional(),
      }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .describe('A Shared Resource Provider in the register, with its assessments and audit trail');
export const ProviderList = z.object({ items: z.array(ProviderView) }).describe('Every Shared Resource Provider in the register');

export const viewOfProvider = ({ version: _version, ...provider }: SharedResourceProvider) => provider;

// ---- keys and changes ----------------------------------------------------------------------------

/**
 * A provider's id, from its name: lower case, letters and digits, hyphen-separated. Users type the
 * name in their notices; the same name however cased or spaced finds the same provider by key.
 */
export const providerIdOf = (name: string): string =>
  name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
export const PROVIDER_ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const isProviderId = (value: string): boolean => value.length <= 100 && PROVIDER_ID_PATTERN.test(value);

/** An assessment reference as the register compares it (a User may type it in lower case or with spaces around it). */
export const normalisedReference = (reference: string): string => reference.trim().toUpperCase();

export const recordProvider = (request: RecordProviderRequest, by: string, now: Date): SharedResourceProvider => {
  const providerId = providerIdOf(request.name);
  if (!providerId) throw invalidFields([{ pointer: '/name', detail: 'must hold at least one letter or digit' }]);
  return {
    providerId,
    name: request.name,
    assessments: [],
    audit: [{ at: now.toISOString(), action: 'provider-recorded', officer: request.officer, by }],
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: 1,
  };
};

/** A duplicate reference, in this provider's record or (found by the write) another's: a 422 naming the field. */
export const duplicateReference = (reference: string) =>
  invalidFields([{ pointer: '/reference', detail: `${reference} is already in the register: each assessment reference is recorded once` }]);

export const recordAssessment = (
  provider: SharedResourceProvider,
  request: RecordProviderAssessmentRequest,
  by: string,
  today: IsoDate,
  now: Date,
): SharedResourceProvider => {
  const errors = [
    ...(request.assessedOn > today ? [{ pointer: '/assessedOn', detail: 'must not be in the future' }] : []),
    ...(request.validUntil <= request.assessedOn ? [{ pointer: '/validUntil', detail: 'must be after assessedOn' }] : []),
  ];
  if (errors.length) throw invalidFields(errors);
  if (provider.assessments.some((a) => a.reference === request.reference)) throw duplicateReference(request.reference);
  const { officer: _officer, ...fields } = request;
  return {
    ...provider,
    assessments: [...provider.assessments, { ...fields, recordedAt: now.toISOString() }],
    audit: [...provider.audit, { at: now.toISOString(), action: 'assessment-recorded', officer: request.officer, by, assessmentReference: request.reference }],
    updatedAt: now.toISOString(),
    version: provider.version + 1,
  };
};

/** The provider's standing: its latest outcome, by assessment date (then by when it was recorded). */
export const latestAssessment = (provider: Pick<SharedResourceProvider, 'assessments'>): RegisterAssessment | undefined =>
  provider.assessments.reduce<RegisterAssessment | undefined>(
    (latest, a) => (!latest || a.assessedOn > latest.assessedOn || (a.assessedOn === latest.assessedOn && a.recordedAt > latest.recordedAt) ? a : latest),
    undefined,
  );

// ---- what triage learns from the register -------------------------------------------------------

/** What the register said at intake about the provider a notice names (looked up by key, then judged here). */
export interface RegisterAnswer {
  /** The provider as found under the notice's provider name, or undefined when the register has none. */
  provider: SharedResourceProvider | undefined;
}

export const REGISTER_FINDINGS = [
  'CurrentApproved',
  'UnknownProvider',
  'NoAssessmentGiven',
  'UnknownAssessment',
  'ExpiredAssessment',
  'Deferred',
  'Rejected',
] as const;
export type RegisterFinding = (typeof REGISTER_FINDINGS)[number];

/** The register's check of a notice, stored on the case's triage: `flagged` findings are put to the SSC first. */
export interface RegisterCheck {
  finding: RegisterFinding;
  flagged: boolean;
  detail: string;
}

/**
 * Judges a notice's provider and prior assessment against the register: only a current Approved
 * outcome (the provider's latest, not past its valid-until date) supports deferral; anything else
 * is flagged to the SSC and points to an ad-hoc assessment.
 */
export const checkAgainstRegister = (providerName: string, prior: { reference: string } | undefined, answer: RegisterAnswer, today: IsoDate): RegisterCheck => {
  const { provider } = answer;
  if (!provider)
    return {
      finding: 'UnknownProvider',
      flagged: true,
      detail: `SECAS's register of Shared Resource assessments has no provider named ${providerName}: the User's word cannot be checked; an ad-hoc User Security Assessment may be needed.`,
    };
  const latest = latestAssessment(provider);
  const standing = latest
    ? `its latest recorded outcome is ${latest.assuranceStatus} (${latest.reference}, assessed ${latest.assessedOn}, valid until ${latest.validUntil})`
    : 'it has no recorded outcome';
  if (!prior)
    return {
      finding: 'NoAssessmentGiven',
      flagged: false,
      detail: `The register holds ${provider.name}: ${standing}.`,
    };
  const reference = normalisedReference(prior.reference);
  const cited = provider.assessments.find((a) => a.reference === reference);
  if (!cited)
    return {
      finding: 'UnknownAssessment',
      flagged: true,
      detail: `The register holds no User Security Assessment ${reference} for ${provider.name} (${standing}): an ad-hoc User Security Assessment may be needed.`,
    };
  if (cited.validUntil < today)
    return {
      finding: 'ExpiredAssessment',
      flagged: true,
      detail: `User Security Assessment ${reference} of ${provider.name} expired on ${cited.validUntil}; ${standing}: an ad-hoc User Security Assessment may be needed.`,
    };
  const current = latest ?? cited;
  if (current.assuranceStatus !== 'Approved')
    return {
      finding: current.assuranceStatus,
      flagged: true,
      detail: `${provider.name}'s ${current.reference === reference ? `assessment ${reference}` : `latest assessment ${current.reference} (after ${reference})`} is ${current.assuranceStatus} in the register: an ad-hoc User Security Assessment may be needed.`,
    };
  return {
    finding: 'CurrentApproved',
    flagged: false,
    detail: `The register confirms ${provider.name}'s User Security Assessment ${current.reference}: Approved, valid until ${current.validUntil}.`,
  };
};
