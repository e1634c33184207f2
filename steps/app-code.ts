// A person's own project (issue 17), in place of the guide's wsgi.py: its code copied into the app
// directory, owned by the service user, and the small wsgi.py a Flask app factory needs.
import { command, shellArg, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import type { FoundApp } from '../src/engine/own-app/found.js';
import { NOT_COPIED, ownAppPaths, wsgiTarget } from '../src/engine/own-app/paths.js';
import type { Action, CommandAction, PlanContext } from '../src/engine/types.js';
import { defineStep, right, wrong } from './step.js';

/** The app found in the project: the own app's steps are planned only with one. */
export function ownApp(ctx: PlanContext): FoundApp {
  if (!ctx.ownApp) throw new Error('an own-app step was planned without ctx.ownApp');
  return ctx.ownApp;
}

/**
 * A line that reads the person's project. A wizard run by root reads it as the service user, as the finder did:
 * whoever may write in the project could otherwise point a link there (`.env` → /etc/shadow) and have root read
 * it into a copy the service user owns. Run by the person, it reads with their own rights, which is all they have.
 */
export function readingSource(ctx: PlanContext, line: string): string {
  return ctx.privilege.isRoot ? withPrivilege(ctx, 'service-user', line) : line;
}

/** Who reads the project (readingSource): said where the copy is explained. */
export function sourceReader(ctx: PlanContext): { en: string; ja: string } {
  const { user } = ctx.answers;
  return ctx.privilege.isRoot ? { en: user, ja: user } : { en: 'you', ja: 'あなた' };
}

/**
 * The project's files, read as readingSource says and written by the service user into `into`: nothing in the
 * source directory is changed, nothing in the copy is root's.
 */
export function copyCodeLine(ctx: PlanContext, into: string): string {
  const { source } = ownAppPaths(ctx, ownApp(ctx));
  const excludes = NOT_COPIED.map((pattern) => `--exclude=${shellArg(pattern)}`);
  const read = readingSource(ctx, ['tar', '-C', shellArg(source), ...excludes, '-cf', '-', '.'].join(' '));
  return `${read} | ${withPrivilege(ctx, 'service-user', shellLine('tar', '-C', into, '-xf', '-'))}`;
}

/** A command whose line is given whole (a pipe between two accounts): shown and run as it is. */
export function pipedCommand(
  spec: Omit<CommandAction, 'kind' | 'timeoutSec'> & { timeoutSec?: number },
): CommandAction {
  const { timeoutSec, ...rest } = spec;
  return { kind: 'command', timeoutSec: timeoutSec ?? 120, ...rest };
}

export const appCode = defineStep({
  id: 'app-code',
  section: 5,
  title: text('Copy your project into the app directory', 'プロジェクトをアプリのディレクトリにコピーする'),
  applies: (ctx) => ctx.ownApp !== undefined,
  plan(ctx) {
    const app = ownApp(ctx);
    const o = ownAppPaths(ctx, app);
    const { user } = ctx.answers;
    const reader = sourceReader(ctx);
    const actions: Action[] = [
      command(ctx, {
        id: 'mkdir-code',
        runAs: 'service-user',
        line: shellLine('mkdir', '-p', o.code),
        // The copy is the wizard's: undo takes it away whole, the person's source stays.
        effects: [{ kind: 'creates', path: o.code, made: 'tree', runAs: 'service-user' }],
        explain: text(
          `Make ${o.code}, where the service's copy of the project lives, owned by ${user}.`,
          `サービスが動かすプロジェクトのコピーを置く ${o.code} を、所有者 ${user} で作ります。`,
        ),
      }),
      pipedCommand({
        id: 'copy-code',
        command: copyCodeLine(ctx, o.code),
        explain: text(
          `Copy the project from ${o.source} into ${o.code}: tar reads it as ${reader.en}, and ${user} writes the copy, so every copied file is ${user}'s and ${o.source} is only read. Left out: ${NOT_COPIED.join(' ')} (history, caches, virtualenvs, and .env, whose secrets get a file of their own).`,
          `${o.source} のプロジェクトを ${o.code} にコピーします。読むのは ${reader.ja} の tar、書くのは ${user} の tar なので、コピーしたファイルはすべて ${user} のものになり、${o.source} は読まれるだけです。コピーしないもの: ${NOT_COPIED.join(' ')} (履歴、キャッシュ、仮想環境、それに秘密を入れる .env。これには専用のファイルを作ります)。`,
        ),
      }),
    ];
    if (app.shim) {
      actions.push({
        kind: 'file',
        id: 'write-shim',
        path: o.inCode(app.shim.path),
        content: app.shim.content,
        owner: user,
        group: ctx.userGroup,
        mode: 0o644,
        explain: text(
          `Your app is made by a factory, ${app.shim.factory}(): uWSGI needs an object to call, not a function that makes one. This small module calls the factory once when uWSGI loads it; uWSGI serves ${wsgiTarget(app)}. It is written into the copy only.`,
          `アプリはファクトリー ${app.shim.factory}() が作ります。uWSGI が必要とするのは呼び出せるオブジェクトで、それを作る関数ではありません。この小さなモジュールは uWSGI が読み込むときにファクトリーを一度だけ呼び、uWSGI は ${wsgiTarget(app)} を提供します。書くのはコピーの中だけです。`,
        ),
      });
    }
    return {
      explain: text(
        [
          `Your project is served from a copy: ${o.code}, owned by ${user}, the account uWSGI runs as.`,
          `Your own directory, ${o.source}, is read and never changed: you can keep editing it, and`,
          'the site runs only what the wizard copied and proved. `uwsgi-nginx-guide deploy` copies it',
          'again when you want your changes served.',
          '',
          `uWSGI will import ${app.module} and call ${app.callable} in it (${wsgiTarget(app)}), from ${o.chdir}.`,
        ].join('\n'),
        [
          `プロジェクトはコピーから動かします。${o.code} で、所有者は uWSGI が動くアカウント ${user} です。`,
          `あなたのディレクトリ ${o.source} は読むだけで変えません。編集を続けても、サイトが動かすのは`,
          'ウィザードがコピーして確かめたものだけです。変更を公開したくなったら `uwsgi-nginx-guide deploy` で',
          'もう一度コピーします。',
          '',
          `uWSGI は ${o.chdir} から ${app.module} をインポートし、その中の ${app.callable} を呼びます (${wsgiTarget(app)})。`,
        ].join('\n'),
      ),
      notes: [],
      actions,
      checks: [
        {
          id: 'code-copied',
          title: text(`${o.code} is there, owned by ${user}`, `${o.code} があり、所有者は ${user}`),
          // A directory: `test -O` as the user says it is theirs.
          probe: { kind: 'command', command: withPrivilege(ctx, 'service-user', shellLine('test', '-O', o.code)) },
          tryThis: text(
            `Run this step again; if tar said "Permission denied", your account cannot read part of ${o.source}.`,
            `このステップをやり直してください。tar が "Permission denied" と言ったなら、あなたのアカウントが ${o.source} の一部を読めません。`,
          ),
        },
        ...(app.shim
          ? [
              {
                id: 'shim-written',
                title: text(
                  `${o.inCode(app.shim.path)} calls ${app.shim.factory}()`,
                  `${o.inCode(app.shim.path)} が ${app.shim.factory}() を呼ぶ`,
                ),
                probe: { kind: 'file' as const, path: o.inCode(app.shim.path), content: app.shim.content, owner: user },
                tryThis: text('Run this step again to write it.', 'このステップをやり直すと書き直します。'),
              },
            ]
          : []),
      ],
      probeBeforeRun: true,
    };
  },
  quiz: [
    {
      id: 'why-a-copy',
      question: text(
        'Why does the service run a copy of your project rather than your own directory?',
        'サービスがあなたのディレクトリではなく、プロジェクトのコピーを動かすのはなぜですか?',
      ),
      choices: [
        right(
          text(
            'The copy belongs to the service account, and what runs is what was proven: editing your files cannot break the site',
            'コピーはサービスのアカウントのもので、動くのは確かめたものだけ。あなたがファイルを編集してもサイトは壊れない',
          ),
          text(
            'Your directory stays yours (the service account needs no access to it), and a change reaches the site only through deploy, which proves it imports first.',
            'あなたのディレクトリはあなたのままで (サービスのアカウントに権限は要りません)、変更がサイトに届くのは、先にインポートを確かめる deploy を通したときだけです。',
          ),
        ),
        wrong(
          text('uWSGI cannot read files outside /home', 'uWSGI は /home の外のファイルを読めないから'),
          text(
            'uWSGI reads whatever its account may read; the question is whose files they are and when they change.',
            'uWSGI はそのアカウントが読めるものなら読めます。問題は誰のファイルで、いつ変わるかです。',
          ),
        ),
        wrong(
          text('Copying makes Python run faster', 'コピーすると Python が速くなるから'),
          text(
            'Speed is the same; the copy is about ownership and control.',
            '速さは同じです。コピーは所有と管理のためです。',
          ),
        ),
      ],
    },
  ],
});
