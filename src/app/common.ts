// What every command shares: its exit codes, its flags, the language it speaks.
import type { Lang } from '../engine/types.js';

/**
 * 1 a step failed (or, for status, not every step is done); 2 input (or an unsafe run lock) refused, nothing ran;
 * 70 our bug; 75 another wizard runs; 130 stopped.
 */
export const EXIT = { ok: 0, stepFailed: 1, badInput: 2, bug: 70, busy: 75, interrupted: 130 } as const;

export interface Flags {
  appName?: string;
  user?: string;
  appDir?: string;
  webGroup?: string;
  serverName?: string;
  processes?: string;
  testPort?: string;
  /** --app-source: the person's own project (issue 17), and --app-module: its app, when it must be named. */
  appSource?: string;
  appModule?: string;
  answers?: string;
  lang?: Lang;
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
  platform?: string;
  listPlatforms?: boolean;
  /** false with --no-quiz. */
  quiz?: boolean;
  simulate?: boolean;
  handsOn?: boolean;
  out?: string;
  /** --allow-root: the app's account may be root unattended (--yes). */
  allowRoot?: boolean;
  /** export: --format shell|ansible|cloud-init, and --force to replace files in --out. */
  format?: string;
  force?: boolean;
  /** doctor --fix: make the fixes it shows (each confirmed, or all with --yes). */
  fix?: boolean;
  /** The optional steps after nginx (issue 18): open ufw for nginx; a certificate with certbot. */
  firewall?: boolean;
  https?: boolean;
  email?: string;
  acmeServer?: string;
  /** --uwsgi-from source|wheel: the guide's compiled uWSGI, or PyPI's prebuilt pyuwsgi (issue 19). */
  uwsgiFrom?: string;
}

/** The --lang of a command line that failed before its flags could be read as a whole. */
export function langInArgv(argv: readonly string[]): Lang | undefined {
  const at = argv.findIndex((arg) => arg === '--lang' || arg.startsWith('--lang='));
  const value = at === -1 ? undefined : argv[at]!.includes('=') ? argv[at]!.split('=')[1] : argv[at + 1];
  return value === 'ja' || value === 'en' ? value : undefined;
}

/** --lang, else the locale's language (Japanese for ja*, English otherwise). */
export function pickLang(flag: Lang | undefined, locale: string): Lang {
  if (flag) return flag;
  return locale.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}
