// Guide section 9: what was built, where it lives, how to run it, where to go next.
import { appPaths, text } from '../src/engine/commands.js';
import { pageThroughNginx } from '../src/engine/stack-probes.js';
import { serviceManagement } from './service.js';
import { ownAppPaths } from '../src/engine/own-app/paths.js';
import { hasStatics } from './app-static.js';
import { defineStep } from './step.js';

export const conclusion = defineStep({
  id: 'conclusion',
  section: 9,
  title: text('Done: what you built, and what next', '完成: 作ったものと、その先'),
  // The whole chain, outside in.
  doctor: { from: 'nginx', to: 'page' },
  plan(ctx) {
    const p = appPaths(ctx);
    const { serverName } = ctx.answers;
    const manage = serviceManagement(ctx);
    const serviceFile =
      ctx.platform.serviceManager === 'systemd'
        ? p.systemdUnit
        : ctx.platform.serviceManager === 'upstart'
          ? p.upstartJob
          : null;
    const own = ctx.ownApp ? ownAppPaths(ctx, ctx.ownApp) : undefined;
    const files = [
      ...(own
        ? [`${own.code}/  (${own.source})`, own.envFile, ...(hasStatics(ctx) ? [`${own.staticDir}/`] : [])]
        : [`${p.wsgiPy}`]),
      `${p.ini}`,
      `${p.venv}/`,
      ...(serviceFile ? [serviceFile] : []),
      `${p.siteAvailable}  (→ ${p.siteEnabled})`,
      `${p.socket}`,
    ].map((f) => `  ${f}`);
    return {
      explain: text(
        [
          `http://${serverName}/ is now served by nginx, which passes each request over a unix socket`,
          'in the uwsgi protocol to uWSGI, which calls your WSGI application. uWSGI lives in its own',
          'virtualenv and is started from a configuration file.',
          '',
          'Files:',
          ...files,
          '',
          ...(own ? ['After you change your code:  uwsgi-nginx-guide deploy', ''] : []),
          `Stop uWSGI:   ${manage.stop}`,
          `Start uWSGI:  ${manage.start}`,
          `uWSGI log:    ${manage.logs}`,
          'nginx log:    /var/log/nginx/error.log',
          `After a reboot: ${manage.afterReboot.en}`,
          '',
          'Where to go next:',
          '  • uWSGI "emperor" mode watches a directory of ini files and runs many apps at once;',
          '  • nginx can spread the load over several uWSGI instances (an upstream block);',
          '  • let nginx serve static files directly and pass only dynamic requests to uWSGI;',
          '  • for many apps, one uWSGI installed system-wide can be simpler than one per virtualenv.',
        ].join('\n'),
        [
          `http://${serverName}/ は nginx が受け、unix ソケット越しに uwsgi プロトコルで uWSGI に渡し、`,
          'uWSGI があなたの WSGI アプリを呼び出しています。uWSGI は専用の仮想環境に入り、設定ファイル',
          'から起動されます。',
          '',
          'ファイル:',
          ...files,
          '',
          ...(own ? ['コードを変えたら:  uwsgi-nginx-guide deploy', ''] : []),
          `uWSGI を止める:  ${manage.stop}`,
          `uWSGI を起動:    ${manage.start}`,
          `uWSGI のログ:    ${manage.logs}`,
          'nginx のログ:    /var/log/nginx/error.log',
          `再起動の後:      ${manage.afterReboot.ja}`,
          '',
          'この先に進むなら:',
          '  • uWSGI の「エンペラー」モードは ini のディレクトリを見張り、多数のアプリを同時に動かします',
          '  • nginx は複数の uWSGI に負荷を分散できます (upstream ブロック)',
          '  • 静的ファイルは nginx に直接配らせ、動的なリクエストだけを uWSGI へ渡せます',
          '  • アプリが多いなら、仮想環境ごとではなくシステム全体に uWSGI を一つ入れる方が簡単なこともあります',
        ].join('\n'),
      ),
      notes: [],
      actions: [],
      checks: [
        {
          id: 'final-page',
          title: ctx.ownApp
            ? text(
                `the whole stack answers: http://${serverName}/ is your app's page (200)`,
                `全体がつながった: http://${serverName}/ があなたのアプリのページ (200)`,
              )
            : text(
                `the whole stack answers: http://${serverName}/ says "Hello There!"`,
                `全体がつながった: http://${serverName}/ が "Hello There!" を返す`,
              ),
          probe: pageThroughNginx(ctx),
          tryThis: text(
            'Go back to the nginx and service steps: their checks say which part is missing.',
            'nginx と service のステップに戻ってください。その確認がどの部品が欠けているかを示します。',
          ),
        },
      ],
      probeBeforeRun: false,
    };
  },
});
