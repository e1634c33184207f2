// What the steps' pitfalls share. A pitfall of ../shared/notes/pitfalls.md depends on the machine
// rather than the plan: a read-only probe, kept in the module of the step it would break (its
// `pitfalls`) and asked before that step's first action (PlannedStep.preflight). A failed one is
// shown as a warning with what will be done about it; it never stops the run. The numbers are
// the notes' own.
import { shellLine, text, withPrivilege } from '../src/engine/commands.js';
import { uwsgiOnTestPort, uwsgiServingApp } from '../src/engine/stack-probes.js';
import type { Check, PlanContext, Text } from '../src/engine/types.js';
import type { Pitfall } from './step.js';

/** Passes when `line` prints nothing; what it prints is what the person is shown. */
export function printsNothing(line: string): string {
  return `! ${line} | grep .`;
}

/** Who listens on a TCP port, with the process's name (ss -p needs root to name others' processes). */
export function listeners(ctx: PlanContext, port: number): string {
  // tail skips ss's header: -H is missing from older iproute2 (Ubuntu 14.04).
  return `${withPrivilege(ctx, 'root', shellLine('ss', '-ltnp', `sport = :${port}`))} 2>/dev/null | tail -n +2`;
}

/** #19: ufw active, and what a browser elsewhere then cannot reach; asked before the test run and before nginx. */
export function ufwActive(before: string, consequence: (ctx: PlanContext) => Text): Pitfall {
  return {
    check: (ctx) => {
      const what = consequence(ctx);
      return {
        id: `ufw-before-${before}`,
        title: text('the firewall (ufw) is not active', 'ファイアウォール (ufw) が有効になっていない'),
        probe: {
          kind: 'command',
          command: `! ${withPrivilege(ctx, 'root', 'ufw status')} 2>/dev/null | grep -i 'Status: active'`,
        },
        found: text('the firewall (ufw) is active.', 'ファイアウォール (ufw) が有効です。'),
        tryThis: text(
          `DigitalOcean's images let only SSH in: ${what.en} The wizard's own checks ask from 127.0.0.1, so they pass either way.`,
          `DigitalOcean のイメージは SSH しか通しません。${what.ja}ウィザード自身の確認は 127.0.0.1 から行うので、どちらでも通ります。`,
        ),
      };
    },
  };
}

/**
 * A uWSGI found serving the app outside its service, before a step starts one: offered to be
 * stopped (the default) or kept, and then the step starts none (`start-service`, the test server).
 */
export function uwsgiByHand(ctx: PlanContext, before: 'service' | 'test-run'): Check {
  const serviceStarts = before === 'service';
  return {
    id: `uwsgi-by-hand-before-${before}`,
    title: serviceStarts
      ? text(
          'no uWSGI serves the app yet (other than its service)',
          'アプリを提供している uWSGI はまだない (サービス以外に)',
        )
      : text(
          `no uWSGI holds port ${ctx.answers.testPort} yet`,
          `ポート ${ctx.answers.testPort} を使っている uWSGI はまだない`,
        ),
    probe: serviceStarts ? uwsgiServingApp(ctx, { kind: 'by-hand-none' }) : uwsgiOnTestPort(ctx),
    // {output}: each uWSGI found running by hand (pid, how started, since when, what it serves).
    found: serviceStarts
      ? text(
          'a uWSGI started by hand already serves the app: {output}.',
          '手で起動した uWSGI がすでにアプリを提供しています: {output}。',
        )
      : text(
          `a uWSGI left running holds port ${ctx.answers.testPort}: {output}.`,
          `動いたままの uWSGI がポート ${ctx.answers.testPort} を使っています: {output}。`,
        ),
    tryThis: serviceStarts
      ? text(
          'The service would start a second master beside it. Stop it and let the service take over (Enter, the default), or keep it (k): then no second uWSGI is started, and the service is not what runs.',
          'このままではサービスがその横に二つ目のマスターを起動します。止めてサービスに任せるか (Enter、既定)、そのまま残すか (k) を選んでください。残すと二つ目は起動しませんが、動いているのはサービスではありません。',
        )
      : text(
          `The test run would stop with "Address already in use". Stop it (Enter, the default), or keep it (k): then the test run is skipped.`,
          `このままでは試運転が "Address already in use" で止まります。止めるか (Enter、既定)、そのまま残すか (k) を選んでください。残すと試運転は飛ばします。`,
        ),
    takeOver: {
      skipWhenKept: serviceStarts ? ['start-service'] : ['uwsgi-http-test'],
      stopAs: ctx.privilege.isRoot ? '' : 'sudo',
    },
  };
}
