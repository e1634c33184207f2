// Guide section 4 (second half): uWSGI installed with pip inside the virtualenv.
import { appPaths, byVenvPath, command, joinTexts, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import type { StepDefinition } from '../src/engine/types.js';

export const uwsgi: StepDefinition = {
  id: 'uwsgi',
  section: 4,
  title: text('Install uWSGI into the virtualenv', '仮想環境に uWSGI を入れる'),
  plan(ctx) {
    const p = appPaths(ctx);
    return {
      explain: text(
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
        command(ctx, {
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
          tryThis: text(
            `"Python.h: No such file or directory" means ${ctx.platform.pythonDevPackage} is missing; "gcc: not found" means build-essential is. Install them and retry.`,
            `"Python.h: No such file or directory" なら ${ctx.platform.pythonDevPackage} が、"gcc: not found" なら build-essential がありません。入れてから再試行してください。`,
          ),
        },
      ],
      probeBeforeRun: true,
    };
  },
};
