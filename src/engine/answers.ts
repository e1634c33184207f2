// The answers: their defaults (the guide's values), their validation (before anything runs), and
// how the flags and an answers file map onto them. Pure: looking up accounts happens in src/exec.
// zod/mini: the same validation as zod's classic API, but tree-shakable; the classic API alone
// added ~40 ms to every start of the CLI, --help included (issue 8).
import * as z from 'zod/mini';
import { LABELS } from '../ui/labels.js';
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
};

export class InvalidAnswerError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`--${field}: ${reason}`);
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
  recorded: Answers | undefined,
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
 * like the flags (`app-name`) or in camelCase (`appName`); an unknown key is refused, since it is
 * most likely a typo that would silently fall back to a default.
 */
export function answersFromFile(data: unknown, fileName: string): Partial<Answers> {
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data))
    throw new InvalidAnswerError('answers', `${fileName} must hold a mapping of answers`);
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
      throw new InvalidAnswerError(
        'answers',
        `${fileName}: unknown key "${name}" (known: ${Object.values(FLAG_NAMES).join(', ')})`,
      );
    (answers as Record<string, unknown>)[key] = validateAnswer(key, value);
  }
  return answers;
}
