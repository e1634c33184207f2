// Hands-on mode (`--hands-on`, issue 7): the student types each step in their own shell while the
// wizard watches the step's checks. For every step with actions and words for hint 1 (its module's
// `whatToDo`) this file derives the rest of what the student is shown, the same way for all steps:
// each action as a person types it (which account, which directory), hint 2 (the exact lines,
// paste-ready) and the step's own wrong moves. Hint 3, "do it for me", is the step's actions, run
// by the wizard.
import { shellArg, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import type { Action, HandsOn, PlanContext, RunAs, Text, TypedAction } from '../src/engine/types.js';
import type { StepModule } from './step.js';

/** The opening of hint 1 for a step typed in the service user's shell: how to get there. */
export function asServiceUser(ctx: PlanContext): Text {
  const { user } = ctx.answers;
  return text(
    `In your other terminal, become ${user} (\`sudo -iu ${user}\`)`,
    `もう一つの端末で ${user} になり (\`sudo -iu ${user}\`)`,
  );
}

function accountOf(ctx: PlanContext, runAs: RunAs): string {
  if (runAs === 'root') return 'root';
  return runAs === 'web-user' ? ctx.answers.webGroup : ctx.answers.user;
}

/** What a student types for one action: a command in the right account and directory, or a file to write. */
function typed(ctx: PlanContext, action: Action): TypedAction {
  if (action.kind === 'file') return { as: action.owner, line: action.path };
  // command() (src/engine/commands.ts) keeps the account and the bare line; a system command is
  // typed whole, its sudo included, as the guide types it too.
  const { runAs, line } =
    action.for && action.for.runAs !== 'root' ? action.for : { runAs: 'root' as const, line: action.command };
  // A group switch (uWSGI with the web group) has no plain form in the service user's shell:
  // sudo gives both, typed from an account that may use it.
  if (runAs === 'service-user-web-group')
    return {
      as: 'root',
      cwd: action.cwd,
      line: `${shellLine('sudo', '-u', ctx.answers.user, '-g', ctx.answers.webGroup)} ${line}`,
    };
  return { as: accountOf(ctx, runAs), cwd: action.cwd, line };
}

/**
 * Hint 2: exactly what the wizard would run, as one paste-ready line per action from a shell of
 * the account running the wizard: a command with its directory, a file through tee as its owner.
 */
function exactCommand(ctx: PlanContext, action: Action): string {
  if (action.kind === 'command') return action.cwd ? `cd ${shellArg(action.cwd)} && ${action.command}` : action.command;
  const runAs: RunAs = action.owner === 'root' ? 'root' : 'service-user';
  const write = withPrivilege(ctx, runAs, shellLine('tee', action.path));
  const chmod = withPrivilege(ctx, runAs, shellLine('chmod', action.mode.toString(8), action.path));
  return `${write} > /dev/null <<'EOF'\n${action.content.replace(/\n$/, '')}\nEOF\n${chmod}`;
}

/** What hands-on mode shows for a step: only for a step with actions and words for hint 1. */
export function handsOnFor(step: StepModule, actions: readonly Action[], ctx: PlanContext): HandsOn | undefined {
  if (!step.whatToDo || actions.length === 0) return undefined;
  return {
    typed: actions.map((action) => typed(ctx, action)),
    whatToDo: step.whatToDo(ctx),
    exactCommands: actions.map((action) => exactCommand(ctx, action)),
    exactAs: ctx.privilege.runningAs,
    wrongMoves: (step.wrongMoves ?? []).map((move) => move(ctx)),
    ...(step.explainByHand ? { explain: step.explainByHand(ctx) } : {}),
  };
}
