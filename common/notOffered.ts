/**
 * The refusal Coffre's client gives when a Devolutions Server answers one of Coffre's own routes
 * with 404 (client/notOffered.ts): the feature's name in both languages, so the CLI and the desktop
 * can say which feature is missing in the user's language (common/serverErrorText.ts).
 */
export const COFFRE_FEATURES = {
  liveEvents: { en: 'live events', fr: 'les événements en direct' },
  incrementalSync: { en: 'incremental sync', fr: 'la synchronisation incrémentale' },
  vaults: { en: 'the list of vaults', fr: 'la liste des coffres' },
  approvers: { en: 'the approvers of a credential', fr: 'les approbateurs d’un identifiant' },
  extend: { en: 'extending a checkout', fr: 'la prolongation d’une extraction' },
  audit: { en: 'the audit trail', fr: 'le journal d’audit' },
  userDetails: { en: 'your user details', fr: 'le détail de votre compte' },
} as const;
export type CoffreFeature = keyof typeof COFFRE_FEATURES;

export const NOT_OFFERED = 'not_offered';

/** The English refusal (what the client core throws); `frenchNotOffered` reads it back. */
export function notOfferedMessage(feature: CoffreFeature): string {
  return `Not offered by this server: ${COFFRE_FEATURES[feature].en} (a Coffre addition that Devolutions Server does not have).`;
}

const ENGLISH =
  /^Not offered by this server: (.+) \(a Coffre addition that Devolutions Server does not have\)\.$/;

/** The French of a `notOfferedMessage`, or undefined for any other text. */
export function frenchNotOffered(message: string): string | undefined {
  const name = ENGLISH.exec(message)?.[1];
  const feature = Object.values(COFFRE_FEATURES).find((candidate) => candidate.en === name);
  if (!feature) return undefined;
  return `Non proposé par ce serveur\u00a0: ${feature.fr} (un ajout de Coffre qu’un serveur Devolutions n’a pas).`;
}
