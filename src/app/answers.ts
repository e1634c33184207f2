// The answers a command acts on: the answers file, the flags, the questions (the app's account among
// them), the machine's platform and the record of earlier runs, made into the plan.
import { resolve } from 'node:path';
import { curriculum } from '../../steps/index.js';
import {
  ANSWER_KEYS,
  answerProblem,
  defaultsFromRecord,
  answersFromFile,
  AnswersFileError,
  FLAG_NAMES,
  GUIDE_DEFAULTS,
  InvalidAnswerError,
  validateAnswer,
  type AnswerKey,
} from '../engine/answers.js';
import {
  accountOnTarget,
  createAccountCommand,
  decideAppAccount,
  GUIDE_ACCOUNT,
  NEW_ACCOUNT_NAME,
  suggestAppAccount,
  type AccountDecision,
  type AccountUse,
} from '../engine/app-account.js';
import { buildPlan } from '../engine/plan.js';
import { sameInstallation, type Progress, type ProgressReading } from '../engine/progress.js';
import { allPlatforms, NO_INIT_SUFFIX, platformByName } from '../engine/platforms.js';
import type { FoundApp } from '../engine/own-app/found.js';
import type { Answers, ChosenSteps, Lang, Plan, PlanContext, Platform } from '../engine/types.js';
import { ignoredBecauseSaid } from '../ui/ignored-record-text.js';
import { fixable, LABELS } from '../ui/labels.js';
import { type Flags, pickLang } from './common.js';
import type { Prompts, Surroundings } from './surroundings.js';
import { lookForOwnApp, ownAppName, readerOf } from './own-app.js';
import { UserError } from './user-error.js';

/** The answers given up front: the answers file first, flags over it. Every value is validated. */
export async function givenAnswers(flags: Flags, s: Surroundings): Promise<Partial<Answers>> {
  const given: Partial<Answers> = {};
  if (flags.answers) Object.assign(given, await answersFileAnswers(s, flags.answers));
  for (const key of ANSWER_KEYS) {
    const value = flags[key];
    if (value !== undefined) (given as Record<string, unknown>)[key] = validateAnswer(key, value);
  }
  // Recorded absolute: a later run (deploy again, status, undo) may start in another directory.
  if (given.appSource !== undefined) given.appSource = resolve(s.cwd, given.appSource);
  return given;
}

/**
 * The answers in an answers file. What is wrong with it is said naming the file (and the key), in
 * the person's language: a missing file, one that cannot be read, YAML that does not parse (with
 * yaml's own pointer to the place), a key it does not know (and the one it most likely meant).
 */
async function answersFileAnswers(s: Surroundings, file: string): Promise<Partial<Answers>> {
  let text: string;
  try {
    text = s.machine.readAnswersFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw UserError.of((l) => l.answersFile.notFound({ file }));
    const reason = code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : String(error);
    throw UserError.of((l) => l.answersFile.unreadable({ file, reason }));
  }
  // yaml is loaded only for an answers file: every other start is faster without it.
  const { parse: parseYaml } = await import('yaml');
  let data: unknown;
  try {
    data = parseYaml(text); // JSON is YAML too.
  } catch (error) {
    // yaml's message ends with the lines around the mistake and a caret under it: kept whole.
    const said = error instanceof Error ? error.message.trimEnd() : String(error);
    throw UserError.of((l) => l.answersFile.syntax({ file, error: said }));
  }
  try {
    return answersFromFile(data, file);
  } catch (error) {
    if (!(error instanceof AnswersFileError)) throw error;
    const { problem } = error;
    if (problem.kind === 'not-mapping') throw UserError.of((l) => l.answersFile.notMapping({ file }));
    const known = Object.values(FLAG_NAMES).join(', ');
    throw UserError.of((l) => l.answersFile.unknownKey({ file, key: problem.key, near: problem.near, known }));
  }
}

/**
 * Fill in what was not given: ask (a person at a terminal) or take the default (--yes, status, no
 * terminal). Defaults are the last run's answers for the same app, else the guide's values.
 * Accounts must exist; the app's is never root by default (appAccount), and is created only when
 * the machine has nobody else and the person confirms it at the question.
 */
async function completeAnswers(
  s: Surroundings,
  given: Partial<Answers>,
  last: Partial<Answers> | undefined,
  interactive: boolean,
  lang: Lang,
  how: AnswersFor,
) {
  // The questions read stdin: they are asked before ink mounts.
  const ask = interactive ? s.prompts : undefined;
  const { machine } = s;
  const questions = LABELS[lang].questions;
  const value = async (
    key: AnswerKey,
    suggestion: string,
    exists?: (v: string) => Promise<string | undefined>,
  ): Promise<string> => {
    if (given[key] !== undefined) return String(given[key]);
    if (!ask) return suggestion;
    // A name that is well formed but names nothing on this machine is asked again, like a malformed one.
    const validate = async (v: string) => {
      const problem = answerProblem(key, v, lang);
      return problem !== true ? problem : ((await exists?.(v.trim())) ?? true);
    };
    return ask.input({ message: questions[key], default: suggestion, validate });
  };

  const appName = validateAnswer(
    'appName',
    await value('appName', defaultsFromRecord(last, {}).appName ?? GUIDE_DEFAULTS.appName),
  );
  // An app that is not the last one may have its record on the shelf: its answers are the defaults.
  const recorded = last?.appName === appName ? last : await machine.store.shelvedAnswersOf(appName, given.user);
  const noAccount = (name: string) => LABELS[lang].noAccount({ user: name });
  const recordedUser = defaultsFromRecord(recorded, { appName }).user;
  const user = validateAnswer('user', await appAccount(s, given.user, recordedUser, ask, lang, how));
  // An export plans for machines that create the account themselves: this one need not have it.
  const account = how.forAnotherMachine ? accountOnTarget(user) : await machine.lookupAccount(user);
  if (!account) throw new InvalidAnswerError(FLAG_NAMES.user, noAccount(user));
  const previous = defaultsFromRecord(recorded, { appName, user });
  const appDir = validateAnswer('appDir', await value('appDir', previous?.appDir ?? `${account.home}/${appName}`));
  const noGroup = (name: string) => LABELS[lang].noGroup({ group: name });
  const webGroup = validateAnswer(
    'webGroup',
    await value('webGroup', previous?.webGroup ?? GUIDE_DEFAULTS.webGroup, async (v) =>
      (await machine.groupExists(v)) ? undefined : noGroup(v),
    ),
  );
  if (!how.forAnotherMachine && !(await machine.groupExists(webGroup)))
    throw new InvalidAnswerError(FLAG_NAMES.webGroup, noGroup(webGroup));
  const serverName = validateAnswer(
    'serverName',
    await value('serverName', previous?.serverName ?? machine.defaultServerName()),
  );
  const processes = validateAnswer(
    'processes',
    await value('processes', String(previous?.processes ?? GUIDE_DEFAULTS.processes)),
  );
  const testPort = validateAnswer(
    'testPort',
    await value('testPort', String(previous?.testPort ?? GUIDE_DEFAULTS.testPort)),
  );
  // A command line that answers every question (the scripted runs, the tests') is asked nothing more:
  // --app-source is its way to an own app. Otherwise "my own app?" comes with the other questions.
  const everyAnswerGiven = GUIDE_ANSWER_KEYS.every((key) => given[key] !== undefined);
  const own = await ownAppAnswers(s, given, previous, everyAnswerGiven ? undefined : ask, lang, user, how.use);
  const { ownApp, ...ownAnswers } = own;
  return {
    answers: { appName, user, appDir, webGroup, serverName, processes, testPort, ...ownAnswers },
    userGroup: account.primaryGroup,
    ...(ownApp ? { ownApp } : {}),
  };
}

/**
 * The person's own project (issue 17), when they chose one: given (flag, answers file), recorded by
 * the last run of this app, or asked; at a terminal the question comes only after "my own app?"
 * (No, the guide's hello world, is the default). What cannot be deployed is refused before anything
 * runs; at the question it is asked again. `status` and `undo` go on without a project that is gone.
 */
async function ownAppAnswers(
  s: Surroundings,
  given: Partial<Answers>,
  previous: Partial<Answers>,
  ask: Prompts | undefined,
  lang: Lang,
  user: string,
  use: AccountUse,
): Promise<Pick<Answers, 'appSource' | 'appModule'> & { ownApp?: FoundApp }> {
  const l = LABELS[lang];
  const asUser = readerOf(s.privilege, user);
  const look = (source: string, module: string | undefined) =>
    lookForOwnApp(s.machine.system, source, module, asUser, user);
  const said = (lookup: Awaited<ReturnType<typeof look>>) =>
    lookup.kind === 'refused' ? fixable(lookup.words(l), lang) : true;
  let source = given.appSource;
  let module = given.appModule;
  if (source === undefined && ask) {
    if (await ask.confirm({ message: l.ownApp.question, default: previous.appSource !== undefined, lang })) {
      // Which app in it is settled by the next question: here only the directory itself is refused.
      const validate = async (value: string) => {
        const problem = answerProblem('appSource', value, lang);
        if (problem !== true) return problem;
        const lookup = await look(resolve(s.cwd, value.trim()), undefined);
        return lookup.kind === 'refused' && lookup.about === 'source' ? said(lookup) : true;
      };
      const typed = await ask.input({ message: l.questions.appSource, default: previous.appSource, validate });
      source = resolve(s.cwd, typed.trim());
    }
  } else if (source === undefined && given.appModule === undefined) {
    source = previous.appSource;
    module = previous.appModule;
  }
  if (source === undefined) {
    if (module !== undefined) throw UserError.of((words) => words.ownApp.moduleWithoutSource());
    return {};
  }
  let lookup = await look(source, module);
  if (lookup.kind === 'refused' && lookup.about === 'app' && ask && module === undefined) {
    // None found, or several: the person names it, as --app-module would.
    s.stdout.write(`${said(lookup)}\n`);
    const validate = async (value: string) => {
      const problem = answerProblem('appModule', value, lang);
      return problem !== true ? problem : said(await look(source, value.trim()));
    };
    module = (await ask.input({ message: l.questions.appModule, validate })).trim();
    lookup = await look(source, module);
  }
  const chosen = { appSource: source, ...(module !== undefined ? { appModule: module } : {}) };
  if (lookup.kind === 'found') return { ...chosen, ownApp: lookup.app };
  // status and undo look at what was made: a project moved or deleted since must not stop them.
  if (use === 'inspect') {
    s.stderr.write(`${l.ownApp.unreadableNow({ reason: lookup.words(l).message })}\n`);
    return chosen;
  }
  throw UserError.of(lookup.words);
}

/** The questions of the guide's own setup: every answer but the person's own project. */
const GUIDE_ANSWER_KEYS = ANSWER_KEYS.filter((key) => key !== 'appSource' && key !== 'appModule');

/**
 * What the answers are for; `allowRoot`: --allow-root; `forAnotherMachine`: an export, for machines
 * whose accounts and groups this one does not have (the web server's group comes with its packages there).
 */
interface AnswersFor {
  use: AccountUse;
  allowRoot: boolean;
  forAnotherMachine?: boolean;
}

/**
 * The app's account (issue 21): root is never offered, and taken only knowingly: confirmed at
 * the question after a warning, or --allow-root unattended. engine/app-account.ts decides what is
 * offered, taken or refused; here it is looked up, asked and said.
 */
async function appAccount(
  s: Surroundings,
  given: string | undefined,
  recorded: string | undefined,
  ask: Prompts | undefined,
  lang: Lang,
  how: AnswersFor,
): Promise<string> {
  const words = LABELS[lang].appAccount;
  const facts = await s.machine.accountFacts();
  const root = given !== undefined && (given === 'root' || (await s.machine.lookupAccount(given))?.uid === 0);
  const decision = decideAppAccount({
    ...how,
    interactive: ask !== undefined,
    given: given === undefined ? undefined : { name: given, root },
    suggestion: suggestAppAccount(facts, recorded),
    recorded,
  });
  if (decision.kind === 'refuse') {
    const user = given ?? 'root';
    throw UserError.of((l) =>
      decision.reason === 'root-not-allowed' ? l.appAccount.rootNotAllowed({ user }) : l.appAccount.noNormalAccount(),
    );
  }
  if (decision.kind === 'ask') return askAppAccount(s, ask!, decision, lang);
  // Not asked (--dry-run, --allow-root): said on stderr, where it is seen beside a plan piped to a file.
  if (decision.warn) {
    s.stderr.write(`${words.rootWarning}\n${how.use === 'plan' ? `${words.planningRoot}\n` : ''}`);
  }
  return decision.name;
}

/** At the question: root only after its warning and a confirmation (No, the default, asks again). */
async function askAppAccount(
  s: Surroundings,
  ask: Prompts,
  decision: Extract<AccountDecision, { kind: 'ask' }>,
  lang: Lang,
): Promise<string> {
  const l = LABELS[lang];
  const words = l.appAccount;
  const rootConfirmed = async () => {
    s.stdout.write(`${words.rootWarning}\n`);
    return ask.confirm({ message: words.confirmRoot, default: false, lang });
  };
  if (decision.confirmGiven !== undefined && (await rootConfirmed())) return decision.confirmGiven;
  // A name that is well formed but names nothing on this machine is asked again, like a malformed one.
  const validate = async (v: string) => {
    const problem = answerProblem('user', v, lang);
    if (problem !== true) return problem;
    return (await s.machine.lookupAccount(v.trim())) ? true : l.noAccount({ user: v.trim() });
  };
  let offerCreate = decision.offerCreate;
  for (;;) {
    let name: string | undefined;
    if (offerCreate) {
      offerCreate = false;
      name = await offerNewAccount(s, ask, lang);
      if (name === undefined) continue;
    } else {
      name = (await ask.input({ message: l.questions.user, default: decision.suggestion, validate })).trim();
    }
    const account = await s.machine.lookupAccount(name);
    if (account && (account.uid !== 0 || (await rootConfirmed()))) return name;
  }
}

/**
 * Nobody but root to offer: create the guide's account, with the command shown as it runs and
 * run only when confirmed. Resolves with the account, or undefined (declined, or adduser failed:
 * then the question is asked, without a default).
 */
async function offerNewAccount(s: Surroundings, ask: Prompts, lang: Lang): Promise<string | undefined> {
  const words = LABELS[lang].appAccount;
  const say = (text: string) => void s.stdout.write(`${text}\n`);
  say(words.noneIntro);
  const validate = (v: string) => NEW_ACCOUNT_NAME.test(v.trim()) || words.newName;
  const name = (await ask.input({ message: words.createName, default: GUIDE_ACCOUNT, validate })).trim();
  // Made meanwhile (in another terminal): nothing to create.
  if (await s.machine.lookupAccount(name)) return name;
  say(`${words.willRun}\n  $ ${createAccountCommand(name)}`);
  if (!(await ask.confirm({ message: words.createConfirm, default: true, lang }))) return undefined;
  const result = await s.machine.createAccount(name);
  const output = `${result.stdout}${result.stderr}`.trim();
  if (output)
    say(
      output
        .split('\n')
        .map((line) => `  | ${line}`)
        .join('\n'),
    );
  if (result.code === 0 && (await s.machine.lookupAccount(name))) return name;
  say(words.createFailed({ code: result.code }));
  return undefined;
}

interface Prepared {
  ctx: PlanContext;
  plan: Plan;
  lang: Lang;
  reading: ProgressReading;
  /** The record of earlier runs, when it is for this same installation. */
  record: Progress | undefined;
  /** Where that record is: progress.json, or the shelf when the last run was for another app. */
  recordPath: string;
}

/** Everything a command needs before it acts: answers, machine, plan, the record of earlier runs. */
export async function prepare(
  s: Surroundings,
  flags: Flags,
  interactive: boolean,
  use: AccountUse,
  where: { forAnotherMachine?: boolean } = {},
): Promise<Prepared> {
  const { store } = s.machine;
  const lang = pickLang(flags.lang, s.locale);
  const platform = flags.platform === undefined ? s.machine.detectPlatform() : namedPlatform(flags.platform, lang);
  const given = await givenAnswers(flags, s);
  const reading = await store.read();
  // An ignored record still names its app: that app, not the guide's, is the one to show or undo.
  const recorded =
    reading.kind === 'ok' ? reading.progress.answers : reading.kind === 'ignored' ? reading.about : undefined;
  const how = { use, allowRoot: Boolean(flags.allowRoot), ...where };
  const { answers, userGroup, ownApp } = await completeAnswers(s, given, recorded, interactive, lang, how);
  // Unasked, the app comes from the record: say so, lest someone plan or undo another app unknowingly.
  if (!interactive && given.appName === undefined && recorded?.appName === answers.appName) {
    s.stderr.write(`${LABELS[lang].answersFromRecord({ app: answers.appName })}\n`);
  }
  // Asked with the other questions; a command line that answers them all has chosen by its flags too.
  const asking = interactive && use === 'run' && GUIDE_ANSWER_KEYS.some((key) => given[key] === undefined);
  const earlier =
    reading.kind === 'ok' && sameInstallation(reading.progress.answers, answers) ? reading.progress.chosen : undefined;
  const chosen = await chooseOptionalSteps(s, flags, asking, lang, use, answers.serverName, earlier, platform);
  const ctx: PlanContext = {
    answers,
    platform,
    privilege: s.privilege,
    userGroup,
    ...(ownApp ? { ownApp } : {}),
    ...(chosen ? { chosen } : {}),
  };
  const plan = buildPlan(curriculum, ctx);
  if (ownApp && use !== 'inspect') refuseUnplannedOwnApp(ctx, plan, answers.appSource!);
  return { ctx, plan, lang, ...(await recordOf(s, answers, reading)) };
}

/**
 * A build whose steps do not deploy a person's own app yet (issue 17 is landed in pieces) must not
 * deploy the guide's hello world in its place, saying nothing: a plan that the app found leaves
 * exactly as it was is refused, and nothing runs.
 */
function refuseUnplannedOwnApp(ctx: PlanContext, plan: Plan, source: string): void {
  const { ownApp, ...withoutApp } = ctx;
  if (JSON.stringify(buildPlan(curriculum, withoutApp)) !== JSON.stringify(plan)) return;
  throw UserError.of((l) => l.ownApp.notYet({ path: source, app: ownAppName(ownApp!) }));
}

/**
 * The record of this installation: in progress.json, else on the shelf. Read again (without
 * `reading`) once the run lock is held: the questions and the confirmation are answered without
 * it, and another wizard may have written or shelved a record meanwhile.
 */
export async function recordOf(
  s: Surroundings,
  answers: Answers,
  reading?: ProgressReading,
): Promise<Pick<Prepared, 'reading' | 'record' | 'recordPath'>> {
  const { store } = s.machine;
  const read = reading ?? (await store.read());
  const current = read.kind === 'ok' && sameInstallation(read.progress.answers, answers) ? read.progress : undefined;
  const shelved = current ? undefined : await store.readShelved(answers);
  const recordPath = shelved ? store.shelvedPath(answers) : store.path();
  return { reading: read, record: current ?? shelved, recordPath };
}

function namedPlatform(name: string, lang: Lang): Platform {
  const platform = platformByName(name);
  if (!platform) throw new InvalidAnswerError('platform', LABELS[lang].cli.noPlatform({ name }));
  return platform;
}

export function reportIgnoredProgress(s: Surroundings, reading: ProgressReading, lang: Lang): void {
  if (reading.kind !== 'ignored') return;
  const l = LABELS[lang];
  const { appName: app, user, appDir: dir } = reading.about ?? {};
  const about = app === undefined ? '' : ` ${l.progressIgnoredAbout({ app, user, dir })}`;
  s.stderr.write(
    `${l.progressIgnored({ path: s.machine.store.path(), reason: ignoredBecauseSaid(l, reading.because) })}${about}\n`,
  );
}

/** Only a plain address: it goes onto certbot's command line. */
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/;
/** An IPv4 address, or an IPv6 one (the server name's own check refuses colons, but said all the same). */
const IP_ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)$/;
const ACME_URL = /^https:\/\/[A-Za-z0-9.:[\]-]+(?:\/[A-Za-z0-9._~%/-]*)?$/;

/**
 * The steps after the guide's that the person chose (issue 18): `--firewall`, `--https --email ADDR`
 * (`--acme-server URL`, and ACME_CA_BUNDLE: the CA of that server's own certificate), or asked at a
 * terminal with the other questions (`asking`). Without any, nothing: the guide's path, unchanged. The firewall
 * step is kept only where ufw is active; elsewhere it is said and left out (a plan, --dry-run, keeps it: it may be
 * for another machine).
 */
async function chooseOptionalSteps(
  s: Surroundings,
  flags: Flags,
  asking: boolean,
  lang: Lang,
  use: AccountUse,
  serverName: string,
  earlier: ChosenSteps | undefined,
  platform: Platform,
): Promise<ChosenSteps | undefined> {
  const words = LABELS[lang].optionalSteps;
  const uwsgiFrom = chooseUwsgiFrom(flags, earlier, platform);
  if (!flags.https)
    for (const [given, flag] of [
      [flags.email, '--email'],
      [flags.acmeServer, '--acme-server'],
    ] as const)
      if (given !== undefined) throw UserError.of((l) => l.optionalSteps.onlyWithHttps({ flag }));
  const ufw = use === 'run' ? await s.machine.firewallState?.() : undefined;
  // No authority certifies an IP address: with one as the server name, HTTPS is refused, and not offered.
  const isAddress = IP_ADDRESS.test(serverName);
  if (flags.https && isAddress) throw UserError.of((l) => l.optionalSteps.httpsNeedsName({ serverName }));
  // Chosen by an earlier run of this installation: kept, and not asked again.
  let https: ChosenSteps['https'] = flags.https ? undefined : earlier?.https;
  const wantsHttps =
    flags.https ||
    (!https && asking && !isAddress && (await s.prompts.confirm({ message: words.askHttps, default: false, lang })));
  if (wantsHttps) {
    let email = flags.email?.trim();
    if (email === undefined && asking)
      email = (
        await s.prompts.input({
          message: words.askEmail,
          validate: (v) => EMAIL.test(v.trim()) || words.emailNotAddress({ email: v.trim() }),
        })
      ).trim();
    if (email === undefined) throw UserError.of((l) => l.optionalSteps.emailNeeded());
    if (!EMAIL.test(email)) throw UserError.of((l) => l.optionalSteps.emailRefused({ email: email! }));
    const acmeServer = flags.acmeServer?.trim();
    if (acmeServer !== undefined && !ACME_URL.test(acmeServer))
      throw UserError.of((l) => l.optionalSteps.acmeServerRefused({ url: acmeServer }));
    const caBundle = acmeServer === undefined ? undefined : s.acmeCaBundle;
    // Written into certbot.service's drop-in: a line break would be a line of its own there.
    if (caBundle !== undefined && /[\x00-\x1f\x7f]/.test(caBundle))
      throw UserError.of((l) => l.optionalSteps.caBundleRefused({ path: JSON.stringify(caBundle) }));
    https = { email, ...(acmeServer ? { acmeServer } : {}), ...(caBundle ? { caBundle } : {}) };
  }
  const profile = https ? 'Nginx Full' : 'Nginx HTTP';
  let firewall =
    flags.firewall === true ||
    earlier?.firewall === true ||
    (asking &&
      ufw === 'active' &&
      (await s.prompts.confirm({ message: words.askFirewall({ profile }), default: true, lang })));
  if (firewall && ufw !== undefined && ufw !== 'active') {
    s.stderr.write(`${ufw === 'absent' ? words.firewallAbsent : words.firewallInactive}\n`);
    firewall = false;
  }
  if (!firewall && !https && !uwsgiFrom) return undefined;
  return { ...(firewall ? { firewall } : {}), ...(https ? { https } : {}), ...(uwsgiFrom ? { uwsgiFrom } : {}) };
}

/**
 * Where uWSGI comes from: the guide's `pip install uwsgi` (compiled: the lesson, and the default), or PyPI's prebuilt
 * pyuwsgi with `--uwsgi-from wheel` (for fleets and unattended runs). An earlier run's choice is kept, as the other
 * choices are, until `--uwsgi-from source`. Refused before anything runs where pip would find no wheel.
 */
function chooseUwsgiFrom(flags: Flags, earlier: ChosenSteps | undefined, platform: Platform): 'wheel' | undefined {
  const wheel = flags.uwsgiFrom === undefined ? earlier?.uwsgiFrom === 'wheel' : flags.uwsgiFrom === 'wheel';
  if (!wheel) return undefined;
  if (!platform.uwsgiWheel) {
    const where = allPlatforms().filter((p) => p.uwsgiWheel && !p.id.endsWith(NO_INIT_SUFFIX));
    const platforms = where.map((p) => p.id).join(', ');
    throw UserError.of((l) => l.optionalSteps.noUwsgiWheel({ platform: platform.id, platforms }));
  }
  return 'wheel';
}
