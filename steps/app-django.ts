// A person's own Django project (issue 17): what serving it behind nginx needs that `runserver`
// did not (the server's name in ALLOWED_HOSTS, a STATIC_ROOT nginx can read, a database outside the
// code), in a settings module of the wizard's beside the project's own, which stays as it is; then
// its migrations, run as the service user. DEBUG left on is named.
import { appPaths, text, withPrivilege } from '../src/engine/commands.js';
import { ownAppPaths } from '../src/engine/own-app/paths.js';
import type { CommandAction, PlanContext, Probe, Text } from '../src/engine/types.js';
import { withAppEnv } from './app-env.js';
import { ownApp, pipedCommand } from './app-code.js';
import { defineStep, right, wrong } from './step.js';

/** `env DJANGO_SETTINGS_MODULE=…` before a Django command: the wizard's settings. Nothing for another app. */
export function appDjangoEnv(ctx: PlanContext): string[] {
  const { djangoSettings } = ownAppPaths(ctx, ownApp(ctx));
  return djangoSettings ? ['env', `DJANGO_SETTINGS_MODULE=${djangoSettings}`] : [];
}

/** Where the wizard's settings module is written, below `chdir` (the copy's, or deploy's new one). */
export function djangoSettingsPath(ctx: PlanContext, chdir: string): string {
  const { djangoSettings } = ownAppPaths(ctx, ownApp(ctx));
  return `${chdir}/${djangoSettings!.replace(/\./g, '/')}.py`;
}

/** The wizard's settings: the project's own, then what serving them here needs. Python literals by JSON. */
export function djangoSettingsSource(ctx: PlanContext): string {
  const app = ownApp(ctx);
  const o = ownAppPaths(ctx, app);
  const own = app.django!.settingsModule;
  const host = JSON.stringify(ctx.answers.serverName);
  return [
    `# Written by uwsgi-nginx-guide: your settings (${own}), with what serving them behind nginx needs.`,
    `# ${own} itself is not changed. uWSGI and manage.py use this module (DJANGO_SETTINGS_MODULE).`,
    `from ${own} import *  # noqa: F401,F403`,
    '',
    '# nginx serves the collected static files from here; collectstatic writes them.',
    `STATIC_ROOT = ${JSON.stringify(o.staticDir)}`,
    '',
    '# The name browsers ask for: Django answers any other Host with 400 (DisallowedHost).',
    `if ${host} not in ALLOWED_HOSTS and '*' not in ALLOWED_HOSTS:`,
    `    ALLOWED_HOSTS = [*ALLOWED_HOSTS, ${host}]`,
    '',
    '# An SQLite database outside the code: deploying new code never replaces the data.',
    "if DATABASES['default']['ENGINE'] == 'django.db.backends.sqlite3':",
    `    DATABASES['default']['NAME'] = ${JSON.stringify(o.database)}`,
    '',
  ].join('\n');
}

/** `manage.py COMMAND…` in `chdir` as the service user, with the app's variables and the wizard's settings. */
export function manageCommand(
  ctx: PlanContext,
  chdir: string,
  spec: { id: string; args: string[]; explain: Text; effects?: CommandAction['effects'] },
): CommandAction {
  const app = ownApp(ctx);
  const line = withAppEnv(ctx, ...appDjangoEnv(ctx), appPaths(ctx).python, app.django!.managePy, ...spec.args);
  return pipedCommand({
    id: spec.id,
    command: withPrivilege(ctx, 'service-user', line),
    cwd: chdir,
    timeoutSec: 600,
    explain: spec.explain,
    ...(spec.effects ? { effects: spec.effects } : {}),
  });
}

/** Python run with Django set up, as the service user in the copy: with the wizard's settings, or the project's own. */
function askDjango(ctx: PlanContext, python: string, settings: 'own' | 'wizard'): Probe {
  const app = ownApp(ctx);
  const o = ownAppPaths(ctx, app);
  const setup = `import sys; sys.path.insert(0, ""); import django; django.setup(); ${python}`;
  const env = settings === 'own' ? ['env', `DJANGO_SETTINGS_MODULE=${app.django!.settingsModule}`] : appDjangoEnv(ctx);
  const line = withAppEnv(ctx, ...env, appPaths(ctx).python, '-B', '-c', setup);
  return { kind: 'command', cwd: o.chdir, command: withPrivilege(ctx, 'service-user', line) };
}

// The page asked through Django itself, with the Host browsers will send: 400 when ALLOWED_HOSTS lacks it.
const ASK_PAGE = (host: string) =>
  [
    'from django.test import Client',
    `r = Client(HTTP_HOST=${JSON.stringify(host)}).get("/")`,
    'print("status", r.status_code, "DisallowedHost" if r.status_code == 400 and b"DisallowedHost" in r.content else "")',
  ].join('; ');

export const appDjango = defineStep({
  id: 'app-django',
  section: 5,
  title: text('Django: settings for this server, and its database', 'Django: このサーバー用の設定とデータベース'),
  applies: (ctx) => ctx.ownApp?.django !== undefined,
  plan(ctx) {
    const app = ownApp(ctx);
    const o = ownAppPaths(ctx, app);
    const { user, serverName } = ctx.answers;
    const own = app.django!.settingsModule;
    const settingsPath = djangoSettingsPath(ctx, o.chdir);
    return {
      explain: text(
        [
          `runserver forgave what a real server does not. The wizard writes ${o.djangoSettings}, which`,
          `imports your ${own} and adds three things:`,
          `  • ${serverName} in ALLOWED_HOSTS – Django answers any Host it does not list with 400`,
          '    "Bad Request" (DisallowedHost), and nginx passes the name the browser asked for;',
          `  • STATIC_ROOT = ${o.staticDir} – where collectstatic gathers the static files, a`,
          '    directory nginx may read;',
          `  • an SQLite database at ${o.database}, outside the code, so that deploying never replaces it.`,
          `Your ${own} stays as it is: nothing to back up, and your runserver keeps working. Then`,
          `migrate creates the database's tables, as ${user}.`,
        ].join('\n'),
        [
          `runserver が見逃していたことも、本物のサーバーでは通りません。ウィザードは ${o.djangoSettings} を`,
          `書きます。あなたの ${own} をインポートし、三つを加えます。`,
          `  • ALLOWED_HOSTS に ${serverName} – 一覧にない Host には Django が 400 "Bad Request"`,
          '    (DisallowedHost) を返します。nginx はブラウザーが求めた名前をそのまま渡します。',
          `  • STATIC_ROOT = ${o.staticDir} – collectstatic が静的ファイルを集める、nginx が読める場所`,
          `  • SQLite のデータベースを ${o.database} に – コードの外なので、deploy で置き換わりません。`,
          `あなたの ${own} はそのままなので、バックアップは要らず、runserver もそのまま使えます。その後`,
          `${user} として migrate を実行し、データベースの表を作ります。`,
        ].join('\n'),
      ),
      notes: [],
      actions: [
        {
          kind: 'file',
          id: 'write-django-settings',
          path: settingsPath,
          content: djangoSettingsSource(ctx),
          owner: user,
          group: ctx.userGroup,
          mode: 0o644,
          explain: text(
            `Your settings, with this server's name, STATIC_ROOT and database; in the copy only.`,
            'あなたの設定に、このサーバーの名前・STATIC_ROOT・データベースを加えたものです。書くのはコピーの中だけです。',
          ),
        },
        manageCommand(ctx, o.chdir, {
          id: 'django-migrate',
          args: ['migrate', '--noinput'],
          effects: [{ kind: 'creates', path: o.database, made: 'file', runAs: 'service-user' }],
          explain: text(
            `Create or update the database's tables (manage.py migrate) as ${user}. Skip it if your database is managed elsewhere.`,
            `${user} としてデータベースの表を作るか更新します (manage.py migrate)。データベースを別に管理しているなら飛ばしてください。`,
          ),
        }),
      ],
      checks: [
        {
          id: 'django-hosts',
          title: text(
            `Django answers a request for ${serverName} (not 400 DisallowedHost)`,
            `Django が ${serverName} へのリクエストに答える (400 DisallowedHost ではない)`,
          ),
          probe: { ...askDjango(ctx, ASK_PAGE(serverName), 'wizard'), expectOutput: '^status (?!400)' },
          tryThis: text(
            `${settingsPath} must come last: if your settings set ALLOWED_HOSTS from a variable, put ${serverName} in it in the environment file.`,
            `${settingsPath} が最後に効く必要があります。あなたの設定が ALLOWED_HOSTS を変数から作るなら、環境ファイルのその変数に ${serverName} を入れてください。`,
          ),
        },
        {
          id: 'django-migrated',
          title: text('no migration is left to apply', '適用していないマイグレーションがない'),
          probe: {
            kind: 'command',
            cwd: o.chdir,
            command: withPrivilege(
              ctx,
              'service-user',
              withAppEnv(ctx, ...appDjangoEnv(ctx), appPaths(ctx).python, app.django!.managePy, 'migrate', '--check'),
            ),
          },
          tryThis: text(
            'Run this step again, and let migrate run; its error above names the app and migration that failed.',
            'このステップをやり直し、migrate を実行させてください。上のエラーが失敗したアプリとマイグレーションを示しています。',
          ),
        },
      ],
      probeBeforeRun: true,
    };
  },
  pitfalls: [
    {
      check: (ctx) => {
        const { serverName } = ctx.answers;
        return {
          id: 'django-allowed-hosts',
          title: text(
            `your settings' ALLOWED_HOSTS lets Django answer ${serverName}`,
            `あなたの設定の ALLOWED_HOSTS で Django が ${serverName} に答えられる`,
          ),
          probe: { ...askDjango(ctx, ASK_PAGE(serverName), 'own'), expectOutput: '^status (?!400)' },
          found: text(
            `with your own settings Django answers a request for ${serverName} with 400 Bad Request (DisallowedHost): ${serverName} is not in ALLOWED_HOSTS.`,
            `あなたの設定のままだと、Django は ${serverName} へのリクエストに 400 Bad Request (DisallowedHost) を返します。ALLOWED_HOSTS に ${serverName} がありません。`,
          ),
          tryThis: text(
            `The settings module this step writes adds ${serverName} to ALLOWED_HOSTS: the site answers once it is written.`,
            `このステップが書く設定モジュールが ALLOWED_HOSTS に ${serverName} を加えます。書けばサイトは答えます。`,
          ),
        };
      },
    },
    {
      check: (ctx) => ({
        id: 'django-debug-off',
        title: text('DEBUG is off in your settings', 'あなたの設定で DEBUG が無効'),
        probe: {
          ...askDjango(ctx, 'from django.conf import settings; print("DEBUG =", settings.DEBUG)', 'own'),
          expectOutput: '^DEBUG = False',
        },
        found: text('DEBUG = True in your settings.', 'あなたの設定が DEBUG = True です。'),
        tryThis: text(
          'A warning, not a stop: with DEBUG on, an error page shows your code and settings to anyone who finds it, and Django keeps every query in memory. Set DEBUG = False for a public server (read it from a variable of the environment file to keep it on at home), then deploy.',
          '止めはしませんが警告です。DEBUG が有効だと、エラーのページがコードと設定を誰にでも見せてしまい、Django はすべてのクエリーをメモリーに溜めます。公開するサーバーでは DEBUG = False にしてください (手元では有効にしておきたいなら、環境ファイルの変数から読むようにします)。その後 deploy します。',
        ),
      }),
    },
  ],
  quiz: [
    {
      id: 'allowed-hosts',
      question: text(
        'Django answers "400 Bad Request" through nginx but works with runserver. Why?',
        'runserver では動くのに、nginx を通すと Django が "400 Bad Request" を返します。なぜですか?',
      ),
      choices: [
        right(
          text('The server name is not in ALLOWED_HOSTS', 'サーバー名が ALLOWED_HOSTS にない'),
          text(
            "runserver with DEBUG on accepts localhost; behind nginx the Host is the site's name, and Django refuses names it was not told (DisallowedHost), to stop forged Host headers.",
            'DEBUG が有効な runserver は localhost を受け付けます。nginx の後ろでは Host がサイトの名前になり、Django は教えられていない名前を拒みます (DisallowedHost)。偽の Host ヘッダーを防ぐためです。',
          ),
        ),
        wrong(
          text('nginx cannot reach the socket', 'nginx がソケットに届かない'),
          text(
            'Then nginx answers 502 Bad Gateway, not 400.',
            'その場合 nginx は 400 ではなく 502 Bad Gateway を返します。',
          ),
        ),
        wrong(
          text('The static files were not collected', '静的ファイルが集められていない'),
          text(
            'Missing static files give 404 for the CSS, not 400 for the page.',
            '静的ファイルがなければ CSS が 404 になりますが、ページが 400 にはなりません。',
          ),
        ),
      ],
    },
  ],
});
