// Guide section 5 (second half): uWSGI serves the app over HTTP on the test port, then stops.
import { appPaths, byVenvPath, command, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import type { StepDefinition } from '../src/engine/types.js';

export const testRun: StepDefinition = {
  id: 'test-run',
  section: 5,
  title: text('Try the app with uWSGI alone', 'uWSGI だけでアプリを試す'),
  plan(ctx) {
    const p = appPaths(ctx);
    const port = ctx.answers.testPort;
    const url = `http://127.0.0.1:${port}/`;
    return {
      explain: text(
        [
          `Before adding nginx, uWSGI answers browsers itself: --protocol=http makes it speak HTTP on`,
          `port ${port} instead of its own uwsgi protocol, and -w wsgi names the module (the file`,
          'name without .py) that holds the application.',
          '',
          `While it runs, the wizard opens ${url} the way your browser would. Once "Hello There!"`,
          `comes back, open http://${ctx.answers.serverName}:${port}/ in your browser too if you like;`,
          'then press Enter: the wizard stops uWSGI the way the guide does with Ctrl-C (in the wizard,',
          'Ctrl-C would stop the wizard as well), and the port must be free again.',
        ].join('\n'),
        [
          'nginx を入れる前に、uWSGI だけでブラウザーに答えさせます。--protocol=http で uWSGI 独自の',
          `uwsgi プロトコルではなく HTTP をポート ${port} で話させ、-w wsgi でアプリのあるモジュール`,
          '(ファイル名から .py を除いたもの)を指定します。',
          '',
          `動いている間にウィザードがブラウザーと同じように ${url} を開きます。"Hello There!" が`,
          `返ってきたら、よければ http://${ctx.answers.serverName}:${port}/ をブラウザーでも開いてみてください。`,
          '確かめたら Enter を押してください。ガイドで Ctrl-C を押すのと同じやり方でウィザードが uWSGI を止め',
          '(ウィザードの中で Ctrl-C を押すとウィザードも終わります)、ポートが空いたことを確かめます。',
        ].join('\n'),
      ),
      notes: [],
      actions: [
        command(ctx, {
          id: 'uwsgi-http-test',
          runAs: 'service-user',
          cwd: p.appDir,
          line: shellLine(p.uwsgi, '--socket', `0.0.0.0:${port}`, '--protocol=http', '-w', 'wsgi'),
          // Python caches the compiled wsgi.py beside it when uWSGI imports it.
          effects: [
            {
              kind: 'creates',
              path: `${p.appDir}/__pycache__`,
              undo: withPrivilege(ctx, 'service-user', shellLine('rm', '-rf', `${p.appDir}/__pycache__`)),
            },
          ],
          guideCommand: 'uwsgi --socket 0.0.0.0:8080 --protocol=http -w wsgi',
          whyDifferent: byVenvPath(p.uwsgi),
          // It serves until the person has looked (or at once with --yes); readiness has its own limit.
          timeoutSec: 3600,
          explain: text(
            `Start uWSGI speaking HTTP on port ${port}; once the page answers and you have looked, Enter stops it (the guide's Ctrl-C).`,
            `ポート ${port} で HTTP を話す uWSGI を起動します。ページが返ったら確かめて、Enter で止めます (ガイドの Ctrl-C にあたります)。`,
          ),
          whileRunning: {
            readyTimeoutSec: 30,
            browseUrl: `http://${ctx.answers.serverName}:${port}/`,
            checks: [
              {
                id: 'test-page',
                title: text(`${url} answers "Hello There!"`, `${url} が "Hello There!" を返す`),
                probe: { kind: 'http', url, expectBody: 'Hello There!' },
                tryThis: text(
                  '"Address already in use" means another program holds the port: stop it or choose another --test-port. "no python application found" means uWSGI did not start in the app directory.',
                  '"Address already in use" ならポートを別のプログラムが使っています。止めるか別の --test-port を選んでください。"no python application found" は uWSGI がアプリのディレクトリで起動していないことを示します。',
                ),
              },
            ],
          },
        }),
      ],
      checks: [
        {
          id: 'test-port-free',
          title: text(`port ${port} is free again`, `ポート ${port} が再び空いている`),
          probe: { kind: 'port-free', port },
          tryThis: text(
            `Something still listens on ${port}: \`ss -ltnp 'sport = :${port}'\` names it.`,
            `まだ何かが ${port} で待ち受けています。\`ss -ltnp 'sport = :${port}'\` で正体がわかります。`,
          ),
        },
      ],
      // Proving this step means starting the server: it cannot be asked ahead without running it.
      probeBeforeRun: false,
    };
  },
};
