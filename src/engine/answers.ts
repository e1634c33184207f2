// The answers: their defaults (the guide's values), their validation (before anything runs), and
// how the flags and an answers file map onto them. Pure: looking up accounts happens in src/exec.
// zod/mini: the same validation as zod's classic API, but tree-shakable; the classic API alone
// added ~40 ms to every start of the CLI, --help included (issue 8).
import * as z from 'zod/mini';
import type { Answers } from './types.js';

export { GUIDE_DEFAULTS } from './defaults.js';

/** The placeholder in the guide's nginx block: it must never reach a config. */
export const GUIDE_PLACEHOLDER_SERVER_NAME = 'server_domain_or_IP';

const ACCOUNT_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}$)${HOST_LABEL}(?:\\.${HOST_LABEL})*$`);

/**
 * Why an answer is refused, in both languages. zod carries the English text; `localizeReason`
 * swaps it for the person's language where the message is shown.
 */
const REASONS = {
  appName: {
    en: 'use 1-32 lower-case letters, digits, "-" or "_", starting with a letter (it names files, the service and the nginx site)',
    ja: '英小文字で始まる 1〜32 文字の英小文字・数字・"-"・"_" にしてください (ファイル、サービス、nginx のサイトの名前になります)',
  },
  user: {
    en: 'use an existing account name: lower-case letters, digits, "-" or "_"',
    ja: '既存のアカウント名 (英小文字・数字・"-"・"_") にしてください',
  },
  appDirChars: {
    en: 'use an absolute path of letters, digits, ".", "_", "-" and "/"',
    ja: '英字・数字・"."・"_"・"-"・"/" からなる絶対パスにしてください',
  },
  appDirDotDot: { en: 'must not contain ".."', ja: '".." を含めないでください' },
  appDirRoot: { en: 'must not be /', ja: '/ そのものは使えません' },
  webGroup: {
    en: 'use an existing group name such as www-data',
    ja: 'www-data のような既存のグループ名にしてください',
  },
  placeholder: {
    en: "replace the guide's placeholder with this server's domain name or IP address",
    ja: 'ガイドの仮の名前ではなく、このサーバーのドメイン名か IP アドレスにしてください',
  },
  serverName: {
    en: 'use a domain name (example.com) or an IPv4 address (203.0.113.10)',
    ja: 'ドメイン名 (example.com) か IPv4 アドレス (203.0.113.10) にしてください',
  },
  wholeNumber: { en: 'must be a whole number', ja: '整数にしてください' },
  atLeastOne: { en: 'at least 1', ja: '1 以上にしてください' },
  atMost64: { en: 'at most 64', ja: '64 以下にしてください' },
  portRange: {
    en: 'use a port from 1024 to 65535 (lower ports are reserved for system services)',
    ja: '1024〜65535 のポートにしてください (それより下はシステムのサービス用です)',
  },
  portMax: { en: 'at most 65535', ja: '65535 以下にしてください' },
  port80: { en: "port 80 is nginx's", ja: 'ポート 80 は nginx が使います' },
} as const;

/** A refusal's reason in the person's language: every known English reason in it is swapped. */
export function localizeReason(reason: string, lang: 'en' | 'ja'): string {
  if (lang === 'en') return reason;
  return Object.values(REASONS).reduce<string>((text, r) => text.replaceAll(r.en, r.ja), reason);
}

/** Every reason, for the content test that each has both languages. */
export const ANSWER_REASONS: readonly { en: string; ja: string }[] = Object.values(REASONS);

// Digits only, from a flag (a string) or a file (a number): no "0x1F90", "1e3" or `true`.
const wholeNumber = z.pipe(
  z
    .unknown()
    .check(
      z.refine(
        (value) => (typeof value === 'number' || typeof value === 'string') && /^\d{1,6}$/.test(String(value)),
        REASONS.wholeNumber.en,
      ),
    ),
  z.transform((value) => Number(value)),
);

// Every field is checked against what the shell, a path and each config file can carry safely:
// no spaces, quotes, `;`, `$()`, `..` or newlines ever reach a command line or a config.
export const answerFields = {
  appName: z.string().check(z.regex(/^[a-z][a-z0-9_-]{0,31}$/, REASONS.appName.en)),
  user: z.string().check(z.regex(ACCOUNT_NAME, REASONS.user.en)),
  appDir: z.string().check(
    z.regex(/^\/[A-Za-z0-9._/-]*$/, REASONS.appDirChars.en),
    z.refine((dir) => !dir.split('/').includes('..'), REASONS.appDirDotDot.en),
    z.refine((dir) => dir.replace(/\/+$/, '') !== '', REASONS.appDirRoot.en),
  ),
  webGroup: z.string().check(z.regex(ACCOUNT_NAME, REASONS.webGroup.en)),
  serverName: z.string().check(
    z.refine((name) => name !== GUIDE_PLACEHOLDER_SERVER_NAME, REASONS.placeholder.en),
    z.refine((name) => HOST_NAME.test(name), REASONS.serverName.en),
  ),
  processes: z.pipe(
    wholeNumber,
    z.number().check(z.minimum(1, REASONS.atLeastOne.en), z.maximum(64, REASONS.atMost64.en)),
  ),
  testPort: z.pipe(
    wholeNumber,
    z.int(REASONS.wholeNumber.en).check(
      z.minimum(1024, REASONS.portRange.en),
      z.maximum(65535, REASONS.portMax.en),
      z.refine((port) => port !== 80, REASONS.port80.en),
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
