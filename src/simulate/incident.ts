// The failure a class diagnoses in the simulation: nginx answers 502 Bad Gateway because the
// uWSGI socket has the wrong group, so nginx (www-data) may not write to it — what happens when
// uWSGI is started by hand without the web server's group (pitfalls #12's cousin). The recorded
// run breaks it on purpose after the service step, lets the nginx step's page check fail for
// real, then fixes it the way the check's "try this" leads to and asks again.
import { appPaths, shellLine, text, withPrivilege } from '../engine/commands.js';
import type { PlanContext, StepId, Text } from '../engine/types.js';

export interface IncidentPlan {
  id: string;
  /** Broken after this step's checks passed. */
  afterStep: StepId;
  /** Seen as this check of this step failing. */
  step: StepId;
  checkId: string;
  breakCommand: string;
  fixCommand: string;
}

export function socketGroupIncident(ctx: PlanContext): IncidentPlan {
  const { socket } = appPaths(ctx);
  return {
    id: 'socket-group',
    afterStep: 'service',
    step: 'nginx',
    checkId: 'page-through-nginx',
    breakCommand: withPrivilege(ctx, 'root', shellLine('chgrp', ctx.userGroup, socket)),
    fixCommand: withPrivilege(ctx, 'root', shellLine('chgrp', ctx.answers.webGroup, socket)),
  };
}

/**
 * What the simulation tells the class at the failed check: what was broken, the evidence, the fix, and what to press.
 */
export function incidentStory(ctx: PlanContext, fixCommand: string): { cause: Text; fix: Text; next: Text } {
  const { socket } = appPaths(ctx);
  const { webGroup, user } = ctx.answers;
  return {
    cause: text(
      `In the recorded run the socket ${socket} was given the group ${ctx.userGroup} on purpose, as happens when uWSGI is started by hand as ${user} without the ${webGroup} group. nginx runs as ${webGroup}: it may read the socket but not write to it, so it cannot hand on the request and answers 502 Bad Gateway. Its error log said:`,
      `記録した実行では、ソケット ${socket} のグループをわざと ${ctx.userGroup} にしました。uWSGI を ${user} として ${webGroup} グループなしで手で起動すると、こうなります。nginx は ${webGroup} として動くので、ソケットを読めても書き込めず、リクエストを渡せないまま 502 Bad Gateway を返します。エラーログにはこう出ていました:`,
    ),
    fix: text(
      `It was fixed by giving the socket back to ${webGroup}:  $ ${fixCommand}`,
      `ソケットのグループを ${webGroup} に戻して直しました:  $ ${fixCommand}`,
    ),
    next: text(
      'Press [r] to check again, as it was after the fix (or [d] to do the step again).',
      '[r] で、直した後の状態をもう一度確認します ([d] でステップをやり直すこともできます)。',
    ),
  };
}
