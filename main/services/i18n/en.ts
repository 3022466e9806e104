/**
 * The main process's English texts: notifications (approvals, expiry) and the tray. The renderer
 * has its own catalogues (renderer/src/i18n/); these are the ones the OS shows.
 */
import type { ApprovalsMessages } from '../approvalsWatcher.ts';
import type { ExpiryMessages } from '../expiryScheduler.ts';
import type { TrayLabels } from '../ports.ts';
import { durationText, type MainCatalogue } from './catalogue.ts';

export const APPROVALS_MESSAGES_EN: ApprovalsMessages = {
  requestTitle: (requester, credential) => `${requester} requests ${credential}`,
  requestBody: (reason, minutes) =>
    `${reason ? `Reason: ${reason}` : 'No reason given'} — for ${durationText(minutes, 'h', 'min')}`,
  approveAction: 'Approve',
  denyAction: 'Deny',
  replyPlaceholder: 'A message for the requester…',
  messageBody: (message) => `Your message: “${message}”. Approve or deny with it?`,
  approveWithMessage: 'Approve with message',
  denyWithMessage: 'Deny with message',
  approvedTitle: (credential, approver) => `${credential} approved by ${approver}`,
  approvedBody: (message) => (message ? `“${message}” — you can use it now.` : 'You can use it now.'),
  deniedTitle: (credential, approver) => `${credential} denied by ${approver}`,
  deniedBody: (message) => (message ? `Denied: ${message}` : 'Denied, no reason given.'),
  someone: 'an approver',
};

export const EXPIRY_MESSAGES_EN: ExpiryMessages = {
  expiringTitle: (name, time) => `${name} expires at ${time}`,
  expiringBody: () => 'Extend the checkout or check it in before then.',
  expiredTitle: (name) => `${name} has expired`,
  expiredBody: () => 'The checkout has ended. Request a new one to use this credential again.',
  extendAction: 'Extend',
};

export const TRAY_LABELS_EN: TrayLabels = {
  tooltip: 'Coffre',
  open: 'Open Coffre',
  pending: 'Pending requests ({count})',
  noPending: 'No pending requests',
  checkouts: 'Your checkouts ({count})',
  noCheckouts: 'No active checkouts',
  timeLeft: (hours, minutes) =>
    hours === 0
      ? `${minutes}\u00a0min left`
      : `${hours}\u00a0h\u00a0${String(minutes).padStart(2, '0')} left`,
  expired: 'expired',
  copyPassword: 'Copy password',
  checkIn: 'Check in',
  showCheckout: 'Show in Coffre',
  actionFailed: 'That did not work',
  lock: 'Lock',
  quit: 'Quit Coffre',
};

export const MAIN_MESSAGES_EN: MainCatalogue = {
  timeLocale: 'en-US',
  approvals: APPROVALS_MESSAGES_EN,
  expiry: EXPIRY_MESSAGES_EN,
  tray: TRAY_LABELS_EN,
};
