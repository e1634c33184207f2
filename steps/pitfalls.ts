// The pitfalls of ../shared/notes/pitfalls.md that depend on the machine rather than the plan,
// each a read-only probe asked before the step it would break (PlannedStep.preflight). A failed
// one is shown as a warning with what will be done about it; it never stops the run. The numbers
// are the notes' own.
import { appPaths, shellArg, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import type { Check, PlanContext, StepDefinition, StepId, Text } from '../src/engine/types.js';

interface Pitfall {
  /** The step it would break: asked before that step's first action. */
  before: StepId;
  /** Whether it can happen with this plan on this platform. */
  applies?: (ctx: PlanContext) => boolean;
  check: (ctx: PlanContext) => Check;
}

/** Passes when `line` prints nothing; what it prints is what the person is shown. */
function printsNothing(line: string): string {
  return `! ${line} | grep .`;
}

/** Who listens on a TCP port, with the process's name (ss -p needs root to name others' processes). */
function listeners(ctx: PlanContext, port: number): string {
  // tail skips ss's header: -H is missing from older iproute2 (Ubuntu 14.04).
  return `${withPrivilege(ctx, 'root', shellLine('ss', '-ltnp', `sport = :${port}`))} 2>/dev/null | tail -n +2`;
}

/** #19: ufw active, and what a browser elsewhere then cannot reach. */
function ufwActive(before: StepId, consequence: (ctx: PlanContext) => Text): Pitfall {
  return {
    before,
    check: (ctx) => {
      const what = consequence(ctx);
      return {
        id: `ufw-before-${before}`,
        title: text('the firewall (ufw) is not active', 'ファイアウォール (ufw) が有効になっていない'),
        probe: {
          kind: 'command',
          command: `! ${withPrivilege(ctx, 'root', 'ufw status')} 2>/dev/null | grep -i 'Status: active'`,
        },
        tryThis: text(
          `ufw is active (DigitalOcean's images let only SSH in): ${what.en} The wizard's own checks ask from 127.0.0.1, so they pass either way.`,
          `ufw が有効です (DigitalOcean のイメージは SSH しか通しません)。${what.ja}ウィザード自身の確認は 127.0.0.1 から行うので、どちらでも通ります。`,
        ),
      };
    },
  };
}

export const PITFALLS: readonly Pitfall[] = [
  // #8: `pip install uwsgi` compiles C.
  {
    before: 'uwsgi',
    check: (ctx) => ({
      id: 'compiler-present',
      title: text('a C compiler (gcc) is installed', 'C コンパイラー (gcc) が入っている'),
      probe: { kind: 'command', command: 'command -v gcc' },
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
    before: 'uwsgi',
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
      tryThis: text(
        `pip would stop with "Python.h: No such file or directory". The packages step installs ${ctx.platform.pythonDevPackage}: if it was skipped, run \`sudo apt-get install ${ctx.platform.pythonDevPackage}\` before going on.`,
        `このままでは pip が "Python.h: No such file or directory" で止まります。${ctx.platform.pythonDevPackage} は packages ステップで入ります。飛ばしたなら、先に \`sudo apt-get install ${ctx.platform.pythonDevPackage}\` を実行してください。`,
      ),
    }),
  },
  // #9: Debian's plugin-based uwsgi answers `uwsgi` typed by hand.
  {
    before: 'uwsgi',
    check: (ctx) => {
      const { uwsgi } = appPaths(ctx);
      return {
        id: 'no-apt-uwsgi-on-path',
        title: text('no apt-installed uwsgi comes first on PATH', 'apt で入れた uwsgi が PATH の先頭にない'),
        probe: { kind: 'command', command: `! uwsgi --version 2>/dev/null | grep -i debian` },
        tryThis: text(
          `Harmless for the wizard: it calls ${uwsgi} by its full path. But \`uwsgi\` typed by hand outside the virtualenv runs Debian's plugin-based uwsgi, which answers -w with "invalid option" and "no app loaded": use the full path, or \`sudo apt-get remove uwsgi\` if nothing else needs it.`,
          `ウィザードには影響しません。${uwsgi} をフルパスで呼ぶからです。ただ、仮想環境の外で手で \`uwsgi\` と打つと Debian のプラグイン式 uwsgi が動き、-w に "invalid option" や "no app loaded" と答えます。フルパスを使うか、他に使っていなければ \`sudo apt-get remove uwsgi\` で外してください。`,
        ),
      };
    },
  },
  // The test port, held by another program: uWSGI's test run would not start.
  {
    before: 'test-run',
    check: (ctx) => {
      const port = ctx.answers.testPort;
      return {
        id: 'test-port-unused',
        title: text(`nothing listens on port ${port} yet`, `ポート ${port} でまだ何も待ち受けていない`),
        probe: { kind: 'command', command: printsNothing(listeners(ctx, port)) },
        tryThis: text(
          `The program named above holds port ${port}: uWSGI's test run would stop with "Address already in use". Stop it, or run the wizard again with another --test-port.`,
          `上に示したプログラムがポート ${port} を使っています。このままでは uWSGI の試運転が "Address already in use" で止まります。そのプログラムを止めるか、別の --test-port でウィザードを起動し直してください。`,
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
  // #12: the guide's socket in the home directory, which nginx must be able to pass through.
  {
    before: 'service',
    applies: (ctx) => ctx.platform.socketInAppDir,
    check: (ctx) => {
      const { appDir, socket } = appPaths(ctx);
      const { webGroup } = ctx.answers;
      return {
        id: 'app-dir-reachable-by-web',
        title: text(
          `${webGroup} can reach ${appDir}, where the socket will be`,
          `${webGroup} がソケットを置く ${appDir} に届く`,
        ),
        probe: { kind: 'command', command: withPrivilege(ctx, 'web-user', shellLine('test', '-x', appDir)) },
        tryThis: text(
          `A directory above ${appDir} is closed to ${webGroup} (\`namei -l ${socket}\` shows which): nginx would answer 502 "Permission denied". The wizard keeps the guide's layout and changes no permission; open the home directory with \`chmod o+x\` on it (or \`sudo setfacl -m u:${webGroup}:x\`) before going on.`,
          `${appDir} の上のディレクトリが ${webGroup} に閉じています (\`namei -l ${socket}\` でどこかわかります)。このままでは nginx が 502 "Permission denied" を返します。ウィザードはガイドの配置のまま権限は変えません。先にホームディレクトリに \`chmod o+x\` を (または \`sudo setfacl -m u:${webGroup}:x\` を) 実行してください。`,
        ),
      };
    },
  },
  // #15: another site answers instead of this one.
  {
    before: 'nginx',
    check: () => ({
      id: 'no-other-default-site',
      title: text(
        "no other enabled site is nginx's default server",
        '他に有効なサイトが nginx の既定サーバーになっていない',
      ),
      // Commented-out lines (Debian's default site has a few) do not count.
      probe: { kind: 'command', command: "! grep -RnE '^[^#]*default_server' /etc/nginx/sites-enabled/" },
      tryThis: text(
        'Requests for any other name than yours (browsing by IP address, `curl localhost`) get that site\'s "Welcome to nginx!" page, not your app. The wizard\'s own checks send your server name, so they are not affected, and it leaves the site as it is; to make your app the answer for every name, `sudo rm /etc/nginx/sites-enabled/default`.',
        'あなたのサーバー名以外へのリクエスト (IP アドレスでのアクセスや `curl localhost`) には、アプリではなくそのサイトの "Welcome to nginx!" が返ります。ウィザードの確認はあなたのサーバー名を送るので影響はなく、そのサイトもそのままにします。どの名前でもアプリが答えるようにするなら `sudo rm /etc/nginx/sites-enabled/default` を実行してください。',
      ),
    }),
  },
  {
    before: 'nginx',
    check: (ctx) => {
      const { serverName, appName } = ctx.answers;
      const ours = `/etc/nginx/sites-enabled/${appName}:`;
      return {
        id: 'server-name-free',
        title: text(
          `no other enabled site answers for ${serverName}`,
          `他に有効なサイトが ${serverName} に答えていない`,
        ),
        probe: {
          kind: 'command',
          command: printsNothing(
            `grep -RnE '^[^#]*server_name' /etc/nginx/sites-enabled/ 2>/dev/null | grep -v ${shellArg(`^${ours}`)} | grep -wF ${shellArg(serverName)}`,
          ),
        },
        tryThis: text(
          `The site named above also answers for ${serverName}: nginx would warn "conflicting server name" and use only the first of the two, which may not be this app. Take the name out of that site, or run the wizard again with another --server-name.`,
          `上に示したサイトも ${serverName} に答えます。nginx は "conflicting server name" と警告し、二つのうち最初の方だけを使うので、このアプリにならないことがあります。そのサイトから名前を外すか、別の --server-name でウィザードを起動し直してください。`,
        ),
      };
    },
  },
  {
    before: 'nginx',
    check: (ctx) => ({
      id: 'port-80-nginx-or-free',
      title: text('port 80 is free or held by nginx', 'ポート 80 が空いているか nginx が使っている'),
      probe: { kind: 'command', command: printsNothing(`${listeners(ctx, 80)} | grep -v '"nginx"'`) },
      tryThis: text(
        'The program named above holds port 80: nginx could not take it, and its restart would fail with "Address already in use". Stop that program (for Apache: `sudo service apache2 stop`) before going on.',
        '上に示したプログラムがポート 80 を使っています。nginx はポートを取れず、再起動が "Address already in use" で失敗します。先にそのプログラムを止めてください (Apache なら `sudo service apache2 stop`)。',
      ),
    }),
  },
  ufwActive('nginx', () =>
    text(
      "browsers elsewhere cannot reach port 80. Let nginx's ports in with `sudo ufw allow 'Nginx Full'`.",
      "他のマシンのブラウザーからポート 80 に届きません。`sudo ufw allow 'Nginx Full'` で nginx のポートを通してください。",
    ),
  ),
];

/** The pitfall checks asked before a step, for this plan. */
export function preflightFor(step: StepId, ctx: PlanContext): Check[] {
  return PITFALLS.filter((p) => p.before === step && (p.applies?.(ctx) ?? true)).map((p) => p.check(ctx));
}

/** A curriculum whose steps carry their pitfall checks. */
export function withPitfalls(curriculum: readonly StepDefinition[]): StepDefinition[] {
  return curriculum.map((def) => ({
    ...def,
    plan(ctx) {
      const planned = def.plan(ctx);
      const preflight = [...(planned.preflight ?? []), ...preflightFor(def.id, ctx)];
      return preflight.length > 0 ? { ...planned, preflight } : planned;
    },
  }));
}
