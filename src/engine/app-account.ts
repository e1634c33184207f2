// Which account owns the app and runs uWSGI when none was named (issue 21, part 2). Never root by
// default: root runs the app's code with every right on the machine, and the guide and every
// current version of it use a normal account ("demo", made with adduser). Pure: the passwd lines,
// login.defs and the environment are read in src/exec/accounts.ts.
import { shellLine } from './commands.js';

/** What the default is chosen from, as the machine and the environment give it. */
export interface AccountFacts {
  /** The passwd database as `getent passwd` prints it: name:password:uid:gid:gecos:home:shell. */
  passwd: string;
  /** /etc/login.defs ('' when unreadable): its UID_MIN and UID_MAX say which accounts are people's. */
  loginDefs: string;
  /** SUDO_USER: who ran sudo. */
  sudoUser: string | undefined;
  /** The uid running the wizard. */
  uid: number;
  /** The account running the wizard. */
  runningAs: string;
}

/** The default to offer, and where it came from; `none`: root, and nobody else to offer. */
export type AccountSuggestion =
  | { kind: 'recorded' | 'sudo-user' | 'self' | 'first-normal'; name: string }
  | { kind: 'none' };

/** The guide's account: the name offered when one is to be created. */
export const GUIDE_ACCOUNT = 'demo';

/** shadow's and adduser's defaults, when login.defs says nothing. */
const DEFAULT_UID_RANGE = { min: 1000, max: 60000 };

/** The uids of people's accounts, from login.defs (UID_MIN, UID_MAX), else shadow's defaults. */
export function normalUidRange(loginDefs: string): { min: number; max: number } {
  const read = (key: string, fallback: number) => {
    const value = new RegExp(`^\\s*${key}\\s+(\\d+)\\s*$`, 'm').exec(loginDefs)?.[1];
    return value === undefined ? fallback : Number(value);
  };
  return { min: read('UID_MIN', DEFAULT_UID_RANGE.min), max: read('UID_MAX', DEFAULT_UID_RANGE.max) };
}

interface PasswdEntry {
  name: string;
  uid: number;
  shell: string;
}

function passwdEntries(passwd: string): PasswdEntry[] {
  return passwd.split('\n').flatMap((line) => {
    const fields = line.split(':');
    if (fields.length < 7 || !/^\d+$/.test(fields[2]!)) return [];
    return [{ name: fields[0]!, uid: Number(fields[2]), shell: fields[6]!.trim() }];
  });
}

/** A shell that refuses a login: such an account is a service's, not a person's. */
const NO_LOGIN = /(^|\/)(nologin|false)$/;

/**
 * People's accounts, lowest uid first: a uid in login.defs's range and a login shell. An empty
 * shell field means /bin/sh. A name listed twice (files and a directory service) counts once.
 */
export function normalAccounts(passwd: string, loginDefs: string): string[] {
  const { min, max } = normalUidRange(loginDefs);
  const seen = new Set<string>();
  return passwdEntries(passwd)
    .filter((entry) => entry.uid >= min && entry.uid <= max && !NO_LOGIN.test(entry.shell))
    .sort((a, b) => a.uid - b.uid || a.name.localeCompare(b.name))
    .map((entry) => entry.name)
    .filter((name) => !seen.has(name) && Boolean(seen.add(name)));
}

/** Root by name, or any account the passwd lines give uid 0 (a `toor` is root too). */
export function isRootAccount(name: string, passwd = ''): boolean {
  return name === 'root' || passwdEntries(passwd).some((entry) => entry.name === name && entry.uid === 0);
}

/**
 * The account to offer: the last run's for this app, the account that ran sudo, the account
 * running the wizard when it is not root; as root, the machine's first normal account. Never
 * root: with nobody else, `none` (offer to create one; unattended, refuse).
 */
export function suggestAppAccount(facts: AccountFacts, recorded?: string): AccountSuggestion {
  const notRoot = (name: string | undefined): name is string => Boolean(name) && !isRootAccount(name!, facts.passwd);
  if (notRoot(recorded)) return { kind: 'recorded', name: recorded };
  if (notRoot(facts.sudoUser)) return { kind: 'sudo-user', name: facts.sudoUser };
  if (facts.uid !== 0 && notRoot(facts.runningAs)) return { kind: 'self', name: facts.runningAs };
  const first = normalAccounts(facts.passwd, facts.loginDefs)[0];
  return first === undefined ? { kind: 'none' } : { kind: 'first-normal', name: first };
}

/**
 * How the account is created when the machine has none to offer, exactly as it runs (and as the
 * person is shown it). Non-interactive on Debian and Ubuntu: --disabled-password asks no
 * password (the app's account needs none: root acts for it), and --gecos "" no full name, room
 * or phone. --gecos, not --comment: adduser before 3.134 (Debian 11) knows only --gecos, and
 * Debian 12's (3.134) and 13's (3.152) still take it, silently.
 */
export function createAccountCommand(name: string): string {
  return shellLine('adduser', '--disabled-password', '--gecos', '', name);
}

/**
 * The account as an export's target machine will have it (issue 19): the exports create it there
 * (adduser, Ansible's `user:`, cloud-init's `users:`), with Debian's and Ubuntu's defaults: the home
 * /home/NAME and a group of its own name. The exporting machine's own account, if it has one, says
 * nothing about the target (a laptop's home may be /Users/NAME, its group "staff"). root is there already.
 */
export function accountOnTarget(name: string): { home: string; primaryGroup: string } {
  return name === 'root' ? { home: '/root', primaryGroup: 'root' } : { home: `/home/${name}`, primaryGroup: name };
}

/** A name adduser accepts as it is configured by default (NAME_REGEX): a letter first. */
export const NEW_ACCOUNT_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

/** What the wizard is about to do with the answers: run the guide, print its plan, or look at what is there. */
export type AccountUse = 'run' | 'plan' | 'inspect';

/** What to do about the app's account, before the machine is looked at any further. */
export type AccountDecision =
  /** Take it; `warn`: say first what root means (nobody is asked). */
  | { kind: 'use'; name: string; warn: boolean }
  /**
   * Ask the question. `confirmGiven`: a root named on the command line, to be confirmed first (No
   * goes on to the question); `offerCreate`: nobody to offer, so offer to create an account.
   */
  | { kind: 'ask'; suggestion: string | undefined; offerCreate: boolean; confirmGiven?: string }
  /** Refused, nothing runs: root unattended without --allow-root, or nobody but root to run the app. */
  | { kind: 'refuse'; reason: 'root-not-allowed' | 'no-normal-account' };

export interface AccountSituation {
  use: AccountUse;
  /** A person answers the questions at a terminal. */
  interactive: boolean;
  /** --allow-root. */
  allowRoot: boolean;
  /** The account named by --user or the answers file, and whether it is root. */
  given?: { name: string; root: boolean };
  /** What suggestAppAccount offers. */
  suggestion: AccountSuggestion;
  /** For `inspect` (status, undo): the record's account, root included: they look at what is there. */
  recorded?: string;
}

/**
 * The rules of issue 21: root is never a default; chosen, it is warned about, and confirmed at a
 * terminal or allowed with --allow-root when unattended. Planning changes nothing: --dry-run
 * plans for root with the warning rather than refuse on a bare machine. status and undo run no
 * app: they take the record's account, root or not, and warn about nothing.
 */
export function decideAppAccount(s: AccountSituation): AccountDecision {
  const offered = s.suggestion.kind === 'none' ? undefined : s.suggestion.name;
  if (s.use === 'inspect') return { kind: 'use', name: s.given?.name ?? s.recorded ?? offered ?? 'root', warn: false };
  if (s.given) {
    if (!s.given.root) return { kind: 'use', name: s.given.name, warn: false };
    if (s.use === 'plan' || s.allowRoot) return { kind: 'use', name: s.given.name, warn: true };
    if (!s.interactive) return { kind: 'refuse', reason: 'root-not-allowed' };
    return { kind: 'ask', suggestion: offered, offerCreate: offered === undefined, confirmGiven: s.given.name };
  }
  if (s.interactive && s.use === 'run') return { kind: 'ask', suggestion: offered, offerCreate: offered === undefined };
  if (offered !== undefined) return { kind: 'use', name: offered, warn: false };
  return s.use === 'plan' ? { kind: 'use', name: 'root', warn: true } : { kind: 'refuse', reason: 'no-normal-account' };
}
