#!/usr/bin/env node
// Entry point: read the flags, then hand over to the command (src/commands.ts), loaded only now:
// --help, --version and a mistyped flag are answered from this file and commander alone.
import { Command, type CommanderError, Option } from 'commander';
import { GUIDE_DEFAULTS } from './engine/defaults.js';
import type { RefusedIn } from './app/command-line.js';
import type { Flags } from './commands.js';

const commands = () => import('./commands.js');

/** Written in by the bundler (scripts/bundle.mjs); the tests' plain tsc build has none. */
declare const PACKAGE_VERSION: string | undefined;
const VERSION = typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : 'development build';

/** What describes the installation and the language: typed before a subcommand, it carries over. */
const SHARED_FLAGS = [
  'appName',
  'user',
  'appDir',
  'webGroup',
  'serverName',
  'processes',
  'testPort',
  'appSource',
  'appModule',
  'answers',
  'platform',
  'lang',
] as const;

/**
 * The wizard's own switches, by the name a person types: before a subcommand they are a mistake
 * to refuse, never to pass on (`--dry-run undo` must not undo for real).
 */
const WIZARD_ONLY_FLAGS: Record<string, string> = {
  yes: '--yes',
  dryRun: '--dry-run',
  handsOn: '--hands-on',
  listPlatforms: '--list-platforms',
  simulate: '--simulate',
  quiz: '--no-quiz',
  allowRoot: '--allow-root',
  firewall: '--firewall',
  https: '--https',
  email: '--email',
  acmeServer: '--acme-server',
  uwsgiFrom: '--uwsgi-from',
};

/** `--uwsgi-from`: the wizard's and every export's; the guide's compiled uWSGI unless it says wheel. */
const uwsgiFromOption = () =>
  new Option(
    '--uwsgi-from <where>',
    "source: pip compiles uWSGI, as the guide does (the default); wheel: PyPI's prebuilt pyuwsgi, in seconds " +
      '(for unattended runs and fleets)',
  ).choices(['source', 'wheel']);

/**
 * Run a subcommand with the flags it was given, and the shared ones typed before it
 * (`--lang ja status`); refused (exit 2, nothing done) when a wizard-only switch came before it.
 */
function runSubcommand(
  main: Command,
  name: string,
  flags: Flags,
  run: (c: typeof import('./commands.js'), flags: Flags) => number | Promise<number>,
): Promise<number> {
  const misplaced = Object.keys(WIZARD_ONLY_FLAGS).filter((key) => main.getOptionValueSource(key) === 'cli');
  if (misplaced.length > 0) {
    const typed = misplaced.map((key) => WIZARD_ONLY_FLAGS[key]).join(' ');
    return commands().then((c) => c.refuseMisplaced(typed, misplaced.length > 1, name));
  }
  const parent = main.opts() as Record<string, unknown>;
  const shared = Object.fromEntries(
    SHARED_FLAGS.filter((key) => parent[key] !== undefined).map((key) => [key, parent[key]]),
  );
  const own = Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined));
  return commands().then((c) => run(c, { ...shared, ...own } as Flags));
}

/**
 * The answer flags, shared by the wizard and `status`. `looksOnly`: a command that plans no run
 * (`doctor`) takes the run's own ones (worker processes, the test port, the own project and its
 * module) as the others do, and does not list them in its --help: they change nothing it looks at
 * (a project deployed by the wizard is known to the doctor from the wizard's record). `ownApp: false`:
 * a command that refuses a project of the person's own (`export`) takes --app-source and --app-module
 * only to say so, and does not list them.
 */
function withAnswerOptions(cmd: Command, { looksOnly = false, ownApp = true } = {}): Command {
  const listedIf = (shown: boolean) => (flags: string, description: string) => {
    const option = new Option(flags, description);
    return shown ? option : option.hideHelp();
  };
  const runOnly = listedIf(!looksOnly);
  const ownAppOnly = listedIf(!looksOnly && ownApp);
  return cmd
    .option('--app-name <name>', `name of the app, its files and its service (default ${GUIDE_DEFAULTS.appName})`)
    .option(
      '--user <name>',
      'account that owns the app and runs uWSGI (default: the account that ran sudo, else yours unless it is root, ' +
        'else the first normal account; never root)',
    )
    .option('--app-dir <path>', 'the app directory (default ~USER/APP)')
    .option('--web-group <group>', `the web server's group (default ${GUIDE_DEFAULTS.webGroup})`)
    .option('--server-name <name>', "this server's domain name or IP address, for nginx")
    .addOption(runOnly('--processes <n>', `uWSGI worker processes (default ${GUIDE_DEFAULTS.processes})`))
    .addOption(runOnly('--test-port <port>', `port of the test run (default ${GUIDE_DEFAULTS.testPort})`))
    .addOption(
      ownAppOnly(
        '--app-source <path>',
        "your own Flask or Django project (a directory or a git repository's working tree) instead of the guide's hello world",
      ),
    )
    .addOption(
      ownAppOnly(
        '--app-module <spec>',
        'with --app-source: its WSGI app as module:callable, when it is not found alone or is one of several',
      ),
    )
    .option('--answers <file>', 'YAML or JSON file with the answers (keys as the flags: app-name, user, …)')
    .option(
      '--platform <name>',
      'plan for this platform instead of the detected one (see --list-platforms; NAME-noinit: without a service manager)',
    )
    .addOption(new Option('--lang <lang>', 'language of the explanations (default from LANG)').choices(['ja', 'en']));
}

/** What commander refused, and where. */
class RefusedCommandLine extends Error {
  constructor(
    readonly refused: CommanderError,
    readonly where: RefusedIn,
  ) {
    super(refused.message);
  }
}

async function main(argv: string[]): Promise<number> {
  let outcome: Promise<number> = Promise.resolve(0);
  const cmd = withAnswerOptions(
    new Command('uwsgi-nginx-guide').description(
      'Step by step through "How To Set Up uWSGI and Nginx to Serve Python Apps": every command shown, run when you confirm, and proven.',
    ),
  )
    .option('-y, --yes', 'run every step without asking; stop at the first failure')
    .option('--dry-run', 'print every step with its exact commands and files for this machine, change nothing')
    .option(
      '--hands-on',
      'you type each step in your own shell (another terminal or tmux pane); the wizard watches, gives hints on request ([h]) and moves on when it sees the result',
    )
    .option('--list-platforms', 'name the platforms the wizard can plan for (for --platform), one per line')
    .option('--no-quiz', 'no quiz questions after the steps (they are never asked with --yes)')
    .option('--allow-root', "with --yes: let --user root run the app's code as root (refused without it)")
    .option(
      '--firewall',
      "after nginx: let nginx's ports through ufw (only where ufw is active; it is never switched on)",
    )
    .option('--https', 'after nginx: a certificate for the server name with certbot, and HTTP redirected to HTTPS')
    .option('--email <address>', 'with --https: where the certificate authority writes (expiry, problems)')
    .option(
      '--acme-server <url>',
      "with --https: another ACME server's directory (Let's Encrypt's staging); its CA from ACME_CA_BUNDLE",
    )
    .addOption(uwsgiFromOption())
    .option(
      '--simulate',
      'walk the whole guide without a server: every command replayed from a recording of a real run on Debian 12; nothing is run or written',
    )
    .version(VERSION)
    // commander's own refusals are English only: it says nothing, and the refusal is said below in the
    // person's language (src/app/command-line.ts). Inherited by the subcommands made after this.
    .configureOutput({ outputError: () => {} })
    // Options after `status` belong to status, not to the wizard (both take the answer flags).
    .enablePositionalOptions()
    .action((flags: Flags) => {
      outcome = commands().then((c) => c.runWizard(flags));
    });
  withAnswerOptions(
    cmd
      .command('status')
      .description('show which steps are done on this machine, changing nothing; exit 0 only when all are'),
  )
    .option('--json', 'print {"complete": bool, "steps": [{"id", "title", "state"}]}')
    .action((flags: Flags) => {
      outcome = runSubcommand(cmd, 'status', flags, (c, f) => c.runStatus(f));
    });
  withAnswerOptions(
    cmd
      .command('doctor')
      .description(
        "find why this app's site is broken (nginx, the socket, uWSGI, the app), with the evidence; exit 0 when healthy",
      ),
    { looksOnly: true },
  )
    .option('--json', 'print {"healthy": bool, "findings": [{"cause", "layer", "facts", "evidence", "fix"}], "layers"}')
    .option('--fix', 'make the fix of each finding it can fix, shown first and confirmed (with --yes: all)')
    .option('-y, --yes', 'with --fix: do it without asking')
    .action((flags: Flags) => {
      outcome = runSubcommand(cmd, 'doctor', flags, (c, f) => c.runDoctor(f));
    });
  cmd
    .command('glossary [word]')
    .description(
      'explain every term the wizard uses (WSGI, uWSGI, uwsgi, worker, socket, …); with a word, only the terms that contain it',
    )
    .addOption(new Option('--lang <lang>', 'language (default from LANG)').choices(['ja', 'en']))
    .action((word: string | undefined, flags: Flags) => {
      outcome = runSubcommand(cmd, 'glossary', flags, (c, f) => c.runGlossary(word, f));
    });
  withAnswerOptions(
    cmd
      .command('undo')
      .description('take back what the wizard created or changed for this app (packages stay installed)'),
  )
    .option('-y, --yes', 'do it without asking')
    .action((flags: Flags) => {
      outcome = runSubcommand(cmd, 'undo', flags, (c, f) => c.runUndo(f));
    });
  withAnswerOptions(
    cmd
      .command('deploy')
      .description(
        'your own project (--app-source), already served: copy your changed code, install its packages, prove it imports, reload uWSGI gracefully',
      ),
  )
    .option('-y, --yes', 'run every step without asking')
    .option('--dry-run', 'print what it would run, changing nothing')
    .action((flags: Flags) => {
      outcome = runSubcommand(cmd, 'deploy', flags, (c, f) => c.runDeploy(f));
    });
  cmd
    .command('report')
    .description(
      "write the teacher's report of this machine's record: steps done, time per step, hints, steps the wizard did for the student, quiz score (Markdown and JSON)",
    )
    .option('--out <dir>', 'directory to write the two files in (default: the current directory)')
    // Which app's record, after `report` as after `status` and `undo` (a shelved one: see --app-name).
    .option('--app-name <name>', "the app whose record to report (default: the last run's)")
    .option('--user <name>', 'with --app-name: the account that owns that app')
    .option('--app-dir <path>', 'with --app-name: that app directory')
    .option('--answers <file>', 'YAML or JSON file with the answers naming the app (app-name, user, app-dir)')
    .addOption(new Option('--lang <lang>', 'language of the report (default from LANG)').choices(['ja', 'en']))
    .action((flags: Flags) => {
      outcome = runSubcommand(cmd, 'report', flags, (c, f) => c.runReport(f));
    });
  withAnswerOptions(
    cmd
      .command('export')
      .description(
        'write the plan for a machine of --platform as a shell script, an Ansible playbook or cloud-init user-data, for machines the wizard is not run on; changes nothing here',
      ),
    { ownApp: false },
  )
    .option('--format <format>', 'shell, ansible or cloud-init')
    .option('--out <dir>', 'directory to write the files in (made if missing; default: the current directory)')
    .option('--force', 'replace files of an earlier export in --out')
    .addOption(uwsgiFromOption())
    .action((flags: Flags) => {
      outcome = runSubcommand(cmd, 'export', flags, (c, f) => c.runExport(f));
    });
  for (const command of [cmd, ...cmd.commands]) {
    command.exitOverride((error) => {
      throw new RefusedCommandLine(error, {
        ...(command === cmd ? {} : { command: command.name() }),
        operands: command.args,
        takes: command.registeredArguments.length,
        commands: cmd.commands.map((sub) => sub.name()),
      });
    });
  }
  try {
    await cmd.parseAsync(argv);
  } catch (error) {
    if (!(error instanceof RefusedCommandLine)) throw error;
    const { refused, where } = error;
    // --help and --version end here too, having printed what was asked.
    if (refused.exitCode === 0) return 0;
    return (await commands()).refuseCommandLine(refused.code, refused.message, where, argv);
  }
  try {
    return await outcome;
  } catch (error) {
    return (await commands()).explainFailure(error, argv);
  }
}

// sudo's askpass helper (exec/sudo.ts) is this same program: it only fetches the password. So is
// the holder of root's run lock for a run of another account (exec/run-lock.ts, HOLD_RUN_LOCK_FLAG).
const askpassAt = process.argv.indexOf('--sudo-askpass');
const run =
  askpassAt === 2
    ? import('./exec/sudo.js').then((sudo) => sudo.runAskpassClient(process.argv[3] ?? ''))
    : process.argv[2] === '--hold-run-lock' && process.argv.length === 3
      ? import('./exec/run-lock.js').then((lock) => lock.serveRunLock())
      : main(process.argv);
run
  .catch((error: unknown) =>
    // Our bug, said in the person's language with its stack kept in a log (src/app/failure.ts); were
    // even that to fail, said here.
    commands()
      .then((c) => c.reportBug(error))
      .catch(() => {
        const said = error instanceof Error ? error.stack : String(error);
        process.stderr.write(`uwsgi-nginx-guide: this is a bug in uwsgi-nginx-guide, please report it: ${said}\n`);
        return 70;
      }),
  )
  .then((code) => process.exit(code));
