/**
 * Devolutions Server's own numbers and shapes, as the Devolutions.Server PowerShell module reads and
 * writes them (docs/wire/dvls.md names the source file of each). Without zod's heavy parts where a
 * constant will do: the CLI imports the enums.
 */
import { z } from 'zod';
import { credentialSchema } from './checkout.ts';
import { CheckoutStatus } from './checkoutStatus.ts';
import { guidSchema } from './ids.ts';

/** SaveResult.generated.psm1: the `result` of `{result, data}` envelopes. */
export const SaveResult = {
  Error: 0,
  Success: 1,
  AccessDenied: 2,
  InvalidData: 3,
  AlreadyExists: 4,
  MaximumReached: 5,
  NotFound: 6,
  LicenseExpired: 7,
  Unknown: 8,
  TwoFactorTypeNotConfigured: 9,
  WebApiRedirectToLogin: 10,
  DuplicateLoginEmail: 11,
} as const;

/** ServerLoginResult.generated.psm1: why a sign-in did not succeed (`data.loginResult`). */
export const ServerLoginResult = {
  Error: 0,
  Success: 1,
  InvalidUserNamePassword: 2,
  InvalidDataSource: 3,
  DisabledDataSource: 4,
  InvalidSubscription: 5,
  TooManyUserForTheLicense: 6,
  ExpiredSubscription: 7,
  InGracePeriod: 8,
  DisabledUser: 9,
  UserNotFound: 10,
  LockedUser: 11,
  NotApprovedUser: 12,
  BlackListed: 13,
  InvalidIP: 14,
  UnableToCreateUser: 15,
  TwoFactorTypeNotConfigured: 16,
  TwoFactorTypeActivatedNotAllowedClientSide: 17,
  DomainNotTrusted: 18,
  UserDoesNotBelongToDefaultDomain: 19,
  InvalidGeoIP: 20,
  TwoFactorIsRequired: 21,
  TwoFactorPreconfigured: 22,
  TwoFactorSecondStepIsRequired: 23,
  TwoFactorUserIsDenied: 24,
  TwoFactorSmsSended: 25,
  TwoFactorTimeout: 26,
  TwoFactorUserLockedOut: 27,
  TwoFactorUserFraud: 28,
  TwoFactorUserEmailNotConfigured: 29,
  TwoFactorUserSmsNotConfigured: 30,
  NotInTrustedGroup: 31,
  ServerNotResponding: 32,
  NotAccessToApplication: 33,
  DirectoryNotResponding: 34,
  WindowsAuthenticationFailure: 35,
  ForcePasswordChange: 36,
  TwoFactorInvalid: 37,
  OutsideValidUsageTimePeriod: 38,
} as const;

/** CheckoutApprovalMode (Update-DSPamProvider/Update-DSPamFolder docs): Default, None, Mandatory. */
export const CheckoutApprovalMode = { Default: 0, None: 1, Mandatory: 2 } as const;
/** CheckoutReasonMode (same docs): Default, None, Mandatory, Optional. */
export const CheckoutReasonMode = { Default: 0, None: 1, Mandatory: 2, Optional: 3 } as const;
/** ApproverOptions (allowCheckoutOwnerAsApprover…): 0–2 as the module validates; 1 yes, 2 no. */
export const ApproverOptions = { Default: 0, Yes: 1, No: 2 } as const;

/** ApplicationSource.generated.psm1, the `Client` of a sign-in (Scripting 15, Cli 18). */
export const ApplicationSource = { Scripting: 15, Cli: 18 } as const;

/**
 * A checkout status as the module sends it back: `[PamCheckout].Status` is a `[string]`, so a number
 * read from the server comes back as "4", `[CheckoutStatus]::Ended` as "Ended"; the 2024 module and
 * Coffre's clients send numbers. Any of the three, names in any case.
 */
export const wireCheckoutStatusSchema = z
  .union([z.number().int(), z.string().trim().min(1).max(40)])
  .transform((value, ctx) => {
    const status = parseCheckoutStatus(value);
    if (status === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a checkout status (a number 0–9 or a name such as "Ended"), not ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    return status;
  });

export function parseCheckoutStatus(value: number | string): CheckoutStatus | undefined {
  const codes = Object.values(CheckoutStatus) as number[];
  if (typeof value === 'number') return codes.includes(value) ? (value as CheckoutStatus) : undefined;
  if (/^\d+$/.test(value)) return parseCheckoutStatus(Number(value));
  const entry = Object.entries(CheckoutStatus).find(([name]) => name.toLowerCase() === value.toLowerCase());
  return entry?.[1];
}

/** A credential as DVLS answers it (Get-DSPamCredential): Coffre's fields plus DVLS's own. */
export const dvlsCredentialSchema = credentialSchema.extend({
  label: z.string().describe('DVLS: the credential name (Invoke-DSPamCheckout prints it).'),
  folderID: guidSchema.describe('DVLS: the PAM folder (Coffre vault) holding it.'),
  checkoutApprovalMode: z.number().int().describe('CheckoutApprovalMode: 1 None, 2 Mandatory.'),
  checkoutReasonMode: z.number().int().describe('CheckoutReasonMode: 1 None, 2 Mandatory, 3 Optional.'),
  allowCheckoutOwnerAsApprover: z.number().int().describe('ApproverOptions: 1 yes, 2 no.'),
  checkoutTime: z.number().int().describe('Default checkout duration, minutes.'),
});
export type DvlsCredential = z.infer<typeof dvlsCredentialSchema>;
