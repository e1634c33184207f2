// The answers: their defaults (the guide's values), their validation (before anything runs), and
// how the flags and an answers file map onto them. Pure: looking up accounts happens in src/exec.
// zod/mini: the same validation as zod's classic API, but tree-shakable; the classic API alone
// added ~40 ms to every start of the CLI, --help included (issue 8).
import * as z from 'zod/mini';
import type { Answers } from './types.js';

/** The guide's own values, where the guide has one. */
export const GUIDE_DEFAULTS = { appName: 'myapp', webGroup: 'www-data', processes: 5, testPort: 8080 } as const;

/** The placeholder in the guide's nginx block: it must never reach a config. */
export const GUIDE_PLACEHOLDER_SERVER_NAME = 'server_domain_or_IP';

const ACCOUNT_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}$)${HOST_LABEL}(?:\\.${HOST_LABEL})*$`);

// Digits only, from a flag (a string) or a file (a number): no "0x1F90", "1e3" or `true`.
const wholeNumber = z.pipe(
  z.unknown().check(z.refine((value) => (typeof value === 'number' || typeof value === 'string') && /^\d{1,6}$/.test(String(value)), 'must be a whole number')),
  z.transform((value) => Number(value)),
);

// Every field is checked against what the shell, a path and each config file can carry safely:
// no spaces, quotes, `;`, `$()`, `..` or newlines ever reach a command line or a config.
export const answerFields = {
  appName: z
    .string()
    .check(z.regex(/^[a-z][a-z0-9_-]{0,31}$/, 'use 1-32 lower-case letters, digits, "-" or "_", starting with a letter (it names files, the service and the nginx site)')),
  user: z.string().check(z.regex(ACCOUNT_NAME, 'use an existing account name: lower-case letters, digits, "-" or "_"')),
  appDir: z
    .string()
    .check(
      z.regex(/^\/[A-Za-z0-9._\/-]*$/, 'use an absolute path of letters, digits, ".", "_", "-" and "/"'),
      z.refine((dir) => !dir.split('/').includes('..'), 'must not contain ".."'),
      z.refine((dir) => dir.replace(/\/+$/, '') !== '', 'must not be /'),
    ),
  webGroup: z.string().check(z.regex(ACCOUNT_NAME, 'use an existing group name such as www-data')),
  serverName: z
    .string()
    .check(
      z.refine((name) => name !== GUIDE_PLACEHOLDER_SERVER_NAME, 'replace the guide\'s placeholder with this server\'s domain name or IP address'),
      z.refine((name) => HOST_NAME.test(name), 'use a domain name (example.com) or an IPv4 address (203.0.113.10)'),
    ),
  processes: z.pipe(wholeNumber, z.number().check(z.minimum(1, 'at least 1'), z.maximum(64, 'at most 64'))),
  testPort: z.pipe(
    wholeNumber,
    z
      .int('must be a whole number')
      .check(
        z.minimum(1024, 'use a port from 1024 to 65535 (lower ports are reserved for system services)'),
        z.maximum(65535, 'at most 65535'),
        z.refine((port) => port !== 80, 'port 80 is nginx\'s'),
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
  if (!result.success) throw new InvalidAnswerError(FLAG_NAMES[key], `${JSON.stringify(value)}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  return (key === 'appDir' ? String(result.data).replace(/\/+$/, '') : result.data) as Answers[K];
}

/** For inquirer's `validate`: true, or the message to show under the question. */
export function answerProblem(key: AnswerKey, value: unknown): true | string {
  try {
    validateAnswer(key, value);
    return true;
  } catch (error) {
    return error instanceof InvalidAnswerError ? error.reason : String(error);
  }
}

/**
 * Read the answers given in an answers file (YAML or JSON, already parsed). Keys may be written
 * like the flags (`app-name`) or in camelCase (`appName`); an unknown key is refused, since it is
 * most likely a typo that would silently fall back to a default.
 */
export function answersFromFile(data: unknown, fileName: string): Partial<Answers> {
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new InvalidAnswerError('answers', `${fileName} must hold a mapping of answers`);
  const byName = new Map<string, AnswerKey>(ANSWER_KEYS.flatMap((key) => [[key, key], [FLAG_NAMES[key], key]] as [string, AnswerKey][]));
  const answers: Partial<Answers> = {};
  for (const [name, value] of Object.entries(data)) {
    const key = byName.get(name);
    if (!key) throw new InvalidAnswerError('answers', `${fileName}: unknown key "${name}" (known: ${Object.values(FLAG_NAMES).join(', ')})`);
    (answers as Record<string, unknown>)[key] = validateAnswer(key, value);
  }
  return answers;
}
