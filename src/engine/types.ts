// The vocabulary shared by the curriculum (steps/), the engine, the side-effect layer (src/exec)
// and the screen (src/ui). Everything here is plain data: a plan can be printed, compared with a
// golden file, or replayed without touching the machine.

// The one name this vocabulary takes from the curriculum, as a type only: the ids of its steps.
import type { Layer } from './doctor/model.js';
import type { StepId } from '../../steps/index.js';
import type { Observation } from './ports.js';
import type { FoundApp } from './own-app/found.js';

export type Lang = 'ja' | 'en';

/** Every sentence the wizard shows exists in both languages. */
export interface Text {
  ja: string;
  en: string;
}

/** The person's answers to the up-front questions (or the flags / answers file). */
export interface Answers {
  appName: string;
  user: string;
  appDir: string;
  webGroup: string;
  serverName: string;
  processes: number;
  testPort: number;
  /** The person's own project to deploy instead of the guide's hello world (issue 17): an absolute path. */
  appSource?: string;
  /** `module:callable` the person named, when the project's app could not be found alone (or was one of several). */
  appModule?: string;
}

export type ServiceManager = 'systemd' | 'upstart' | 'none';

/**
 * What the plan needs to know about the machine it will run on: one row of the platform table
 * (src/engine/platforms.ts), with the service manager found on the machine. Steps read these
 * facts; none of them tests a distribution or a version itself.
 */
export interface Platform {
  /** The name `--platform` takes to plan for it again: `debian-12`, `ubuntu-14.04`, `debian-12-noinit`. */
  id: string;
  prettyName: string;
  serviceManager: ServiceManager;
  /** The interpreter that apt installs; never a pyenv shim (pitfalls #10). */
  systemPython: string;
  pythonMajor: 2 | 3;
  /** Version of the system Python, `3.11`: what uWSGI is compiled against (pitfalls #20). */
  pythonVersion: string;
  /** PEP 668: pip refuses to install outside a virtual environment (pitfalls #6). */
  externallyManaged: boolean;
  /** What `apt-get install` installs in the packages step. */
  aptPackages: string[];
  /** Whether the guide's Python 2 packages (python-dev, python-pip) can still be installed here. */
  python2Packages: boolean;
  /** The package that holds Python.h, which `pip install uwsgi` compiles against (pitfalls #8). */
  pythonDevPackage: string;
  /** How the app's virtualenv is made: the guide's `virtualenv` (installed with pip) or Python 3's `-m venv`. */
  venvTool: 'virtualenv' | 'venv';
  /** The versioned package behind python3-venv (`python3.11-venv`), named when ensurepip is missing (pitfalls #7). */
  venvPackage?: string;
  /**
   * The guide's layout: the socket beside the app in the home directory, which nginx can reach
   * only while home directories are open to others (pitfalls #12). Otherwise /run/APP.
   */
  socketInAppDir: boolean;
  /** Permissions adduser gives a new home directory (0o755 open, 0o750 / 0o700 private). */
  homeMode: number;
  /** The command that tests nginx's configuration, and the ones that restart and reload nginx. */
  nginxConfigTest: string;
  nginxRestart: string;
  nginxReload: string;
  /** A command that succeeds only while nginx runs (it then can be reloaded; a stopped one must be started). */
  nginxIsRunning: string;
  /** apt can be told to wait for another apt's lock (`-o DPkg::Lock::Timeout=`, apt ≥ 1.9.11) rather than fail at once. */
  aptWaitsForLock: boolean;
  /** The oldest uWSGI that builds against this Python, when old releases no longer do (pitfalls #20). */
  uwsgiMinimum?: string;
  /**
   * pip finds a prebuilt uWSGI here (`--uwsgi-from wheel`): PyPI's pyuwsgi has manylinux_2_28 x86-64 wheels for
   * CPython 3.8 to 3.13, so glibc 2.28 or later, and the venv's pip must know that tag (pip 20.3 or later).
   */
  uwsgiWheel?: true;
}

/** Who runs the wizard: decides whether system commands need sudo and user commands runuser. */
export interface Privilege {
  isRoot: boolean;
  /** The login name running the wizard (root when run through sudo). */
  runningAs: string;
}

export interface PlanContext {
  answers: Answers;
  platform: Platform;
  privilege: Privilege;
  /** Primary group of the service user: the group of the app files it owns. */
  userGroup: string;
  /** The person's own project (`--app-source`, issue 17), as found in it; absent: the guide's hello world. */
  ownApp?: FoundApp;
  /** The steps after the guide's that the person chose (flags, or asked); none: the guide's path alone. */
  chosen?: ChosenSteps;
}

/**
 * The optional steps every current version of the guide ends with (issue 18): the firewall opened for
 * nginx, and a certificate for HTTPS. Absent, the plan is the guide's, byte for byte.
 */
export interface ChosenSteps {
  /** Open ufw for nginx (`--firewall`): only where ufw is installed and active. */
  firewall?: boolean;
  /** A certificate from certbot's nginx plugin (`--https --email ADDR`). */
  https?: HttpsChoice;
  /**
   * Not a step but a choice of the same kind, kept with them in the record: uWSGI installed from PyPI's prebuilt
   * wheel, pyuwsgi (`--uwsgi-from wheel`), instead of the guide's `pip install uwsgi`, which compiles it.
   */
  uwsgiFrom?: 'wheel';
}

export interface HttpsChoice {
  /** Where the certificate authority writes about expiry and problems (certbot's --email). */
  email: string;
  /** The ACME server's directory URL (`--acme-server`): Let's Encrypt's when absent. */
  acmeServer?: string;
  /** The CA bundle that server's own certificate is checked against (ACME_CA_BUNDLE), for a private one. */
  caBundle?: string;
}

/**
 * Which account a command runs as, before sudo / runuser is added: root, the service user, the
 * service user with the web server's group (how uWSGI must run so nginx can use its socket), or
 * the web server's own account (to prove nginx can reach what it needs).
 */
export type RunAs = 'root' | 'service-user' | 'service-user-web-group' | 'web-user';

export interface CommandAction {
  kind: 'command';
  id: string;
  /** The exact line handed to /bin/sh, privilege prefix included: what is shown is what runs. */
  command: string;
  /**
   * The account the command is for and its line before sudo / runuser were added: what a student
   * types in that account's own shell (hands-on mode).
   */
  for?: { runAs: RunAs; line: string };
  /** Directory the command runs in (shown beside it); never relies on an earlier `cd`. */
  cwd?: string;
  explain: Text;
  /** The guide's own command, when this machine needs a different one. */
  guideCommand?: string;
  /** Why the command differs from the guide's. */
  whyDifferent?: Text;
  /** What the person can do when it fails (after its own output), where its failures have known causes. */
  tryThis?: Text;
  timeoutSec: number;
  /**
   * A command that keeps running (the test server): it is started, its checks are polled while
   * it runs, and it is then stopped the way a person would stop it (Ctrl-C = SIGINT).
   */
  /**
   * What this command leaves on the machine, declared so that the wizard can record what it
   * created (only what was not there before) and undo exactly that: `undo`, and the rollback of
   * a transactional step.
   */
  effects?: Effect[];
  whileRunning?: {
    checks: Check[];
    readyTimeoutSec: number;
    /** Where the person can look for themselves while it serves (their browser). */
    browseUrl: string;
  };
}

export interface FileAction {
  kind: 'file';
  id: string;
  path: string;
  content: string;
  owner: string;
  group: string;
  /** Octal permission bits, e.g. 0o644. */
  mode: number;
  explain: Text;
  guidePath?: string;
  whyDifferent?: Text;
}

export type Action = CommandAction | FileAction;

/**
 * Something a command leaves behind, as data: the wizard records what of it was not there before
 * (src/engine/journal.ts) and derives the command that takes it away again when it is undone.
 */
export type Effect =
  /** A directory or file that did not exist before, made as `runAs`; `made` says how it is removed. */
  | { kind: 'creates'; path: string; made: Made; runAs: UndoAccount }
  /** A symbolic link, made as `runAs`: removed, or a link it replaced is pointed back. */
  | { kind: 'links'; path: string; runAs: UndoAccount }
  /** A process or service left running; it is stopped (and `check` tells it still runs). */
  | { kind: 'starts'; what: Started }
  /**
   * A ufw rule it adds (`Nginx HTTP`): recorded only when `isThere` (a probe) did not pass before and
   * passes after, so that undo removes exactly the rules the wizard added.
   */
  | { kind: 'opens'; rule: string; isThere: Probe }
  /**
   * A file another program edits in place (certbot's nginx plugin, the site): it is copied aside first, and the copy
   * recorded as its backup when the command changed it, so that a rollback and undo put the file back as it was.
   */
  | { kind: 'edits'; path: string; runAs: 'root' }
  /**
   * A certificate certbot obtains, by its name (`--cert-name`): recorded only when `isThere` did not pass before and
   * passes after (a certificate the person had stays theirs); undo offers to delete it.
   */
  | { kind: 'certifies'; name: string; isThere: Probe }
  /**
   * Trees moved whole to another place (deploy's switch: the running code aside into code.previous, a tree the same
   * command creates, and the new code into its place): what the journal says of paths below them no longer names
   * what is there (a fix's backup beside the file it fixed went with the old code). Once the command succeeded those
   * entries leave the journal: what they were about is taken away with the tree it is now in.
   */
  | { kind: 'moves'; trees: string[] };

/**
 * What a path the wizard made is, for taking it away: a file (or link); a directory that others
 * may fill (the app's: removed only when empty, so that what the person put there is never
 * taken); or a tree the wizard or its tools filled themselves (a virtualenv, a cache, /run/APP).
 */
export type Made = 'file' | 'directory' | 'tree';

/** The accounts that make, and take back, what the wizard leaves. */
export type UndoAccount = Extract<RunAs, 'root' | 'service-user'>;

/** A service or process the wizard started, described well enough to stop it again. */
export type Started =
  | { kind: 'systemd-unit'; name: string }
  | { kind: 'upstart-job'; name: string }
  /** uWSGI daemonized with a pidfile, where no service manager runs: `uwsgi` is the program that stops it. */
  | { kind: 'uwsgi-daemon'; uwsgi: string; pidFile: string };

/** A question asked of the machine, without changing it. */
export type Probe =
  | { kind: 'packages'; names: string[] }
  | { kind: 'command'; command: string; cwd?: string; expectOutput?: string }
  | {
      kind: 'file';
      path: string;
      content?: string;
      owner?: string;
      group?: string;
      mode?: number;
      executable?: boolean;
    }
  | { kind: 'http'; url: string; host?: string; expectBody: string }
  | { kind: 'processes'; user: string; match: string; count: number }
  | { kind: 'socket'; path: string; mode: number; group: string }
  | { kind: 'port-free'; port: number }
  | { kind: 'uwsgi'; serving: UwsgiTarget; expect: UwsgiExpectation };

/**
 * What tells a uWSGI serving this app from any other, however it was started (by the venv's path
 * or through `activate`, from the ini or with flags, by the app's user or root): its working
 * directory, a path of the app in its command line, the socket or TCP port it holds, the pidfile
 * that names it. Only the fields given are looked for (the test run looks for its port alone).
 */
export interface UwsgiTarget {
  appDir?: string;
  /** Paths whose mention in the command line means this app (the ini, wsgi.py). */
  paths?: string[];
  socket?: string;
  port?: number;
  pidFile?: string;
  /** The systemd unit that runs the app as a service (`myapp.service`): its processes are the service's. */
  unit?: string;
}

/**
 * `by-hand-none`: passes when no uWSGI serves the app except the service's own (asked before a step
 * starts uWSGI). `service`: passes when exactly one master serves the app, started as the service
 * (`by`: the systemd unit, or the pidfile of a uWSGI daemonized without a service manager; `any`
 * where neither can be told), with `processes` processes in all (master and workers).
 */
export type UwsgiExpectation =
  | { kind: 'by-hand-none' }
  | { kind: 'service'; processes: number; by: 'systemd' | 'pidfile' | 'any' };

/** How a uWSGI found serving the app was started. */
export type UwsgiStartedBy = 'systemd' | 'pidfile' | 'by-hand';

/** One uWSGI found serving the app: its master (or a lone process) and what it serves. */
export interface UwsgiInstance {
  pid: number;
  /** The account it runs as. */
  user: string;
  startedBy: UwsgiStartedBy;
  /** When it started (ISO 8601), from /proc. */
  since: string;
  /** Its command line as it was started, and where it runs. */
  command: string;
  cwd?: string;
  /** Its workers (processes of the same instance other than the master). */
  workers: number;
  /** The pids of those other processes (workers, an HTTP router): stopped with the master. */
  others: number[];
  /** What it serves: the socket path or `:PORT`, as far as they could be seen. */
  serves: string[];
}

export interface Check {
  id: string;
  title: Text;
  probe: Probe;
  /** What the person can do when this check fails. */
  tryThis: Text;
  /**
   * For a pitfall (PlannedStep.preflight): a command that puts it right. When the check finds the
   * pitfall, it is offered before the step's own actions, shown and confirmed as they are (run
   * under --yes).
   */
  fix?: CommandAction;
  /**
   * Seconds the result may take to appear after the step's commands (workers forking, nginx
   * restarting): the check is asked again until then before it counts as failed.
   */
  settleSec?: number;
  /**
   * A pitfall's finding as one sentence, shown instead of "expected / found" when it is there: `{output}` stands for
   * what its command printed (a site's name), lines joined; for a `uwsgi` probe, each uWSGI found running by hand.
   * `{holders}` stands for the programs `ss -ltnp` named on a port, each with its pids ("python3 (pid 812)").
   */
  found?: Text;
  /**
   * A pitfall that certainly makes the step fail (certbot refused by the certificate authority): found, the step
   * stops before its first action, saying why, and nothing is changed. Absent: a warning, and the step goes on.
   */
  blocks?: true;
  /**
   * Something found running that the step can take over (a uWSGI already serving the app): when
   * this check fails before the step (a pitfall), the person is shown what its probe found and
   * chooses: stop it and let the step start its own (the default; `--yes` does it), or keep it,
   * and the actions named here are skipped (nothing second is started). `stopAs`: the prefix the
   * stop command needs on this machine (`sudo` when not root).
   */
  takeOver?: { skipWhenKept: string[]; stopAs: 'sudo' | '' };
}

export interface CheckResult {
  checkId: string;
  ok: boolean;
  /** What its probe saw; what it looked for is the check's probe. */
  observed: Observation;
}

/** A step of the curriculum: the union of the ids its modules declare (steps/index.ts). */
export type { StepId };

/** A step once planned for one machine and one set of answers: all concrete, nothing to compute. */
export interface PlannedStep {
  id: StepId;
  /** Section of the guide (1-based) this step teaches. */
  section: number;
  title: Text;
  explain: Text;
  /** Drawn below the explanation (the stack diagram); monospace, language-neutral or bilingual. */
  diagram?: Text;
  /** The same diagram drawn small, for a terminal too narrow for `diagram`. */
  diagramNarrow?: Text;
  /** Where this machine departs from the guide, and why. */
  notes: Text[];
  actions: Action[];
  /**
   * When its checks or one of its commands fail, the layers of the chain the doctor looks at
   * (src/engine/doctor): its first finding is shown with the failure. Absent: the step's own hints only.
   */
  doctor?: { from: Layer; to: Layer };
  /** Proof that the step's result is in place. */
  checks: Check[];
  /**
   * The pitfalls that would break this step on some machines (../shared/notes/pitfalls.md), asked
   * before its first action. A failed one is a warning, never a stop: its `tryThis` says what
   * will be done about it, or what the person can do.
   */
  preflight?: Check[];
  /**
   * Whether `checks` can be asked before the step runs to see that it is already done. False for
   * a step whose proof needs its own actions (the test run starts a server).
   */
  probeBeforeRun: boolean;
  /**
   * Its result is shared by the whole machine (installed packages): found in place, it says nothing
   * about this app, or about whether this person went through the steps before it.
   */
  machineWide?: boolean;
  /**
   * All or nothing: when one of its commands fails, or the run is stopped in the middle of it,
   * what the step created is taken away again (the nginx site: a broken link must not stay in
   * sites-enabled for the next reload to trip on). Retrying starts the step again.
   */
  transactional?: boolean;
  /**
   * What hands-on mode (`--hands-on`) tells a student who does this step in their own shell
   * (derived from the step's module by steps/hands-on.ts).
   */
  handsOn?: HandsOn;
}

/**
 * A step done by the student (hands-on mode): the wizard shows what to type, watches the step's
 * checks, and gives hints on request, each more telling than the last.
 */
export interface HandsOn {
  /** Each action as a person types it in their own shell: which account, which directory, which line. */
  typed: TypedAction[];
  /** Hint 1: what to do, in words. */
  whatToDo: Text;
  /** Hint 2: the exact lines, to paste into a shell of the account running the wizard. */
  exactCommands: string[];
  /** The account whose shell the exact lines are for: the one running the wizard (they hold its sudo or runuser). */
  exactAs: string;
  /** Common mistakes, asked when the checks do not pass (the step module's `wrongMoves`). */
  wrongMoves: WrongMove[];
  /** The step's explanation for the student, when it differs from the plan's (the test run: they stop uWSGI). */
  explain?: Text;
}

export interface TypedAction {
  /** The account whose shell it is typed in (root: with sudo from another account). */
  as: string;
  cwd?: string;
  /** A command line, or for a file: where it goes (its content is the action's). */
  line: string;
}

/** A common wrong move of a student, recognised by a probe that passes when the mistake is there. */
export interface WrongMove {
  id: string;
  probe: Probe;
  /** What went wrong and what to do instead; the probe's finding is shown after it. */
  hint: Text;
}

export interface Plan {
  platform: Platform;
  answers: Answers;
  steps: PlannedStep[];
}

/** One file of steps/: a section of the guide as data, planned against a context. */
export interface StepDefinition {
  id: StepId;
  section: number;
  title: Text;
  /** Whether the step belongs in this plan (the own app's steps, or the hello world's); absent: always. */
  applies?(ctx: PlanContext): boolean;
  plan(ctx: PlanContext): Omit<PlannedStep, 'id' | 'section' | 'title'>;
}
