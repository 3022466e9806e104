/**
 * The reference server answers in English. Clients show the known refusals in the user's
 * language by their code; a code without a translation keeps the server's own message.
 * Messages that carry figures (duration bounds) keep the server's text as the detail.
 */
import { frenchNotOffered, NOT_OFFERED } from './notOffered.ts';

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

const STATUS_FR: Record<string, string> = {
  pending: 'en attente',
  scheduled: 'planifiée',
  denied: 'refusée',
  active: 'active',
  'checked in': 'restituée',
  expired: 'expirée',
  aborted: 'interrompue',
  canceled: 'annulée',
};

const THING_FR: Record<string, string> = {
  'The credential': 'L’identifiant',
  'The vault': 'Le coffre',
  'The checkout': 'L’extraction',
  'The user': 'L’utilisateur',
  'The pending approval': 'La demande en attente',
};

/**
 * The reference server's other messages (their codes are generic: conflict, forbidden…), by their
 * text, in French. The English originals are in server/domain and server/http.
 */
const MESSAGES_FR: ReadonlyArray<readonly [RegExp, (...groups: string[]) => string]> = [
  [
    /^Could not reach the server at (\S+): the connection was refused; is the server running\?$/,
    (url) =>
      `Impossible de joindre le serveur ${url}\u00a0: connexion refusée\u00a0; le serveur est-il démarré\u00a0?`,
  ],
  [
    /^Could not reach the server at (\S+): the host name could not be resolved\.$/,
    (url) => `Impossible de joindre le serveur ${url}\u00a0: le nom d’hôte est introuvable.`,
  ],
  [
    /^Could not reach the server at (\S+): the connection failed(?: \((\w+)\))?\.$/,
    (url, code) =>
      `Impossible de joindre le serveur ${url}\u00a0: la connexion a échoué${code ? ` (${code})` : ''}.`,
  ],
  [
    /^The server at (\S+) did not answer (\S+) in time\.$/,
    (url, endpoint) => `Le serveur ${url} n’a pas répondu à temps à ${endpoint}.`,
  ],
  [/^The username or password is incorrect\.$/, () => 'Nom d’utilisateur ou mot de passe incorrect.'],
  [
    /^Sign in again: the session is missing, expired or revoked\.$/,
    () => 'Reconnectez-vous\u00a0: la session est absente, expirée ou révoquée.',
  ],
  [
    /^Too many failed sign-ins\. Try again in (\d+) seconds\.$/,
    (seconds) => `Trop d’échecs de connexion. Réessayez dans ${seconds}\u00a0s.`,
  ],
  [
    /^You already have an open checkout or request for this credential\.$/,
    () => 'Vous avez déjà une extraction ou une demande en cours pour cet identifiant.',
  ],
  [
    /^The checkout changed meanwhile; reload it and try again\.$/,
    () => 'L’extraction a changé entre-temps\u00a0; rechargez-la et réessayez.',
  ],
  [
    /^(The credential|The vault|The checkout|The user|The pending approval) was not found\.$/,
    (what) => `${THING_FR[what!]} est introuvable.`,
  ],
  [
    /^Only a pending request can be decided \(the checkout is ([a-z ]+)\)\.$/,
    (status) =>
      `Seule une demande en attente peut être approuvée ou refusée (celle-ci est ${STATUS_FR[status!] ?? status}).`,
  ],
  [
    /^Only an active checkout can be checked in \(the checkout is ([a-z ]+)\)\.$/,
    (status) =>
      `Seule une extraction active peut être restituée (celle-ci est ${STATUS_FR[status!] ?? status}).`,
  ],
  [
    /^Only a pending or scheduled request can be canceled \(the checkout is ([a-z ]+)\)\.$/,
    (status) =>
      `Seule une demande en attente ou planifiée peut être annulée (celle-ci est ${STATUS_FR[status!] ?? status}).`,
  ],
  [
    /^Only an active checkout can be extended \(it is ([a-z ]+)\)\.$/,
    (status) =>
      `Seule une extraction active peut être prolongée (celle-ci est ${STATUS_FR[status!] ?? status}).`,
  ],
  [
    /^You do not hold an active checkout of this credential\.$/,
    () => 'Vous n’avez pas d’extraction active de cet identifiant.',
  ],
  [
    /^You cannot approve or (?:deny|reject) your own (?:PAM )?request\.$/,
    () => 'Vous ne pouvez pas approuver ou refuser votre propre demande.',
  ],
  [
    /^You are no longer an approver of this credential\.$/,
    () => 'Vous n’êtes plus approbateur de cet identifiant.',
  ],
  [
    /^Only users with the user role can check out credentials\.$/,
    () => 'Seuls les comptes ayant le rôle utilisateur peuvent extraire des identifiants.',
  ],
  [
    /^Only the requester can (extend a checkout|close a PAM request|check in a checkout|cancel a request)\.$/,
    (what) =>
      `Seul le demandeur peut ${({ 'extend a checkout': 'prolonger une extraction', 'close a PAM request': 'clore une demande', 'check in a checkout': 'restituer une extraction', 'cancel a request': 'annuler une demande' } as Record<string, string>)[what!]}.`,
  ],
  [
    /^Only the approver named on the request can decide it\.$/,
    () => 'Seul l’approbateur désigné dans la demande peut en décider.',
  ],
  [
    /^Only an administrator can (?:force a check-in|do this)\.$/,
    () => 'Seul un administrateur peut le faire.',
  ],
];

function translateMessage(serverMessage: string): string | null {
  for (const [pattern, render] of MESSAGES_FR) {
    const match = pattern.exec(serverMessage);
    if (match) return render(...match.slice(1));
  }
  return null;
}

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
  if (code === NOT_OFFERED && language === 'fr') return frenchNotOffered(serverMessage) ?? serverMessage;
  const text = Object.hasOwn(TEXT[language], code) ? TEXT[language][code] : undefined;
  if (!text) return (language === 'fr' && translateMessage(serverMessage)) || serverMessage;
  return WITH_DETAIL.has(code) ? `${text} (${serverMessage})` : text;
}

export const TRANSLATED_SERVER_CODES = Object.keys(TEXT.en);
export const serverErrorTextFor = (language: ClientLanguage) => TEXT[language];
