/**
 * The reference server answers in English. Clients show the known refusals in the user's
 * language by their code; a code without a translation keeps the server's own message.
 * Messages that carry figures (duration bounds) keep the server's text as the detail.
 */
export type ClientLanguage = 'en' | 'fr';

const TEXT: Record<ClientLanguage, Record<string, string>> = {
  en: {
    already_checked_out: 'The credential is already checked out.',
    approver_required: 'An approver is required for this credential.',
    approver_not_eligible: 'The chosen approver cannot approve this credential.',
    reason_required: 'A reason is required to check out this credential.',
    self_approval_not_allowed: 'This credential does not allow approving your own request.',
    duration_out_of_bounds: 'The duration is outside what the policy allows',
    schedule_out_of_bounds: 'The start is further ahead than the policy allows',
    extension_out_of_bounds: 'The extension is longer than the policy allows',
  },
  fr: {
    already_checked_out: 'Cet identifiant est déjà extrait.',
    approver_required: 'Un approbateur est obligatoire pour cet identifiant.',
    approver_not_eligible: 'L’approbateur choisi ne peut pas approuver cet identifiant.',
    reason_required: 'Un motif est obligatoire pour extraire cet identifiant.',
    self_approval_not_allowed: 'Cet identifiant ne permet pas d’approuver votre propre demande.',
    duration_out_of_bounds: 'La durée sort des limites fixées par la politique',
    schedule_out_of_bounds: 'Le début est plus lointain que ne le permet la politique',
    extension_out_of_bounds: 'La prolongation dépasse ce que permet la politique',
  },
};

/** Codes whose server message carries figures the translation must not lose. */
const WITH_DETAIL = new Set(['duration_out_of_bounds', 'schedule_out_of_bounds', 'extension_out_of_bounds']);

/** 409s that name the checkout holding the credential (the server's `error.details.checkoutId`). */
const NAMING_THE_CHECKOUT: Record<ClientLanguage, Record<string, (id: string) => string>> = {
  en: {
    conflict: (id) => `You already have an open checkout or request (id ${id}) on this credential.`,
    already_checked_out: (id) => `The credential is already checked out (checkout ${id}).`,
  },
  fr: {
    conflict: (id) => `Vous avez déjà une extraction ou une demande en cours (id ${id}) sur cet identifiant.`,
    already_checked_out: (id) => `Cet identifiant est déjà extrait (extraction ${id}).`,
  },
};

export function localizeServerError(
  code: string,
  serverMessage: string,
  language: ClientLanguage,
  details?: { checkoutId?: string | undefined },
): string {
  const naming = Object.hasOwn(NAMING_THE_CHECKOUT[language], code)
    ? NAMING_THE_CHECKOUT[language][code]
    : undefined;
  if (naming && details?.checkoutId) return naming(details.checkoutId);
  const text = Object.hasOwn(TEXT[language], code) ? TEXT[language][code] : undefined;
  if (!text) return serverMessage;
  return WITH_DETAIL.has(code) ? `${text} (${serverMessage})` : text;
}

export const TRANSLATED_SERVER_CODES = Object.keys(TEXT.en);
export const serverErrorTextFor = (language: ClientLanguage) => TEXT[language];
