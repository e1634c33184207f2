// Guide section 8: nginx in front of uWSGI, speaking the uwsgi protocol over the socket.
import { appPaths, command, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import type { PlanContext, StepDefinition } from '../src/engine/types.js';
import { whySocketInRun } from './ini.js';

export function nginxSiteSource(ctx: PlanContext): string {
  const p = appPaths(ctx);
  return [
    'server {',
    '    listen 80;',
    `    server_name ${ctx.answers.serverName};`,
    '',
    '    location / {',
    '        include         uwsgi_params;',
    `        uwsgi_pass      unix:${p.socket};`,
    '    }',
    '}',
    '',
  ].join('\n');
}

export const nginx: StepDefinition = {
  id: 'nginx',
  section: 8,
  title: text('Put nginx in front of uWSGI', 'uWSGI の前に nginx を置く'),
  plan(ctx) {
    const p = appPaths(ctx);
    const { appName, serverName } = ctx.answers;
    const content = nginxSiteSource(ctx);
    const restart = ctx.platform.nginxRestart;
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
          'link in sites-enabled; nginx checks its whole configuration before it is restarted.',
        ].join('\n'),
        [
          `nginx がポート 80 で ${serverName} へのブラウザーのリクエストを受け、ソケット経由で uwsgi`,
          'プロトコルを使って uWSGI に渡します。uwsgi プロトコルは HTTP より速く処理できます。',
          '',
          'サーバーブロックの意味: ポート 80 で待ち受け、この名前に答え、すべてのパス (location /) に',
          'ついて標準の uwsgi_params (uWSGI が期待するリクエスト情報) を読み込み、ソケットへ渡す。',
          'ファイルは sites-available に書き、sites-enabled のリンクで有効にします。再起動の前に nginx',
          'が設定全体を検査します。',
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
          effects: [
            {
              kind: 'links',
              path: p.siteEnabled,
              undo: withPrivilege(ctx, 'root', shellLine('rm', '-f', p.siteEnabled)),
            },
          ],
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
          id: 'nginx-restart',
          runAs: 'root',
          line: restart,
          guideCommand: 'sudo service nginx restart',
          whyDifferent:
            restart === 'service nginx restart'
              ? undefined
              : text(
                  'systemd manages nginx here; systemctl is its own way to restart it.',
                  'ここでは nginx を systemd が管理しているので、systemctl で再起動します。',
                ),
          explain: text(
            'Restart nginx so that it reads the new site.',
            '新しいサイトを読み込ませるため nginx を再起動します。',
          ),
        }),
      ],
      checks: [
        {
          id: 'site-enabled',
          title: text(`${p.siteEnabled} points at the site`, `${p.siteEnabled} がサイトを指している`),
          probe: { kind: 'file', path: p.siteEnabled, content },
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
          title: text(
            `http://127.0.0.1/ with Host: ${serverName} answers "Hello There!"`,
            `Host: ${serverName} で http://127.0.0.1/ が "Hello There!" を返す`,
          ),
          probe: { kind: 'http', url: 'http://127.0.0.1/', host: serverName, expectBody: 'Hello There!' },
          settleSec: 10,
          tryThis: text(
            `502 Bad Gateway: see /var/log/nginx/error.log. "Permission denied" means nginx cannot reach ${p.socket}; "Connection refused" or "No such file" means uWSGI is not running (step service). "Welcome to nginx" means another site answered for ${serverName}.`,
            `502 Bad Gateway なら /var/log/nginx/error.log を見てください。"Permission denied" は nginx が ${p.socket} に届かないこと、"Connection refused" や "No such file" は uWSGI が動いていないこと (service ステップ) を示します。"Welcome to nginx" なら別のサイトが ${serverName} に答えています。`,
          ),
        },
      ],
      probeBeforeRun: true,
      // A site that fails nginx -t must not stay linked for the next reload to trip on.
      transactional: true,
    };
  },
};
