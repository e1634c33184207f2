// Guide section 7: start uWSGI as a service. The guide's Upstart job where Upstart exists, a
// systemd unit where systemd runs, and a daemonized uWSGI with a pidfile where no service
// manager runs at all (containers, WSL): pitfalls #1 and #2.
import { appPaths, command, shellArg, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import { ownAppPaths } from '../src/engine/own-app/paths.js';
import { appSocket, uwsgiServingApp } from '../src/engine/stack-probes.js';
import { uwsgiByHand } from './pitfalls.js';
import type { Action, Check, PlanContext, RunAs, Text } from '../src/engine/types.js';
import { defineStep, right, wrong } from './step.js';

export function upstartJobSource(ctx: PlanContext): string {
  const { appName, user, webGroup, appDir } = ctx.answers;
  return [
    `description "uWSGI instance to serve ${appName}"`,
    '',
    'start on runlevel [2345]',
    'stop on runlevel [!2345]',
    '',
    `setuid ${user}`,
    `setgid ${webGroup}`,
    '',
    'script',
    `    cd ${appDir}`,
    `    . ${appName}env/bin/activate`,
    `    ${withEnvPrefix(ctx)}uwsgi --ini ${appName}.ini`,
    'end script',
    '',
  ].join('\n');
}

export function systemdUnitSource(ctx: PlanContext): string {
  const { appName, user, webGroup, appDir } = ctx.answers;
  const p = appPaths(ctx);
  return [
    '[Unit]',
    `Description=uWSGI instance to serve ${appName}`,
    'After=network.target',
    '',
    '[Service]',
    `User=${user}`,
    `Group=${webGroup}`,
    `WorkingDirectory=${appDir}`,
    // systemd creates /run/APP for the socket, owned by User=, and removes it on stop.
    `RuntimeDirectory=${appName}`,
    // A person's own project: its settings and secrets, read by systemd as root before it becomes User=.
    ...(ctx.ownApp ? [`EnvironmentFile=${ownAppPaths(ctx, ctx.ownApp).envFile}`] : []),
    `ExecStart=${p.uwsgi} --ini ${p.ini}`,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/**
 * How to stop, start and read the logs of the service, and what a reboot does to it: shown in this
 * step and the conclusion (the VM suite runs these lines on booted machines, test/vm/).
 */
export function serviceManagement(ctx: PlanContext): { start: string; stop: string; logs: string; afterReboot: Text } {
  const { appName } = ctx.answers;
  const p = appPaths(ctx);
  switch (ctx.platform.serviceManager) {
    case 'upstart':
      return {
        start: `sudo start ${appName}`,
        stop: `sudo stop ${appName}`,
        logs: `sudo tail /var/log/upstart/${appName}.log`,
        afterReboot: text(
          'Upstart starts it again (the job says start on runlevel [2345]).',
          'Upstart がまた起動します (ジョブの start on runlevel [2345] のとおり)。',
        ),
      };
    case 'systemd':
      return {
        start: `sudo systemctl start ${appName}`,
        stop: `sudo systemctl stop ${appName}`,
        logs: `sudo journalctl -u ${appName}`,
        afterReboot: text(
          `systemd starts it again, as it is enabled (systemctl is-enabled ${appName} says so).`,
          `systemd がまた起動します。有効化してあるからです (systemctl is-enabled ${appName})。`,
        ),
      };
    case 'none':
      return {
        start: noInitStartCommands(ctx).join(' && '),
        stop: withPrivilege(ctx, 'service-user', shellLine(p.uwsgi, '--stop', p.pidFile)),
        logs: `tail ${p.uwsgiLog}`,
        afterReboot: text(
          'it does NOT start again by itself: no service manager runs here. Start it with the line above.',
          '自動では起動しません。ここではサービス管理の仕組みが動いていないためです。上の行で起動してください。',
        ),
      };
  }
}

/**
 * A person's own project: uWSGI started through the script that reads the environment file (steps/app-env.ts), so
 * that its values reach the app without ever being on a command line.
 */
function withEnvPrefix(ctx: PlanContext): string {
  return ctx.ownApp ? `${shellArg(ownAppPaths(ctx, ctx.ownApp).withEnv)} ` : '';
}

/** Without a service manager: make the /run directory, then start uWSGI as the job would. */
function noInitStart(ctx: PlanContext): [{ runAs: RunAs; line: string }, { runAs: RunAs; line: string }] {
  const { user, webGroup } = ctx.answers;
  const p = appPaths(ctx);
  return [
    { runAs: 'root', line: shellLine('install', '-d', '-o', user, '-g', webGroup, '-m', '0750', p.runDir) },
    {
      runAs: 'service-user-web-group',
      // --daemonize sets the umask to 0, which would leave the pidfile and the log writable by anyone (0666):
      // whoever could write the pidfile could make `uwsgi --stop` signal another process.
      line: `${withEnvPrefix(ctx)}${shellLine(p.uwsgi, '--ini', p.ini, '--daemonize', p.uwsgiLog, '--pidfile', p.pidFile, '--umask', '022')}`,
    },
  ];
}

/**
 * The start as a person types it again (after a reboot): from the app directory, where the ini's
 * `module = wsgi:application` is looked for (the wizard's own start runs there too); elsewhere
 * uWSGI would start without the app and answer every request with 500.
 */
function noInitStartCommands(ctx: PlanContext): string[] {
  const start = noInitStart(ctx).map(({ runAs, line }) => withPrivilege(ctx, runAs, line));
  return [shellLine('cd', appPaths(ctx).appDir), ...start];
}

export const service = defineStep({
  id: 'service',
  section: 7,
  title: text('Run uWSGI as a service', 'uWSGI をサービスとして動かす'),
  // nginx's part comes with the next step: uWSGI's own, from its socket to a request straight to it.
  doctor: { from: 'socket', to: 'uwsgi-request' },
  plan(ctx) {
    const { appName, user, webGroup, processes } = ctx.answers;
    const p = appPaths(ctx);
    const manager = ctx.platform.serviceManager;
    const actions: Action[] = [];
    const notes: Text[] = [];
    const checks: Check[] = [
      {
        id: 'service-processes',
        title: text(
          `uWSGI runs as the service: 1 master + ${processes} workers, and no other uWSGI serves the app`,
          `uWSGI がサービスとして動いている: マスター 1 + ワーカー ${processes}。ほかにアプリを提供する uWSGI はない`,
        ),
        // Every uWSGI serving the app, however started, is counted: one started by hand beside the
        // service is a second master, and fails this check.
        probe: uwsgiServingApp(ctx, {
          kind: 'service',
          processes: processes + 1,
          by: manager === 'systemd' ? 'systemd' : manager === 'none' ? 'pidfile' : 'any',
        }),
        settleSec: 10,
        tryThis: text(
          `Read uWSGI's log (${serviceManagement(ctx).logs}). "No such file or directory" about the socket means its directory is missing. A second master, or one not started as the service, is a uWSGI started by hand: stop it (kill -INT its pid) and run this step again.`,
          `uWSGI のログを見てください (${serviceManagement(ctx).logs})。ソケットについて "No such file or directory" と出たら、置き場所のディレクトリがありません。マスターが二つある、またはサービスとして起動していないなら、手で起動した uWSGI です。止めて (その pid に kill -INT) このステップをやり直してください。`,
        ),
      },
      {
        id: 'service-socket',
        title: text(
          `socket ${p.socket} exists, mode 664, group ${webGroup}`,
          `ソケット ${p.socket} があり、モード 664、グループ ${webGroup}`,
        ),
        probe: appSocket(ctx),
        settleSec: 10,
        tryThis: text(
          `A socket of another group means uWSGI was not started with group ${webGroup}; stop it and run this step again.`,
          `グループが違うのは uWSGI が ${webGroup} グループで起動していないためです。止めてからこのステップをやり直してください。`,
        ),
      },
      {
        id: 'socket-reachable-by-nginx',
        title: text(`the ${webGroup} account can write to the socket`, `${webGroup} アカウントがソケットに書き込める`),
        probe: { kind: 'command', command: withPrivilege(ctx, 'web-user', shellLine('test', '-w', p.socket)) },
        settleSec: 10,
        tryThis: text(
          `nginx would answer 502 "Permission denied". \`namei -l ${p.socket}\` shows which directory on the way is closed to ${webGroup}.`,
          `このままでは nginx が 502 "Permission denied" を返します。\`namei -l ${p.socket}\` で、途中のどのディレクトリが ${webGroup} に閉じているかがわかります。`,
        ),
      },
    ];

    if (manager === 'upstart') {
      actions.push(
        {
          kind: 'file',
          id: 'write-upstart-job',
          path: p.upstartJob,
          content: upstartJobSource(ctx),
          owner: 'root',
          group: 'root',
          mode: 0o644,
          explain: text(
            'The Upstart job that starts uWSGI at boot.',
            '起動時に uWSGI を立ち上げる Upstart のジョブです。',
          ),
        },
        command(ctx, {
          id: 'start-service',
          runAs: 'root',
          line: `start ${appName}`,
          effects: [{ kind: 'starts', what: { kind: 'upstart-job', name: appName } }],
          explain: text('Start the job now.', 'ジョブを今すぐ開始します。'),
        }),
      );
    } else if (manager === 'systemd') {
      actions.push(
        {
          kind: 'file',
          id: 'write-systemd-unit',
          path: p.systemdUnit,
          content: systemdUnitSource(ctx),
          owner: 'root',
          group: 'root',
          mode: 0o644,
          guidePath: p.upstartJob,
          whyDifferent: text(
            "The guide writes an Upstart job in /etc/init. This system runs systemd, which ignores that directory; the same job is a unit file: User= and Group= replace setuid/setgid, WorkingDirectory= replaces cd, RuntimeDirectory= makes the socket's directory, and the venv's uwsgi is named by its full path instead of activating the venv.",
            'ガイドは /etc/init に Upstart のジョブを書きますが、このシステムは systemd で動いており、そのディレクトリは読まれません。同じ内容をユニットファイルにします。setuid/setgid は User= と Group=、cd は WorkingDirectory= になり、RuntimeDirectory= がソケットのディレクトリを作り、仮想環境を有効化する代わりに uwsgi をフルパスで指定します。',
          ),
          explain: text(
            'The systemd unit that starts uWSGI at boot.',
            '起動時に uWSGI を立ち上げる systemd のユニットです。',
          ),
        },
        command(ctx, {
          id: 'systemd-reload',
          runAs: 'root',
          line: 'systemctl daemon-reload',
          whyDifferent: text(
            'Not in the guide: Upstart noticed a new job in /etc/init by itself; systemd reads new unit files when told to.',
            'ガイドにはないコマンドです。Upstart は /etc/init の新しいジョブに自分で気づきましたが、systemd は指示されたときに新しいユニットを読みます。',
          ),
          explain: text('Make systemd read the new unit.', '新しいユニットを systemd に読み込ませます。'),
        }),
        command(ctx, {
          id: 'start-service',
          runAs: 'root',
          line: shellLine('systemctl', 'enable', '--now', appName),
          effects: [{ kind: 'starts', what: { kind: 'systemd-unit', name: appName } }],
          guideCommand: `sudo start ${appName}`,
          whyDifferent: text(
            "systemctl starts units; enable --now starts it now and at every boot, what the job's `start on runlevel [2345]` did.",
            'ユニットを起動するのは systemctl です。enable --now は今すぐ、そして起動のたびに開始します。ジョブの `start on runlevel [2345]` に当たります。',
          ),
          explain: text('Start the service now and at every boot.', 'サービスを今すぐ、そして起動のたびに開始します。'),
        }),
      );
    } else {
      notes.push(
        text(
          `No service manager runs on this machine (a container, or WSL without systemd): neither the guide's Upstart job nor a systemd unit would ever be started. The wizard starts uWSGI itself, in the background (--daemonize) with a pidfile, as ${user} with group ${webGroup}, like the job would. It will NOT come back after a reboot: start it again with\n  ${noInitStartCommands(ctx).join('\n  ')}`,
          `このマシンではサービス管理の仕組みが動いていません(コンテナや systemd なしの WSL)。ガイドの Upstart のジョブも systemd のユニットも起動されることがありません。そこでウィザードが uWSGI を自分で、ジョブと同じく ${user} ユーザー・${webGroup} グループで、pidfile 付きのバックグラウンド (--daemonize) で起動します。再起動すると戻りません。そのときは次のコマンドでもう一度起動してください。\n  ${noInitStartCommands(ctx).join('\n  ')}`,
        ),
      );
      checks.push({
        id: 'pidfile-owner-only',
        title: text(
          `the pidfile ${p.pidFile} is writable by ${user} only (mode 644)`,
          `pidfile ${p.pidFile} に書き込めるのは ${user} だけ (モード 644)`,
        ),
        probe: { kind: 'file', path: p.pidFile, owner: user, mode: 0o644 },
        settleSec: 10,
        tryThis: text(
          `A pidfile others can write lets them point \`uwsgi --stop\` at another process. Stop uWSGI (${serviceManagement(ctx).stop}) and run this step again: it starts uWSGI with --umask 022.`,
          `他人が書き込める pidfile だと、\`uwsgi --stop\` に別のプロセスを止めさせることができてしまいます。uWSGI を止めて (${serviceManagement(ctx).stop}) このステップをやり直してください。--umask 022 を付けて起動し直します。`,
        ),
      });
      const [makeRunDir, startUwsgi] = noInitStart(ctx);
      actions.push(
        command(ctx, {
          id: 'make-run-dir',
          ...makeRunDir,
          timeoutSec: 30,
          whyDifferent: text(
            'Not in the guide: without a service manager nothing else makes the directory in /run (emptied at every boot) where the pidfile goes.',
            'ガイドにはないコマンドです。サービス管理の仕組みがないので、pidfile を置く /run のディレクトリ (起動のたびに空になります) を作るものが他にありません。',
          ),
          effects: [{ kind: 'creates', path: p.runDir, made: 'tree', runAs: 'root' }],
          explain: ctx.platform.socketInAppDir
            ? text(
                `Create ${p.runDir} for the pidfile, owned by ${user}.`,
                `pidfile を置く ${p.runDir} を、所有者 ${user} で作ります。`,
              )
            : text(
                `Create ${p.runDir} for the socket and pidfile: owned by ${user}, group ${webGroup}, so nginx can reach the socket.`,
                `ソケットと pidfile を置く ${p.runDir} を作ります。所有者 ${user}、グループ ${webGroup} にして nginx がソケットに届くようにします。`,
              ),
        }),
        command(ctx, {
          id: 'start-service',
          ...startUwsgi,
          cwd: p.appDir,
          timeoutSec: 60,
          effects: [
            { kind: 'creates', path: p.uwsgiLog, made: 'file', runAs: 'service-user' },
            { kind: 'starts', what: { kind: 'uwsgi-daemon', uwsgi: p.uwsgi, pidFile: p.pidFile } },
          ],
          guideCommand: `sudo start ${appName}`,
          whyDifferent: text(
            `No service manager runs here to start a job: uWSGI is started by the wizard, as ${user} with group ${webGroup} like the job's setuid/setgid, and stays up until stopped or the machine restarts (see the note above).`,
            `ここにはジョブを起動するサービス管理の仕組みがありません。ウィザードが uWSGI を、ジョブの setuid/setgid と同じく ${user} ユーザー・${webGroup} グループで起動します。止めるかマシンを再起動するまで動き続けます (上の注を参照)。`,
          ),
          explain: text(
            `Start uWSGI from the ini in the background; its log goes to ${p.uwsgiLog}.`,
            `ini を使って uWSGI をバックグラウンドで起動します。ログは ${p.uwsgiLog} に出ます。`,
          ),
        }),
      );
    }

    return {
      explain: text(
        [
          'Now uWSGI should run on its own, not in our terminal: as a service, started from the ini,',
          `as ${user} (who owns the app) with the group ${webGroup} (nginx's), so the socket it creates`,
          'belongs to a group nginx is in.',
          '',
          `Proof: the process list shows one master and ${processes} workers, and the socket exists`,
          `with the permissions nginx needs. (The guide uses \`ps aux | grep ${appName}\`, which also`,
          'counts the grep itself; the wizard counts the processes directly.)',
        ].join('\n'),
        [
          'ここからは uWSGI を端末の中ではなく、サービスとして独立して動かします。ini から起動し、',
          `ユーザーはアプリの持ち主 ${user}、グループは nginx の ${webGroup} にするので、作られるソケットは`,
          'nginx が属するグループのものになります。',
          '',
          `確認: プロセス一覧にマスター 1 個とワーカー ${processes} 個があり、ソケットが nginx に必要な権限で`,
          `できていること。(ガイドの \`ps aux | grep ${appName}\` は grep 自身も数えてしまうので、`,
          'ウィザードはプロセスを直接数えます。)',
        ].join('\n'),
      ),
      notes,
      actions,
      checks,
      probeBeforeRun: true,
    };
  },
  pitfalls: [
    // A uWSGI already serving the app, started by hand (following the guide, before the wizard):
    // the service would start a second master beside it.
    { check: (ctx) => uwsgiByHand(ctx, 'service') },
    // #12: the guide's socket in the home directory, which nginx must be able to pass through.
    {
      applies: (ctx) => ctx.platform.socketInAppDir,
      check: (ctx) => {
        const { appDir, socket } = appPaths(ctx);
        const { webGroup } = ctx.answers;
        return {
          id: 'app-dir-reachable-by-web',
          title: text(
            `${webGroup} can reach ${appDir}, where the socket will be`,
            `${webGroup} がソケットを置く ${appDir} に届く`,
          ),
          probe: { kind: 'command', command: withPrivilege(ctx, 'web-user', shellLine('test', '-x', appDir)) },
          found: text(`${webGroup} cannot reach ${appDir}.`, `${webGroup} は ${appDir} に届きません。`),
          tryThis: text(
            `A directory above it is closed to ${webGroup} (\`namei -l ${socket}\` shows which): nginx would answer 502 "Permission denied". The wizard keeps the guide's layout and changes no permission; open the home directory with \`chmod o+x\` on it (or \`sudo setfacl -m u:${webGroup}:x\`) before going on.`,
            `上のディレクトリが ${webGroup} に閉じています (\`namei -l ${socket}\` でどこかわかります)。このままでは nginx が 502 "Permission denied" を返します。ウィザードはガイドの配置のまま権限は変えません。先にホームディレクトリに \`chmod o+x\` を (または \`sudo setfacl -m u:${webGroup}:x\` を) 実行してください。`,
          ),
        };
      },
    },
  ],
  whatToDo: () =>
    text(
      'Write the file shown with sudo and an editor (sudo nano …), then run the commands shown, with sudo, in their order.',
      '示したファイルを sudo とエディター (sudo nano …) で書き、示したコマンドを順に sudo を付けて実行します。',
    ),
  quiz: [
    {
      id: 'service-group',
      question: text(
        "Why does uWSGI run as the app's account but with the group www-data?",
        'uWSGI をアプリのアカウントで、しかもグループ www-data で動かすのはなぜですか?',
      ),
      choices: [
        wrong(
          text('So that uWSGI can listen on port 80', 'uWSGI がポート 80 で待ち受けられるように'),
          text(
            'uWSGI does not listen on port 80 at all: nginx does. uWSGI listens on its socket.',
            'uWSGI はポート 80 では待ち受けません。それは nginx です。uWSGI が待ち受けるのはソケットです。',
          ),
        ),
        wrong(
          text('A group is needed for uWSGI to run as root', 'uWSGI を root で動かすにはグループが必要だから'),
          text(
            "It does not run as root: the account is the app's own (the guide's demo), so a flaw in the app cannot take over the machine.",
            'root では動かしません。アカウントはアプリ自身のもの (ガイドの demo) なので、アプリに欠陥があってもマシン全体は乗っ取られません。',
          ),
        ),
        right(
          text(
            "The socket it creates then belongs to www-data, nginx's group, which chmod-socket = 664 lets write",
            '作るソケットが nginx のグループ www-data のものになり、chmod-socket = 664 でそのグループが書き込めるから',
          ),
          text(
            "The account owns the app's files, the group opens the socket to nginx. With the account's own group instead, nginx answers 502 (Permission denied).",
            'アカウントはアプリのファイルを持ち、グループはソケットを nginx に開きます。アカウント自身のグループのままだと、nginx は 502 (Permission denied) を返します。',
          ),
        ),
      ],
    },
  ],
});
