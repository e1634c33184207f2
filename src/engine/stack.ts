// "The stack, alive": the concept diagram (browser → nginx → socket → uWSGI → app) as a status
// that is asked of the machine at a few moments of a run, never continuously. The probes are
// derived from the plan (pure); StackMonitor asks them through the System port, so that a
// simulated run answers them from its recording like every other probe.
import type { ProbeAnswer, System } from './ports.js';
import { appSocket, nginxMaster, pageThroughNginx, uwsgiProcesses } from './stack-probes.js';
import type { Plan, PlanContext, Probe } from './types.js';
import type { WizardEvent, WizardState } from './wizard.js';

export type StackPartId = 'nginx' | 'socket' | 'uwsgi' | 'app';

/**
 * `alive`: running / present / answering; `trouble`: there but not working (a socket nginx cannot use, a 502); `down`:
 * not there yet.
 */
export type PartState = 'unknown' | 'down' | 'alive' | 'trouble';

export interface StackPartStatus {
  state: PartState;
  /** A short figure for the line: the uWSGI workers, the HTTP status. */
  detail?: string;
  /** A socket there but not as nginx needs it: its mode and group, put into words by the line. */
  socket?: { mode: number; group: string };
}

export type StackStatus = Record<StackPartId, StackPartStatus>;

export const STACK_PARTS: readonly StackPartId[] = ['nginx', 'socket', 'uwsgi', 'app'];

export const UNKNOWN_STACK: StackStatus = {
  nginx: { state: 'unknown' },
  socket: { state: 'unknown' },
  uwsgi: { state: 'unknown' },
  app: { state: 'unknown' },
};

/**
 * One probe per part of the diagram, for this plan's app: the steps' own (stack-probes.ts). Process
 * probes count exactly, and a count of -1 is never met: their answer is read for the number
 * running, not for ok.
 */
export function stackProbes(plan: Plan): Record<StackPartId, Probe> {
  // The probes read only the answers and the platform; who runs the wizard does not change them.
  const ctx: PlanContext = {
    answers: plan.answers,
    platform: plan.platform,
    privilege: { isRoot: true, runningAs: 'root' },
    userGroup: plan.answers.user,
  };
  return {
    nginx: nginxMaster(-1),
    socket: appSocket(ctx),
    // The venv's uwsgi: the test run (HTTP on the test port) and the service alike.
    uwsgi: uwsgiProcesses(ctx, -1),
    app: pageThroughNginx(ctx),
  };
}

function runningCount(answer: ProbeAnswer): number {
  return answer.observed.kind === 'processes' ? answer.observed.running : 0;
}

/** What the answers say about each part. Pure: the screen and the plain output draw the result. */
export function readStack(answers: Record<StackPartId, ProbeAnswer>): StackStatus {
  const masters = runningCount(answers.nginx);
  const uwsgi = runningCount(answers.uwsgi);
  const socket = answers.socket.observed;
  const page = answers.app.observed;
  const httpStatus = page.kind === 'http' && 'status' in page ? page.status : undefined;
  return {
    nginx: { state: masters > 0 ? 'alive' : 'down' },
    // A socket of the wrong group or mode is there, but nginx cannot use it: the 502 of pitfalls #12.
    socket: answers.socket.ok
      ? { state: 'alive' }
      : socket.kind === 'socket' && socket.exists && socket.isSocket
        ? { state: 'trouble', socket: { mode: socket.mode, group: socket.group } }
        : { state: 'down' },
    // A master and its workers all run the same command line: one of them is the master.
    uwsgi: uwsgi > 0 ? { state: 'alive', detail: String(Math.max(uwsgi - 1, 1)) } : { state: 'down' },
    // 5xx: nginx answers but what is behind it does not (502: the socket, 504: uWSGI too slow). Any
    // other page is not the app's (nginx's "Welcome" of another site): the app is not there yet.
    app: answers.app.ok
      ? { state: 'alive', detail: httpStatus === undefined ? undefined : String(httpStatus) }
      : httpStatus !== undefined && httpStatus >= 500
        ? { state: 'trouble', detail: String(httpStatus) }
        : { state: 'down' },
  };
}

/**
 * The moments the stack is asked: the start, each new step, a server serving, a failure to look
 * into, and a step just done whose quiz now holds the screen (the service's uWSGI is up by then).
 */
export function asksStack(previous: WizardState, state: WizardState, event: WizardEvent): boolean {
  if (event.type === 'output') return false;
  if (state.stepIndex !== previous.stepIndex) return true;
  if (state.phase.kind === previous.phase.kind) return false;
  return ['serving', 'check-failed', 'action-failed', 'quiz', 'finished'].includes(state.phase.kind);
}

interface SessionLike {
  getState(): WizardState;
  subscribe(listener: (state: WizardState, event: WizardEvent) => void): () => void;
}

/** Keeps the latest stack status of a run; the screen and the plain output subscribe to it. */
export class StackMonitor {
  private status: StackStatus = UNKNOWN_STACK;
  private readonly listeners = new Set<() => void>();
  private readonly probes: Record<StackPartId, Probe>;
  private asking: Promise<void> = Promise.resolve();
  private rounds = 0;
  private shownRound = 0;

  constructor(
    plan: Plan,
    private readonly system: System,
  ) {
    this.probes = stackProbes(plan);
  }

  getState = (): StackStatus => this.status;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Ask now, then at each moment `asksStack` names. Returns the unsubscribe. */
  follow(session: SessionLike): () => void {
    let previous = session.getState();
    void this.ask();
    return session.subscribe((state, event) => {
      if (asksStack(previous, state, event)) void this.ask();
      previous = state;
    });
  }

  /**
   * One round of the four probes, asked at once: at the very moment named (a recording notes each
   * answer at the point of the run it was asked, and its replay asks at the same point). A round
   * answered after a later one is not shown.
   */
  ask(): Promise<void> {
    const round = ++this.rounds;
    const answers = Promise.all(
      STACK_PARTS.map((part) =>
        this.system
          .probe(this.probes[part])
          .catch((error: Error): ProbeAnswer => ({ ok: false, observed: { kind: 'error', message: error.message } })),
      ),
    ).then((found) => {
      if (round < this.shownRound) return;
      this.shownRound = round;
      const next = readStack(
        Object.fromEntries(STACK_PARTS.map((part, i) => [part, found[i]!])) as Record<StackPartId, ProbeAnswer>,
      );
      if (JSON.stringify(next) === JSON.stringify(this.status)) return;
      this.status = next;
      for (const listener of this.listeners) listener();
    });
    this.asking = Promise.all([this.asking, answers]).then(() => undefined);
    return answers;
  }

  /** Resolves when the rounds asked so far are answered. */
  settled(): Promise<void> {
    return this.asking;
  }
}
