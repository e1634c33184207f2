// Hands-on mode (`--hands-on`, issue 7): the student types each step in their own shell while the
// wizard watches the step's checks. For every step with actions this file adds what the student
// is shown: each action as a person types it (which account, which directory), hint 1 (what to do,
// in words), hint 2 (the exact lines, paste-ready) and the wrong moves to recognise
// (steps/wrong-moves.ts). Hint 3, "do it for me", is the step's own actions, run by the wizard.
import { appPaths, shellArg, shellLine, text, withPrivilege } from '../src/engine/commands.js';
import type {
  Action,
  HandsOn,
  PlanContext,
  PlannedStep,
  RunAs,
  StepDefinition,
  StepId,
  Text,
  TypedAction,
} from '../src/engine/types.js';
import { wrongMovesFor } from './wrong-moves.js';

/** Hint 1 for each step a student does by hand: the way there in words, without the command. */
function whatToDo(id: StepId, ctx: PlanContext): Text | undefined {
  const p = appPaths(ctx);
  const { user, appName, testPort } = ctx.answers;
  const asUser = text(
    `In your other terminal, become ${user} (\`sudo -iu ${user}\`)`,
    `もう一つの端末で ${user} になり (\`sudo -iu ${user}\`)`,
  );
  switch (id) {
    case 'packages':
      return text(
        `Use apt, with sudo: first refresh its package list, then install the packages named below (${ctx.platform.aptPackages.join(', ')}).`,
        `sudo を付けて apt を使います。まずパッケージ一覧を更新し、次に下に示したパッケージ (${ctx.platform.aptPackages.join(', ')}) を入れます。`,
      );
    case 'virtualenv':
      return text(
        `${asUser.en}, make the directory ${p.appDir}, go into it with cd, and create the virtual environment ${appName}env there with the system Python's venv module.`,
        `${asUser.ja}、ディレクトリ ${p.appDir} を作って cd で中に入り、そこでシステムの Python の venv モジュールを使って仮想環境 ${appName}env を作ります。`,
      );
    case 'uwsgi':
      return text(
        `${asUser.en}, activate the virtualenv (source ${p.venvBin}/activate) and install uWSGI with its pip; then ask uwsgi for its version.`,
        `${asUser.ja}、仮想環境を有効にして (source ${p.venvBin}/activate) その pip で uWSGI を入れ、uwsgi にバージョンを尋ねます。`,
      );
    case 'wsgi-app':
      return text(
        `${asUser.en}, cd ${p.appDir} and create wsgi.py there with an editor (nano wsgi.py), with exactly the content shown.`,
        `${asUser.ja}、cd ${p.appDir} してから、エディター (nano wsgi.py) で示した内容どおりに wsgi.py を作ります。`,
      );
    case 'test-run':
      return text(
        `${asUser.en}, cd ${p.appDir} and start the venv's uwsgi speaking HTTP on port ${testPort} with the module wsgi. When the wizard has seen the page, stop it with Ctrl-C.`,
        `${asUser.ja}、cd ${p.appDir} してから、仮想環境の uwsgi をポート ${testPort} で HTTP を話すように、モジュール wsgi を指定して起動します。ウィザードがページを確認したら Ctrl-C で止めます。`,
      );
    case 'ini':
      return text(
        `${asUser.en}, write ${p.ini} with an editor, with exactly the content shown.`,
        `${asUser.ja}、エディターで ${p.ini} を示した内容どおりに書きます。`,
      );
    case 'service':
      return text(
        'Write the file shown with sudo and an editor (sudo nano …), then run the commands shown, with sudo, in their order.',
        '示したファイルを sudo とエディター (sudo nano …) で書き、示したコマンドを順に sudo を付けて実行します。',
      );
    case 'nginx':
      return text(
        `Write the server block to ${p.siteAvailable} with sudo and an editor, link it into /etc/nginx/sites-enabled, test the configuration, and restart nginx.`,
        `sudo とエディターでサーバーブロックを ${p.siteAvailable} に書き、/etc/nginx/sites-enabled にリンクし、設定を検査して nginx を再起動します。`,
      );
    default:
      return undefined;
  }
}

function accountOf(ctx: PlanContext, runAs: RunAs): string {
  if (runAs === 'root') return 'root';
  return runAs === 'web-user' ? ctx.answers.webGroup : ctx.answers.user;
}

/** What a student types for one action: a command in the right account and directory, or a file to write. */
function typed(ctx: PlanContext, action: Action): TypedAction {
  if (action.kind === 'file') return { as: action.owner, line: action.path };
  // command() (src/engine/commands.ts) keeps the account and the bare line; a system command is
  // typed whole, its sudo included, as the guide types it too.
  const { runAs, line } =
    action.for && action.for.runAs !== 'root' ? action.for : { runAs: 'root' as const, line: action.command };
  // A group switch (uWSGI with the web group) has no plain form in the service user's shell:
  // sudo gives both, typed from an account that may use it.
  if (runAs === 'service-user-web-group')
    return {
      as: 'root',
      cwd: action.cwd,
      line: `${shellLine('sudo', '-u', ctx.answers.user, '-g', ctx.answers.webGroup)} ${line}`,
    };
  return { as: accountOf(ctx, runAs), cwd: action.cwd, line };
}

/**
 * Hint 2: exactly what the wizard would run, as one paste-ready line per action from a shell of
 * the account running the wizard: a command with its directory, a file through tee as its owner.
 */
function exactCommand(ctx: PlanContext, action: Action): string {
  if (action.kind === 'command') return action.cwd ? `cd ${shellArg(action.cwd)} && ${action.command}` : action.command;
  const runAs: RunAs = action.owner === 'root' ? 'root' : 'service-user';
  const write = withPrivilege(ctx, runAs, shellLine('tee', action.path));
  const chmod = withPrivilege(ctx, runAs, shellLine('chmod', action.mode.toString(8), action.path));
  return `${write} > /dev/null <<'EOF'\n${action.content.replace(/\n$/, '')}\nEOF\n${chmod}`;
}

function handsOnFor(
  step: Omit<PlannedStep, 'id' | 'section' | 'title'>,
  id: StepId,
  ctx: PlanContext,
): HandsOn | undefined {
  const words = whatToDo(id, ctx);
  if (!words || step.actions.length === 0) return undefined;
  return {
    typed: step.actions.map((action) => typed(ctx, action)),
    whatToDo: words,
    exactCommands: step.actions.map((action) => exactCommand(ctx, action)),
    exactAs: ctx.privilege.runningAs,
    wrongMoves: wrongMovesFor(id, ctx),
  };
}

/** A curriculum whose steps with actions carry what hands-on mode shows and recognises. */
export function withHandsOn(curriculum: readonly StepDefinition[]): StepDefinition[] {
  return curriculum.map((def) => ({
    ...def,
    plan(ctx) {
      const planned = def.plan(ctx);
      const handsOn = handsOnFor(planned, def.id, ctx);
      return handsOn ? { ...planned, handsOn } : planned;
    },
  }));
}
