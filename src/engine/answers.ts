// The answers: their defaults (the guide's values), their validation (before anything runs), and
// how the flags and an answers file map onto them. Pure: looking up accounts happens in src/exec.
// zod/mini: the same validation as zod's classic API, but tree-shakable; the classic API alone
// added ~40 ms to every start of the CLI, --help included (issue 8).
import * as z from 'zod/mini';
import { LABELS } from '../ui/labels.js';
import { MODULE_CALLABLE } from './own-app/find.js';
import type { Answers } from './types.js';

export { GUIDE_DEFAULTS } from './defaults.js';

/** The placeholder in the guide's nginx block: it must never reach a config. */
export const GUIDE_PLACEHOLDER_SERVER_NAME = 'server_domain_or_IP';

const ACCOUNT_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}$)${HOST_LABEL}(?:\\.${HOST_LABEL})*$`);

/**
 * Why an answer is refused: the catalogue's words (src/ui/labels.ts). zod carries the English text;
 * `localizeReason` swaps it for the person's language where the message is shown.
 */
const REASONS = LABELS.en.reasons;

/** A refusal's reason in the person's language: every known English reason in it is swapped. */
export function localizeReason(reason: string, lang: 'en' | 'ja'): string {
  if (lang === 'en') return reason;
  const keys = Object.keys(REASONS) as (keyof typeof REASONS)[];
  return keys.reduce<string>((text, key) => text.replaceAll(REASONS[key], LABELS[lang].reasons[key]), reason);
}

/** Every reason, for the content test that each has both languages. */
export const ANSWER_REASONS: readonly { en: string; ja: string }[] = (
  Object.keys(REASONS) as (keyof typeof REASONS)[]
).map((key) => ({ en: LABELS.en.reasons[key], ja: LABELS.ja.reasons[key] }));

// Digits only, from a flag (a string) or a file (a number): no "0x1F90", "1e3" or `true`.
const wholeNumber = z.pipe(
  z
    .unknown()
    .check(
      z.refine(
        (value) => (typeof value === 'number' || typeof value === 'string') && /^\d{1,6}$/.test(String(value)),
        REASONS.wholeNumber,
      ),
    ),
  z.transform((value) => Number(value)),
);

// Every field is checked against what the shell, a path and each config file can carry safely:
// no spaces, quotes, `;`, `$()`, `..` or newlines ever reach a command line or a config.
export const answerFields = {
  appName: z.string().check(z.regex(/^[a-z][a-z0-9_-]{0,31}$/, REASONS.appName)),
  user: z.string().check(z.regex(ACCOUNT_NAME, REASONS.user)),
  appDir: z.string().check(
    z.regex(/^\/[A-Za-z0-9._/-]*$/, REASONS.appDirChars),
    z.refine((dir) => !dir.split('/').includes('..'), REASONS.appDirDotDot),
    z.refine((dir) => dir.replace(/\/+$/, '') !== '', REASONS.appDirRoot),
  ),
  webGroup: z.string().check(z.regex(ACCOUNT_NAME, REASONS.webGroup)),
  serverName: z.string().check(
    z.refine((name) => name !== GUIDE_PLACEHOLDER_SERVER_NAME, REASONS.placeholder),
    z.refine((name) => HOST_NAME.test(name), REASONS.serverName),
  ),
  processes: z.pipe(wholeNumber, z.number().check(z.minimum(1, REASONS.atLeastOne), z.maximum(64, REASONS.atMost64))),
  testPort: z.pipe(
    wholeNumber,
    z.int(REASONS.wholeNumber).check(
      z.minimum(1024, REASONS.portRange),
      z.maximum(65535, REASONS.portMax),
      z.refine((port) => port !== 80, REASONS.port80),
    ),
  ),
  // Relative to the current directory until src/app/answers.ts makes it absolute.
  appSource: z.string().check(z.regex(/^[A-Za-z0-9._/+@-]{1,4096}$/, REASONS.appSource)),
  appModule: z.string().check(z.regex(MODULE_CALLABLE, REASONS.appModule)),
} satisfies Record<keyof Answers, z.ZodMiniType>;

export type AnswerKey = keyof Answers;
export const ANSWER_KEYS = Object.keys(answerFields) as AnswerKey[];

/** The flag (and answers-file key) of each answer: `--app-name`, `app-name:`. */
export const FLAG_NAMES: Record<AnswerKey, string> = {
  appName: 'app-name',
  user: 'user',
  appDir: 'app-dir',
  webGroup: 'web-group',
  serverName: 'server-name',
  processes: 'processes',
  testPort: 'test-port',
  appSource: 'app-source',
  appModule: 'app-module',
};

export class InvalidAnswerError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
    /** Where the answer came from, as the person wrote it: the flag, or an answers file's key. */
    readonly place = `--${field}`,
  ) {
    super(`${place}: ${reason}`);
  }
}

/** What is wrong with an answers file as a whole, or with one of its keys (said by src/app/answers.ts). */
export type AnswersFileProblem =
  | { kind: 'not-mapping' }
  /** `near`: the known key it most likely meant, when one is close enough. */
  | { kind: 'unknown-key'; key: string; near?: string };

export class AnswersFileError extends Error {
  constructor(readonly problem: AnswersFileProblem) {
    super(problem.kind);
  }
}

/** Validate one answer; returns its normalised value or throws naming the field. */
export function validateAnswer<K extends AnswerKey>(key: K, value: unknown): Answers[K] {
  const result = answerFields[key].safeParse(typeof value === 'string' ? value.trim() : value);
  if (!result.success)
    throw new InvalidAnswerError(
      FLAG_NAMES[key],
      `${JSON.stringify(value)}: ${result.error.issues[0]?.message ?? 'invalid'}`,
    );
  return (key === 'appDir' ? String(result.data).replace(/\/+$/, '') : result.data) as Answers[K];
}

/**
 * What the record of an earlier run may suggest as defaults, given the app name and user chosen so
 * far: the app itself to a returning person, the rest only for that same app and account (another
 * app's directory or server name must never be offered for this one).
 */
export function defaultsFromRecord(
  recorded: Partial<Answers> | undefined,
  chosen: { appName?: string; user?: string },
): Partial<Answers> {
  if (!recorded) return {};
  if (chosen.appName === undefined) return { appName: recorded.appName };
  if (chosen.appName !== recorded.appName) return {};
  if (chosen.user === undefined) return { appName: recorded.appName, user: recorded.user };
  return chosen.user === recorded.user ? recorded : {};
}

/** For inquirer's `validate`: true, or the message to show under the question. */
export function answerProblem(key: AnswerKey, value: unknown, lang: 'en' | 'ja' = 'en'): true | string {
  try {
    validateAnswer(key, value);
    return true;
  } catch (error) {
    return error instanceof InvalidAnswerError ? localizeReason(error.reason, lang) : String(error);
  }
}

/**
 * Read the answers given in an answers file (YAML or JSON, already parsed). Keys may be written
 * like the flags (`app-name`) or in camelCase (`appName`); an unknown key is refused (AnswersFileError),
 * since it is most likely a typo that would silently fall back to a default. A refused value names
 * the file and its key, as the person wrote them, not the flag they did not type.
 */
export function answersFromFile(data: unknown, fileName: string): Partial<Answers> {
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new AnswersFileError({ kind: 'not-mapping' });
  const byName = new Map<string, AnswerKey>(
    ANSWER_KEYS.flatMap(
      (key) =>
        [
          [key, key],
          [FLAG_NAMES[key], key],
        ] as [string, AnswerKey][],
    ),
  );
  const answers: Partial<Answers> = {};
  for (const [name, value] of Object.entries(data)) {
    const key = byName.get(name);
    if (!key)
      throw new AnswersFileError({ kind: 'unknown-key', key: name, near: nearestKey(name, [...byName.keys()]) });
    try {
      (answers as Record<string, unknown>)[key] = validateAnswer(key, value);
    } catch (error) {
      if (!(error instanceof InvalidAnswerError)) throw error;
      throw new InvalidAnswerError(error.field, error.reason, `${fileName}: ${name}`);
    }
  }
  return answers;
}

/** The flag form of the known key nearest to a misspelt one (at most two letters off), if any. */
function nearestKey(typed: string, known: string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(typed.toLowerCase(), name.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  if (!best) return undefined;
  const key = ANSWER_KEYS.find((k) => k === best.name || FLAG_NAMES[k] === best.name);
  return key === undefined ? best.name : FLAG_NAMES[key];
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit ("nmae" for "name"). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i += 1)
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}
