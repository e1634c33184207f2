// A step that starts uWSGI must not start a second one beside a uWSGI already serving the app
// (started by hand, following the guide, before the wizard ran). Its pitfall check finds it
// (a `uwsgi` probe, see Check.takeOver); the person then chooses: stop it and let the step start
// its own (the default, and what --yes does), or keep it and skip starting another. Pure: the
// stop command is made here from what the probe saw, and run by the session.
import type { Observation, System } from './ports.js';
import { shellLine } from './commands.js';
import type { Check, CheckResult, CommandAction, Plan, StepId, UwsgiInstance } from './types.js';

/** A uWSGI the person chose to keep: the service of that step is not what runs. */
export interface KeptRunning {
  step: StepId;
  checkId: string;
  found: UwsgiInstance[];
}

/** The uWSGI a take-over check found running outside a service (what would be stopped). */
export function foundByHand(observed: Observation): UwsgiInstance[] {
  return observed.kind === 'uwsgi' ? observed.found.filter((instance) => instance.startedBy === 'by-hand') : [];
}

/** The failed pitfall checks of a step that offer to take over what they found, not yet offered. */
export function takeOverOffers(checks: Check[], results: CheckResult[], offered: readonly string[]): number[] {
  return checks.flatMap((check, i) => {
    const result = results.find((r) => r.checkId === check.id);
    return check.takeOver && result && !result.ok && !offered.includes(check.id) && foundByHand(result.observed).length
      ? [i]
      : [];
  });
}

/**
 * Stop each uWSGI found and wait until every process of it has ended; the time limit ends the wait.
 * SIGINT, as `uwsgi --stop` sends: a master stops its workers and, with vacuum, removes its socket.
 * Its other processes get it too: a uWSGI without a master (`uwsgi --http :8080` in a terminal)
 * leaves its HTTP router behind otherwise.
 */
export function stopCommand(check: Check, found: UwsgiInstance[]): CommandAction {
  const pids = found.flatMap((instance) => [instance.pid, ...instance.others]).map(String);
  const alive = pids.map((pid) => `kill -0 ${pid} 2>/dev/null`).join(' || ');
  // A worker may end before its signal reaches it: kill's complaint about it is not a failure. What
  // still runs after 10 s is killed: nothing of it may be left holding the socket or the port.
  const script = [
    `kill -INT ${pids.join(' ')} 2>/dev/null`,
    `for i in $(seq 50); do ${alive} || exit 0; sleep 0.2; done`,
    `kill -KILL ${pids.join(' ')} 2>/dev/null`,
    'sleep 0.5',
    `! { ${alive}; }`,
  ].join('; ');
  const line = shellLine('sh', '-c', script);
  return {
    kind: 'command',
    id: `stop-${check.id}`,
    command: check.takeOver?.stopAs === 'sudo' ? `sudo ${line}` : line,
    explain: {
      en: 'Stop the uWSGI found, and wait until it has ended.',
      ja: '見つかった uWSGI を止め、終わるまで待ちます。',
    },
    timeoutSec: 30,
  };
}

/**
 * Every uWSGI found serving the app outside its service, asked by the plan's take-over checks (for
 * `status` and `undo`): with the check that found it, which knows how to stop it.
 */
export async function uwsgiRunningByHand(
  plan: Plan,
  system: System,
): Promise<{ check: Check; found: UwsgiInstance[] }> {
  const checks = plan.steps.flatMap((step) => (step.preflight ?? []).filter((check) => check.takeOver));
  const answers = await Promise.all(checks.map((check) => system.probe(check.probe).catch(() => undefined)));
  const found = new Map<number, UwsgiInstance>();
  for (const answer of answers)
    for (const instance of answer ? foundByHand(answer.observed) : []) found.set(instance.pid, instance);
  // The service's check first: it looks for the app in every way the test run's does and more.
  return { check: checks.at(-1)!, found: [...found.values()] };
}
