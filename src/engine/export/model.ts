// Issue 19: the plan the wizard runs, as the list of things an export does, each with what makes
// it safe to do again (its guard). Built from the planned steps' own actions, effects and checks:
// the exports never hold a second copy of the steps. Pure: the renderers (shell.ts, ansible.ts,
// cloud-init.ts) turn it into text.
import { buildPlan } from '../plan.js';
import type { Check, CommandAction, FileAction, Plan, PlanContext, StepDefinition, StepId } from '../types.js';

/**
 * When a command need not run again:
 * - `exists`: what it creates is there (its `creates` effect);
 * - `link`: the link it makes is there;
 * - `running`: what it starts runs (a uWSGI pidfile's process, a systemd unit, an Upstart job);
 * - `checks`: the step's own checks pass (shell tests, all of them);
 * - `step-changed`: it only makes the step's changes take effect (nginx -t and the reload,
 *   systemd's daemon-reload): run when something before it in the step changed.
 */
export type Guard =
  | { kind: 'exists'; path: string }
  | { kind: 'link'; path: string; target?: string }
  | { kind: 'running'; what: NonNullable<CommandAction['effects']>[number] & { kind: 'starts' } }
  | { kind: 'checks'; tests: string[] }
  | { kind: 'step-changed' };

export interface ExportCommand {
  kind: 'command';
  step: StepId;
  action: CommandAction;
  guard: Guard;
}

export interface ExportFile {
  kind: 'file';
  step: StepId;
  action: FileAction;
}

export type ExportItem = ExportCommand | ExportFile;

/** Names no answer can be mistaken for, planned in place of the answers to find where each one goes. */
export const PLACEHOLDERS = {
  appName: 'xxappnamexx',
  user: 'xxappuserxx',
  userGroup: 'xxappgroupxx',
  appDir: '/xxappdirxx',
  webGroup: 'xxwebgroupxx',
  serverName: 'xxservernamexx',
  processes: 7919,
  testPort: 7927,
} as const;

export type VariableName = keyof typeof PLACEHOLDERS;
export const VARIABLE_NAMES = Object.keys(PLACEHOLDERS) as VariableName[];

/** What an export is made of: the answers' values, and the items with placeholders where the answers go. */
export interface ExportModel {
  plan: Plan;
  values: Record<VariableName, string>;
  items: ExportItem[];
  /** The apt packages the plan installs (its packages step's check). */
  packages: string[];
}

/** The plan for these answers, and the same plan with placeholders: they must agree once the values are put back. */
export function exportModel(curriculum: readonly StepDefinition[], ctx: PlanContext): ExportModel {
  const plan = buildPlan(curriculum, ctx);
  const values: Record<VariableName, string> = {
    appName: ctx.answers.appName,
    user: ctx.answers.user,
    userGroup: ctx.userGroup,
    appDir: ctx.answers.appDir,
    webGroup: ctx.answers.webGroup,
    serverName: ctx.answers.serverName,
    processes: String(ctx.answers.processes),
    testPort: String(ctx.answers.testPort),
  };
  const { userGroup, ...answers } = PLACEHOLDERS;
  const placeheld = buildPlan(curriculum, {
    ...ctx,
    userGroup,
    answers: { ...ctx.answers, ...answers },
  });
  const concrete = JSON.stringify(plan.steps.map((step) => step.actions));
  if (fillIn(JSON.stringify(placeheld.steps.map((step) => step.actions)), values) !== concrete)
    throw new Error('export: the plan does not follow the answers alone; its placeholders cannot stand for them');
  const items = placeheld.steps.flatMap((step) => {
    const tests = step.checks.map(shellTest);
    const checks: Guard | undefined =
      step.probeBeforeRun && tests.length > 0 && tests.every((test) => test !== undefined)
        ? { kind: 'checks', tests: tests as string[] }
        : undefined;
    return step.actions
      .filter((action) => action.kind === 'file' || !action.whileRunning)
      .map((action): ExportItem => {
        if (action.kind === 'file') return { kind: 'file', step: step.id, action };
        return { kind: 'command', step: step.id, action, guard: guardOf(action, checks) };
      });
  });
  const packages = placeheld.steps.flatMap((step) =>
    step.checks.flatMap((check) => (check.probe.kind === 'packages' ? check.probe.names : [])),
  );
  return { plan, values, items, packages };
}

/** Put each answer's value where its placeholder is. */
export function fillIn(text: string, values: Record<VariableName, string>): string {
  return replacePlaceholders(text, (name) => values[name]);
}

/** Replace each placeholder by what `by` makes of its name. */
export function replacePlaceholders(text: string, by: (name: VariableName) => string): string {
  let out = text;
  for (const name of VARIABLE_NAMES) out = out.split(String(PLACEHOLDERS[name])).join(by(name));
  return out;
}

function guardOf(action: CommandAction, checks: Guard | undefined): Guard {
  // What it starts tells best whether it is done (a uWSGI's log file stays when uWSGI has stopped).
  const effects = action.effects ?? [];
  const starts = effects.find((effect) => effect.kind === 'starts');
  if (starts) return { kind: 'running', what: starts };
  const link = effects.find((effect) => effect.kind === 'links');
  if (link) {
    const target = /^ln -sfn (\S+) (\S+)$/.exec(action.for?.line ?? action.command)?.[1];
    return { kind: 'link', path: link.path, ...(target ? { target } : {}) };
  }
  const creates = effects.find((effect) => effect.kind === 'creates');
  if (creates) return { kind: 'exists', path: creates.path };
  return checks ?? { kind: 'step-changed' };
}

/**
 * A check as a shell test that succeeds when it passes, where the wizard's probe can be said in
 * one line: installed packages, a command (its output matched as an extended regex where the
 * pattern is one), a path that exists. Others (processes, sockets, pages) have none.
 */
function shellTest(check: Check): string | undefined {
  const { probe } = check;
  switch (probe.kind) {
    case 'packages':
      return `[ "$(dpkg-query -W -f='\${db:Status-Status}\\n' ${probe.names.join(' ')} 2>/dev/null | grep -cx installed)" = ${probe.names.length} ]`;
    case 'command': {
      const run = probe.cwd ? `(cd ${probe.cwd} && ${probe.command})` : probe.command;
      const pattern = probe.expectOutput === undefined ? undefined : extendedRegex(probe.expectOutput);
      return pattern === undefined ? `${run} >/dev/null 2>&1` : `${run} 2>/dev/null | grep -qE '${pattern}'`;
    }
    case 'file':
      return probe.content === undefined && probe.owner === undefined && probe.mode === undefined
        ? `[ -e ${probe.path} ]`
        : undefined;
    default:
      return undefined;
  }
}

/** A JavaScript pattern as grep -E takes it, where it means the same; else undefined (the exit code alone is asked). */
function extendedRegex(pattern: string): string | undefined {
  if (/\(\?|\\n|'/.test(pattern)) return undefined;
  return pattern.replace(/\\d/g, '[0-9]').replace(/\\s/g, '[[:space:]]').replace(/\\S/g, '[^[:space:]]');
}
