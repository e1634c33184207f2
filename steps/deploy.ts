// `uwsgi-nginx-guide deploy` (issue 17): a person's own project, already served, brought up to date
// after they changed it. Two steps of the guide's shape, run by the same session, journal and checks:
// the new code is copied beside the running one and proven to import (a failure leaves the old code
// serving, Python's error shown); then it takes the running code's place, Django migrates and
// collects, and uWSGI reloads gracefully (touch-reload), the socket open all through.
import { appPaths, command, shellLine, text } from '../src/engine/commands.js';
import { ownAppPaths } from '../src/engine/own-app/paths.js';
import { pageThroughNginx, uwsgiServingApp } from '../src/engine/stack-probes.js';
import type { Action, Check, PlanContext, Text } from '../src/engine/types.js';
import { copyCodeLine, ownApp, pipedCommand } from './app-code.js';
import { djangoSettingsPath, djangoSettingsSource, manageCommand } from './app-django.js';
import { importCheck } from './app-import.js';
import { installRequirements } from './app-packages.js';
import { fillStatics, hasStatics, staticThroughNginx } from './app-static.js';
import { pageAnswers } from './nginx.js';
import { defineStep } from './step.js';

/** Below the code directory `codeDir`, where uWSGI changes into. */
function chdirIn(ctx: PlanContext, codeDir: string): string {
  const { chdir } = ownApp(ctx);
  return chdir === '' ? codeDir : `${codeDir}/${chdir}`;
}

/** Commands joined by && in one shell: the account the line is run as runs all of them, not only the first. */
function asOneCommand(...lines: string[]): string {
  return shellLine('sh', '-c', lines.join(' && '));
}

/** `incoming` into the place of `current`, which moves `aside` (what was there before removed): one shell line. */
function putInPlace(current: string, { aside, incoming }: { aside: string; incoming: string }): string {
  return asOneCommand(
    shellLine('rm', '-rf', aside),
    shellLine('mv', current, aside),
    shellLine('mv', incoming, current),
  );
}

export const deployCode = defineStep({
  id: 'deploy-code',
  section: 9,
  title: text(
    'Deploy: copy your new code and prove it imports',
    'deploy: 新しいコードをコピーしてインポートを確かめる',
  ),
  plan(ctx) {
    const app = ownApp(ctx);
    const o = ownAppPaths(ctx, app);
    const { user } = ctx.answers;
    const actions: Action[] = [
      command(ctx, {
        id: 'deploy-mkdir-new',
        runAs: 'service-user',
        // A half copy left by an earlier deploy that failed is replaced, never mixed in.
        line: asOneCommand(shellLine('rm', '-rf', o.codeNew), shellLine('mkdir', o.codeNew)),
        effects: [{ kind: 'creates', path: o.codeNew, made: 'tree', runAs: 'service-user' }],
        explain: text(
          `Make ${o.codeNew} for the new code, beside ${o.code}, which keeps serving meanwhile.`,
          `新しいコードを置く ${o.codeNew} を ${o.code} の隣に作ります。その間も ${o.code} が提供を続けます。`,
        ),
      }),
      pipedCommand({
        id: 'deploy-copy',
        command: copyCodeLine(ctx, o.codeNew),
        explain: text(
          `Copy your project from ${o.source} as it is now, written by ${user}.`,
          `今の ${o.source} のプロジェクトをコピーします。書くのは ${user} です。`,
        ),
      }),
    ];
    if (app.shim)
      actions.push({
        kind: 'file',
        id: 'deploy-write-shim',
        path: `${chdirIn(ctx, o.codeNew)}/${app.shim.path}`,
        content: app.shim.content,
        owner: user,
        group: ctx.userGroup,
        mode: 0o644,
        explain: text(
          'The wsgi.py that calls your factory, again.',
          'ファクトリーを呼ぶ wsgi.py を、もう一度書きます。',
        ),
      });
    if (app.django)
      actions.push({
        kind: 'file',
        id: 'deploy-write-django-settings',
        path: djangoSettingsPath(ctx, chdirIn(ctx, o.codeNew)),
        content: djangoSettingsSource(ctx),
        owner: user,
        group: ctx.userGroup,
        mode: 0o644,
        explain: text(
          "The wizard's settings beside yours, again.",
          'あなたの設定の隣に、ウィザードの設定をもう一度書きます。',
        ),
      });
    if (app.requirements)
      actions.push(
        installRequirements(
          ctx,
          o.codeNew,
          'deploy-pip-install',
          text(
            `Install what the new requirements add or change, as ${user} (what is already there is kept).`,
            `新しい requirements で増えたものや変わったものを ${user} として入れます (入っているものはそのままです)。`,
          ),
        ),
      );
    actions.push(
      command(ctx, {
        id: 'deploy-compile',
        runAs: 'service-user',
        line: shellLine(appPaths(ctx).python, '-m', 'compileall', '-q', o.codeNew),
        timeoutSec: 300,
        explain: text(
          'Compile the new code: a syntax error is named with its file and line.',
          '新しいコードをコンパイルします。文法の誤りがあれば、そのファイルと行を示します。',
        ),
      }),
    );
    return {
      explain: text(
        [
          `Your site keeps running from ${o.code} while the new code is copied to ${o.codeNew}, its`,
          'packages installed, and its import proven exactly as uWSGI will do it. If it does not',
          "import, the deploy stops here with Python's error: nothing served has changed.",
        ].join('\n'),
        [
          `新しいコードを ${o.codeNew} にコピーし、パッケージを入れ、uWSGI と同じやり方でインポートを確かめる間も、`,
          `サイトは ${o.code} から動き続けます。インポートできなければ deploy はここで止まり、Python の`,
          'エラーを示します。提供中のものは何も変わっていません。',
        ].join('\n'),
      ),
      notes: [],
      actions,
      checks: [importCheck(ctx, chdirIn(ctx, o.codeNew), 'new-code-imports')],
      probeBeforeRun: false,
    };
  },
});

/** The command that prints the pid of uWSGI's master: the pidfile's, or the systemd unit's MainPID (none for Upstart). */
function masterPid(ctx: PlanContext): string | undefined {
  const manager = ctx.platform.serviceManager;
  if (manager === 'upstart') return undefined;
  return manager === 'systemd'
    ? shellLine('systemctl', 'show', '-p', 'MainPID', '--value', ctx.answers.appName)
    : shellLine('cat', appPaths(ctx).pidFile);
}

/**
 * Wait until uWSGI's master has changed into the new code (until its reload it runs in what is now code.previous):
 * the checks after it then ask the new code. As root: /proc/PID/cwd of a process of the web group is not the user's.
 */
function waitForReload(ctx: PlanContext, id: string): Action[] {
  const master = masterPid(ctx);
  if (master === undefined) return [];
  const { chdir } = ownAppPaths(ctx, ownApp(ctx));
  const script = `until [ "$(readlink /proc/$(${master})/cwd)" = ${shellLine(chdir)} ]; do sleep 0.2; done`;
  return [
    command(ctx, {
      id,
      runAs: 'root',
      line: shellLine('timeout', '60', 'sh', '-c', script),
      explain: text(
        `Wait until uWSGI's master runs in ${chdir} again: the reload is done and the new code is imported (at most a minute; uWSGI's log says why when it does not come).`,
        `uWSGI のマスターがまた ${chdir} で動くまで待ちます。そうなれば再読み込みが終わり、新しいコードがインポートされています (最大 1 分。来なければ uWSGI のログに理由があります)。`,
      ),
    }),
  ];
}

/** The checks that the app serves after a reload: uWSGI's master and workers, the page, a static file through nginx. */
function servingAgain(ctx: PlanContext, tryThis: { uwsgi: Text; page: Text }): Check[] {
  const { processes } = ctx.answers;
  const manager = ctx.platform.serviceManager;
  return [
    {
      id: 'deploy-uwsgi-serving',
      title: text(
        `uWSGI serves again: 1 master + ${processes} workers`,
        `uWSGI がまた提供している: マスター 1 + ワーカー ${processes}`,
      ),
      probe: uwsgiServingApp(ctx, {
        kind: 'service',
        processes: processes + 1,
        by: manager === 'systemd' ? 'systemd' : manager === 'none' ? 'pidfile' : 'any',
      }),
      settleSec: 30,
      tryThis: tryThis.uwsgi,
    },
    { id: 'deploy-page', title: pageAnswers(ctx), probe: pageThroughNginx(ctx), settleSec: 30, tryThis: tryThis.page },
    ...(hasStatics(ctx) ? [staticThroughNginx(ctx)] : []),
  ];
}

export const deployReload = defineStep({
  id: 'deploy-reload',
  section: 9,
  title: text(
    'Deploy: switch to the new code and reload uWSGI',
    'deploy: 新しいコードに切り替えて uWSGI を再読み込みする',
  ),
  plan(ctx) {
    const app = ownApp(ctx);
    const o = ownAppPaths(ctx, app);
    const p = appPaths(ctx);
    const { user } = ctx.answers;
    const swap = putInPlace(o.code, { aside: o.codePrevious, incoming: o.codeNew });
    const actions: Action[] = [
      command(ctx, {
        id: 'deploy-switch',
        runAs: 'service-user',
        line: swap,
        effects: [
          { kind: 'creates', path: o.codePrevious, made: 'tree', runAs: 'service-user' },
          // A doctor's fix in the running code kept its backup there: it goes with the code into code.previous.
          { kind: 'moves', trees: [o.code, o.codeNew] },
        ],
        explain: text(
          `Put the new code in place: the running one becomes ${o.codePrevious} (kept to go back to), ${o.codeNew} becomes ${o.code}. The workers keep serving the old code until the reload.`,
          `新しいコードを所定の場所に置きます。動いているものは ${o.codePrevious} に (戻れるように残します)、${o.codeNew} は ${o.code} になります。ワーカーは再読み込みまで古いコードで提供を続けます。`,
        ),
      }),
    ];
    if (app.django)
      actions.push(
        manageCommand(ctx, o.chdir, {
          id: 'deploy-migrate',
          args: ['migrate', '--noinput'],
          explain: text(
            `Apply the new code's migrations to the database, as ${user}.`,
            `新しいコードのマイグレーションを ${user} としてデータベースに適用します。`,
          ),
        }),
      );
    if (hasStatics(ctx)) actions.push(fillStatics(ctx, o.code, 'deploy-static'));
    actions.push(
      command(ctx, {
        id: 'deploy-touch-reload',
        runAs: 'service-user',
        line: shellLine('touch', p.ini),
        explain: text(
          `Touch ${p.ini}: its touch-reload line makes uWSGI reload gracefully. Each worker finishes its request, the new code is imported, and the socket stays open, so requests wait for a moment instead of failing.`,
          `${p.ini} に touch します。ini の touch-reload の行により、uWSGI が穏やかに再読み込みします。各ワーカーは処理中のリクエストを終え、新しいコードをインポートし、ソケットは開いたままなので、リクエストは失敗せず少し待つだけです。`,
        ),
      }),
      ...waitForReload(ctx, 'deploy-wait-reload'),
    );
    return {
      explain: text(
        [
          `The proven code takes the place of the running one, and uWSGI reloads: no restart, no`,
          `request refused. The old code stays in ${o.codePrevious}: to go back, move it into place`,
          `again and touch ${p.ini}.`,
        ].join('\n'),
        [
          '確かめたコードが動いているものと入れ替わり、uWSGI が再読み込みします。再起動はせず、',
          `リクエストを断ることもありません。古いコードは ${o.codePrevious} に残ります。戻すときは、それを元の`,
          `場所に移して ${p.ini} に touch します。`,
        ].join('\n'),
      ),
      notes: [],
      actions,
      checks: servingAgain(ctx, {
        uwsgi: text(
          "uWSGI's log says why the reload failed. Unless a retry serves, deploy then puts the previous code back by itself.",
          '再読み込みに失敗した理由は uWSGI のログにあります。やり直しても提供できなければ、deploy はその後で前のコードを自分で元に戻します。',
        ),
        page: text(
          "The new code imports but does not answer: its error is in uWSGI's log. Unless a retry serves, deploy then puts the previous code back by itself.",
          '新しいコードはインポートできても答えません。エラーは uWSGI のログにあります。やり直しても提供できなければ、deploy はその後で前のコードを自分で元に戻します。',
        ),
      }),
      probeBeforeRun: false,
    };
  },
});

/**
 * Run by `deploy` only when the new code took the running one's place and then did not serve (deploy-reload failed):
 * the previous code put back, its static files again, and uWSGI reloaded into it.
 */
export const deployRollBack = defineStep({
  id: 'deploy-roll-back',
  section: 9,
  title: text(
    'Deploy: the new code did not serve: put the previous code back and reload',
    'deploy: 新しいコードが提供できなかったので、前のコードに戻して再読み込みする',
  ),
  plan(ctx) {
    const app = ownApp(ctx);
    const o = ownAppPaths(ctx, app);
    const p = appPaths(ctx);
    const actions: Action[] = [
      command(ctx, {
        id: 'roll-back-put-back',
        runAs: 'service-user',
        line: putInPlace(o.code, { aside: o.codeNew, incoming: o.codePrevious }),
        explain: text(
          `Put the previous code back: the new code goes to ${o.codeNew} (kept for you to look at; the next deploy replaces it), ${o.codePrevious} becomes ${o.code} again.`,
          `前のコードを元に戻します。新しいコードは ${o.codeNew} に移し (確かめられるように残します。次の deploy で置き換わります)、${o.codePrevious} をまた ${o.code} にします。`,
        ),
      }),
    ];
    if (hasStatics(ctx)) actions.push(fillStatics(ctx, o.code, 'roll-back-static'));
    actions.push(
      command(ctx, {
        id: 'roll-back-touch-reload',
        runAs: 'service-user',
        line: shellLine('touch', p.ini),
        explain: text(
          `Touch ${p.ini} again: uWSGI reloads gracefully into the previous code.`,
          `もう一度 ${p.ini} に touch します。uWSGI は前のコードへ穏やかに再読み込みします。`,
        ),
      }),
      ...waitForReload(ctx, 'roll-back-wait-reload'),
    );
    return {
      explain: text(
        [
          'The new code took the place of the running one but did not serve after the reload (the',
          'check above says how). Your site is not left so: the code that served before the deploy is',
          'put back and uWSGI reloads into it.',
          ...(app.django
            ? ['Migrations the new code applied stay in the database: undo them with manage.py if needed.']
            : []),
        ].join('\n'),
        [
          '新しいコードは動いていたものと入れ替わりましたが、再読み込みの後で提供できませんでした (どうだったかは',
          '上のチェックにあります)。サイトをこのままにはしません。deploy の前に提供していたコードを元に戻し、',
          'uWSGI をそれに再読み込みさせます。',
          ...(app.django
            ? ['新しいコードが適用したマイグレーションはデータベースに残ります。必要なら manage.py で戻してください。']
            : []),
        ].join('\n'),
      ),
      notes: [],
      actions,
      checks: servingAgain(ctx, {
        uwsgi: text(
          "The previous code does not serve either: uWSGI's log says why.",
          '前のコードでも提供できません。理由は uWSGI のログにあります。',
        ),
        page: text(
          "The previous code does not answer either: its error is in uWSGI's log.",
          '前のコードでも答えません。エラーは uWSGI のログにあります。',
        ),
      }),
      probeBeforeRun: false,
    };
  },
});

/** What `deploy` runs, in order. */
export const deploySteps = [deployCode, deployReload] as const;
