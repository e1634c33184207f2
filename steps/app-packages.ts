// A person's own project (issue 17): the packages it lists, installed into the app's virtualenv by
// the service user, pip's output live.
import { appPaths, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import { ownAppPaths } from '../src/engine/own-app/paths.js';
import type { CommandAction, PlanContext, Text } from '../src/engine/types.js';
import { ownApp, pipedCommand } from './app-code.js';
import { defineStep, right, wrong } from './step.js';

// pyproject.toml's [project] dependencies installed by the venv's Python itself: the dependencies alone, not the
// project, which is served from its copy. Each goes to pip as an argument of its own, so a marker (`; python_version
// < "3.12"`) stays whole; one process as the app's account, as a pipe into `pip -r /dev/stdin` could not be (the pipe
// is root's: the account may not open /dev/stdin). tomllib is Python 3.11's; before it, the tomli pip carries.
const PYPROJECT_INSTALL = [
  'import importlib, subprocess, sys',
  'toml = importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "pip._vendor.tomli")',
  'deps = toml.load(open(sys.argv[1], "rb")).get("project", {}).get("dependencies", [])',
  'sys.exit(subprocess.call([sys.executable, "-m", "pip", "install", *deps]) if deps else 0)',
].join('; ');

/** What to do when pip fails: its own error says which of these it is. */
export const PIP_TRY_THIS: Text = text(
  'Read pip\'s error above. "No matching distribution found" names a package or version pip cannot find for this Python: change that line. "fatal error: …h: No such file" or "pg_config executable not found" means a package builds C code against a system library: install its Debian -dev package (psycopg2: libpq-dev; mysqlclient: default-libmysqlclient-dev pkg-config; lxml: libxml2-dev libxslt1-dev), or use a binary wheel (psycopg2-binary), then run this step again.',
  '上の pip のエラーを読んでください。"No matching distribution found" は、この Python 向けには見つからないパッケージやバージョンを示しています。その行を直してください。"fatal error: …h: No such file" や "pg_config executable not found" は、パッケージがシステムのライブラリに対して C のコードをビルドしようとしています。その Debian の -dev パッケージを入れるか (psycopg2 なら libpq-dev、mysqlclient なら default-libmysqlclient-dev pkg-config、lxml なら libxml2-dev libxslt1-dev)、ビルド済みの wheel (psycopg2-binary) を使ってから、このステップをやり直してください。',
);

/** The command that installs the packages the project lists from `codeDir` (its copy, or deploy's new one). */
export function installRequirements(ctx: PlanContext, codeDir: string, id: string, explain: Text): CommandAction {
  const app = ownApp(ctx);
  const p = appPaths(ctx);
  const requirements = app.requirements!;
  const file = requirements.path === '' ? codeDir : `${codeDir}/${requirements.path}`;
  const asUser = (line: string) => withPrivilege(ctx, 'service-user', line);
  const command =
    requirements.kind === 'requirements.txt'
      ? asUser(shellLine(p.pip, 'install', '-r', file))
      : asUser(shellLine(p.python, '-c', PYPROJECT_INSTALL, file));
  return pipedCommand({
    id,
    command,
    cwd: codeDir,
    // Compiling a package's C code can take minutes on a small machine.
    timeoutSec: 1200,
    tryThis: PIP_TRY_THIS,
    explain,
  });
}

export const appPackages = defineStep({
  id: 'app-packages',
  section: 5,
  title: text("Install your project's packages", 'プロジェクトのパッケージを入れる'),
  applies: (ctx) => ctx.ownApp?.requirements !== undefined,
  plan(ctx) {
    const app = ownApp(ctx);
    const o = ownAppPaths(ctx, app);
    const p = appPaths(ctx);
    const { user } = ctx.answers;
    const listed = o.inCode(app.requirements!.path);
    // The app's account chosen as root (--allow-root): its packages' setup code then runs as root, and is said to.
    const asRoot = user === 'root';
    return {
      explain: text(
        [
          `${listed} lists what your project needs. pip installs it into ${p.venv}, the same virtualenv`,
          asRoot
            ? "as uWSGI, as root, the app's account you chose: nothing goes into the system Python, but each"
            : `as uWSGI, as ${user}: nothing goes into the system Python, and nothing runs as root. pip's`,
          ...(asRoot ? ["package's setup code runs as root while it installs, as your app will. pip's"] : []),
          'output shows as it comes; a package that builds C code can take a while.',
        ].join('\n'),
        [
          `${listed} にはプロジェクトに必要なものが並んでいます。pip がそれを ${user} として、uWSGI と同じ`,
          asRoot
            ? `仮想環境 ${p.venv} に入れます。システムの Python には何も入りませんが、アプリのアカウントに root を選んだので、`
            : `仮想環境 ${p.venv} に入れます。システムの Python には何も入らず、root では何も実行しません。`,
          ...(asRoot
            ? ['各パッケージのセットアップのコードはインストール中に root で動きます (アプリも root で動きます)。']
            : []),
          'pip の出力はそのまま表示します。C のコードをビルドするパッケージは時間がかかることがあります。',
        ].join('\n'),
      ),
      notes: [],
      actions: [
        installRequirements(
          ctx,
          o.code,
          'pip-install-requirements',
          app.requirements!.kind === 'requirements.txt'
            ? text(`Install the packages of ${listed} as ${user}.`, `${listed} のパッケージを ${user} として入れます。`)
            : text(
                `Install the dependencies listed in ${listed} ([project] dependencies) as ${user}; your project itself runs from its copy.`,
                `${listed} の [project] dependencies にある依存パッケージを ${user} として入れます。プロジェクト自体はコピーから動かします。`,
              ),
        ),
      ],
      checks: [
        {
          id: 'pip-check',
          title: text(
            'pip check: every installed package has what it requires',
            'pip check: 入れたパッケージが必要とするものがすべてそろっている',
          ),
          probe: { kind: 'command', command: withPrivilege(ctx, 'service-user', shellLine(p.pip, 'check')) },
          tryThis: text(
            'pip names the package with a missing or conflicting requirement: pin a version that fits in your list, and run this step again.',
            'pip が、必要なものが欠けているか食い違っているパッケージを示しています。合うバージョンをリストに書いて、このステップをやり直してください。',
          ),
        },
      ],
      probeBeforeRun: false,
    };
  },
  quiz: [
    {
      id: 'packages-as-user',
      question: text(
        "Why are your project's packages installed by the service account into the virtualenv, not with sudo pip?",
        'プロジェクトのパッケージを sudo pip ではなく、サービスのアカウントで仮想環境に入れるのはなぜですか?',
      ),
      choices: [
        right(
          text(
            "A package's setup code runs while it installs: as the app's account it can harm only the app, and the system Python stays as Debian made it",
            'パッケージのセットアップのコードはインストール中に実行される。アプリのアカウントならアプリしか壊せず、システムの Python も Debian が作ったままになる',
          ),
          text(
            'sudo pip runs code from the internet as root and mixes packages into the system Python (which PEP 668 now refuses).',
            'sudo pip はインターネットから来たコードを root で実行し、システムの Python にパッケージを混ぜます (今は PEP 668 がそれを拒みます)。',
          ),
        ),
        wrong(
          text('pip is faster without root', 'root でない方が pip が速いから'),
          text('Speed has nothing to do with it.', '速さとは関係ありません。'),
        ),
        wrong(
          text(
            'uWSGI can only import packages owned by its account',
            'uWSGI は自分のアカウントのパッケージしかインポートできないから',
          ),
          text(
            'Python imports any package it can read; who owns them matters for what their install may change.',
            'Python は読めるパッケージなら何でもインポートします。持ち主が大事なのは、インストールが何を変えられるかのためです。',
          ),
        ),
      ],
    },
  ],
});
