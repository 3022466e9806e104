/**
 * Every word `coffre` says, in English and in French. `fr` has the type of `en`, so a key missing
 * on either side fails the type-check; test/cli/messages.test.ts checks it at run time too.
 * What the server says (its error messages, names) is passed through untranslated.
 */
import type { PamErrorKind } from '../client/errors.ts';
import { frenchDe } from '../common/elision.ts';

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
      json: 'machine-readable JSON output (the same as -o json)',
      output: 'output format: table, json, yaml, or ids (one ID per line)',
      wide: 'tables with every column, IDs included',
      lang: 'language of messages: en or fr (default: from LC_ALL, LC_MESSAGES, LANG)',
      debug: 'show stack traces of errors',
      profile:
        'the account to use for this command (<username> or <username>@<server>; default: $COFFRE_PROFILE, else the current one)',
      version: 'print the version',
      help: 'show help',
    },
    helpCommand: 'show help for a command',
    /** Commander's own words in help texts. */
    words: {
      choices: 'choices',
      default: 'default',
      command: 'command',
      options: 'options',
      /** Option placeholders ("--reason <text>"). */
      values: {
        text: 'text',
        user: 'user',
        seconds: 'seconds',
        duration: 'duration',
        file: 'file',
        dialect: 'dialect',
        lang: 'lang',
        vault: 'vault',
        name: 'name',
        shell: 'shell',
      } as Record<string, string>,
    },
    passwordNote:
      'On a terminal the password is not printed unless you add --reveal (or use --copy): it would stay in the scrollback.\nPiped, or with --json / -o json|yaml, it is printed, as scripts need.',
    argNames: { credential: 'credential', checkout: 'checkout', request: 'request' },
    exitCodes: [
      'Exit codes:',
      '    0  success',
      '    1  unexpected error',
      '    2  usage error (unknown command or option, missing or malformed argument)',
      '    3  authentication: not logged in, wrong password, session expired, too many attempts',
      '    4  forbidden; also a request denied while coffre checkout --wait waited',
      '    5  not found',
      '    6  conflict with the current state; also a request expired or canceled while waited for',
      "    7  refused by the credential's policy (reason or approver required, duration…)",
      '    8  network: server unreachable, timeout, TLS failure',
      '    9  server error or unexpected answer',
      '   10  --copy: no clipboard available',
      '   11  ambiguous: a name matches several credentials or checkouts (listed on stderr)',
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
      credential: 'the credential: its ID, its name or account (SYS@ora01), or a unique part of its name',
      checkout: 'a checkout ID, or the credential (ID or name) of your open checkout',
      request: 'a request ID, or the credential name or requester of one pending request',
      shell: 'the shell to complete for',
      credentialId: 'credential ID',
      checkoutId: 'checkout ID',
      account: 'the account: <username>, or <username>@<server> when several servers have that user',
    },
    opts: {
      username: 'user name',
      signIn:
        'how to sign in: token (Coffre), basic (MIM behind IIS: user name and password on every call), windows (MIM: your Windows/Kerberos sign-in, no password)',
      passwordStdin: 'read the password from standard input',
      vault: 'only the credentials of this vault (name or ID)',
      application: 'sign in as an application: the user name is its key, the password its secret (DVLS)',
      search: 'only the credentials whose name, user name or host contains this text',
      reason: 'why you need it (sent to the approver)',
      approver: 'who should approve it (user ID or user name)',
      duration: "how long: 2h, 90m, 1h30m, or minutes (default: the policy's, often 2h)",
      wait: 'wait for the decision, then show the password',
      waitGet: 'if the request is pending, wait for the decision, then show the password',
      reveal: 'print the password, even on a terminal',
      extendBy: 'how much longer: 30m, 1h, 1h30m, or minutes',
      copy: 'copy the password to the clipboard instead of printing it',
      clearAfter: 'clear the clipboard after this many seconds (0: never)',
      activeAndPending: 'only active and pending checkouts',
      message: 'message for the requester',
      minutes: 'how many minutes to add (use --by)',
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
    state: 'Status',
    credentialId: 'Credential ID',
    when: 'When',
    waiting: 'Waiting',
    denied: 'Denied',
    expired: 'Expired',
    canceled: 'Canceled',
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
    available: 'available',
    you: 'you',
    heldBy: (who: string) => `checked out by ${who}`,
    pendingBy: (who: string) => `requested by ${who}`,
    left: (duration: string) => `${duration} left`,
    until: (date: string, left: string) => `${date} (${left} left)`,
    waitingFor: (duration: string) => `waiting for ${duration}`,
    someApprover: 'an approver',
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
    passwordHidden:
      'The password is not printed on a terminal: add --reveal to show it, or --copy to copy it.',
    moreMatches: (n: number) => `… and ${n} more.`,
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
    usernameRequired: 'give --username <name> (only --sign-in windows needs none)',
    signInNeedsMim: '--sign-in basic and windows are for MIM servers: add --dialect mim',
    badUrl: (value: string) => `not a server URL (http:// or https://): ${value}`,
    noTty: 'no terminal to ask for the password; pass it on standard input with --password-stdin',
    emptyPassword: 'the password is empty',
    invalidId: (value: string) => `not a valid ID (GUID): ${value}`,
    positiveInteger: (value: string) => `must be a positive whole number: ${value}`,
    wholeNumber: (value: string) => `must be a whole number of 0 or more: ${value}`,
    caUnreadable: (path: string, reason: string) => `cannot read the CA file ${path}: ${reason}`,
    noPasswords: 'this server hands out no passwords (MIM dialect), so --copy does not apply',
    approverUnknown: (name: string) => `${name} may not approve this credential`,
    clipboardUnavailable:
      'no clipboard available (install wl-clipboard, xclip or xsel and run in a graphical session); the password was not shown',
    clipboardFailed: (reason: string) => `the clipboard could not be used: ${reason}`,
    denied: (approver: string, message: string) =>
      message ? `the request was denied by ${approver}: ${message}` : `the request was denied by ${approver}`,
    endedWhileWaiting: (status: string) => `the request ended without approval: ${status}`,
    interrupted: 'interrupted',
    ambiguous: (ref: string, n: number) =>
      `"${ref}" matches ${n} entries (listed above); give more of the name, or an ID`,
    noCredentialMatch: (ref: string) => `no credential matches "${ref}" (see coffre credentials)`,
    noOpenCheckout: (name: string) => `you have no open checkout of ${name} (see coffre checkouts)`,
    noPendingMatch: (ref: string) => `no pending request matches "${ref}" (see coffre pending)`,
    noVaultMatch: (ref: string) => `no vault is named "${ref}" (see coffre vaults)`,
    badDuration: (value: string) => `not a duration (2h, 90m, 1h30m, or minutes): ${value}`,
    extendHowLong: 'say how much longer with --by (for example --by 30m)',
    problems: {
      reason: 'a reason is required (--reason)',
      duration: (asked: string, min: string, max: string) =>
        `the duration ${asked} is outside ${min} to ${max} (--duration)`,
      approver: 'an approver is required (--approver)',
      separator: '; ',
    },
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
  errorLine: (message) => `coffre : ${message}`,
  noticeLine: (message) => `coffre : ${message}`,
  colon: '\u00a0:',

  help: {
    description: 'Extraire des identifiants privilégiés d’un serveur Coffre (PAM), depuis un terminal.',
    titles: {
      'Usage:': 'Utilisation :',
      'Options:': 'Options :',
      'Commands:': 'Commandes :',
      'Arguments:': 'Arguments :',
      'Global Options:': 'Options globales :',
    },
    options: {
      server: 'URL du serveur (par défaut : celui de la connexion, ou $COFFRE_SERVER)',
      dialect:
        'dialecte de l’API du serveur : « checkout » (Coffre, façon Devolutions) ou « mim » (API REST PAM de MIM)',
      ca: 'fichier PEM d’une autorité de certification à approuver pour le certificat du serveur',
      json: 'sortie JSON, pour les scripts (comme -o json)',
      output: 'format de sortie : table, json, yaml ou ids (un ID par ligne)',
      wide: 'tableaux avec toutes les colonnes, ID compris',
      lang: 'langue des messages : en ou fr (par défaut : selon LC_ALL, LC_MESSAGES, LANG)',
      debug: 'afficher la pile des erreurs',
      profile:
        'le compte à utiliser pour cette commande (<nom> ou <nom>@<serveur> ; par défaut : $COFFRE_PROFILE, sinon le compte courant)',
      version: 'afficher la version',
      help: 'afficher l’aide',
    },
    helpCommand: 'afficher l’aide d’une commande',
    words: {
      choices: 'valeurs',
      default: 'par défaut',
      command: 'commande',
      options: 'options',
      values: {
        text: 'texte',
        user: 'utilisateur',
        seconds: 'secondes',
        duration: 'durée',
        file: 'fichier',
        dialect: 'dialecte',
        lang: 'langue',
        vault: 'coffre',
        name: 'nom',
        shell: 'shell',
      },
    },
    passwordNote:
      'Dans un terminal, le mot de passe n’est affiché qu’avec --reveal (ou copiez-le avec --copy) : il resterait dans l’historique du terminal.\nRedirigé, ou avec --json / -o json|yaml, il est affiché, comme les scripts en ont besoin.',
    argNames: { credential: 'identifiant', checkout: 'extraction', request: 'demande' },
    exitCodes: [
      'Codes de sortie :',
      '    0  succès',
      '    1  erreur inattendue',
      '    2  erreur d’utilisation (commande ou option inconnue, argument manquant ou mal formé)',
      '    3  authentification : non connecté, mot de passe erroné, session expirée, trop de tentatives',
      '    4  interdit ; aussi une demande refusée pendant coffre checkout --wait',
      '    5  introuvable',
      '    6  conflit avec l’état actuel ; aussi une demande expirée ou annulée pendant l’attente',
      '    7  refusé par la politique (motif ou approbateur requis, durée…)',
      '    8  réseau : serveur injoignable, délai dépassé, échec TLS',
      '    9  erreur du serveur ou réponse inattendue',
      '   10  --copy : aucun presse-papiers disponible',
      '   11  ambigu : un nom désigne plusieurs identifiants ou extractions (listés sur la sortie d’erreur)',
      '  130  interrompu (Ctrl-C)',
      '',
      'Environnement : COFFRE_SERVER, COFFRE_PROFILE, COFFRE_CONFIG_DIR, COFFRE_KEYCHAIN=off, COFFRE_CLIPBOARD_COPY,',
      'COFFRE_CLIPBOARD_PASTE, LC_ALL / LC_MESSAGES / LANG.',
    ].join('\n'),
    commands: {
      login: 'se connecter à un serveur et garder la session (trousseau du système, ou fichier privé)',
      logout: 'fermer la session sur le serveur et l’oublier ici',
      whoami: 'afficher sous quel compte vous êtes connecté',
      switch: 'faire d’un autre de vos comptes le compte courant',
      accounts: 'lister les comptes avec lesquels vous êtes connecté (le courant marqué *)',
      vaults: 'lister les coffres visibles',
      credentials: 'lister les identifiants (Get-DSPamAccount)',
      approvers: 'lister qui peut approuver les extractions d’un identifiant',
      checkout: 'demander l’extraction d’un identifiant (Invoke-DSPamCheckout)',
      checkoutGet: 'afficher une extraction (Get-DSPamCheckout)',
      checkouts: 'lister vos extractions (Get-DSPamCheckout)',
      password: 'afficher le mot de passe d’un identifiant extrait (Get-DSPamPassword)',
      checkin: 'restituer un identifiant, ce qui termine l’extraction (Invoke-DSPamCheckin)',
      pending: 'lister les demandes qui attendent votre approbation (Invoke-DSPamCheckoutPending)',
      approve: 'approuver une demande en attente',
      deny: 'refuser une demande en attente',
      extend: 'prolonger une extraction active',
      cancel: 'annuler votre demande en attente',
      watch: 'afficher les événements en direct jusqu’à Ctrl-C',
      completion: 'afficher un script de complétion (bash, zsh, fish ou powershell)',
    },
    args: {
      credential:
        'l’identifiant : son ID, son nom ou son compte (SYS@ora01), ou une partie unique de son nom',
      checkout: 'l’ID d’une extraction, ou l’identifiant (ID ou nom) de votre extraction en cours',
      request:
        'l’ID d’une demande, ou le nom de l’identifiant ou du demandeur d’une seule demande en attente',
      shell: 'le shell à compléter',
      credentialId: 'ID de l’information d’identification',
      checkoutId: 'ID de l’extraction',
      account: 'le compte : <nom>, ou <nom>@<serveur> quand plusieurs serveurs ont cet utilisateur',
    },
    opts: {
      username: 'nom d’utilisateur',
      signIn:
        'comment se connecter : token (Coffre), basic (MIM derrière IIS : nom d’utilisateur et mot de passe à chaque appel), windows (MIM : votre session Windows/Kerberos, sans mot de passe)',
      passwordStdin: 'lire le mot de passe sur l’entrée standard',
      vault: 'seulement ceux de ce coffre (nom ou ID)',
      search: 'seulement ceux dont le nom, l’utilisateur ou l’hôte contient ce texte',
      reason: 'pourquoi vous en avez besoin (envoyé à l’approbateur)',
      approver: 'qui doit l’approuver (ID ou nom d’utilisateur)',
      duration:
        'pour combien de temps : 2h, 90m, 1h30m ou des minutes (par défaut : celle de la politique, souvent 2 h)',
      application:
        'se connecter en tant qu’application : le nom d’utilisateur est sa clé, le mot de passe son secret (DVLS)',
      wait: 'attendre la décision, puis afficher le mot de passe',
      waitGet: 'si la demande est en attente, attendre la décision, puis afficher le mot de passe',
      reveal: 'afficher le mot de passe, même dans un terminal',
      extendBy: 'de combien prolonger : 30m, 1h, 1h30m ou des minutes',
      copy: 'copier le mot de passe dans le presse-papiers au lieu de l’afficher',
      clearAfter: 'vider le presse-papiers après ce nombre de secondes (0 : jamais)',
      activeAndPending: 'seulement les extractions actives et en attente',
      message: 'message pour le demandeur',
      minutes: 'combien de minutes ajouter (préférez --by)',
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
    state: 'État',
    credentialId: 'ID de l’identifiant',
    when: 'Quand',
    waiting: 'Attend depuis',
    denied: 'Refusée le',
    expired: 'Expirée le',
    canceled: 'Annulée le',
    status: 'État',
    credential: 'Identifiant',
    requester: 'Demandé par',
    approver: 'Approbateur',
    reason: 'Motif',
    approverMessage: 'Message de l’approbateur',
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
    available: 'disponible',
    you: 'vous',
    heldBy: (who) => `extrait par ${who}`,
    pendingBy: (who) => `demandé par ${who}`,
    left: (duration) => `encore ${duration}`,
    until: (date, left) => `${date} (encore ${left})`,
    waitingFor: (duration) => `attend depuis ${duration}`,
    someApprover: 'un approbateur',
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
    passwordPrompt: (username, server) => `Mot de passe ${frenchDe(username)} sur ${server} : `,
    loggedIn: (user, server) => `Connecté en tant que ${user} sur ${server}.`,
    otherAccounts: (count) =>
      `${count === 1 ? 'Votre autre compte reste connecté' : `Vos ${count} autres comptes restent connectés`} : coffre accounts les liste, coffre switch <compte> y revient.`,
    switched: (account) => `Compte courant : ${account}.`,
    noAccounts: 'Aucun compte. Connectez-vous avec : coffre login --server <url> --username <nom>',
    loggedOutAccount: (account) => `${account} est déconnecté.`,
    tokenInKeychain: 'Le jeton de session est gardé dans le trousseau du système.',
    keychainUnavailable: (reason, path) =>
      `Le trousseau du système n’est pas disponible (${reason}) ; le jeton de session est gardé dans ${path} (mode 0600).`,
    loggedOut: (server) => `Déconnecté de ${server}.`,
    notLoggedIn: 'Vous n’étiez pas connecté.',
    logoutServerFailed: (message) =>
      `Le serveur n’a pas pu être prévenu (${message}) ; la session est tout de même oubliée ici.`,
    checkoutActive: (name, until) => `${name} extrait jusqu’au ${until}.`,
    checkoutPending: (name, approver) =>
      `La demande d’accès à ${name} attend l’approbation ${frenchDe(approver)}.`,
    checkoutPendingHint: (id) =>
      `Suivez-la avec : coffre checkout get ${id} (ou attendez la décision avec --wait).`,
    passwordLabel: 'Mot de passe',
    passwordHidden:
      'Le mot de passe n’est pas affiché dans un terminal : ajoutez --reveal pour l’afficher, ou --copy pour le copier.',
    moreMatches: (n) => `… et ${n} de plus.`,
    waiting: (id, approver) =>
      `La demande ${id} attend l’approbation ${frenchDe(approver)} ; attente de la décision (Ctrl-C arrête l’attente).`,
    waitingLine: (status, elapsed, connection) =>
      `En attente d’approbation… ${status}, ${elapsed} (${connection})`,
    statusChanged: (status) => `État : ${status}.`,
    approved: (approver) => (approver ? `Approuvée par ${approver}.` : 'Approuvée.'),
    stillPending: (id) => `La demande est toujours en attente ; suivez-la avec coffre checkout get ${id}`,
    copied: (seconds) =>
      `Mot de passe copié dans le presse-papiers ; il sera vidé dans ${seconds} s (Ctrl-C le vide tout de suite).`,
    copiedNoClear: 'Mot de passe copié dans le presse-papiers.',
    clipboardCleared: 'Presse-papiers vidé.',
    clipboardChanged: 'Le presse-papiers a changé entre-temps ; il est laissé tel quel.',
    clipboardUnreadable:
      'Le presse-papiers n’a pas pu être relu, il est donc laissé tel quel ; videz-le vous-même.',
    noVaults: 'Aucun coffre.',
    noCredentials: 'Aucun identifiant.',
    noApprovers: 'Personne ne peut approuver cet identifiant.',
    noCheckouts: 'Aucune extraction.',
    noPending: 'Aucune demande n’attend votre approbation.',
    checkedIn: (name) => `${name} restitué.`,
    approvedDone: (name, user) =>
      user ? `Demande ${frenchDe(user)} pour ${name} approuvée.` : `Demande pour ${name} approuvée.`,
    deniedDone: (name, user) =>
      user ? `Demande ${frenchDe(user)} pour ${name} refusée.` : `Demande pour ${name} refusée.`,
    extended: (name, until) => `${name} est maintenant extrait jusqu’au ${until}.`,
    canceled: (name) => `Demande pour ${name} annulée.`,
    watching: (server) => `Événements de ${server} en direct (Ctrl-C pour arrêter).`,
    watchStatus: (connection) => `Connexion : ${connection}.`,
  },

  errors: {
    kind: {
      unauthorized: (message) => `non authentifié : ${message} Connectez-vous avec : coffre login`,
      throttled: (message) => `trop de tentatives : ${message}`,
      forbidden: (message) => `non autorisé : ${message}`,
      not_found: (message) => `introuvable : ${message}`,
      conflict: (message) => `conflit : ${message}`,
      policy: (message) => `refusé par la politique : ${message}`,
      invalid: (message) => `requête invalide : ${message}`,
      unsupported: (message) => `non pris en charge par ce serveur : ${message}`,
      network: (message) => `erreur réseau : ${message}`,
      timeout: (message) => `délai dépassé : ${message}`,
      tls: (message) => `erreur TLS : ${message}`,
      server: (message) => `erreur du serveur : ${message}`,
      protocol: (message) => `réponse inattendue : ${message}`,
    },
    loginFailed: (message) => `échec de la connexion : ${message}`,
    approverHint: (id) => `Voyez qui peut l’approuver avec : coffre approvers ${id}`,
    notLoggedIn: 'non connecté. Connectez-vous avec : coffre login --server <url> --username <nom>',
    applicationKeyUnsupported: 'les clés d’application ne servent qu’avec le dialecte d’extraction (DVLS)',
    dvlsSignIn: {
      dvls_wrong_password: 'nom d’utilisateur ou mot de passe incorrect',
      dvls_locked:
        'le compte est verrouillé (trop d’échecs de connexion) ; patientez ou adressez-vous à votre administrateur',
      dvls_disabled: 'le compte est désactivé ou pas encore approuvé ; adressez-vous à votre administrateur',
      dvls_license:
        'la licence du serveur a expiré ou n’a plus de place libre ; adressez-vous à votre administrateur',
      dvls_two_factor:
        'ce compte exige une authentification à deux facteurs, que Coffre ne prend pas en charge ; utilisez un compte ou une clé d’application sans',
      dvls_refused: 'le serveur a refusé la connexion',
      session_key_lost: 'le serveur a perdu la clé de cette session (il a redémarré) ; reconnectez-vous',
    },
    noCurrentAccount: (accounts) =>
      `aucun compte courant. Choisissez-en un avec : coffre switch <compte> (${accounts}), ou connectez-vous avec : coffre login`,
    unknownAccount: (name, accounts) =>
      `aucun compte ${name}${accounts ? ` (vous avez\u00a0: ${accounts})` : ''}. Connectez-vous avec : coffre login --username <nom>`,
    ambiguousAccount: (name, accounts) =>
      `${name} désigne plusieurs comptes (${accounts}) ; indiquez <nom>@<serveur>`,
    otherServer: (current, asked) =>
      `connecté à ${current}, pas à ${asked}. Connectez-vous-y avec : coffre login --server ${asked}`,
    tokenMissing: (where) =>
      `le jeton de session est introuvable dans ${where}. Reconnectez-vous avec : coffre login`,
    noServer: 'aucun serveur : passez --server <url> ou définissez COFFRE_SERVER',
    usernameRequired: 'indiquez --username <nom> (seul --sign-in windows n’en demande pas)',
    signInNeedsMim: '--sign-in basic et windows sont pour les serveurs MIM : ajoutez --dialect mim',
    badUrl: (value) => `ce n’est pas une URL de serveur (http:// ou https://) : ${value}`,
    noTty:
      'aucun terminal pour demander le mot de passe ; passez-le sur l’entrée standard avec --password-stdin',
    emptyPassword: 'le mot de passe est vide',
    invalidId: (value) => `ID invalide (GUID attendu) : ${value}`,
    positiveInteger: (value) => `un nombre entier positif est attendu : ${value}`,
    wholeNumber: (value) => `un nombre entier (0 ou plus) est attendu : ${value}`,
    caUnreadable: (path, reason) => `impossible de lire le fichier d’AC ${path} : ${reason}`,
    noPasswords: 'ce serveur ne fournit pas de mots de passe (dialecte MIM) ; --copy ne s’applique pas',
    approverUnknown: (name) => `${name} ne peut pas approuver cet identifiant`,
    clipboardUnavailable:
      'aucun presse-papiers disponible (installez wl-clipboard, xclip ou xsel, dans une session graphique) ; le mot de passe n’a pas été affiché',
    clipboardFailed: (reason) => `le presse-papiers n’a pas pu être utilisé : ${reason}`,
    denied: (approver, message) =>
      message
        ? `la demande a été refusée par ${approver} : ${message}`
        : `la demande a été refusée par ${approver}`,
    endedWhileWaiting: (status) => `la demande s’est terminée sans approbation : ${status}`,
    interrupted: 'interrompu',
    ambiguous: (ref, n) =>
      `« ${ref} » correspond à ${n} entrées (listées ci-dessus) ; précisez le nom, ou donnez un ID`,
    noCredentialMatch: (ref) => `aucun identifiant ne correspond à « ${ref} » (voir coffre credentials)`,
    noOpenCheckout: (name) => `vous n’avez aucune extraction en cours de ${name} (voir coffre checkouts)`,
    noPendingMatch: (ref) => `aucune demande en attente ne correspond à « ${ref} » (voir coffre pending)`,
    noVaultMatch: (ref) => `aucun coffre ne s’appelle « ${ref} » (voir coffre vaults)`,
    badDuration: (value) => `durée invalide (2h, 90m, 1h30m ou des minutes) : ${value}`,
    extendHowLong: 'indiquez de combien prolonger avec --by (par exemple --by 30m)',
    problems: {
      reason: 'un motif est obligatoire (--reason)',
      duration: (asked, min, max) => `la durée ${asked} sort de l’intervalle ${min} à ${max} (--duration)`,
      approver: 'un approbateur est obligatoire (--approver)',
      separator: ' ; ',
    },
    unexpected: (message) => `erreur inattendue : ${message} (relancez avec --debug pour les détails)`,
    usage: {
      unknownCommand: (name) => `commande inconnue ${name}`,
      unknownOption: (name) => `option inconnue ${name}`,
      missingArgument: (name) => `argument manquant <${name}>`,
      optionMissingArgument: (name) => `l’option ${name} attend une valeur`,
      missingMandatoryOption: (name) => `l’option ${name} est obligatoire`,
      invalidArgument: (detail) => `valeur invalide : ${detail}`,
      excessArguments: 'trop d’arguments',
      conflictingOption: (detail) => `options incompatibles : ${detail}`,
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
