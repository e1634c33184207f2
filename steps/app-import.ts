// A person's own project (issue 17): proof, before any service runs it, that the service user with
// the venv's Python imports the app from its directory and finds the callable, Python's own error
// shown when not. What uWSGI does first; `need-app` makes the service fail the same way.
import { appPaths, command, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import type { FoundApp } from '../src/engine/own-app/found.js';
import { ownAppPaths, wsgiTarget } from '../src/engine/own-app/paths.js';
import type { Check, PlanContext } from '../src/engine/types.js';
import { appDjangoEnv } from './app-django.js';
import { withAppEnv } from './app-env.js';
import { ownApp } from './app-code.js';
import { defineStep, right, wrong } from './step.js';

/** Python that imports the module as uWSGI would (its directory first on the path) and insists on a callable. */
export function importSnippet(app: FoundApp): string {
  // Double quotes only: the line stays readable once the shell's single quotes are put around it.
  const target = JSON.stringify(wsgiTarget(app));
  return [
    'import importlib, sys',
    'sys.path.insert(0, "")',
    `app = getattr(importlib.import_module(${JSON.stringify(app.module)}), ${JSON.stringify(app.callable)})`,
    `assert callable(app), ${target} + " is not callable: %r" % (app,)`,
    `print(${target}, "imported:", type(app).__module__ + "." + type(app).__name__)`,
  ].join('; ');
}

/** The proof that `chdir` (the copy, or deploy's new code) imports, as the service user, with the app's variables. */
export function importCheck(ctx: PlanContext, chdir: string, id = 'app-imports'): Check {
  const app = ownApp(ctx);
  const p = appPaths(ctx);
  const { user } = ctx.answers;
  const line = withAppEnv(ctx, ...appDjangoEnv(ctx), p.python, '-B', '-c', importSnippet(app));
  return {
    id,
    title: text(
      `${user} imports ${wsgiTarget(app)} with the venv's Python, from ${chdir}`,
      `${user} が仮想環境の Python で ${chdir} から ${wsgiTarget(app)} をインポートできる`,
    ),
    probe: {
      kind: 'command',
      cwd: chdir,
      // -B: a check changes nothing, not even a __pycache__ directory.
      command: withPrivilege(ctx, 'service-user', line),
      expectOutput: 'imported:',
    },
    tryThis: text(
      "Above is Python's own error. ModuleNotFoundError for a package: add it to your requirements and deploy again; for your own module: the module or the directory is not the right one. AttributeError: the callable has another name. KeyError or ImproperlyConfigured about a setting: add the variable to the environment file.",
      '上は Python 自身のエラーです。パッケージの ModuleNotFoundError なら requirements に加えて deploy し直してください。自分のモジュールなら、モジュール名かディレクトリが違います。AttributeError なら callable の名前が違います。設定についての KeyError や ImproperlyConfigured なら、その変数を環境ファイルに加えてください。',
    ),
  };
}

export const appImport = defineStep({
  id: 'app-import',
  section: 5,
  title: text('Prove that your app imports', 'アプリがインポートできることを確かめる'),
  applies: (ctx) => ctx.ownApp !== undefined,
  plan(ctx) {
    const app = ownApp(ctx);
    const o = ownAppPaths(ctx, app);
    const p = appPaths(ctx);
    const { user } = ctx.answers;
    return {
      explain: text(
        [
          `Before uWSGI serves it, the wizard does what uWSGI will do first: as ${user}, with the`,
          `virtualenv's Python, from ${o.chdir}, import ${app.module} and take ${app.callable} from it.`,
          "When that fails you see Python's own error here, not a 502 later. First the project is",
          'compiled to bytecode, which finds a syntax error in any of its files, and makes the first',
          'start quicker.',
        ].join('\n'),
        [
          `uWSGI に任せる前に、uWSGI が最初にすることをウィザードが行います。${user} として仮想環境の`,
          `Python で、${o.chdir} から ${app.module} をインポートし、その中の ${app.callable} を取り出します。`,
          '失敗すれば、後で 502 を見るのではなく、ここで Python 自身のエラーが見えます。その前に',
          'プロジェクトをバイトコードにコンパイルします。どのファイルの文法の誤りも見つかり、最初の起動も',
          '速くなります。',
        ].join('\n'),
      ),
      notes: [],
      actions: [
        command(ctx, {
          id: 'compile-app',
          runAs: 'service-user',
          line: shellLine(p.python, '-m', 'compileall', '-q', o.code),
          timeoutSec: 300,
          explain: text(
            `Compile every Python file of ${o.code} as ${user}: a syntax error anywhere is named with its file and line.`,
            `${o.code} のすべての Python ファイルを ${user} としてコンパイルします。どこかに文法の誤りがあれば、そのファイルと行を示します。`,
          ),
        }),
      ],
      checks: [importCheck(ctx, o.chdir)],
      probeBeforeRun: false,
    };
  },
  quiz: [
    {
      id: 'need-app',
      question: text(
        'The ini says need-app = true. What happens when your app cannot be imported?',
        'ini に need-app = true とあります。アプリをインポートできないと何が起きますか?',
      ),
      choices: [
        right(
          text('uWSGI exits at start, with the error in its log', 'uWSGI は起動時に終了し、エラーがログに残る'),
          text(
            'The service fails where you look for failures. Without it, uWSGI would run with no app and answer every request with 500 "Internal Server Error".',
            '失敗を探す場所でサービスが失敗します。これがないと uWSGI はアプリなしで動き続け、すべてのリクエストに 500 "Internal Server Error" を返します。',
          ),
        ),
        wrong(
          text('uWSGI imports it again at each request', 'uWSGI はリクエストのたびにインポートし直す'),
          text(
            'uWSGI imports the app once, when it starts (or reloads); requests only call the callable.',
            'uWSGI がアプリをインポートするのは起動 (または再読み込み) のときの一度だけで、リクエストは callable を呼ぶだけです。',
          ),
        ),
        wrong(
          text('nginx shows the Python error to the browser', 'nginx がブラウザーに Python のエラーを見せる'),
          text(
            "nginx never sees Python errors: without need-app it would pass on uWSGI's 500, and with it answer 502 while uWSGI is down.",
            'nginx は Python のエラーを見ません。need-app がなければ uWSGI の 500 を伝え、あれば uWSGI が止まっている間 502 を返します。',
          ),
        ),
      ],
    },
  ],
});
