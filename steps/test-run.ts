// Guide section 5 (second half): uWSGI serves the app over HTTP on the test port, then stops.
import { appPaths, byVenvPath, command, shellArg, shellLine, text } from '../src/engine/commands.js';
import type { PlanContext, Text } from '../src/engine/types.js';
import { defineStep } from './step.js';
import { listeners, printsNothing, ufwActive, uwsgiByHand } from './pitfalls.js';
import { printsSomething } from './wrong-moves.js';
import { asServiceUser } from './hands-on.js';

/**
 * The step in words. Who stops uWSGI differs: in a normal run the wizard started it and stops it when the person
 * presses Enter; in hands-on mode the student started it in their own shell and stops it there with Ctrl-C.
 */
function testRunExplained(ctx: PlanContext, startedBy: 'wizard' | 'student'): Text {
  const port = ctx.answers.testPort;
  const url = `http://127.0.0.1:${port}/`;
  const browse = `http://${ctx.answers.serverName}:${port}/`;
  const stop =
    startedBy === 'wizard'
      ? text(
          [
            'then press Enter: the wizard stops uWSGI the way the guide does with Ctrl-C (in the wizard,',
            'Ctrl-C would stop the wizard as well), and the port must be free again.',
          ].join('\n'),
          [
            '確かめたら Enter を押してください。ガイドで Ctrl-C を押すのと同じやり方でウィザードが uWSGI を止め',
            '(ウィザードの中で Ctrl-C を押すとウィザードも終わります)、ポートが空いたことを確かめます。',
          ].join('\n'),
        )
      : text(
          [
            'then stop uWSGI in your own shell, where you started it, with Ctrl-C, as the guide does',
            '(not in the wizard: Ctrl-C here would stop the wizard). The wizard moves on when the port is free.',
          ].join('\n'),
          [
            '確かめたら、uWSGI を起動した自分のシェルで、ガイドと同じく Ctrl-C を押して止めてください',
            '(ウィザードの中で押すとウィザードが終わります)。ポートが空いたらウィザードは先へ進みます。',
          ].join('\n'),
        );
  return text(
    [
      `Before adding nginx, uWSGI answers browsers itself: --protocol=http makes it speak HTTP on`,
      `port ${port} instead of its own uwsgi protocol, and -w wsgi names the module (the file`,
      'name without .py) that holds the application.',
      '',
      `While it runs, the wizard opens ${url} the way your browser would. Once "Hello There!"`,
      `comes back, open ${browse} in your browser too if you like;`,
      stop.en,
    ].join('\n'),
    [
      'nginx を入れる前に、uWSGI だけでブラウザーに答えさせます。--protocol=http で uWSGI 独自の',
      `uwsgi プロトコルではなく HTTP をポート ${port} で話させ、-w wsgi でアプリのあるモジュール`,
      '(ファイル名から .py を除いたもの)を指定します。',
      '',
      `動いている間にウィザードがブラウザーと同じように ${url} を開きます。"Hello There!" が`,
      `返ってきたら、よければ ${browse} をブラウザーでも開いてみてください。`,
      stop.ja,
    ].join('\n'),
  );
}

export const testRun = defineStep({
  id: 'test-run',
  section: 5,
  title: text('Try the app with uWSGI alone', 'uWSGI だけでアプリを試す'),
  // A person's own project is proven by its import instead (steps/app-import.ts), before the service serves it.
  applies: (ctx) => ctx.ownApp === undefined,
  plan(ctx) {
    const p = appPaths(ctx);
    const port = ctx.answers.testPort;
    const url = `http://127.0.0.1:${port}/`;
    return {
      explain: testRunExplained(ctx, 'wizard'),
      notes: [],
      actions: [
        command(ctx, {
          id: 'uwsgi-http-test',
          runAs: 'service-user',
          cwd: p.appDir,
          line: shellLine(p.uwsgi, '--socket', `0.0.0.0:${port}`, '--protocol=http', '-w', 'wsgi'),
          // Python caches the compiled wsgi.py beside it when uWSGI imports it.
          effects: [{ kind: 'creates', path: `${p.appDir}/__pycache__`, made: 'tree', runAs: 'service-user' }],
          guideCommand: 'uwsgi --socket 0.0.0.0:8080 --protocol=http -w wsgi',
          whyDifferent: byVenvPath(p.uwsgi),
          // It serves until the person has looked (or at once with --yes); readiness has its own limit.
          timeoutSec: 3600,
          explain: text(
            `Start uWSGI speaking HTTP on port ${port}; it serves until it is stopped (in the guide, with Ctrl-C).`,
            `ポート ${port} で HTTP を話す uWSGI を起動します。止めるまで動き続けます (ガイドでは Ctrl-C で止めます)。`,
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
  pitfalls: [
    // The guide's test server left running by hand: named, and stopped on confirmation.
    { check: (ctx) => uwsgiByHand(ctx, 'test-run') },
    // The test port, held by another program: uWSGI's test run would not start. A uWSGI holding it is
    // the pitfall above, whose Enter stops it: a second warning telling to stop it or pick another port
    // would contradict that offer (ss names uWSGI's processes "uwsgi").
    {
      check: (ctx) => {
        const port = ctx.answers.testPort;
        const others = `${listeners(ctx, port)} | grep -v 'users:(("uwsgi",'`;
        return {
          id: 'test-port-unused',
          title: text(
            `no program other than uWSGI listens on port ${port} yet`,
            `ポート ${port} で uWSGI 以外のプログラムはまだ待ち受けていない`,
          ),
          probe: { kind: 'command', command: printsNothing(others) },
          found: text(
            `a program already listens on port ${port}: {holders}`,
            `ポート ${port} はすでに使われています: {holders}`,
          ),
          tryThis: text(
            `uWSGI's test run would stop with "Address already in use". Stop it, or run the wizard again with another --test-port.`,
            `このままでは uWSGI の試運転が "Address already in use" で止まります。そのプログラムを止めるか、別の --test-port でウィザードを起動し直してください。`,
          ),
        };
      },
    },
    ufwActive('test-run', ({ answers: { testPort } }) =>
      text(
        `a browser elsewhere cannot open the test page. To look from your browser, \`sudo ufw allow ${testPort}/tcp\` (and \`sudo ufw delete allow ${testPort}/tcp\` after).`,
        `他のマシンのブラウザーからは試運転のページを開けません。ブラウザーで見るなら \`sudo ufw allow ${testPort}/tcp\` を (後で \`sudo ufw delete allow ${testPort}/tcp\` を) 実行してください。`,
      ),
    ),
  ],
  explainByHand: (ctx) => testRunExplained(ctx, 'student'),
  whatToDo(ctx) {
    const p = appPaths(ctx);
    const { testPort } = ctx.answers;
    return text(
      `${asServiceUser(ctx).en}, cd ${p.appDir} and start the venv's uwsgi speaking HTTP on port ${testPort} with the module wsgi. When the wizard has seen the page, stop it with Ctrl-C.`,
      `${asServiceUser(ctx).ja}、cd ${p.appDir} してから、仮想環境の uwsgi をポート ${testPort} で HTTP を話すように、モジュール wsgi を指定して起動します。ウィザードがページを確認したら Ctrl-C で止めます。`,
    );
  },
  wrongMoves: [
    // The apt uwsgi running the test: its exe is /usr/bin/uwsgi*.
    (ctx) => ({
      id: 'apt-uwsgi-running',
      probe: printsSomething(
        ctx,
        `for pid in $(pgrep uwsgi); do readlink /proc/$pid/exe; done | grep '^/usr/bin/uwsgi' | sort -u`,
      ),
      hint: text(
        `The uwsgi that runs is Debian's (below), not the virtualenv's: it answers -w with "no app loaded". Stop it with Ctrl-C and start the venv's: \`${appPaths(ctx).uwsgi} --socket 0.0.0.0:${ctx.answers.testPort} --protocol=http -w wsgi\`, or activate the venv first.`,
        `動いている uwsgi は仮想環境のものではなく Debian のもの (下記) です。-w に "no app loaded" と答えます。Ctrl-C で止めて、仮想環境のものを起動してください: \`${appPaths(ctx).uwsgi} --socket 0.0.0.0:${ctx.answers.testPort} --protocol=http -w wsgi\` (または先に仮想環境を有効に)。`,
      ),
    }),
    // Wrong directory for the test run: uWSGI started elsewhere finds no module wsgi.
    (ctx) => {
      const { appDir } = appPaths(ctx);
      return {
        id: 'uwsgi-in-wrong-directory',
        probe: printsSomething(
          ctx,
          `for pid in $(pgrep uwsgi); do readlink /proc/$pid/cwd; done | grep -vxF ${shellArg(appDir)} | sort -u`,
        ),
        hint: text(
          `uWSGI runs in another directory (below) than the app's, so -w wsgi finds no wsgi.py ("no python application found"). Stop it with Ctrl-C, \`cd ${appDir}\`, and start it again there.`,
          `uWSGI がアプリとは別のディレクトリ (下記) で動いているため、-w wsgi が wsgi.py を見つけられません ("no python application found")。Ctrl-C で止め、\`cd ${appDir}\` してからそこで起動し直してください。`,
        ),
      };
    },
  ],
});
