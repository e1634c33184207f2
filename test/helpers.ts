// Shared by the test suites: planning contexts, hand-made plans, and a scripted System that
// stands in for the machine (no command is ever run, no file written, nothing probed for real).
import { stripVTControlCharacters } from 'node:util';
import { curriculum } from '../steps/index.js';
import { buildPlan } from '../src/engine/plan.js';
import type { FoundApp } from '../src/engine/own-app/found.js';
import { allPlatforms, platformByName, withServiceManager } from '../src/engine/platforms.js';
import {
  type Observation,
  type PathState,
  type ProbeAnswer,
  type RunOutcome,
  type RunningCommand,
  type SourceReading,
  type System,
  WriteFileError,
  type WriteOutcome,
  type WriteProblem,
} from '../src/engine/ports.js';
import type {
  Action,
  Answers,
  Check,
  ChosenSteps,
  CommandAction,
  FileAction,
  Plan,
  PlanContext,
  PlannedStep,
  Platform,
  UwsgiInstance,
  Probe,
  ServiceManager,
  StepId,
  Text,
} from '../src/engine/types.js';

// ---------------------------------------------------------------------------------------------
// Contexts

export const ANSWERS: Answers = {
  appName: 'myapp',
  user: 'demo',
  appDir: '/home/demo/myapp',
  webGroup: 'www-data',
  serverName: 'example.com',
  processes: 5,
  testPort: 8080,
};

/**
 * Debian 12, the current system of the tests, and Ubuntu 14.04, the guide's own (Python 2), from the platform table.
 */
export function platformFor(pythonMajor: 2 | 3, serviceManager: ServiceManager): Platform {
  return withServiceManager(platformByName(pythonMajor === 3 ? 'debian-12' : 'ubuntu-14.04')!, serviceManager);
}

export function debian12(serviceManager: ServiceManager = 'none'): Platform {
  return platformFor(3, serviceManager);
}

export function ubuntu1404(serviceManager: ServiceManager = 'upstart'): Platform {
  return platformFor(2, serviceManager);
}

export interface ContextOptions {
  platform?: Platform;
  /** Run as root (default), or as this non-root account. */
  runningAs?: string;
  answers?: Partial<Answers>;
  /** The optional steps chosen (issue 18): none by default, the guide's path alone. */
  chosen?: ChosenSteps;
}

/** Every optional step chosen: the firewall and HTTPS, against a private ACME server. */
export const EVERY_OPTIONAL_STEP: ChosenSteps = {
  firewall: true,
  https: { email: 'admin@example.com', acmeServer: 'https://acme.example.test/dir' },
};

export function makeContext({
  platform = debian12(),
  runningAs = 'root',
  answers = {},
  chosen,
}: ContextOptions = {}): PlanContext {
  return {
    answers: { ...ANSWERS, ...answers },
    platform,
    privilege: { isRoot: runningAs === 'root', runningAs },
    userGroup: 'demo',
    ...(chosen ? { chosen } : {}),
  };
}

/** A person's own Flask project as the finder reports it (issue 17): an app object, static/, requirements.txt. */
export const FLASK_APP: FoundApp = {
  root: '/home/alice/site',
  framework: 'flask',
  module: 'app',
  callable: 'app',
  chdir: '',
  statics: { url: '/static/', dir: 'static' },
  requirements: { kind: 'requirements.txt', path: 'requirements.txt' },
};

/** A Flask app factory (`create_app()` in a package): served through the wsgi.py the wizard writes. */
export const FLASK_FACTORY_APP: FoundApp = {
  ...FLASK_APP,
  root: '/home/alice/greeter',
  module: 'wsgi',
  callable: 'app',
  shim: { path: 'wsgi.py', content: 'from greeter import create_app\n\napp = create_app()\n', factory: 'create_app' },
  statics: { url: '/static/', dir: 'greeter/static' },
};

/** A person's own Django project as the finder reports it: ALLOWED_HOSTS without the server's name, DEBUG on. */
export const DJANGO_APP: FoundApp = {
  root: '/home/alice/mysite',
  framework: 'django',
  module: 'mysite.wsgi',
  callable: 'application',
  chdir: '',
  django: { settingsModule: 'mysite.settings', managePy: 'manage.py', allowedHosts: [], debug: true },
  requirements: { kind: 'requirements.txt', path: 'requirements.txt' },
};

/** The context of a plan for a person's own project. */
export function ownAppContext(app: FoundApp, platform: Platform = debian12()): PlanContext {
  return { ...makeContext({ platform }), ownApp: app };
}

/** The guide's own path (its hello world), in order: the steps of every plan without a project of the person's own. */
export const GUIDE_STEP_IDS: readonly StepId[] = curriculum
  .filter((step) => step.applies?.(makeContext()) ?? true)
  .map((step) => step.id);

export function planFor(options: ContextOptions = {}): Plan {
  return buildPlan(curriculum, makeContext(options));
}

/** Every platform the curriculum plans for (the -noinit variants included), as root and not, named for test titles. */
export function everyContext(): { name: string; ctx: PlanContext }[] {
  return allPlatforms().flatMap((platform) =>
    ['root', 'admin'].flatMap((runningAs) => {
      const name = `${platform.id}, ${runningAs === 'root' ? 'root' : 'non-root'}`;
      return [
        { name, ctx: makeContext({ platform, runningAs }) },
        {
          name: `${name}, every optional step`,
          ctx: makeContext({ platform, runningAs, chosen: EVERY_OPTIONAL_STEP }),
        },
      ];
    }),
  );
}

export function commandsOf(plan: Plan): CommandAction[] {
  return plan.steps.flatMap((s) => s.actions.filter((a): a is CommandAction => a.kind === 'command'));
}

export function actionById(plan: Plan, id: string): Action {
  const action = plan.steps.flatMap((s) => s.actions).find((a) => a.id === id);
  if (!action) throw new Error(`no action ${id} in the plan`);
  return action;
}

// ---------------------------------------------------------------------------------------------
// Hand-made plans: small, with probes named so that a fake System can answer them.

export function en(words: string): Text {
  return { en: words, ja: `${words}(日本語)` };
}

/** A probe the fake System recognises by its name. */
export function named(name: string): Probe {
  return { kind: 'command', command: name };
}

/** A command probe by its command line, any other by its kind and details. */
export function probeName(probe: Probe): string {
  return probe.kind === 'command' ? probe.command : JSON.stringify(probe);
}

export function check(id: string, extra: Partial<Check> = {}): Check {
  return { id, title: en(`check ${id}`), probe: named(id), tryThis: en(`fix ${id}`), ...extra };
}

export function commandAction(id: string, command: string, extra: Partial<CommandAction> = {}): CommandAction {
  return { kind: 'command', id, command, explain: en(`explain ${id}`), timeoutSec: 60, ...extra };
}

export function fileAction(id: string, path: string): FileAction {
  return {
    kind: 'file',
    id,
    path,
    content: 'content\n',
    owner: 'demo',
    group: 'demo',
    mode: 0o644,
    explain: en(`explain ${id}`),
  };
}

export function step(id: StepId, parts: Partial<PlannedStep> = {}): PlannedStep {
  return {
    id,
    section: 1,
    title: en(`title ${id}`),
    explain: en(`explain ${id}`),
    notes: [],
    actions: [],
    checks: [],
    probeBeforeRun: false,
    ...parts,
  };
}

export function planOf(...steps: PlannedStep[]): Plan {
  return { platform: debian12(), answers: ANSWERS, steps };
}

// ---------------------------------------------------------------------------------------------
// The fake machine

export interface CommandScript {
  /** Chunks of output, written one per tick. */
  output?: string[];
  exitCode?: number;
  /** A server: it runs until stop() (Ctrl-C) and then ends by SIGINT. */
  untilStopped?: boolean;
  /** It keeps running after its output until the test calls `release(id)`. */
  held?: boolean;
  /**
   * Held, and stop() does not end it either, as the real executor never signals apt once dpkg is at
   * work: its mustFinish() says so.
   */
  finishesAnyway?: boolean;
  /** Paths that exist once it has run (what its declared effects will find). */
  creates?: Record<string, PathState>;
}

/** true / false, or a full answer; `name` is probeName(probe), `asked` how often it was asked before. */
export type ProbeScript = (name: string, asked: number, probe: Probe) => boolean | ProbeAnswer;

export class FakeSystem implements System {
  /** Ids of the actions started or written, in order. */
  readonly performed: string[] = [];
  readonly stopped: string[] = [];
  readonly running = new Set<string>();
  /** The fake file system seen by inspect(): every path absent unless listed. */
  readonly paths = new Map<string, PathState>();
  private readonly asked = new Map<string, number>();
  private readonly releases = new Map<string, () => void>();

  constructor(
    private readonly scripts: {
      commands?: Record<string, CommandScript>;
      probe?: ProbeScript;
      writeError?: string;
      /** A write the system refuses as the executor names it (src/exec/system.ts). */
      writeProblem?: WriteProblem;
    } = {},
  ) {}

  start(action: CommandAction, onOutput: (text: string) => void): RunningCommand {
    const script = this.scripts.commands?.[action.id] ?? {};
    this.performed.push(action.id);
    this.running.add(action.id);
    let stop = (): void => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const released = new Promise<void>((resolve) => this.releases.set(action.id, resolve));
    const done = (async (): Promise<RunOutcome> => {
      for (const chunk of script.output ?? []) {
        await tick();
        onOutput(chunk);
      }
      if (script.untilStopped) await stopped;
      else if (script.finishesAnyway) await released;
      else if (script.held) await Promise.race([released, stopped]);
      this.running.delete(action.id);
      for (const [path, state] of Object.entries(script.creates ?? {})) this.paths.set(path, state);
      const signalled =
        script.untilStopped || (script.held && !script.finishesAnyway && this.stopped.includes(action.id));
      return {
        exitCode: signalled ? null : (script.exitCode ?? 0),
        signal: signalled ? 'SIGINT' : null,
        timedOut: false,
        durationMs: 1200,
      };
    })();
    return {
      done,
      stop: () => {
        this.stopped.push(action.id);
        stop();
      },
      mustFinish: () => script.finishesAnyway === true,
    };
  }

  release(id: string): void {
    this.releases.get(id)?.();
  }

  async inspect(path: string): Promise<PathState> {
    return this.paths.get(path) ?? { kind: 'none' };
  }

  /** Files as they stand on the fake machine, for readText(). */
  readonly files = new Map<string, string>();

  async readText(path: string): Promise<string | undefined> {
    return this.files.get(path);
  }

  /** Projects as `--app-source` reads them, by path (any other: missing); and each reading asked, with its account. */
  readonly sources = new Map<string, SourceReading>();
  readonly sourcesRead: { path: string; asUser: string | undefined }[] = [];

  async readSource(path: string, asUser: string | undefined): Promise<SourceReading> {
    this.sourcesRead.push({ path, asUser });
    return this.sources.get(path) ?? { kind: 'missing', path };
  }

  async writeFile(file: FileAction): Promise<WriteOutcome> {
    await tick();
    if (this.scripts.writeError) throw new Error(this.scripts.writeError);
    if (this.scripts.writeProblem) throw new WriteFileError(this.scripts.writeProblem);
    this.performed.push(file.id);
    const earlier = this.files.get(file.path);
    if (earlier === file.content) return { written: false };
    this.files.set(file.path, file.content);
    return earlier === undefined ? { written: true } : { written: true, backup: `${file.path}.bak-20261124T000000` };
  }

  async probe(probe: Probe): Promise<ProbeAnswer> {
    await tick();
    const name = probeName(probe);
    const count = this.asked.get(name) ?? 0;
    this.asked.set(name, count + 1);
    const answer = this.scripts.probe ? this.scripts.probe(name, count, probe) : true;
    if (typeof answer !== 'boolean') return answer;
    return { ok: answer, observed: observationOf(probe, answer) };
  }

  timesAsked(name: string): number {
    return this.asked.get(name) ?? 0;
  }
}

/**
 * What the fake machine's probe saw when it passes or fails: for a command, its exit code and no
 * output; for each other kind, the plainest observation of that outcome.
 */
export function observationOf(probe: Probe, ok: boolean): Observation {
  switch (probe.kind) {
    case 'packages':
      return { kind: 'packages', missing: ok ? [] : probe.names };
    case 'command':
      return { kind: 'command', exitCode: ok ? 0 : 1, output: [] };
    case 'file':
      return ok ? { kind: 'file', exists: true, differences: [] } : { kind: 'file', exists: false };
    case 'http':
      return ok
        ? { kind: 'http', status: 200, body: probe.expectBody }
        : { kind: 'http', status: 502, body: '<h1>502 Bad Gateway</h1>' };
    case 'processes':
      return { kind: 'processes', running: ok ? probe.count : 0 };
    case 'socket':
      return ok
        ? { kind: 'socket', exists: true, isSocket: true, mode: probe.mode, group: probe.group }
        : { kind: 'socket', exists: false };
    case 'port-free':
      return { kind: 'port-free', inUse: !ok };
    case 'uwsgi':
      if (probe.expect.kind === 'by-hand-none') return { kind: 'uwsgi', found: ok ? [] : [byHandUwsgi()] };
      return ok
        ? {
            kind: 'uwsgi',
            found: [
              {
                ...byHandUwsgi(),
                startedBy: probe.expect.by === 'pidfile' ? 'pidfile' : 'systemd',
                workers: probe.expect.processes - 1,
              },
            ],
          }
        : { kind: 'uwsgi', found: [] };
  }
}

/** A uWSGI a person started by hand in the app's directory, as the uwsgi probe describes it. */
export function byHandUwsgi(): UwsgiInstance {
  return {
    pid: 4242,
    user: 'demo',
    startedBy: 'by-hand',
    since: '2026-11-23T21:00:00Z',
    command: 'uwsgi --ini myapp.ini --daemonize /tmp/uwsgi.log',
    cwd: '/home/demo/myapp',
    workers: 5,
    others: [4243, 4244, 4245, 4246, 4247],
    serves: ['/run/myapp/myapp.sock'],
  };
}

/** A command probe's observation: its exit code and the lines it printed. */
export function commandSaw(exitCode: number, ...output: string[]): Observation {
  return { kind: 'command', exitCode, output };
}

// ---------------------------------------------------------------------------------------------
// Time

export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Wait until `condition` holds (polled every few ms), or fail naming what was awaited. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Terminal text without colours, for comparing what a person would read. */
export function plain(frame: string | undefined): string {
  return stripVTControlCharacters(frame ?? '');
}
