// Guide section 8: nginx in front of uWSGI, speaking the uwsgi protocol over the socket.
import { appPaths, command, joinTexts, shellArg, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import { pageThroughNginx } from '../src/engine/stack-probes.js';
import type { PlanContext, Probe, Text } from '../src/engine/types.js';
import { whySocketInRun } from './ini.js';
import { ownAppPaths } from '../src/engine/own-app/paths.js';
import { hasStatics, staticThroughNginx } from './app-static.js';
import { defineStep, right, wrong } from './step.js';
import { listeners, printsNothing, ufwActive } from './pitfalls.js';

export function nginxSiteSource(ctx: PlanContext): string {
  const p = appPaths(ctx);
  return [
    'server {',
    '    listen 80;',
    `    server_name ${ctx.answers.serverName};`,
    '',
    ...staticLocation(ctx),
    '    location / {',
    '        include         uwsgi_params;',
    `        uwsgi_pass      unix:${p.socket};`,
    '    }',
    '}',
    '',
  ].join('\n');
}

/** What the page through nginx must answer: the guide's greeting, or a person's own app answering 200. */
export function pageAnswers(ctx: PlanContext, url = 'http://127.0.0.1/'): Text {
  const { serverName } = ctx.answers;
  return ctx.ownApp
    ? text(
        `${url} with Host: ${serverName} answers 200: your app's page`,
        `Host: ${serverName} で ${url} が 200 を返す: あなたのアプリのページ`,
      )
    : text(
        `${url} with Host: ${serverName} answers "Hello There!"`,
        `Host: ${serverName} で ${url} が "Hello There!" を返す`,
      );
}

/** A person's own project: its static files served by nginx itself, from their directory (steps/app-static.ts). */
function staticLocation(ctx: PlanContext): string[] {
  if (!hasStatics(ctx)) return [];
  const o = ownAppPaths(ctx, ctx.ownApp!);
  return [`    location ${o.staticUrl} {`, `        alias           ${o.staticDir}/;`, '    }', ''];
}

/**
 * The lines of the site that certbot's nginx plugin keeps when it adds HTTPS (the name, the socket): passes while
 * the enabled site is still this app's.
 */
export function siteLinesKept(ctx: PlanContext): Probe {
  const p = appPaths(ctx);
  const lines = [`server_name ${ctx.answers.serverName};`, `uwsgi_pass      unix:${p.socket};`];
  return {
    kind: 'command',
    command: lines.map((line) => `grep -F ${shellArg(line)} ${shellArg(p.siteEnabled)}`).join(' && '),
  };
}

/**
 * Reload a running nginx, restart it only when it is not running: a restart drops the open connections of every
 * other site on the machine, a reload keeps them and reads the new site all the same.
 */
export function reloadOrRestart(ctx: PlanContext): string {
  const { nginxIsRunning, nginxReload, nginxRestart } = ctx.platform;
  return shellLine('sh', '-c', `if ${nginxIsRunning} >/dev/null; then ${nginxReload}; else ${nginxRestart}; fi`);
}

export const nginx = defineStep({
  id: 'nginx',
  section: 8,
  title: text('Put nginx in front of uWSGI', 'uWSGI の前に nginx を置く'),
  // The whole chain, outside in.
  doctor: { from: 'nginx', to: 'page' },
  plan(ctx) {
    const p = appPaths(ctx);
    const { appName, serverName } = ctx.answers;
    const content = nginxSiteSource(ctx);
    const configTest = ctx.platform.nginxConfigTest;
    return {
      explain: text(
        [
          `nginx takes the browsers' requests for ${serverName} on port 80 and hands each one to uWSGI`,
          'through the socket, in the uwsgi protocol, which is quicker to handle than HTTP.',
          '',
          'The server block says: listen on port 80, answer for this name, and for every path',
          '(location /) include the standard uwsgi_params (the request details uWSGI expects) and',
          'pass the request to the socket. It is written to sites-available and switched on by a',
          'link in sites-enabled; nginx checks its whole configuration before it reads it again.',
        ].join('\n'),
        [
          `nginx がポート 80 で ${serverName} へのブラウザーのリクエストを受け、ソケット経由で uwsgi`,
          'プロトコルを使って uWSGI に渡します。uwsgi プロトコルは HTTP より速く処理できます。',
          '',
          'サーバーブロックの意味: ポート 80 で待ち受け、この名前に答え、すべてのパス (location /) に',
          'ついて標準の uwsgi_params (uWSGI が期待するリクエスト情報) を読み込み、ソケットへ渡す。',
          'ファイルは sites-available に書き、sites-enabled のリンクで有効にします。読み込み直す前に',
          'nginx が設定全体を検査します。',
        ].join('\n'),
      ),
      notes: [
        text(
          `The guide leaves server_domain_or_IP for you to replace; here it is ${serverName}, your answer.`,
          `ガイドは server_domain_or_IP を置き換えるよう求めています。ここではあなたの答え ${serverName} が入ります。`,
        ),
      ],
      actions: [
        {
          kind: 'file',
          id: 'write-nginx-site',
          path: p.siteAvailable,
          content,
          owner: 'root',
          group: 'root',
          mode: 0o644,
          whyDifferent: ctx.platform.socketInAppDir
            ? undefined
            : whySocketInRun(ctx, `uwsgi_pass unix:${ctx.answers.appDir}/${ctx.answers.appName}.sock`),
          explain: text('The server block for this app.', 'このアプリ用のサーバーブロックです。'),
        },
        command(ctx, {
          id: 'enable-site',
          runAs: 'root',
          line: shellLine('ln', '-sfn', p.siteAvailable, p.siteEnabled),
          effects: [{ kind: 'links', path: p.siteEnabled, runAs: 'root' }],
          guideCommand: `sudo ln -s /etc/nginx/sites-available/${appName} /etc/nginx/sites-enabled`,
          whyDifferent: text(
            '-f and -n replace a link left by an earlier attempt instead of failing with "File exists".',
            '-f と -n は、前の試みで残ったリンクがあっても "File exists" で失敗せずに置き換えます。',
          ),
          explain: text(
            'Enable the site with a link in sites-enabled.',
            'sites-enabled にリンクを作ってサイトを有効にします。',
          ),
        }),
        command(ctx, {
          id: 'nginx-configtest',
          runAs: 'root',
          line: configTest,
          guideCommand: 'sudo service nginx configtest',
          whyDifferent:
            configTest === 'nginx -t'
              ? text(
                  'On current systems `service nginx configtest` prints only "failed!" on an error. `nginx -t` does the same test and names the file and line at fault.',
                  '今のシステムでは `service nginx configtest` はエラー時に "failed!" としか表示しません。`nginx -t` は同じ検査をして、誤りのあるファイルと行を示します。',
                )
              : undefined,
          explain: text(
            'Check the whole nginx configuration for errors.',
            'nginx の設定全体に誤りがないか検査します。',
          ),
        }),
        command(ctx, {
          id: 'nginx-reload',
          runAs: 'root',
          line: reloadOrRestart(ctx),
          guideCommand: 'sudo service nginx restart',
          whyDifferent: text(
            `A restart stops nginx and drops the open connections of every site it serves; a reload reads the new site and lets the old workers finish theirs. A restart is needed only when nginx is not running.${ctx.platform.serviceManager === 'systemd' ? ' systemd manages nginx here: systemctl is its own way to ask.' : ''}`,
            `再起動は nginx を止めるので、他のサイトも含めて開いている接続がすべて切れます。再読み込み (reload) なら新しいサイトを読み込み、古いワーカーは処理中の接続を終えてから退きます。再起動が要るのは nginx が動いていないときだけです。${ctx.platform.serviceManager === 'systemd' ? 'ここでは nginx を systemd が管理しているので、systemctl を使います。' : ''}`,
          ),
          explain: text(
            'Make nginx read the new site: reload it if it runs, start it (restart) if it does not.',
            '新しいサイトを nginx に読み込ませます。動いていれば再読み込み、動いていなければ起動 (restart) します。',
          ),
        }),
      ],
      checks: [
        {
          id: 'site-enabled',
          title: text(`${p.siteEnabled} points at the site`, `${p.siteEnabled} がサイトを指している`),
          // With HTTPS (issue 18) certbot edits the site afterwards: its own lines are kept, the rest is certbot's.
          probe: ctx.chosen?.https ? siteLinesKept(ctx) : { kind: 'file', path: p.siteEnabled, content },
          tryThis: text(
            'Run this step again to write the site and its link.',
            'このステップをやり直すと、サイトとリンクを作り直します。',
          ),
        },
        {
          id: 'nginx-config-valid',
          title: text('nginx -t: the configuration is valid', 'nginx -t: 設定が正しい'),
          probe: { kind: 'command', command: withPrivilege(ctx, 'root', 'nginx -t') },
          tryThis: text(
            'nginx names the file and line at fault above; fix it (it may be another site) and check again.',
            '上に nginx が誤りのあるファイルと行を示しています。直してから(別のサイトのこともあります)再検査してください。',
          ),
        },
        {
          id: 'page-through-nginx',
          title: pageAnswers(ctx),
          probe: pageThroughNginx(ctx),
          settleSec: 10,
          tryThis: joinTexts(
            text(
              `502 Bad Gateway: see /var/log/nginx/error.log. "Permission denied" means nginx cannot reach ${p.socket}; "Connection refused" or "No such file" means uWSGI is not running (step service). "Welcome to nginx" means another site answered for ${serverName}.`,
              `502 Bad Gateway なら /var/log/nginx/error.log を見てください。"Permission denied" は nginx が ${p.socket} に届かないこと、"Connection refused" や "No such file" は uWSGI が動いていないこと (service ステップ) を示します。"Welcome to nginx" なら別のサイトが ${serverName} に答えています。`,
            ),
            ctx.ownApp?.django
              ? text(
                  `400 Bad Request from Django: ${serverName} is not in ALLOWED_HOSTS (DisallowedHost); the settings of step app-django add it.`,
                  `Django の 400 Bad Request なら、${serverName} が ALLOWED_HOSTS にありません (DisallowedHost)。app-django ステップの設定がそれを加えます。`,
                )
              : undefined,
          )!,
        },
        ...(hasStatics(ctx) ? [staticThroughNginx(ctx)] : []),
      ],
      probeBeforeRun: true,
      // A site that fails nginx -t must not stay linked for the next reload to trip on.
      transactional: true,
    };
  },
  pitfalls: [
    // #15: another site answers instead of this one.
    {
      check: () => ({
        id: 'no-other-default-site',
        title: text(
          "no other enabled site is nginx's default server",
          '他に有効なサイトが nginx の既定サーバーになっていない',
        ),
        // Commented-out lines (Debian's default site has a few) do not count. It prints the sites' names.
        probe: {
          kind: 'command',
          command: printsNothing(
            "grep -RlE '^[^#]*default_server' /etc/nginx/sites-enabled/ 2>/dev/null | sed 's|.*/||'",
          ),
        },
        found: text(
          "the site `{output}` is nginx's default server: requests for other names land there.",
          'サイト `{output}` が nginx の既定サーバーです。他の名前へのリクエストはそこに届きます。',
        ),
        tryThis: text(
          'Requests for any other name than yours (browsing by IP address, `curl localhost`) get that site\'s "Welcome to nginx!" page, not your app. The wizard\'s own checks send your server name, so they are not affected, and it leaves the site as it is; to make your app the answer for every name, `sudo rm /etc/nginx/sites-enabled/default`.',
          'あなたのサーバー名以外へのリクエスト (IP アドレスでのアクセスや `curl localhost`) には、アプリではなくそのサイトの "Welcome to nginx!" が返ります。ウィザードの確認はあなたのサーバー名を送るので影響はなく、そのサイトもそのままにします。どの名前でもアプリが答えるようにするなら `sudo rm /etc/nginx/sites-enabled/default` を実行してください。',
        ),
      }),
    },
    {
      check: (ctx) => {
        const { serverName, appName } = ctx.answers;
        const ours = `/etc/nginx/sites-enabled/${appName}:`;
        return {
          id: 'server-name-free',
          title: text(
            `no other enabled site answers for ${serverName}`,
            `他に有効なサイトが ${serverName} に答えていない`,
          ),
          probe: {
            kind: 'command',
            command: printsNothing(
              `grep -RnE '^[^#]*server_name' /etc/nginx/sites-enabled/ 2>/dev/null | grep -v ${shellArg(`^${ours}`)} | grep -wF ${shellArg(serverName)} | cut -d: -f1 | sort -u | sed 's|.*/||'`,
            ),
          },
          found: text(
            `the enabled site \`{output}\` answers for ${serverName} too.`,
            `有効なサイト \`{output}\` も ${serverName} に答えます。`,
          ),
          tryThis: text(
            `nginx would warn "conflicting server name" and use only the first of the two, which may not be this app. Take the name out of that site, or run the wizard again with another --server-name.`,
            `nginx は "conflicting server name" と警告し、二つのうち最初の方だけを使うので、このアプリにならないことがあります。そのサイトから名前を外すか、別の --server-name でウィザードを起動し直してください。`,
          ),
        };
      },
    },
    {
      check: (ctx) => ({
        id: 'port-80-nginx-or-free',
        title: text('port 80 is free or held by nginx', 'ポート 80 が空いているか nginx が使っている'),
        probe: { kind: 'command', command: printsNothing(`${listeners(ctx, 80)} | grep -v '"nginx"'`) },
        found: text(
          'another program than nginx holds port 80: {holders}',
          'nginx 以外のプログラムがポート 80 を使っています: {holders}',
        ),
        tryThis: text(
          'nginx could not take the port, and starting it would fail with "Address already in use". Stop that program (for Apache: `sudo service apache2 stop`) before going on.',
          'nginx はポートを取れず、起動が "Address already in use" で失敗します。先にそのプログラムを止めてください (Apache なら `sudo service apache2 stop`)。',
        ),
      }),
    },
    ufwActive('nginx', () =>
      text(
        "browsers elsewhere cannot reach port 80. Let nginx's ports in with `sudo ufw allow 'Nginx Full'`.",
        "他のマシンのブラウザーからポート 80 に届きません。`sudo ufw allow 'Nginx Full'` で nginx のポートを通してください。",
      ),
    ),
  ],
  whatToDo(ctx) {
    const p = appPaths(ctx);
    return text(
      `Write the server block to ${p.siteAvailable} with sudo and an editor, link it into /etc/nginx/sites-enabled, test the configuration, and reload nginx (or start it, if it is not running).`,
      `sudo とエディターでサーバーブロックを ${p.siteAvailable} に書き、/etc/nginx/sites-enabled にリンクし、設定を検査して nginx を再読み込みします (動いていなければ起動します)。`,
    );
  },
  wrongMoves: [
    // The site written but not linked into sites-enabled.
    (ctx) => {
      const { siteAvailable, siteEnabled } = appPaths(ctx);
      return {
        id: 'site-not-linked',
        probe: {
          kind: 'command',
          command: `test -e ${shellArg(siteAvailable)} && ! test -L ${shellArg(siteEnabled)} && echo ${shellArg(siteAvailable)}`,
        },
        hint: text(
          `The site is in sites-available but not switched on: nginx reads only sites-enabled. Link it: \`sudo ln -s ${siteAvailable} /etc/nginx/sites-enabled\`, then test and reload nginx.`,
          `サイトは sites-available にありますが有効になっていません。nginx が読むのは sites-enabled だけです。リンクを作ってください: \`sudo ln -s ${siteAvailable} /etc/nginx/sites-enabled\`。その後 nginx を検査して再読み込みします。`,
        ),
      };
    },
    // A link that points nowhere: `ln -s sites-available/APP …` with a relative path.
    (ctx) => {
      const { siteAvailable, siteEnabled } = appPaths(ctx);
      return {
        id: 'site-link-dangling',
        probe: {
          kind: 'command',
          command: `test -L ${shellArg(siteEnabled)} && ! test -e ${shellArg(siteEnabled)} && readlink ${shellArg(siteEnabled)}`,
        },
        hint: text(
          `${siteEnabled} is a link that points nowhere (to the path below): a relative target is read from sites-enabled itself. Make it again with the full path: \`sudo ln -sfn ${siteAvailable} ${siteEnabled}\`.`,
          `${siteEnabled} はどこも指していないリンクです (指す先は下記)。相対パスの指す先は sites-enabled から見て解釈されます。フルパスで作り直してください: \`sudo ln -sfn ${siteAvailable} ${siteEnabled}\`。`,
        ),
      };
    },
  ],
  quiz: [
    {
      id: 'why-nginx',
      question: text(
        'Why put nginx in front of uWSGI instead of letting browsers talk to uWSGI?',
        'ブラウザーに uWSGI と直接話させず、前に nginx を置くのはなぜですか?',
      ),
      choices: [
        wrong(
          text('uWSGI cannot run Python without nginx', 'nginx がないと uWSGI は Python を実行できないから'),
          text(
            'It can: in the test run uWSGI served the page alone, speaking HTTP on port 8080.',
            'できます。試運転では uWSGI が単独で、ポート 8080 で HTTP を話してページを返しました。',
          ),
        ),
        right(
          text(
            "nginx is built to face the clients: many slow connections, static files, TLS; uWSGI's few workers are kept for the app",
            'nginx はクライアントの相手が得意 (多数の遅い接続、静的ファイル、TLS)。uWSGI の少数のワーカーはアプリのために空けておける',
          ),
          text(
            'nginx holds thousands of connections cheaply and passes only complete requests over the uwsgi protocol, so each of the few workers is busy only while the app works.',
            'nginx は多数の接続を軽く抱え、完全に届いたリクエストだけを uwsgi プロトコルで渡すので、少数のワーカーはアプリが働く間だけふさがります。',
          ),
        ),
        wrong(
          text('nginx runs the Python code faster', 'nginx のほうが Python のコードを速く実行するから'),
          text(
            'nginx never runs the Python code; every request still reaches a uWSGI worker.',
            'nginx は Python のコードを実行しません。リクエストは結局 uWSGI のワーカーに届きます。',
          ),
        ),
        wrong(
          text('Browsers can only speak the uwsgi protocol', 'ブラウザーは uwsgi プロトコルしか話せないから'),
          text(
            'Browsers speak HTTP. nginx translates: HTTP on the outside, uwsgi on the socket.',
            'ブラウザーが話すのは HTTP です。nginx が橋渡しをして、外側は HTTP、ソケット側は uwsgi で話します。',
          ),
        ),
      ],
    },
    {
      id: 'bad-gateway',
      question: text(
        'The browser shows "502 Bad Gateway". What is nginx telling you?',
        'ブラウザーに "502 Bad Gateway" と出ました。nginx は何を伝えていますか?',
      ),
      choices: [
        wrong(
          text('wsgi.py raised an exception', 'wsgi.py で例外が起きた'),
          text(
            'Then uWSGI would have answered, with 500 Internal Server Error. 502 means no usable answer came back at all.',
            'それなら uWSGI が 500 Internal Server Error で答えます。502 は、使える答えがまったく返ってこなかったという意味です。',
          ),
        ),
        wrong(
          text('The nginx configuration has a syntax error', 'nginx の設定に文法の誤りがある'),
          text(
            'With a syntax error nginx -t fails and nginx refuses to load the configuration; it does not answer 502.',
            '文法の誤りがあれば nginx -t が失敗し、nginx はその設定を読み込みません。502 を返すわけではありません。',
          ),
        ),
        right(
          text(
            'nginx itself works, but it got no answer from uWSGI behind it',
            'nginx 自体は動いているが、後ろの uWSGI から答えをもらえなかった',
          ),
          text(
            'The socket is missing, uWSGI is not running, or nginx may not open the socket. /var/log/nginx/error.log names which (e.g. "13: Permission denied").',
            'ソケットがない、uWSGI が動いていない、または nginx がソケットを開けない、のいずれかです。/var/log/nginx/error.log にどれか書いてあります (例: "13: Permission denied")。',
          ),
        ),
        wrong(
          text('The server_name does not match the address typed', 'server_name が入力したアドレスと合っていない'),
          text(
            'Then another site (often the default "Welcome to nginx!" page) answers instead, with 200, not 502.',
            'その場合は別のサイト (よくあるのは既定の "Welcome to nginx!") が 200 で答え、502 にはなりません。',
          ),
        ),
      ],
    },
  ],
});
