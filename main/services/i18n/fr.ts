/**
 * The main process's French texts (Devolutions' PAM vocabulary: *extraction*), as en.ts.
 */
import type { ApprovalsMessages } from '../approvalsWatcher.ts';
import type { ExpiryMessages } from '../expiryScheduler.ts';
import type { TrayLabels } from '../ports.ts';
import { durationText, type MainCatalogue } from './catalogue.ts';

export const APPROVALS_MESSAGES_FR: ApprovalsMessages = {
  requestTitle: (requester, credential) => `${requester} demande ${credential}`,
  requestBody: (reason, minutes) =>
    `${reason ? `Motif\u00a0: ${reason}` : 'Aucun motif donné'} — durée\u00a0: ${durationText(minutes, 'h', 'min')}`,
  approveAction: 'Approuver',
  denyAction: 'Refuser',
  replyPlaceholder: 'Un message pour le demandeur…',
  messageBody: (message) =>
    `Votre message\u00a0: «\u00a0${message}\u00a0». Approuver ou refuser la demande avec ce message\u00a0?`,
  approveWithMessage: 'Approuver avec ce message',
  denyWithMessage: 'Refuser avec ce message',
  approvedTitle: (credential, approver) => `Extraction de ${credential} approuvée par ${approver}`,
  approvedBody: (message) =>
    message
      ? `«\u00a0${message}\u00a0» — vous pouvez l’utiliser dès maintenant.`
      : 'Vous pouvez l’utiliser dès maintenant.',
  deniedTitle: (credential, approver) => `Extraction de ${credential} refusée par ${approver}`,
  deniedBody: (message) => (message ? `Refusée\u00a0: ${message}` : 'Refusée sans motif.'),
  someone: 'un approbateur',
};

export const EXPIRY_MESSAGES_FR: ExpiryMessages = {
  expiringTitle: (name, time) => `${name} expire à ${time}`,
  expiringBody: () => 'Prolongez l’extraction ou restituez-la avant cette heure.',
  expiredTitle: (name) => `${name} a expiré`,
  expiredBody: () =>
    'L’extraction est terminée. Faites une nouvelle demande pour utiliser de nouveau cet identifiant.',
  extendAction: 'Prolonger',
};

export const TRAY_LABELS_FR: TrayLabels = {
  tooltip: 'Coffre',
  open: 'Ouvrir Coffre',
  pending: 'Demandes en attente ({count})',
  noPending: 'Aucune demande en attente',
  checkouts: 'Vos extractions ({count})',
  noCheckouts: 'Aucune extraction en cours',
  timeLeft: (hours, minutes) =>
    hours === 0
      ? `encore ${minutes}\u00a0min`
      : `encore ${hours}\u00a0h\u00a0${String(minutes).padStart(2, '0')}`,
  expired: 'expirée',
  copyPassword: 'Copier le mot de passe',
  checkIn: 'Restituer',
  showCheckout: 'Afficher dans Coffre',
  actionFailed: 'L’action a échoué',
  lock: 'Verrouiller',
  quit: 'Quitter Coffre',
};

export const MAIN_MESSAGES_FR: MainCatalogue = {
  timeLocale: 'fr-CA',
  approvals: APPROVALS_MESSAGES_FR,
  expiry: EXPIRY_MESSAGES_FR,
  tray: TRAY_LABELS_FR,
};
