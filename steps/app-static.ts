// A person's own project (issue 17): its static files (CSS, images, scripts) put where nginx serves
// them itself, without waking a uWSGI worker: a directory under /var/www, outside the home
// directory that current releases close to nginx. Flask's static/ is copied there; Django's
// collectstatic gathers every app's files there (its STATIC_ROOT).
import { command, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import { ownAppPaths } from '../src/engine/own-app/paths.js';
import type { Action, Check, CommandAction, PlanContext } from '../src/engine/types.js';
import { manageCommand } from './app-django.js';
import { ownApp } from './app-code.js';
import { defineStep, right, wrong } from './step.js';

/** Whether the project has static files for nginx: a static folder, or Django's collected ones. */
export function hasStatics(ctx: PlanContext): boolean {
  return ctx.ownApp !== undefined && (ctx.ownApp.statics !== undefined || ctx.ownApp.django !== undefined);
}

/** What fills the static directory from the code in `codeDir`: Flask's folder copied, or Django's collectstatic. */
export function fillStatics(ctx: PlanContext, codeDir: string, id: string): CommandAction {
  const app = ownApp(ctx);
  const o = ownAppPaths(ctx, app);
  const { user } = ctx.answers;
  if (app.django) {
    const chdir = app.chdir === '' ? codeDir : `${codeDir}/${app.chdir}`;
    return manageCommand(ctx, chdir, {
      id,
      args: ['collectstatic', '--noinput'],
      explain: text(
        `Gather the static files of every Django app (the admin's too) into ${o.staticDir}, as ${user}.`,
        `すべての Django アプリ (admin も) の静的ファイルを、${user} として ${o.staticDir} に集めます。`,
      ),
    });
  }
  const from = `${codeDir}/${app.statics!.dir}`;
  return command(ctx, {
    id,
    runAs: 'service-user',
    line: shellLine('cp', '-R', `${from}/.`, `${o.staticDir}/`),
    explain: text(
      `Copy ${from} into ${o.staticDir}, as ${user}.`,
      `${from} を ${user} として ${o.staticDir} にコピーします。`,
    ),
  });
}

/**
 * A static file fetched through nginx, proven to be nginx's answer: nginx's ETag is the file's mtime and size in hex
 * ("5f3c2a1b-1c2"), which the app's own static route (Flask's) does not send. The first .css, else the first file.
 */
export function staticThroughNginx(ctx: PlanContext): Check {
  const o = ownAppPaths(ctx, ownApp(ctx));
  const { serverName, webGroup } = ctx.answers;
  const python = [
    'import http.client, os, sys',
    'root, prefix, host = sys.argv[1:4]',
    'files = sorted(os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs)',
    "pick = next((f for f in files if f.endswith('.css')), files[0] if files else None)",
    "pick or sys.exit('no file in ' + root)",
    'st = os.stat(pick); path = prefix + os.path.relpath(pick, root)',
    "c = http.client.HTTPConnection('127.0.0.1', 80, timeout=5); c.request('GET', path, headers={'Host': host})",
    "r = c.getresponse(); body = r.read(); etag = r.getheader('ETag'); want = '\"%x-%x\"' % (int(st.st_mtime), st.st_size)",
    "print(path, r.status, 'ETag', etag, 'nginx would send', want)",
    "sys.exit(0 if r.status == 200 and etag == want and body == open(pick, 'rb').read() else 1)",
  ].join('\n');
  return {
    id: 'static-through-nginx',
    title: text(
      `nginx itself serves a file of ${o.staticDir} at ${o.staticUrl} (its ETag, not the app's)`,
      `${o.staticDir} のファイルを nginx 自身が ${o.staticUrl} で返す (アプリではなく nginx の ETag)`,
    ),
    probe: {
      kind: 'command',
      // As nginx's account: what it may read, it can serve.
      command: withPrivilege(
        ctx,
        'web-user',
        shellLine(ctx.platform.systemPython, '-c', python, o.staticDir, o.staticUrl, serverName),
      ),
    },
    settleSec: 10,
    tryThis: text(
      `404: the location ${o.staticUrl} is missing from the site, or the file is not in ${o.staticDir}. 403: ${webGroup} cannot read it (\`namei -l\` on the file shows where). Another ETag: the request reached the app, not nginx's location.`,
      `404 なら、サイトに location ${o.staticUrl} がないか、ファイルが ${o.staticDir} にありません。403 なら ${webGroup} が読めません (ファイルに \`namei -l\` を使うと場所がわかります)。ETag が違うなら、リクエストが nginx の location ではなくアプリに届いています。`,
    ),
  };
}

export const appStatic = defineStep({
  id: 'app-static',
  section: 8,
  title: text('Static files where nginx serves them', '静的ファイルを nginx が配る場所へ'),
  applies: hasStatics,
  plan(ctx) {
    const app = ownApp(ctx);
    const o = ownAppPaths(ctx, app);
    const { user, webGroup } = ctx.answers;
    const actions: Action[] = [
      command(ctx, {
        id: 'make-static-dir',
        runAs: 'root',
        line: shellLine('install', '-d', '-o', user, '-g', ctx.userGroup, '-m', '0755', o.publicDir, o.staticDir),
        effects: [{ kind: 'creates', path: o.publicDir, made: 'tree', runAs: 'root' }],
        explain: text(
          `Make ${o.staticDir}, owned by ${user} (who fills it) and readable by everyone, nginx included.`,
          `${o.staticDir} を作ります。所有者は中身を入れる ${user} で、nginx を含めて誰でも読めます。`,
        ),
      }),
      fillStatics(ctx, o.code, 'fill-static-dir'),
    ];
    return {
      explain: text(
        [
          'CSS, images and scripts need no Python: nginx sends them straight from disk, far faster,',
          `and keeps uWSGI's few workers for the pages. nginx runs as ${webGroup}, and on current`,
          `releases home directories are closed to it, so the files go to ${o.staticDir}, outside the`,
          `home, owned by ${user}, readable by all. nginx's site will map ${o.staticUrl} to it.`,
          app.django
            ? "Django gathers the static files of every app (the admin's CSS too) with collectstatic."
            : `Your ${app.statics!.dir}/ folder is copied there.`,
        ].join('\n'),
        [
          'CSS・画像・スクリプトに Python は要りません。nginx がディスクから直接送る方がずっと速く、uWSGI の',
          `少ないワーカーをページのために空けておけます。nginx は ${webGroup} として動き、今のリリースでは`,
          `ホームディレクトリに入れません。そこでファイルはホームの外の ${o.staticDir} に置き、所有者は ${user}、`,
          `誰でも読めるようにします。nginx のサイトが ${o.staticUrl} をそこへ対応させます。`,
          app.django
            ? 'Django では collectstatic がすべてのアプリの静的ファイル (admin の CSS も) を集めます。'
            : `あなたの ${app.statics!.dir}/ フォルダーをそこへコピーします。`,
        ].join('\n'),
      ),
      notes: [],
      actions,
      checks: [
        {
          id: 'static-readable-by-web',
          title: text(
            `${webGroup} can read ${o.staticDir}, and it holds files`,
            `${webGroup} が ${o.staticDir} を読めて、ファイルが入っている`,
          ),
          probe: {
            kind: 'command',
            command: withPrivilege(ctx, 'web-user', shellLine('find', o.staticDir, '-type', 'f', '-readable')),
            expectOutput: '\\S',
          },
          tryThis: text(
            `Empty: nothing was copied or collected (run this step again). Unreadable: \`namei -l ${o.staticDir}\` shows which directory is closed to ${webGroup}.`,
            `空なら、何もコピーも収集もされていません (このステップをやり直してください)。読めないなら \`namei -l ${o.staticDir}\` で ${webGroup} に閉じているディレクトリがわかります。`,
          ),
        },
      ],
      probeBeforeRun: false,
    };
  },
  quiz: [
    {
      id: 'static-outside-home',
      question: text(
        'Why do the static files go to /var/www rather than staying in the app directory in the home?',
        '静的ファイルをホームのアプリのディレクトリに置いたままにせず、/var/www に置くのはなぜですか?',
      ),
      choices: [
        right(
          text(
            'nginx reads them as www-data, and current releases close home directories to other accounts',
            'nginx は www-data として読むが、今のリリースはホームディレクトリを他のアカウントに閉じている',
          ),
          text(
            'The socket is handed over in /run for the same reason. Opening the home would show nginx (and everyone) all of it.',
            'ソケットを /run に置くのも同じ理由です。ホームを開けると、nginx (と誰でも) にすべてが見えてしまいます。',
          ),
        ),
        wrong(
          text('nginx can only serve files below /var/www', 'nginx は /var/www の下しか配れないから'),
          text(
            'nginx serves any directory it may read; /var/www is simply the usual place.',
            'nginx は読めるディレクトリならどこでも配れます。/var/www はよく使われる場所にすぎません。',
          ),
        ),
        wrong(
          text(
            'uWSGI deletes the app directory when it reloads',
            'uWSGI は再読み込みのときにアプリのディレクトリを消すから',
          ),
          text('uWSGI never deletes your files.', 'uWSGI があなたのファイルを消すことはありません。'),
        ),
      ],
    },
  ],
});
