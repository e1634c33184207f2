// Guide section 6: the uWSGI configuration file APP.ini.
import { appPaths, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import type { PlanContext, StepDefinition, Text } from '../src/engine/types.js';

/** The guide's ini, with the socket where nginx can reach it on this machine. */
export function iniSource(ctx: PlanContext): string {
  const p = appPaths(ctx);
  const socket = ctx.platform.socketInAppDir ? `${ctx.answers.appName}.sock` : p.socket;
  return [
    '[uwsgi]',
    'module = wsgi:application',
    '',
    'master = true',
    `processes = ${ctx.answers.processes}`,
    '',
    `socket = ${socket}`,
    'chmod-socket = 664',
    'vacuum = true',
    '',
    'die-on-term = true',
    '',
  ].join('\n');
}

/** Why the socket is not beside the app, as in the guide: nginx must reach it (pitfalls #12). */
/**
 * Why the socket leaves the app directory, told with the guide's own line for the file at hand:
 * `socket = APP.sock` in the ini, `uwsgi_pass unix:…/APP.sock` in the nginx site.
 */
export function whySocketInRun(ctx: PlanContext, guideLine = `socket = ${ctx.answers.appName}.sock`): Text {
  const p = appPaths(ctx);
  const mode = ctx.platform.homeMode.toString(8);
  return ctx.platform.homeMode & 0o001
    ? text(
        `The guide puts the socket beside the app (${guideLine}). nginx reaches it only while every directory above it is open to others; new home directories are (${mode}) on this release, but one made private would make nginx answer 502. The socket goes to ${p.socket} instead, a directory made for the service, which works whatever the home's mode.`,
        `ガイドはソケットをアプリの隣に置きます (${guideLine})。nginx が届くのは、上のディレクトリがすべて他人に開いている間だけです。このリリースの新しいホームディレクトリは開いていますが (${mode})、非公開にすると nginx は 502 を返します。そこでソケットはサービス用に作るディレクトリ ${p.socket} に置きます。ホームのモードに関係なく届きます。`,
      )
    : text(
        `The guide puts the socket beside the app (${guideLine}). Home directories are private on this release (mode ${mode}), so nginx could not reach a socket there and would answer 502. The socket goes to ${p.socket} instead, a directory made for the service.`,
        `ガイドはソケットをアプリの隣に置きます (${guideLine})。このリリースではホームディレクトリが非公開 (モード ${mode}) なので、nginx がそこへ届かず 502 を返します。そこでソケットはサービス用に作るディレクトリ ${p.socket} に置きます。`,
      );
}

export const ini: StepDefinition = {
  id: 'ini',
  section: 6,
  title: text('The uWSGI configuration file', 'uWSGI の設定ファイル'),
  plan(ctx) {
    const p = appPaths(ctx);
    const { appName, processes, webGroup } = ctx.answers;
    const content = iniSource(ctx);
    return {
      explain: text(
        [
          `Instead of repeating options on the command line, ${appName}.ini keeps them in one [uwsgi]`,
          'section:',
          '  • module = wsgi:application – the file (module) and the callable to serve;',
          `  • master = true, processes = ${processes} – one master process that manages ${processes} workers;`,
          '  • socket – a unix socket file instead of a network port: no --protocol=http any more, so',
          '    uWSGI speaks its default uwsgi protocol, which nginx understands, and nothing outside the',
          '    machine can connect to it directly;',
          `  • chmod-socket = 664 – the socket's group (${webGroup}, nginx's) may write to it;`,
          '  • vacuum = true – remove the socket when uWSGI stops;',
          '  • die-on-term = true – on SIGTERM, exit instead of reloading, which is what a service',
          '    manager means when it stops a service.',
        ].join('\n'),
        [
          `オプションを毎回コマンドラインに並べる代わりに、${appName}.ini の [uwsgi] セクションにまとめます。`,
          '  • module = wsgi:application – 提供するファイル(モジュール)と callable',
          `  • master = true, processes = ${processes} – マスタープロセス一つがワーカー ${processes} 個を管理`,
          '  • socket – ネットワークのポートではなく unix ソケットのファイル。--protocol=http を外すので',
          '    uWSGI は既定の uwsgi プロトコルを話し、nginx はそれを理解します。マシンの外から直接',
          '    つながることもありません。',
          `  • chmod-socket = 664 – ソケットのグループ (nginx の ${webGroup}) が書き込めるようにする`,
          '  • vacuum = true – uWSGI が止まるときにソケットを消す',
          '  • die-on-term = true – SIGTERM を受けたら再読み込みせず終了する。サービス管理の仕組みが',
          '    「止めて」と言うときの意味に合わせます。',
        ].join('\n'),
      ),
      notes: [],
      actions: [
        {
          kind: 'file',
          id: 'write-ini',
          path: p.ini,
          content,
          owner: ctx.answers.user,
          group: ctx.userGroup,
          mode: 0o644,
          guidePath: `~/${appName}/${appName}.ini`,
          whyDifferent: ctx.platform.socketInAppDir ? undefined : whySocketInRun(ctx),
          explain: text("uWSGI's settings for this app.", 'このアプリ用の uWSGI の設定です。'),
        },
      ],
      checks: [
        {
          id: 'ini-file',
          title: text(`${p.ini} has the expected content`, `${p.ini} の内容が正しい`),
          probe: { kind: 'file', path: p.ini, content, owner: ctx.answers.user },
          tryThis: text('Run this step again to rewrite the file.', 'このステップをやり直すとファイルを書き直します。'),
        },
        {
          id: 'ini-accepted',
          title: text(
            'uWSGI accepts the ini (strict mode: no unknown option)',
            'uWSGI が ini を受け付ける(strict モード: 未知のオプションなし)',
          ),
          probe: {
            kind: 'command',
            cwd: p.appDir,
            command: withPrivilege(
              ctx,
              'service-user',
              shellLine(p.uwsgi, '--strict', '--ini', p.ini, '--get', 'module', '--get', 'processes'),
            ),
            expectOutput: `^wsgi:application\\n${processes}\\s*$`,
          },
          tryThis: text(
            '"unknown config directive" names the misspelt option; fix it in the file or run this step again.',
            '"unknown config directive" は綴りの誤ったオプション名を示します。ファイルを直すか、このステップをやり直してください。',
          ),
        },
      ],
      probeBeforeRun: true,
    };
  },
};
