// Guide section 4 (second half): uWSGI installed with pip inside the virtualenv.
import { appPaths, byVenvPath, command, joinTexts, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import type { PlanContext } from '../src/engine/types.js';
import { defineStep } from './step.js';
import { printsSomething } from './wrong-moves.js';
import { asServiceUser } from './hands-on.js';

/** `--uwsgi-from wheel`: PyPI's prebuilt pyuwsgi instead of the guide's compiled uWSGI. */
export function fromWheel(ctx: PlanContext): boolean {
  return ctx.chosen?.uwsgiFrom === 'wheel';
}

export const uwsgi = defineStep({
  id: 'uwsgi',
  section: 4,
  title: text('Install uWSGI into the virtualenv', '仮想環境に uWSGI を入れる'),
  plan(ctx) {
    const p = appPaths(ctx);
    const wheel = fromWheel(ctx);
    return {
      explain: wheel
        ? text(
            [
              "pip installs pyuwsgi, uWSGI's prebuilt wheel from PyPI, into the virtual environment (you chose",
              '--uwsgi-from wheel). It is the same uWSGI server, compiled once by its makers for Linux (manylinux):',
              'nothing is compiled here, so it takes seconds instead of a minute or more, and neither the Python',
              'headers nor a C compiler is needed. The command it installs is still called uwsgi.',
              '',
              "The guide's `pip install uwsgi` downloads uWSGI's source and compiles it: that is the lesson, and what",
              'the wizard does without --uwsgi-from wheel. Then `uwsgi --version` proves the server is usable.',
            ].join('\n'),
            [
              'pip で、PyPI にある uWSGI のビルド済み wheel「pyuwsgi」を仮想環境に入れます (--uwsgi-from wheel を',
              '選んだため)。中身は同じ uWSGI サーバーで、作者が Linux 向け (manylinux) に一度コンパイルしたものです。',
              'ここでは何もコンパイルしないので 1 分以上ではなく数秒で終わり、Python のヘッダーも C コンパイラーも',
              '要りません。入るコマンドの名前も uwsgi のままです。',
              '',
              'ガイドの `pip install uwsgi` は uWSGI のソースを取ってきてコンパイルします。それが本来の学びで、',
              '--uwsgi-from wheel を付けなければウィザードもそうします。最後に `uwsgi --version` で使えることを確かめます。',
            ].join('\n'),
          )
        : text(
            [
              'pip installs the package named "uwsgi" into the virtual environment. Despite the lower-case',
              'name it is the uWSGI server, not the protocol.',
              '',
              "pip downloads uWSGI's source and compiles it with gcc against the Python headers: expect a",
              'minute or more of compiler output. Then `uwsgi --version` proves the server is usable.',
            ].join('\n'),
            [
              'pip で "uwsgi" というパッケージを仮想環境に入れます。小文字の名前ですが、これはプロトコルでは',
              'なく uWSGI サーバーそのものです。',
              '',
              'pip は uWSGI のソースを取ってきて、Python のヘッダーを使い gcc でコンパイルします。コンパイラー',
              'の出力が 1 分以上続くことがあります。最後に `uwsgi --version` で使えることを確かめます。',
            ].join('\n'),
          ),
      notes: ctx.platform.uwsgiMinimum
        ? [
            text(
              `Python ${ctx.platform.pythonVersion} needs uWSGI ${ctx.platform.uwsgiMinimum} or newer; older releases fail to build against it. pip installs the newest, so leave the version open (an old pin in a requirements file would fail here).`,
              `Python ${ctx.platform.pythonVersion} には uWSGI ${ctx.platform.uwsgiMinimum} 以降が必要で、それより古いバージョンはビルドに失敗します。pip は最新版を入れるので、バージョンは固定しないでください (requirements ファイルの古い固定はここで失敗します)。`,
            ),
          ]
        : [],
      actions: [
        wheel
          ? command(ctx, {
              id: 'pip-install-uwsgi',
              runAs: 'service-user',
              cwd: p.appDir,
              line: shellLine(p.pip, 'install', '--only-binary=:all:', 'pyuwsgi'),
              timeoutSec: 600,
              guideCommand: 'pip install uwsgi',
              whyDifferent: joinTexts(
                byVenvPath(p.pip),
                text(
                  '--uwsgi-from wheel: pyuwsgi is uWSGI prebuilt. --only-binary=:all: makes pip stop with "No matching distribution" rather than compile it where no wheel fits, since this plan installs no compiler.',
                  '--uwsgi-from wheel: pyuwsgi はビルド済みの uWSGI です。この計画ではコンパイラーを入れないので、合う wheel がないときにコンパイルを始めず "No matching distribution" で止まるよう --only-binary=:all: を付けます。',
                ),
              ),
              explain: text(
                "Download uWSGI's prebuilt wheel into the virtualenv.",
                'uWSGI のビルド済み wheel を仮想環境にダウンロードして入れます。',
              ),
            })
          : command(ctx, {
              id: 'pip-install-uwsgi',
              runAs: 'service-user',
              cwd: p.appDir,
              // --verbose shows the compiler at work; without it pip is silent for the whole build.
              line: shellLine(p.pip, 'install', '--verbose', 'uwsgi'),
              timeoutSec: 1800,
              guideCommand: 'pip install uwsgi',
              whyDifferent: joinTexts(
                byVenvPath(p.pip),
                text(
                  '--verbose lets you watch uWSGI being compiled instead of a silent minute.',
                  '--verbose を付けると、無言の 1 分間ではなく uWSGI がコンパイルされる様子が見えます。',
                ),
              ),
              explain: text(
                'Download and build uWSGI inside the virtualenv.',
                'uWSGI をダウンロードして仮想環境の中でビルドします。',
              ),
            }),
        command(ctx, {
          id: 'uwsgi-version',
          runAs: 'service-user',
          cwd: p.appDir,
          line: shellLine(p.uwsgi, '--version'),
          guideCommand: 'uwsgi --version',
          whyDifferent: byVenvPath(p.uwsgi),
          explain: text(
            'Ask the new uWSGI for its version: a number means it is ready.',
            'できた uWSGI にバージョンを尋ねます。番号が出れば使えます。',
          ),
        }),
      ],
      checks: [
        {
          id: 'uwsgi-version',
          title: text(`${p.uwsgi} --version prints a version`, `${p.uwsgi} --version がバージョンを表示する`),
          probe: {
            kind: 'command',
            command: withPrivilege(ctx, 'service-user', shellLine(p.uwsgi, '--version')),
            expectOutput: '^\\d+\\.\\d+',
          },
          tryThis: wheel
            ? text(
                '"No matching distribution found for pyuwsgi" means PyPI has no wheel for this machine (its processor, its Python): run the wizard without --uwsgi-from wheel, and pip compiles uWSGI as the guide does.',
                '"No matching distribution found for pyuwsgi" なら、このマシン (CPU や Python) に合う wheel が PyPI にありません。--uwsgi-from wheel を付けずにウィザードを実行すれば、ガイドと同じく pip が uWSGI をコンパイルします。',
              )
            : text(
                `"Python.h: No such file or directory" means ${ctx.platform.pythonDevPackage} is missing; "gcc: not found" means build-essential is. Install them and retry.`,
                `"Python.h: No such file or directory" なら ${ctx.platform.pythonDevPackage} が、"gcc: not found" なら build-essential がありません。入れてから再試行してください。`,
              ),
        },
      ],
      probeBeforeRun: true,
    };
  },
  pitfalls: [
    // #8: `pip install uwsgi` compiles C (a wheel does not).
    {
      applies: (ctx) => !fromWheel(ctx),
      check: (ctx) => ({
        id: 'compiler-present',
        title: text('a C compiler (gcc) is installed', 'C コンパイラー (gcc) が入っている'),
        probe: { kind: 'command', command: 'command -v gcc' },
        found: text('no C compiler (gcc) is installed.', 'C コンパイラー (gcc) が入っていません。'),
        tryThis: ctx.platform.aptPackages.includes('build-essential')
          ? text(
              'pip compiles uWSGI and would stop with "gcc: not found". The packages step installs build-essential: if it was skipped, run `sudo apt-get install build-essential` before going on.',
              'pip は uWSGI をコンパイルするので、このままでは "gcc: not found" で止まります。build-essential は packages ステップで入ります。飛ばしたなら、先に `sudo apt-get install build-essential` を実行してください。',
            )
          : text(
              'pip compiles uWSGI and would stop with "gcc: not found". The guide\'s package list has no compiler (its server had one): run `sudo apt-get install build-essential` before going on.',
              'pip は uWSGI をコンパイルするので、このままでは "gcc: not found" で止まります。ガイドのパッケージ一覧にはコンパイラーがありません (ガイドのサーバーには入っていました)。先に `sudo apt-get install build-essential` を実行してください。',
            ),
      }),
    },
    {
      applies: (ctx) => !fromWheel(ctx),
      check: (ctx) => ({
        id: 'python-headers-present',
        title: text(`Python's headers (Python.h) are installed`, 'Python のヘッダー (Python.h) が入っている'),
        probe: {
          kind: 'command',
          command: shellLine(
            ctx.platform.systemPython,
            '-c',
            'import os, sys, sysconfig; sys.exit(not os.path.isfile(os.path.join(sysconfig.get_paths()["include"], "Python.h")))',
          ),
        },
        found: text(
          `Python's headers (Python.h) are not installed.`,
          'Python のヘッダー (Python.h) が入っていません。',
        ),
        tryThis: text(
          `pip would stop with "Python.h: No such file or directory". The packages step installs ${ctx.platform.pythonDevPackage}: if it was skipped, run \`sudo apt-get install ${ctx.platform.pythonDevPackage}\` before going on.`,
          `このままでは pip が "Python.h: No such file or directory" で止まります。${ctx.platform.pythonDevPackage} は packages ステップで入ります。飛ばしたなら、先に \`sudo apt-get install ${ctx.platform.pythonDevPackage}\` を実行してください。`,
        ),
      }),
    },
    // #9: Debian's plugin-based uwsgi answers `uwsgi` typed by hand.
    {
      check: (ctx) => {
        const { uwsgi } = appPaths(ctx);
        return {
          id: 'no-apt-uwsgi-on-path',
          title: text('no apt-installed uwsgi comes first on PATH', 'apt で入れた uwsgi が PATH の先頭にない'),
          probe: { kind: 'command', command: `! uwsgi --version 2>/dev/null | grep -i debian` },
          found: text(
            "`uwsgi` typed by hand runs the uwsgi apt installed ({output}), not the virtualenv's.",
            '手で `uwsgi` と打つと、仮想環境のものではなく apt で入れた uwsgi ({output}) が動きます。',
          ),
          tryThis: text(
            `Harmless for the wizard: it calls ${uwsgi} by its full path. But \`uwsgi\` typed by hand outside the virtualenv runs Debian's plugin-based uwsgi, which answers -w with "invalid option" and "no app loaded": use the full path, or \`sudo apt-get remove uwsgi\` if nothing else needs it.`,
            `ウィザードには影響しません。${uwsgi} をフルパスで呼ぶからです。ただ、仮想環境の外で手で \`uwsgi\` と打つと Debian のプラグイン式 uwsgi が動き、-w に "invalid option" や "no app loaded" と答えます。フルパスを使うか、他に使っていなければ \`sudo apt-get remove uwsgi\` で外してください。`,
          ),
        };
      },
    },
  ],
  whatToDo(ctx) {
    const p = appPaths(ctx);
    return text(
      `${asServiceUser(ctx).en}, activate the virtualenv (source ${p.venvBin}/activate) and install uWSGI with its pip; then ask uwsgi for its version.`,
      `${asServiceUser(ctx).ja}、仮想環境を有効にして (source ${p.venvBin}/activate) その pip で uWSGI を入れ、uwsgi にバージョンを尋ねます。`,
    );
  },
  wrongMoves: [
    // The apt uwsgi instead of the venv's: installed with apt during the uWSGI step.
    (ctx) => ({
      id: 'apt-uwsgi-installed',
      // Not while pip is still compiling: the student may be doing it right and only be waiting.
      // [p]ip: the pattern must not match this script's own command line.
      probe: printsSomething(
        ctx,
        `pgrep -f '[p]ip.* install' >/dev/null || ls -1 /usr/bin/uwsgi /usr/bin/uwsgi-core 2>/dev/null`,
      ),
      hint: text(
        `A uwsgi from apt is on this machine (below). That is Debian's plugin-based uwsgi, outside the virtualenv; the guide installs uWSGI into the virtualenv with its pip: \`${appPaths(ctx).pip} install uwsgi\` (or \`pip install uwsgi\` with the venv activated).`,
        `apt の uwsgi がこのマシンにあります (下記)。これは仮想環境の外にある Debian のプラグイン式 uwsgi です。ガイドでは仮想環境の pip で uWSGI を入れます: \`${appPaths(ctx).pip} install uwsgi\` (または仮想環境を有効にして \`pip install uwsgi\`)。`,
      ),
    }),
    // The venv not activated: pip put uWSGI into the user's ~/.local or the system's site-packages.
    (ctx) => {
      const { venv } = appPaths(ctx);
      return {
        id: 'uwsgi-outside-venv',
        probe: printsSomething(
          ctx,
          `ls -1d ~${ctx.answers.user}/.local/bin/uwsgi ~root/.local/bin/uwsgi /usr/local/bin/uwsgi 2>/dev/null`,
        ),
        hint: text(
          `uWSGI was installed outside the virtualenv (below): pip ran without the venv activated. Activate it first (\`source ${venv}/bin/activate\`, the prompt then starts with (${ctx.answers.appName}env)) or call its pip by path, \`${venv}/bin/pip install uwsgi\`. Take the stray one away with \`pip uninstall uwsgi\` outside the venv.`,
          `uWSGI が仮想環境の外に入りました (下記)。仮想環境を有効にせずに pip を実行したためです。先に有効にする (\`source ${venv}/bin/activate\`、プロンプトが (${ctx.answers.appName}env) で始まります) か、pip をパスで呼んでください: \`${venv}/bin/pip install uwsgi\`。迷子の方は仮想環境の外で \`pip uninstall uwsgi\` で消せます。`,
        ),
      };
    },
  ],
});
