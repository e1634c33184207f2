// Guide section 6: the uWSGI configuration file APP.ini.
import { appPaths, literalPattern, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import type { FoundApp } from '../src/engine/own-app/found.js';
import { ownAppPaths, wsgiTarget } from '../src/engine/own-app/paths.js';
import type { PlanContext, Text } from '../src/engine/types.js';
import { defineStep, right, wrong } from './step.js';
import { asServiceUser } from './hands-on.js';
import { fromWheel } from './uwsgi.js';

/** The guide's ini, with the socket where nginx can reach it on this machine. */
export function iniSource(ctx: PlanContext): string {
  const p = appPaths(ctx);
  const socket = ctx.platform.socketInAppDir ? `${ctx.answers.appName}.sock` : p.socket;
  return [
    '[uwsgi]',
    ...(ctx.ownApp ? ownAppIniLines(ctx, ctx.ownApp) : ['module = wsgi:application']),
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

/**
 * A person's own project (issue 17): where it is, what to import, the venv, and that uWSGI must not run without it;
 * touching the ini reloads it gracefully (`deploy`).
 */
function ownAppIniLines(ctx: PlanContext, app: FoundApp): string[] {
  const o = ownAppPaths(ctx, app);
  return [
    `chdir = ${o.chdir}`,
    `module = ${wsgiTarget(app)}`,
    `home = ${appPaths(ctx).venv}`,
    'need-app = true',
    ...(o.djangoSettings ? [`env = DJANGO_SETTINGS_MODULE=${o.djangoSettings}`] : []),
    `touch-reload = ${appPaths(ctx).ini}`,
    // The wheel's uWSGI is Python running pyuwsgi: a reload re-executes the interpreter it detects, the system's
    // python3 behind the venv's symlink, which has no pyuwsgi, and the service dies at the first deploy (seen in a
    // bookworm guest under systemd). The venv's own python finds it.
    ...(fromWheel(ctx) ? [`binary-path = ${appPaths(ctx).venv}/bin/python`] : []),
  ];
}

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

/** The ini's lines for a person's own project, explained; the rest of the file is the guide's. */
function ownAppIniExplain(ctx: PlanContext, app: FoundApp): Text {
  const o = ownAppPaths(ctx, app);
  const p = appPaths(ctx);
  const { processes } = ctx.answers;
  const django = o.djangoSettings;
  return text(
    [
      `${ctx.answers.appName}.ini keeps uWSGI's options in one [uwsgi] section. For your project:`,
      `  • chdir = ${o.chdir} – the directory uWSGI changes into, so that your modules import;`,
      `  • module = ${wsgiTarget(app)} – the module to import and the callable in it to serve;`,
      `  • home = ${p.venv} – the virtualenv with your packages (and uWSGI);`,
      '  • need-app = true – without the app, uWSGI exits at start instead of answering every',
      '    request with 500: a broken import makes the service fail where you look;',
      ...(django ? [`  • env = DJANGO_SETTINGS_MODULE=${django} – the wizard's settings (step app-django);`] : []),
      '  • touch-reload – touching this file reloads uWSGI gracefully: each worker finishes its',
      '    request, the app is imported anew, and the socket stays open meanwhile (deploy uses it);',
      ...(fromWheel(ctx)
        ? [`  • binary-path – the wheel's uWSGI reloads by starting ${p.venv}/bin/python again, where pyuwsgi is.`]
        : []),
      `The rest is the guide's: a master and ${processes} workers, the socket nginx uses, its mode,`,
      'vacuum and die-on-term.',
    ].join('\n'),
    [
      `${ctx.answers.appName}.ini は uWSGI のオプションを [uwsgi] セクションにまとめます。あなたのプロジェクトでは:`,
      `  • chdir = ${o.chdir} – uWSGI が移るディレクトリ。ここからあなたのモジュールをインポートします`,
      `  • module = ${wsgiTarget(app)} – インポートするモジュールと、その中で提供する callable`,
      `  • home = ${p.venv} – あなたのパッケージ (と uWSGI) の入った仮想環境`,
      '  • need-app = true – アプリがなければ、uWSGI はすべてのリクエストに 500 を返し続けるのではなく',
      '    起動時に終了します。インポートが壊れていれば、見るべき場所でサービスが失敗します',
      ...(django ? [`  • env = DJANGO_SETTINGS_MODULE=${django} – ウィザードの設定 (app-django ステップ)`] : []),
      '  • touch-reload – このファイルに touch すると uWSGI を穏やかに再読み込みします。各ワーカーは',
      '    処理中のリクエストを終え、アプリを新しくインポートし、その間もソケットは開いたままです (deploy が使います)',
      ...(fromWheel(ctx)
        ? [`  • binary-path – wheel の uWSGI は再読み込みのとき、pyuwsgi のある ${p.venv}/bin/python を起動し直します`]
        : []),
      `残りはガイドのとおりです。マスター 1 個とワーカー ${processes} 個、nginx が使うソケットとそのモード、`,
      'vacuum と die-on-term です。',
    ].join('\n'),
  );
}

export const ini = defineStep({
  id: 'ini',
  section: 6,
  title: text('The uWSGI configuration file', 'uWSGI の設定ファイル'),
  plan(ctx) {
    const p = appPaths(ctx);
    const { appName, processes, webGroup } = ctx.answers;
    const content = iniSource(ctx);
    return {
      explain: ctx.ownApp
        ? ownAppIniExplain(ctx, ctx.ownApp)
        : text(
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
            expectOutput: `^${literalPattern(ctx.ownApp ? wsgiTarget(ctx.ownApp) : 'wsgi:application')}\\n${processes}\\s*$`,
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
  whatToDo(ctx) {
    const p = appPaths(ctx);
    return text(
      `${asServiceUser(ctx).en}, write ${p.ini} with an editor, with exactly the content shown.`,
      `${asServiceUser(ctx).ja}、エディターで ${p.ini} を示した内容どおりに書きます。`,
    );
  },
  quiz: [
    {
      id: 'why-unix-socket',
      question: text(
        'Why does the ini make uWSGI listen on a unix socket file instead of a network port?',
        'ini では、なぜ uWSGI にネットワークのポートではなく unix ソケットのファイルで待ち受けさせるのですか?',
      ),
      choices: [
        wrong(
          text('So that browsers can connect to it directly', 'ブラウザーが直接つながれるようにするため'),
          text(
            'The opposite: a browser cannot reach a socket file at all. Browsers talk HTTP to nginx; only programs on this machine can open the socket.',
            '逆です。ブラウザーはソケットのファイルにまったく届きません。ブラウザーは nginx と HTTP で話し、ソケットを開けるのはこのマシンのプログラムだけです。',
          ),
        ),
        right(
          text(
            'nginx is on the same machine: a socket file is quicker than TCP and cannot be reached from outside',
            'nginx は同じマシンにいるので、ソケットのファイルは TCP より速く、外からは届かない',
          ),
          text(
            "Nothing outside the machine can connect to uWSGI past nginx, and who may connect is decided by the file's owner, group and mode.",
            'マシンの外から nginx を飛ばして uWSGI につながることはできず、誰がつながれるかはファイルの所有者・グループ・モードで決まります。',
          ),
        ),
        wrong(
          text('The WSGI specification requires a socket', 'WSGI の仕様がソケットを求めているから'),
          text(
            'WSGI says nothing about sockets or ports: it only describes how the server calls the Python application.',
            'WSGI はソケットやポートについて何も決めていません。サーバーが Python のアプリケーションをどう呼ぶかだけを定めています。',
          ),
        ),
        wrong(
          text('uWSGI cannot listen on a network port', 'uWSGI はネットワークのポートで待ち受けられないから'),
          text(
            'It can: the test run served the page on port 8080 with --protocol=http. The socket is a choice for running behind nginx.',
            'できます。試運転では --protocol=http でポート 8080 からページを返しました。ソケットは nginx の後ろで動かすための選択です。',
          ),
        ),
      ],
    },
    {
      id: 'chmod-socket',
      question: text('What does chmod-socket = 664 do?', 'chmod-socket = 664 は何をしますか?'),
      choices: [
        wrong(
          text('Makes the ini file readable by everyone', 'ini ファイルを誰でも読めるようにする'),
          text(
            'It is about the socket file uWSGI creates when it starts, not about the ini.',
            'これは ini ではなく、uWSGI が起動時に作るソケットのファイルについての設定です。',
          ),
        ),
        wrong(
          text(
            'Lets every account on the machine write to the socket',
            'マシンのすべてのアカウントがソケットに書き込めるようにする',
          ),
          text(
            'That would be 666. With 664 the last digit is 4: other accounts may only read, and reading is not enough to send a request.',
            'それは 666 です。664 の最後の 4 は「その他は読み取りだけ」で、読めるだけではリクエストを送れません。',
          ),
        ),
        wrong(
          text('Makes uWSGI listen on port 664', 'uWSGI をポート 664 で待ち受けさせる'),
          text(
            '664 is a permission mode in octal, not a port number.',
            '664 は 8 進数の許可モードで、ポート番号ではありません。',
          ),
        ),
        right(
          text(
            "The socket's owner and its group may read and write it; others may only read",
            'ソケットの所有者とグループは読み書きでき、その他は読むだけ',
          ),
          text(
            "uWSGI runs with the web server's group (www-data), so the socket belongs to that group, and nginx, a member of it, may write its requests to it.",
            'uWSGI は Web サーバーのグループ (www-data) で動くのでソケットはそのグループのものになり、その一員の nginx がリクエストを書き込めます。',
          ),
        ),
      ],
    },
    {
      id: 'die-on-term',
      question: text('What does die-on-term = true change?', 'die-on-term = true で何が変わりますか?'),
      choices: [
        wrong(
          text('The socket file is removed when uWSGI stops', 'uWSGI が止まるときにソケットのファイルを消す'),
          text('That is vacuum = true, the line above it.', 'それはその上の行の vacuum = true です。'),
        ),
        right(
          text(
            'On SIGTERM uWSGI exits, instead of reloading itself',
            'SIGTERM を受けると、uWSGI は自分を再読み込みせずに終了する',
          ),
          text(
            'By default uWSGI 2.0 treats SIGTERM as "reload". A service manager sends SIGTERM to stop a service, so without this line stopping it would hang or restart it.',
            'uWSGI 2.0 は既定では SIGTERM を「再読み込み」と受け取ります。サービス管理の仕組みは止めるときに SIGTERM を送るので、この行がないと停止が固まったり再起動になったりします。',
          ),
        ),
        wrong(
          text('A worker that takes too long over a request is killed', 'リクエストに時間をかけすぎたワーカーを止める'),
          text(
            'That is another option (harakiri). die-on-term is about the whole uWSGI and one signal.',
            'それは別のオプション (harakiri) です。die-on-term は uWSGI 全体と、一つのシグナルについての設定です。',
          ),
        ),
        wrong(
          text('uWSGI stops when the person who started it logs out', '起動した人がログアウトすると uWSGI が止まる'),
          text(
            'No: a service is meant to outlive any login. die-on-term only changes what SIGTERM does.',
            'いいえ。サービスはログインに関係なく動き続けるものです。die-on-term が変えるのは SIGTERM の意味だけです。',
          ),
        ),
      ],
    },
  ],
});
