/**
 * Every word `coffre` says, in English and in French. `fr` has the type of `en`, so a key missing
 * on either side fails the type-check; test/cli/messages.test.ts checks it at run time too.
 * What the server says (its error messages, names) is passed through untranslated.
 */
import type { PamErrorKind } from '../client/errors.ts';

export type Lang = 'en' | 'fr';
export const LANGS: readonly Lang[] = ['en', 'fr'];

const en = {
  lang: 'en' as Lang,
  /** One-line error framing: `coffre: <message>`. */
  errorLine: (message: string) => `coffre: ${message}`,
  noticeLine: (message: string) => `coffre: ${message}`,
  /** After a label in key/value blocks ("Status:"; French puts a no-break space before it). */
  colon: ':',

  help: {
    description: 'Check out privileged credentials from a Coffre (PAM) server, from a terminal.',
    titles: {
      'Usage:': 'Usage:',
      'Options:': 'Options:',
      'Commands:': 'Commands:',
      'Arguments:': 'Arguments:',
      'Global Options:': 'Global Options:',
    } as Record<string, string>,
    options: {
      server: 'server URL (default: the one you logged in to, or $COFFRE_SERVER)',
      dialect: 'server API dialect: checkout (Coffre, Devolutions-style) or mim (MIM PAM REST API)',
      ca: 'PEM file of a CA to trust for the server certificate',
      json: 'machine-readable JSON output',
      lang: 'language of messages: en or fr (default: from LC_ALL, LC_MESSAGES, LANG)',
      debug: 'show stack traces of errors',
      profile:
        'the account to use for this command (<username> or <username>@<server>; default: $COFFRE_PROFILE, else the current one)',
      version: 'print the version',
      help: 'show help',
    },
    helpCommand: 'show help for a command',
    exitCodes: [
      'Exit codes:',
      '    0  success',
      '    1  unexpected error',
      '    2  usage error (unknown command or option, missing or malformed argument)',
      '    3  authentication: not logged in, wrong password, session expired, too many attempts',
      '    4  forbidden; also a request denied while checkout --wait waited',
      '    5  not found',
      '    6  conflict with the current state; also a request expired or canceled while waited for',
      "    7  refused by the credential's policy (reason or approver required, duration…)",
      '    8  network: server unreachable, timeout, TLS failure',
      '    9  server error or unexpected answer',
      '   10  --copy: no clipboard available',
      '  130  interrupted (Ctrl-C)',
      '',
      'Environment: COFFRE_SERVER, COFFRE_PROFILE, COFFRE_CONFIG_DIR, COFFRE_KEYCHAIN=off, COFFRE_CLIPBOARD_COPY,',
      'COFFRE_CLIPBOARD_PASTE, LC_ALL / LC_MESSAGES / LANG.',
    ].join('\n'),
    commands: {
      login: 'log in to a server and keep the session (OS keychain, or a private file)',
      logout: 'end the session on the server and forget it here',
      whoami: 'show who you are logged in as, and as which account',
      switch: 'make another of your accounts the current one',
      accounts: 'list the accounts you are logged in with (the current one marked *)',
      vaults: 'list the vaults you may see',
      credentials: 'list credentials (Get-DSPamAccount)',
      approvers: 'list the users who may approve checkouts of a credential',
      checkout: 'request a checkout of a credential (Invoke-DSPamCheckout)',
      checkoutGet: 'show one checkout (Get-DSPamCheckout)',
      checkouts: 'list your checkouts (Get-DSPamCheckout)',
      password: 'show the password of a credential you hold (Get-DSPamPassword)',
      checkin: 'check a credential in, ending the checkout (Invoke-DSPamCheckin)',
      pending: 'list the requests waiting for your approval (Invoke-DSPamCheckoutPending)',
      approve: 'approve a pending request',
      deny: 'deny a pending request',
      extend: 'extend an active checkout',
      cancel: 'cancel your pending request',
      watch: 'show live events until Ctrl-C',
      completion: 'print a shell completion script (bash, zsh, fish or powershell)',
    },
    args: {
      credentialId: 'credential ID',
      checkoutId: 'checkout ID',
      request:
        'the request: its checkout ID, or the ID or name of its credential when one request of yours is pending on it',
      myCheckout:
        'the checkout: its ID, or the ID or name of its credential when you have one open checkout on it',
      account: 'the account: <username>, or <username>@<server> when several servers have that user',
    },
    opts: {
      username: 'user name',
      passwordStdin: 'read the password from standard input',
      application: 'sign in as an application: the user name is its key, the password its secret (DVLS)',
      vault: 'only the credentials of this vault (ID)',
      search: 'only the credentials whose name, user name or host contains this text',
      reason: 'why you need it (sent to the approver)',
      approver: 'who should approve it (user ID or user name)',
      duration: 'how long, in minutes (default: the policy, usually 120)',
      wait: 'wait for the decision, then show the password',
      copy: 'copy the password to the clipboard instead of printing it',
      clearAfter: 'clear the clipboard after this many seconds (0: never)',
      activeAndPending: 'only active and pending checkouts',
      message: 'message for the requester',
      minutes: 'how many minutes to add',
    },
  },

  labels: {
    id: 'ID',
    name: 'Name',
    username: 'User name',
    host: 'Host',
    vault: 'Vault',
    description: 'Description',
    approval: 'Approval',
    state: 'Checked out',
    status: 'Status',
    credential: 'Credential',
    requester: 'Requested by',
    approver: 'Approver',
    reason: 'Reason',
    approverMessage: 'Approver message',
    duration: 'Duration',
    requested: 'Requested',
    scheduled: 'Starts',
    started: 'Started',
    ended: 'Checked in',
    expires: 'Expires',
    user: 'User',
    displayName: 'Name',
    roles: 'Roles',
    server: 'Server',
    dialect: 'Dialect',
    sessionExpires: 'Session expires',
    tokenStore: 'Token kept in',
    account: 'Account',
  },

  values: {
    none: '—',
    approvalNone: 'none',
    approvalMandatory: 'required',
    free: 'free',
    someApprover: 'an approver',
    minutes: (n: number) => `${n} min`,
    keychain: 'the OS keychain',
    file: (path: string) => `${path} (mode 0600)`,
    yes: 'yes',
    no: 'no',
  },

  status: {
    0: 'Invalid',
    1: 'Pending',
    2: 'Granted',
    3: 'Denied',
    4: 'Active',
    5: 'Ended',
    6: 'Expired',
    7: 'Aborted',
    8: 'Canceled',
    9: 'Initial',
  } as Record<number, string>,

  events: {
    'checkout.created': 'new request',
    'checkout.updated': 'updated',
    'checkout.expiring': 'expiring soon',
    'credential.rotated': 'password rotated',
  } as Record<string, string>,

  connection: {
    connecting: 'connecting…',
    open: 'live',
    reconnecting: 'reconnecting…',
    polling: 'polling',
    closed: 'closed',
  } as Record<string, string>,

  notices: {
    passwordPrompt: (username: string, server: string) => `Password for ${username} at ${server}: `,
    loggedIn: (user: string, server: string) => `Logged in as ${user} at ${server}.`,
    otherAccounts: (count: number) =>
      `Your ${count === 1 ? 'other account stays' : `${count} other accounts stay`} logged in: coffre accounts lists them, coffre switch <account> goes back.`,
    switched: (account: string) => `Now using ${account}.`,
    noAccounts: 'No accounts. Log in with: coffre login --server <url> --username <name>',
    loggedOutAccount: (account: string) => `Logged out ${account}.`,
    tokenInKeychain: 'The session token is kept in the OS keychain.',
    keychainUnavailable: (reason: string, path: string) =>
      `The OS keychain is not available (${reason}); the session token is kept in ${path} (mode 0600).`,
    loggedOut: (server: string) => `Logged out of ${server}.`,
    notLoggedIn: 'You were not logged in.',
    logoutServerFailed: (message: string) =>
      `The server could not be told (${message}); the session is forgotten here anyway.`,
    checkoutActive: (name: string, until: string) => `Checked out ${name} until ${until}.`,
    checkoutPending: (name: string, approver: string) =>
      `Request for ${name} is pending approval by ${approver}.`,
    checkoutPendingHint: (id: string) =>
      `Check it with: coffre checkout get ${id} (or wait for the decision with --wait).`,
    passwordLabel: 'Password',
    waiting: (id: string, approver: string) =>
      `Request ${id} is pending approval by ${approver}; waiting for the decision (Ctrl-C stops waiting).`,
    waitingLine: (status: string, elapsed: string, connection: string) =>
      `Waiting for approval… ${status}, ${elapsed} (${connection})`,
    statusChanged: (status: string) => `Status: ${status}.`,
    approved: (approver: string) => (approver ? `Approved by ${approver}.` : 'Approved.'),
    stillPending: (id: string) => `The request is still pending; check it with coffre checkout get ${id}`,
    copied: (seconds: number) =>
      `Password copied to the clipboard; it will be cleared in ${seconds} s (Ctrl-C clears it now).`,
    copiedNoClear: 'Password copied to the clipboard.',
    clipboardCleared: 'Clipboard cleared.',
    clipboardChanged: 'The clipboard changed since; left as it is.',
    clipboardUnreadable: 'The clipboard could not be read back, so it was left as it is; clear it yourself.',
    noVaults: 'No vaults.',
    noCredentials: 'No credentials.',
    noApprovers: 'Nobody may approve this credential.',
    noCheckouts: 'No checkouts.',
    noPending: 'No requests are waiting for your approval.',
    checkedIn: (name: string) => `Checked in ${name}.`,
    approvedDone: (name: string, user: string) =>
      user ? `Approved the request of ${user} for ${name}.` : `Approved the request for ${name}.`,
    deniedDone: (name: string, user: string) =>
      user ? `Denied the request of ${user} for ${name}.` : `Denied the request for ${name}.`,
    extended: (name: string, until: string) => `${name} is now checked out until ${until}.`,
    canceled: (name: string) => `Canceled the request for ${name}.`,
    watching: (server: string) => `Watching events from ${server} (Ctrl-C stops).`,
    watchStatus: (connection: string) => `Connection: ${connection}.`,
  },

  errors: {
    kind: {
      unauthorized: (message: string) => `not authenticated: ${message} Log in with: coffre login`,
      throttled: (message: string) => `too many attempts: ${message}`,
      forbidden: (message: string) => `not allowed: ${message}`,
      not_found: (message: string) => `not found: ${message}`,
      conflict: (message: string) => `conflict: ${message}`,
      policy: (message: string) => `refused by policy: ${message}`,
      invalid: (message: string) => `invalid request: ${message}`,
      unsupported: (message: string) => `not supported by this server: ${message}`,
      network: (message: string) => `network error: ${message}`,
      timeout: (message: string) => `timeout: ${message}`,
      tls: (message: string) => `TLS error: ${message}`,
      server: (message: string) => `server error: ${message}`,
      protocol: (message: string) => `unexpected answer: ${message}`,
    } satisfies Record<PamErrorKind, (message: string) => string>,
    loginFailed: (message: string) => `login failed: ${message}`,
    applicationKeyUnsupported: 'application keys are a sign-in of the checkout dialect (DVLS) only',
    /** Devolutions Server's sign-in refusals (client/dvlsSignIn.ts codes); the server's text follows. */
    dvlsSignIn: {
      dvls_wrong_password: 'wrong username or password',
      dvls_locked: 'the account is locked (too many failed sign-ins); wait, or ask your administrator',
      dvls_disabled: 'the account is disabled or not yet approved; ask your administrator',
      dvls_license: 'the server’s licence has expired or has no seat left; ask your administrator',
      dvls_two_factor:
        'this account requires two-factor authentication, which Coffre does not support; use an account or an application key without it',
      dvls_refused: 'the server refused the sign-in',
      session_key_lost: 'the server lost this session’s key (it restarted); log in again',
    } as Record<string, string>,
    approverHint: (id: string) => `See who may approve it with: coffre approvers ${id}`,
    notLoggedIn: 'not logged in. Log in with: coffre login --server <url> --username <name>',
    noCurrentAccount: (accounts: string) =>
      `no current account. Choose one with: coffre switch <account> (${accounts}), or log in with: coffre login`,
    unknownAccount: (name: string, accounts: string) =>
      `no account ${name}${accounts ? ` (you have: ${accounts})` : ''}. Log in with: coffre login --username <name>`,
    ambiguousAccount: (name: string, accounts: string) =>
      `${name} names several accounts (${accounts}); give <username>@<server>`,
    otherServer: (current: string, asked: string) =>
      `logged in to ${current}, not to ${asked}. Log in there with: coffre login --server ${asked}`,
    tokenMissing: (where: string) =>
      `the session token is missing from ${where}. Log in again with: coffre login`,
    noServer: 'no server: pass --server <url> or set COFFRE_SERVER',
    badUrl: (value: string) => `not a server URL (http:// or https://): ${value}`,
    noTty: 'no terminal to ask for the password; pass it on standard input with --password-stdin',
    emptyPassword: 'the password is empty',
    invalidId: (value: string) => `not a valid ID (GUID): ${value}`,
    positiveInteger: (value: string) => `must be a positive whole number: ${value}`,
    wholeNumber: (value: string) => `must be a whole number of 0 or more: ${value}`,
    caUnreadable: (path: string, reason: string) => `cannot read the CA file ${path}: ${reason}`,
    noPasswords: 'this server hands out no passwords (MIM dialect), so --copy does not apply',
    approverUnknown: (name: string) => `${name} may not approve this credential`,
    noPendingRequest: (what: string) =>
      `no request waiting for your decision matches ${what} (see coffre pending)`,
    severalPendingRequests: (what: string, ids: string) =>
      `several requests waiting for your decision match ${what}; give the checkout ID: ${ids}`,
    noOpenCheckout: (what: string) =>
      `none of your open checkouts matches ${what} (see coffre checkouts --active-and-pending)`,
    severalOpenCheckouts: (what: string, ids: string) =>
      `several of your open checkouts match ${what}; give the checkout ID: ${ids}`,
    clipboardUnavailable:
      'no clipboard available (install wl-clipboard, xclip or xsel and run in a graphical session); the password was not shown',
    clipboardFailed: (reason: string) => `the clipboard could not be used: ${reason}`,
    denied: (approver: string, message: string) =>
      message ? `the request was denied by ${approver}: ${message}` : `the request was denied by ${approver}`,
    endedWhileWaiting: (status: string) => `the request ended without approval: ${status}`,
    interrupted: 'interrupted',
    unexpected: (message: string) => `unexpected error: ${message} (run with --debug for details)`,
    usage: {
      unknownCommand: (name: string) => `unknown command ${name}`,
      unknownOption: (name: string) => `unknown option ${name}`,
      missingArgument: (name: string) => `missing argument <${name}>`,
      optionMissingArgument: (name: string) => `option ${name} needs a value`,
      missingMandatoryOption: (name: string) => `option ${name} is required`,
      invalidArgument: (detail: string) => `invalid value: ${detail}`,
      excessArguments: 'too many arguments',
      conflictingOption: (detail: string) => `conflicting options: ${detail}`,
      other: (detail: string) => detail,
      seeHelp: (command: string) => `(see ${command} --help)`,
    },
  },
};

export type Messages = typeof en;

const fr: Messages = {
  lang: 'fr',
  errorLine: (message) => `coffre : ${message}`,
  noticeLine: (message) => `coffre : ${message}`,
  colon: '\u00a0:',

  help: {
    description:
      "Extraire des informations d'identification privilégiées d'un serveur Coffre (PAM), depuis un terminal.",
    titles: {
      'Usage:': 'Utilisation :',
      'Options:': 'Options :',
      'Commands:': 'Commandes :',
      'Arguments:': 'Arguments :',
      'Global Options:': 'Options globales :',
    },
    options: {
      server: 'URL du serveur (par défaut : celui de la connexion, ou $COFFRE_SERVER)',
      dialect:
        "dialecte de l'API du serveur : checkout (Coffre, façon Devolutions) ou mim (API REST PAM de MIM)",
      ca: "fichier PEM d'une autorité de certification à approuver pour le certificat du serveur",
      json: 'sortie JSON, pour les scripts',
      lang: 'langue des messages : en ou fr (par défaut : selon LC_ALL, LC_MESSAGES, LANG)',
      debug: 'afficher la pile des erreurs',
      profile:
        'le compte à utiliser pour cette commande (<nom> ou <nom>@<serveur> ; par défaut : $COFFRE_PROFILE, sinon le compte courant)',
      version: 'afficher la version',
      help: "afficher l'aide",
    },
    helpCommand: "afficher l'aide d'une commande",
    exitCodes: [
      'Codes de sortie :',
      '    0  succès',
      '    1  erreur inattendue',
      '    2  erreur d’utilisation (commande ou option inconnue, argument manquant ou mal formé)',
      '    3  authentification : non connecté, mot de passe erroné, session expirée, trop de tentatives',
      '    4  interdit ; aussi une demande refusée pendant checkout --wait',
      '    5  introuvable',
      "    6  conflit avec l'état actuel ; aussi une demande expirée ou annulée pendant l'attente",
      '    7  refusé par la politique (motif ou approbateur requis, durée…)',
      '    8  réseau : serveur injoignable, délai dépassé, échec TLS',
      '    9  erreur du serveur ou réponse inattendue',
      '   10  --copy : aucun presse-papiers disponible',
      '  130  interrompu (Ctrl-C)',
      '',
      'Environnement : COFFRE_SERVER, COFFRE_PROFILE, COFFRE_CONFIG_DIR, COFFRE_KEYCHAIN=off, COFFRE_CLIPBOARD_COPY,',
      'COFFRE_CLIPBOARD_PASTE, LC_ALL / LC_MESSAGES / LANG.',
    ].join('\n'),
    commands: {
      login: 'se connecter à un serveur et garder la session (trousseau du système, ou fichier privé)',
      logout: 'fermer la session sur le serveur et l’oublier ici',
      whoami: 'afficher sous quel compte vous êtes connecté',
      switch: 'faire d’un autre de vos comptes le compte courant',
      accounts: 'lister les comptes avec lesquels vous êtes connecté (le courant marqué *)',
      vaults: 'lister les coffres visibles',
      credentials: "lister les informations d'identification (Get-DSPamAccount)",
      approvers: "lister qui peut approuver les extractions d'une information d'identification",
      checkout: "demander l'extraction d'une information d'identification (Invoke-DSPamCheckout)",
      checkoutGet: 'afficher une extraction (Get-DSPamCheckout)',
      checkouts: 'lister vos extractions (Get-DSPamCheckout)',
      password: "afficher le mot de passe d'une information d'identification extraite (Get-DSPamPassword)",
      checkin:
        "restituer une information d'identification, ce qui termine l'extraction (Invoke-DSPamCheckin)",
      pending: 'lister les demandes qui attendent votre approbation (Invoke-DSPamCheckoutPending)',
      approve: 'approuver une demande en attente',
      deny: 'refuser une demande en attente',
      extend: 'prolonger une extraction active',
      cancel: 'annuler votre demande en attente',
      watch: "afficher les événements en direct jusqu'à Ctrl-C",
      completion: 'afficher un script de complétion (bash, zsh, fish ou powershell)',
    },
    args: {
      credentialId: "ID de l'information d'identification",
      checkoutId: "ID de l'extraction",
      request:
        "la demande : l'ID de l'extraction, ou l'ID ou le nom de l'information d'identification quand une seule demande vous attend sur elle",
      myCheckout:
        "l'extraction : son ID, ou l'ID ou le nom de l'information d'identification quand vous n'avez qu'une extraction en cours sur elle",
      account: 'le compte : <nom>, ou <nom>@<serveur> quand plusieurs serveurs ont cet utilisateur',
    },
    opts: {
      username: "nom d'utilisateur",
      passwordStdin: "lire le mot de passe sur l'entrée standard",
      application:
        "se connecter en tant qu'application : le nom d'utilisateur est sa clé, le mot de passe son secret (DVLS)",
      vault: 'seulement celles de ce coffre (ID)',
      search: "seulement celles dont le nom, l'utilisateur ou l'hôte contient ce texte",
      reason: "pourquoi vous en avez besoin (envoyé à l'approbateur)",
      approver: "qui doit l'approuver (ID ou nom d'utilisateur)",
      duration: 'pour combien de temps, en minutes (par défaut : la politique, souvent 120)',
      wait: 'attendre la décision, puis afficher le mot de passe',
      copy: "copier le mot de passe dans le presse-papiers au lieu de l'afficher",
      clearAfter: 'vider le presse-papiers après ce nombre de secondes (0 : jamais)',
      activeAndPending: 'seulement les extractions actives et en attente',
      message: 'message pour le demandeur',
      minutes: 'combien de minutes ajouter',
    },
  },

  labels: {
    id: 'ID',
    name: 'Nom',
    username: 'Utilisateur',
    host: 'Hôte',
    vault: 'Coffre',
    description: 'Description',
    approval: 'Approbation',
    state: 'Extraction',
    status: 'État',
    credential: 'Identifiant',
    requester: 'Demandé par',
    approver: 'Approbateur',
    reason: 'Motif',
    approverMessage: "Message de l'approbateur",
    duration: 'Durée',
    requested: 'Demandé le',
    scheduled: 'Débute le',
    started: 'Extrait le',
    ended: 'Restitué le',
    expires: 'Expire le',
    user: 'Utilisateur',
    displayName: 'Nom',
    roles: 'Rôles',
    server: 'Serveur',
    dialect: 'Dialecte',
    sessionExpires: 'Session valable jusqu’au',
    tokenStore: 'Jeton gardé dans',
    account: 'Compte',
  },

  values: {
    none: '—',
    approvalNone: 'aucune',
    approvalMandatory: 'requise',
    free: 'libre',
    someApprover: 'un approbateur',
    minutes: (n) => `${n} min`,
    keychain: 'le trousseau du système',
    file: (path) => `${path} (mode 0600)`,
    yes: 'oui',
    no: 'non',
  },

  status: {
    0: 'Invalide',
    1: 'En attente',
    2: 'Accordée',
    3: 'Refusée',
    4: 'Active',
    5: 'Terminée',
    6: 'Expirée',
    7: 'Interrompue',
    8: 'Annulée',
    9: 'Initiale',
  },

  events: {
    'checkout.created': 'nouvelle demande',
    'checkout.updated': 'mise à jour',
    'checkout.expiring': 'expire bientôt',
    'credential.rotated': 'mot de passe changé',
  },

  connection: {
    connecting: 'connexion…',
    open: 'en direct',
    reconnecting: 'reconnexion…',
    polling: 'interrogation périodique',
    closed: 'fermée',
  },

  notices: {
    passwordPrompt: (username, server) => `Mot de passe de ${username} sur ${server} : `,
    loggedIn: (user, server) => `Connecté en tant que ${user} sur ${server}.`,
    otherAccounts: (count) =>
      `${count === 1 ? 'Votre autre compte reste connecté' : `Vos ${count} autres comptes restent connectés`} : coffre accounts les liste, coffre switch <compte> y revient.`,
    switched: (account) => `Compte courant : ${account}.`,
    noAccounts: 'Aucun compte. Connectez-vous avec : coffre login --server <url> --username <nom>',
    loggedOutAccount: (account) => `${account} est déconnecté.`,
    tokenInKeychain: 'Le jeton de session est gardé dans le trousseau du système.',
    keychainUnavailable: (reason, path) =>
      `Le trousseau du système n’est pas disponible (${reason}) ; le jeton de session est gardé dans ${path} (mode 0600).`,
    loggedOut: (server) => `Déconnecté de ${server}.`,
    notLoggedIn: 'Vous n’étiez pas connecté.',
    logoutServerFailed: (message) =>
      `Le serveur n’a pas pu être prévenu (${message}) ; la session est tout de même oubliée ici.`,
    checkoutActive: (name, until) => `${name} extrait jusqu’au ${until}.`,
    checkoutPending: (name, approver) => `La demande pour ${name} attend l’approbation de ${approver}.`,
    checkoutPendingHint: (id) =>
      `Suivez-la avec : coffre checkout get ${id} (ou attendez la décision avec --wait).`,
    passwordLabel: 'Mot de passe',
    waiting: (id, approver) =>
      `La demande ${id} attend l’approbation de ${approver} ; attente de la décision (Ctrl-C arrête l’attente).`,
    waitingLine: (status, elapsed, connection) =>
      `En attente d’approbation… ${status}, ${elapsed} (${connection})`,
    statusChanged: (status) => `État : ${status}.`,
    approved: (approver) => (approver ? `Approuvée par ${approver}.` : 'Approuvée.'),
    stillPending: (id) => `La demande est toujours en attente ; suivez-la avec coffre checkout get ${id}`,
    copied: (seconds) =>
      `Mot de passe copié dans le presse-papiers ; il sera vidé dans ${seconds} s (Ctrl-C le vide tout de suite).`,
    copiedNoClear: 'Mot de passe copié dans le presse-papiers.',
    clipboardCleared: 'Presse-papiers vidé.',
    clipboardChanged: 'Le presse-papiers a changé entre-temps ; il est laissé tel quel.',
    clipboardUnreadable:
      'Le presse-papiers n’a pas pu être relu, il est donc laissé tel quel ; videz-le vous-même.',
    noVaults: 'Aucun coffre.',
    noCredentials: "Aucune information d'identification.",
    noApprovers: "Personne ne peut approuver cette information d'identification.",
    noCheckouts: 'Aucune extraction.',
    noPending: 'Aucune demande n’attend votre approbation.',
    checkedIn: (name) => `${name} restitué.`,
    approvedDone: (name, user) =>
      user ? `Demande de ${user} pour ${name} approuvée.` : `Demande pour ${name} approuvée.`,
    deniedDone: (name, user) =>
      user ? `Demande de ${user} pour ${name} refusée.` : `Demande pour ${name} refusée.`,
    extended: (name, until) => `${name} est maintenant extrait jusqu’au ${until}.`,
    canceled: (name) => `Demande pour ${name} annulée.`,
    watching: (server) => `Événements de ${server} en direct (Ctrl-C pour arrêter).`,
    watchStatus: (connection) => `Connexion : ${connection}.`,
  },

  errors: {
    kind: {
      unauthorized: (message) => `non authentifié : ${message} Connectez-vous avec : coffre login`,
      throttled: (message) => `trop de tentatives : ${message}`,
      forbidden: (message) => `non autorisé : ${message}`,
      not_found: (message) => `introuvable : ${message}`,
      conflict: (message) => `conflit : ${message}`,
      policy: (message) => `refusé par la politique : ${message}`,
      invalid: (message) => `requête invalide : ${message}`,
      unsupported: (message) => `non pris en charge par ce serveur : ${message}`,
      network: (message) => `erreur réseau : ${message}`,
      timeout: (message) => `délai dépassé : ${message}`,
      tls: (message) => `erreur TLS : ${message}`,
      server: (message) => `erreur du serveur : ${message}`,
      protocol: (message) => `réponse inattendue : ${message}`,
    },
    loginFailed: (message) => `échec de la connexion : ${message}`,
    applicationKeyUnsupported: 'les clés d’application ne servent qu’avec le dialecte d’extraction (DVLS)',
    dvlsSignIn: {
      dvls_wrong_password: 'nom d’utilisateur ou mot de passe incorrect',
      dvls_locked:
        'le compte est verrouillé (trop d’échecs de connexion) ; patientez ou adressez-vous à votre administrateur',
      dvls_disabled: 'le compte est désactivé ou pas encore approuvé ; adressez-vous à votre administrateur',
      dvls_license:
        'la licence du serveur a expiré ou n’a plus de place libre ; adressez-vous à votre administrateur',
      dvls_two_factor:
        'ce compte exige une authentification à deux facteurs, que Coffre ne prend pas en charge ; utilisez un compte ou une clé d’application sans',
      dvls_refused: 'le serveur a refusé la connexion',
      session_key_lost: 'le serveur a perdu la clé de cette session (il a redémarré) ; reconnectez-vous',
    },
    approverHint: (id) => `Voyez qui peut l’approuver avec : coffre approvers ${id}`,
    notLoggedIn: 'non connecté. Connectez-vous avec : coffre login --server <url> --username <nom>',
    noCurrentAccount: (accounts) =>
      `aucun compte courant. Choisissez-en un avec : coffre switch <compte> (${accounts}), ou connectez-vous avec : coffre login`,
    unknownAccount: (name, accounts) =>
      `aucun compte ${name}${accounts ? ` (vous avez : ${accounts})` : ''}. Connectez-vous avec : coffre login --username <nom>`,
    ambiguousAccount: (name, accounts) =>
      `${name} désigne plusieurs comptes (${accounts}) ; indiquez <nom>@<serveur>`,
    otherServer: (current, asked) =>
      `connecté à ${current}, pas à ${asked}. Connectez-vous-y avec : coffre login --server ${asked}`,
    tokenMissing: (where) =>
      `le jeton de session est introuvable dans ${where}. Reconnectez-vous avec : coffre login`,
    noServer: 'aucun serveur : passez --server <url> ou définissez COFFRE_SERVER',
    badUrl: (value) => `ce n’est pas une URL de serveur (http:// ou https://) : ${value}`,
    noTty:
      "aucun terminal pour demander le mot de passe ; passez-le sur l'entrée standard avec --password-stdin",
    emptyPassword: 'le mot de passe est vide',
    invalidId: (value) => `ID invalide (GUID attendu) : ${value}`,
    positiveInteger: (value) => `un nombre entier positif est attendu : ${value}`,
    wholeNumber: (value) => `un nombre entier (0 ou plus) est attendu : ${value}`,
    caUnreadable: (path, reason) => `impossible de lire le fichier d'AC ${path} : ${reason}`,
    noPasswords: 'ce serveur ne fournit pas de mots de passe (dialecte MIM) ; --copy ne s’applique pas',
    approverUnknown: (name) => `${name} ne peut pas approuver cette information d'identification`,
    noPendingRequest: (what) =>
      `aucune demande en attente de votre décision ne correspond à ${what} (voir coffre pending)`,
    severalPendingRequests: (what, ids) =>
      `plusieurs demandes en attente de votre décision correspondent à ${what} ; indiquez l'ID de l'extraction : ${ids}`,
    noOpenCheckout: (what) =>
      `aucune de vos extractions en cours ne correspond à ${what} (voir coffre checkouts --active-and-pending)`,
    severalOpenCheckouts: (what, ids) =>
      `plusieurs de vos extractions en cours correspondent à ${what} ; indiquez l'ID de l'extraction : ${ids}`,
    clipboardUnavailable:
      "aucun presse-papiers disponible (installez wl-clipboard, xclip ou xsel, dans une session graphique) ; le mot de passe n'a pas été affiché",
    clipboardFailed: (reason) => `le presse-papiers n'a pas pu être utilisé : ${reason}`,
    denied: (approver, message) =>
      message
        ? `la demande a été refusée par ${approver} : ${message}`
        : `la demande a été refusée par ${approver}`,
    endedWhileWaiting: (status) => `la demande s'est terminée sans approbation : ${status}`,
    interrupted: 'interrompu',
    unexpected: (message) => `erreur inattendue : ${message} (relancez avec --debug pour les détails)`,
    usage: {
      unknownCommand: (name) => `commande inconnue ${name}`,
      unknownOption: (name) => `option inconnue ${name}`,
      missingArgument: (name) => `argument manquant <${name}>`,
      optionMissingArgument: (name) => `l'option ${name} attend une valeur`,
      missingMandatoryOption: (name) => `l'option ${name} est obligatoire`,
      invalidArgument: (detail) => `valeur invalide : ${detail}`,
      excessArguments: "trop d'arguments",
      conflictingOption: (detail) => `options incompatibles : ${detail}`,
      other: (detail) => detail,
      seeHelp: (command) => `(voir ${command} --help)`,
    },
  },
};

export const MESSAGES: Record<Lang, Messages> = { en, fr };

/**
 * The language: `--lang en|fr` (looked up before commander parses, since help texts depend on it),
 * else the first of LC_ALL, LC_MESSAGES, LANG that is set (fr* → French), else English.
 */
export function detectLang(argv: readonly string[], env: NodeJS.ProcessEnv): Lang {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    const value = arg === '--lang' ? argv[i + 1] : arg.startsWith('--lang=') ? arg.slice(7) : undefined;
    const lang = value === 'en' || value === 'fr' ? value : null;
    if (lang) return lang;
  }
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^fr/i.test(locale) ? 'fr' : 'en';
}

/** The BCP 47 locale used for dates. */
export function localeOf(lang: Lang): string {
  return lang === 'fr' ? 'fr-FR' : 'en-GB';
}
