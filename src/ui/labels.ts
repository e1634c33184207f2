// The screen's own words (the steps' words live in steps/). Both languages, same keys.
import type { AnswerKey } from '../engine/answers.js';
import type { ResumeState } from '../engine/progress.js';
import type { Lang, ServiceManager } from '../engine/types.js';
import type { StepStatus } from '../engine/wizard.js';

const en = {
  step: 'Step',
  guideSection: 'guide §',
  command: 'Command',
  file: 'File',
  of: 'of',
  in: 'in',
  owner: 'owner',
  mode: 'mode',
  guideSays: 'The guide:',
  note: 'Note:',
  machine: 'Machine:',
  serviceManager: { systemd: 'systemd', upstart: 'Upstart', none: 'no service manager' } satisfies Record<
    ServiceManager,
    string
  >,
  keysConfirmCommand: '[Enter] run it   [s] skip   [q] quit',
  keysConfirmFile: '[Enter] write it   [s] skip   [q] quit',
  keysReading: '[Enter] continue   [q] quit',
  keysActionFailed: '[r] retry   [s] skip   [q] quit',
  keysCheckFailed: '[r] check again   [d] do the step again   [s] skip   [q] quit',
  keysRunning: '[q] stop and quit',
  keysServing: '[Enter] stop it (Ctrl-C in the guide) and go on   [q] stop and quit',
  fileDiffers: "This file exists and differs from what would be written (- yours, + the wizard's):",
  keysFileDiffers:
    '[r] replace it (yours is kept as FILE.bak-TIME)   [k] keep yours (step skipped)   [v] view diff / new file   [q] quit',
  serving: 'serving — open it in your browser too:',
  running: 'running',
  stopping: 'stopping the command…',
  finishingPackages:
    'apt is finishing. It is never cut off (dpkg stopped while it unpacks leaves the packages broken); the wizard ends as soon as it is done.',
  finishingPackagesAgain:
    'Still waiting for apt: Ctrl-C does not cut it off, as that would leave "dpkg was interrupted". It ends on its own, usually within a minute or two.',
  probing: 'looking whether this step is already done…',
  preflight: 'looking for what could break this step…',
  warning: 'warning',
  notSo: 'not so here',
  whatHappens: 'what happens',
  checking: 'checking the result…',
  auto: 'unattended (--yes): every command runs without asking',
  quiz: {
    title: 'Quiz',
    question: 'question',
    right: 'Right.',
    wrong: 'Not quite.',
    chooseFirst: 'Choose an answer first: type its number, or move to it with ↑/↓.',
    keys: '[1-{n}] or [↑/↓] + [Enter] answer   [q] quit',
    keysNext: '[Enter] next question   [q] quit',
    keysDone: '[Enter] continue   [q] quit',
    score: 'Quiz: {firstTry} of {total} right at the first try ({answered} answered)',
  },
  glossary: {
    key: '[g] glossary',
    title: 'Glossary',
    here: '▶ used in this step',
    keys: '[↑/↓] scroll   [PgUp/PgDn] page   [g/Esc] close',
    behind: 'The step waits behind this; a running command goes on.',
    noMatch: 'No glossary term contains "{word}".',
    tryAll: 'Try: uwsgi-nginx-guide glossary (without a word) to list every term.',
  },
  handsOn: {
    mode: 'hands-on: you type each step in your own shell (another terminal or tmux pane); the wizard watches and moves on when it sees the result',
    typeThis: 'Type in your shell',
    as: 'as',
    writeFile: 'Write this file',
    watching: 'watching your shell for the result (every second)',
    pageSeen: 'The page answered. Now stop uWSGI with Ctrl-C in your shell; the wizard moves on when the port is free.',
    hintWords: 'Hint 1 — what to do:',
    hintExact: 'Hint 2 — exactly this, pasted into a shell of',
    wrongMove: 'Looks like a wrong move',
    seen: 'seen',
    keys: '[h] hint ({level} of 3)   [s] skip   [q] quit',
    keysLast: '[h] let the wizard do it for you   [s] skip   [q] quit',
    doingForYou:
      'The wizard does this step for you (hint 3): each command is shown and runs when you confirm. It is noted in your report.',
    keysConfirmForYou: '[Enter] run it   [b] back: I do it myself   [s] skip   [q] quit',
    notYet: 'not yet',
  },
  failedCommand: 'The command failed',
  exitCode: 'exit code',
  timedOut: 'time limit reached',
  checksFailed: 'A check did not pass',
  expected: 'expected',
  found: 'found',
  /**
   * A check's probe and what it saw, in words (src/ui/probe-text.ts): `wants` from the probe, `saw`
   * from its observation. A program's own text ({output}, {body}, {error}) is put in as it is.
   */
  probe: {
    wants: {
      installed: 'installed: {names}',
      exitsZero: '`{command}` exits 0',
      exitsZeroAndPrints: '`{command}` exits 0 and prints /{pattern}/',
      file: '{path}: {wants}',
      exists: 'exists',
      content: 'the shown content',
      owner: 'owner {owner}',
      group: 'group {group}',
      mode: 'mode {mode}',
      executable: 'executable',
      page: 'HTTP 200 from {url} containing "{body}"',
      pageWithHost: 'HTTP 200 from {url} (Host: {host}) containing "{body}"',
      processes: '{count} processes of {user} running "… {match}"',
      socket: 'a socket, mode {mode}, group {group}',
      portFree: 'nothing listening on port {port}',
    },
    saw: {
      allInstalled: 'all installed',
      notInstalled: 'not installed: {names}',
      exit: 'exit {code}: {output}',
      noExitCode: 'none',
      noOutput: '(no output)',
      noFile: 'no such file',
      cannotRead: 'cannot read it ({error})',
      asExpected: 'as expected',
      contentDiffers: 'content differs',
      owner: 'owner {owner}',
      group: 'group {group}',
      mode: 'mode {mode}',
      notExecutable: 'not executable',
      page: 'HTTP {status}: {body}',
      emptyBody: '(empty body)',
      refused: 'connection refused (ECONNREFUSED)',
      noAnswer: 'no answer within 5 s',
      cannotConnect: 'could not connect ({error})',
      running: '{count} running',
      noUser: 'no user {user}',
      socket: 'socket, mode {mode}, group {group}',
      notSocket: 'not a socket, mode {mode}, group {group}',
      noSocket: 'not there',
      free: 'free',
      inUse: 'port {port} is in use',
      cannotTell: 'cannot tell ({error})',
      checkFailed: 'the check itself failed: {error}',
      unrecorded: 'the recorded run never asked this at this point (simulation)',
    },
    listSeparator: ', ',
    lineSeparator: ' ⏎ ',
  },
  tryThis: 'try this',
  outputTail: 'last output',
  finished: 'Every step has been gone through.',
  quit: 'Stopped. Run the wizard again to continue: finished steps are recognised and skipped.',
  failed: 'Stopped at a failed step.',
  status: {
    todo: 'to do',
    done: 'done',
    'already-done': 'already done',
    skipped: 'skipped',
    failed: 'failed',
  } satisfies Record<StepStatus, string>,
  doneEarlier: 'done earlier (not redone this time)',
  resumeTitle: 'Welcome back. What this machine already has:',
  resumeTitleFirstVisit: 'Part of what the guide sets up is already on this machine:',
  resumeKeys: '[↑/↓] choose where to continue   [Enter] continue from ▶   [q] quit',
  resumeState: { done: 'done', todo: 'to do', changed: 'changed', skipped: 'skipped' } satisfies Record<
    ResumeState,
    string
  >,
  changedHint: 'was done, its result has gone: it will be done again',
  progressIgnored: 'The progress file {path} was ignored: {reason}. The machine itself is checked instead.',
  progressSetAside: 'It was kept as {aside}; this run starts a new record.',
  nothingChangedTryHelp: 'Nothing was changed. Try: uwsgi-nginx-guide --help',
  rolledBack: 'The step is all or nothing: what it had done so far was taken back (newest first):',
  rollbackKept:
    'The step is all or nothing, but taking it back failed. Still on this machine, and still recorded for undo ' +
    '(newest first):',
  rollbackKeptTryNow:
    'Try: find why in the output above and fix it, then [r] to do the step again; or [q], then uwsgi-nginx-guide undo.',
  rollbackKeptTry:
    'Try: read in the log why the command failed (after "rolling back"), fix that, then run uwsgi-nginx-guide undo ' +
    'to take these back, or run the wizard again to do the step.',
  stoppedBeforeAnyStep: 'Stopped before any step: nothing was changed. Run the same command again to continue.',
  answersFromRecord: 'For {app}, the app of the last run (--app-name names another).',
  noAccount: 'there is no account "{user}" on this machine (create it first, e.g. adduser {user})',
  noGroup: 'there is no group "{group}" on this machine (nginx\'s is www-data on Debian and Ubuntu)',
  appAccount: {
    rootWarning:
      "Warning: the app would run as root. uWSGI and the app's code (everything it does for every request) would " +
      'have every right on this machine: a bug or a break-in in the app could read, change or delete anything on ' +
      "it, and the app would live in root's home. The guide, and every current version of it, runs the app as a " +
      'normal account (its "demo", made with adduser).',
    confirmRoot: 'Run the app as root anyway?',
    planningRoot: 'Planning only: a run asks you to confirm root at the question, or, with --yes, needs --allow-root.',
    rootNotAllowed:
      "--user {user} with --yes would run the app's code as root, with every right on this machine, and nobody " +
      'was asked. Nothing was changed.\nTry: a normal account: --user demo (create it first: adduser demo); or, ' +
      'if you do mean root, add --allow-root.',
    noNormalAccount:
      'no account but root could own the app and run uWSGI (no SUDO_USER, and no normal account on this ' +
      'machine), and the wizard runs the app as root only when told to. Nothing was changed.\nTry: create the ' +
      "guide's account first (adduser --disabled-password --gecos '' demo), then --user demo; or, if you do mean " +
      'root, --user root --allow-root.',
    noneIntro:
      "This machine has no normal account, only root and the system's own. The guide runs the app as one (its " +
      '"demo"): the wizard can create it now.',
    createName: 'Name of the account to create',
    willRun: 'The wizard runs:',
    createConfirm: 'Create it?',
    createFailed:
      'adduser failed (exit {code}): the account was not created. Name an existing account instead, or stop ' +
      '(Ctrl-C), fix this and run the wizard again.',
    newName: 'use a letter first, then lower-case letters, digits, "-" or "_" (at most 32)',
  },
  complete: 'Every step is done.',
  nextStep: 'Next step:',
  sudo: {
    password: '[sudo] password for {user} (asked once: the system steps need root)',
    hidden: '(what you type is not shown)',
    wrong: 'Sorry, that password was not accepted. Try again.',
    gaveUp:
      "sudo did not accept the password three times. Nothing was changed.\nTry: run it again and type the password of {user} (your login password, not root's).",
    notAllowed:
      'sudo answered that {user} may not run commands as root:\n{output}\nNothing was changed.\nTry: run it as root, or ask whoever administers this machine to add {user} to the sudo group (adduser {user} sudo), then log out and back in.',
    noTerminal:
      'sudo needs the password of {user}, and there is no terminal to ask it on. Nothing was changed.\nTry: run it in a terminal (ssh -t for a remote command), or run it as root.',
    noSudo:
      'The system steps (apt, nginx, the service) need root, and sudo is not installed here. Nothing was changed.\nTry: run it as root (su -), or as root install sudo and let {user} use it (apt-get install sudo && adduser {user} sudo), then log in again.',
  },
  runLock: {
    busy:
      'another uwsgi-nginx-guide is running on this machine (pid {pid}). Two at once would run apt and restart nginx ' +
      'under each other. Nothing was changed.\nTry: wait for it to finish (ps -f -p {pid} shows it), or stop it.',
    stuck:
      'the run lock {path} could not be taken. Nothing was changed.' +
      '\nTry: if no wizard is running, remove it: rm {path}',
    symlink:
      '{path} is a symbolic link where the run lock or its directory should be; it is not followed. ' +
      'Nothing was changed.' +
      '\nTry: look at it (ls -l {path}); the wizard never makes one: remove it (rm {path}) and run again.',
    notDirectory:
      '{path} should be a directory of yours for the run lock, and is not. Nothing was changed.' +
      '\nTry: look at it (ls -ld {path}), move it away, and run again.',
    notRegularFile:
      'the run lock {path} is not a regular file. Nothing was changed.' +
      '\nTry: look at it (ls -l {path}); remove it and run again.',
    foreignOwner:
      '{path} belongs to uid {uid}, not to you (uid {me}): a run lock there is neither believed nor removed. ' +
      'Nothing was changed.\nTry: look at it (ls -ln {path}); if no wizard is running, remove it as root ' +
      '(rm -r {path}).',
    writable:
      '{path} may be written by others (mode {mode}): a run lock there could be planted. Nothing was changed.' +
      '\nTry: chmod go-w {path}, and run again.',
    notTaken:
      "the machine's run lock ({path}) could not be taken through sudo: {output}\nNothing was changed." +
      '\nTry: check that sudo works for you (sudo -v), and run again.',
    orphanStopped: 'A command left running by an earlier, killed run (process group {group}) was stopped.',
  },
  undoNothing: 'Nothing to undo: the wizard has no record of changes for {app}.',
  undoTitle: 'The wizard created or changed (newest first):',
  undoCommands: 'Undo runs:',
  undoConfirm: 'Take all of this back?',
  undoDeclined: 'Nothing was undone; the record is kept, so undo can be run again later.',
  undoNeedsYes: 'No terminal to confirm in: add --yes to undo. Nothing was changed.',
  undoKept: 'could not take back:',
  undoDone: 'Undone. Packages installed by the wizard stay installed.',
  undoPartly: 'Undone in part: what could not be taken back is still recorded; run undo again after fixing it.',
  questions: {
    appName: 'App name (names its directory, files, service and nginx site)',
    user: 'Account that owns the app and runs uWSGI',
    appDir: 'App directory',
    webGroup: "The web server's group",
    serverName: "This server's domain name or IP address (for nginx's server_name)",
    processes: 'uWSGI worker processes',
    testPort: 'Port for the test run',
  } satisfies Record<AnswerKey, string>,
};

const ja: typeof en = {
  step: 'ステップ',
  guideSection: 'ガイド §',
  command: 'コマンド',
  file: 'ファイル',
  of: '/',
  in: '場所',
  owner: '所有者',
  mode: 'モード',
  guideSays: 'ガイドでは:',
  note: '注:',
  machine: 'マシン:',
  serviceManager: { systemd: 'systemd', upstart: 'Upstart', none: 'サービス管理なし' },
  keysConfirmCommand: '[Enter] 実行   [s] 飛ばす   [q] 終了',
  keysConfirmFile: '[Enter] 書き込む   [s] 飛ばす   [q] 終了',
  keysReading: '[Enter] 次へ   [q] 終了',
  keysActionFailed: '[r] もう一度   [s] 飛ばす   [q] 終了',
  keysCheckFailed: '[r] もう一度確認   [d] ステップをやり直す   [s] 飛ばす   [q] 終了',
  keysRunning: '[q] 止めて終了',
  keysServing: '[Enter] 止めて先へ (ガイドでは Ctrl-C)   [q] 止めて終了',
  fileDiffers: 'このファイルはすでにあり、書き込む内容と違います (- あなたの内容、+ ウィザードの内容):',
  keysFileDiffers:
    '[r] 置き換える (あなたの内容は FILE.bak-時刻 に残します)   [k] あなたの内容を残す (ステップは飛ばす)   [v] 差分 / 新しい内容   [q] 終了',
  serving: '提供中 — ブラウザーでも開いてみてください:',
  running: '実行中',
  stopping: 'コマンドを止めています…',
  finishingPackages:
    'apt の処理が終わるのを待っています。途中で止めると (dpkg の展開中なら) パッケージが壊れた状態になるので止めません。終わりしだいウィザードも終了します。',
  finishingPackagesAgain:
    'まだ apt の終了を待っています。Ctrl-C でも止めません (止めると "dpkg was interrupted" の状態になります)。通常は 1〜2 分以内にひとりでに終わります。',
  probing: 'このステップが済んでいるか調べています…',
  preflight: 'このステップを妨げるものがないか調べています…',
  warning: '注意',
  notSo: 'そうなっていません',
  whatHappens: 'どうなるか',
  checking: '結果を確認しています…',
  auto: '自動実行 (--yes): すべてのコマンドを確認なしで実行します',
  quiz: {
    title: 'クイズ',
    question: '問',
    right: '正解です。',
    wrong: '違います。',
    chooseFirst: 'まず答えを選んでください。番号を押すか、↑/↓ で選べます。',
    keys: '[1-{n}] または [↑/↓] + [Enter] で答える   [q] 終了',
    keysNext: '[Enter] 次の問題   [q] 終了',
    keysDone: '[Enter] 次へ   [q] 終了',
    score: 'クイズ: {total} 問中 {firstTry} 問を一度で正解 (回答済み {answered} 問)',
  },
  glossary: {
    key: '[g] 用語集',
    title: '用語集',
    here: '▶ このステップで使う用語',
    keys: '[↑/↓] スクロール   [PgUp/PgDn] ページ送り   [g/Esc] 閉じる',
    behind: 'ステップはこの後ろで待っています。実行中のコマンドは続いています。',
    noMatch: '"{word}" を含む用語は用語集にありません。',
    tryAll: 'こうしてみてください: uwsgi-nginx-guide glossary (語を付けずに) ですべての用語を表示します。',
  },
  handsOn: {
    mode: 'ハンズオン: 各ステップは自分のシェル (別の端末か tmux のペイン) で入力します。ウィザードは結果を見守り、確認できたら次へ進みます',
    typeThis: 'シェルで入力',
    as: 'ユーザー',
    writeFile: 'このファイルを書く',
    watching: 'シェルでの結果を見守っています (毎秒)',
    pageSeen: 'ページが返りました。シェルで Ctrl-C を押して uWSGI を止めてください。ポートが空いたら次へ進みます。',
    hintWords: 'ヒント 1 — やること:',
    hintExact: 'ヒント 2 — これをそのまま貼り付け。シェルのユーザー:',
    wrongMove: 'よくある間違いのようです',
    seen: '見つけたもの',
    keys: '[h] ヒント ({level} / 3)   [s] 飛ばす   [q] 終了',
    keysLast: '[h] ウィザードに代わりにやってもらう   [s] 飛ばす   [q] 終了',
    doingForYou:
      'このステップはウィザードが代わりに行います (ヒント 3)。各コマンドを示し、確認してから実行します。レポートにも記録されます。',
    keysConfirmForYou: '[Enter] 実行   [b] 戻る: 自分でやる   [s] 飛ばす   [q] 終了',
    notYet: 'まだ',
  },
  failedCommand: 'コマンドが失敗しました',
  exitCode: '終了コード',
  timedOut: '制限時間を超えました',
  checksFailed: '確認に通らない項目があります',
  expected: '期待',
  found: '実際',
  probe: {
    wants: {
      installed: 'インストール済み: {names}',
      exitsZero: '`{command}` が終了コード 0 で終わる',
      exitsZeroAndPrints: '`{command}` が終了コード 0 で終わり、/{pattern}/ に合う行を出力する',
      file: '{path}: {wants}',
      exists: 'ある',
      content: '表示した内容',
      owner: '所有者 {owner}',
      group: 'グループ {group}',
      mode: 'モード {mode}',
      executable: '実行できる',
      page: '{url} が HTTP 200 で "{body}" を含むページを返す',
      pageWithHost: 'Host: {host} で {url} が HTTP 200 で "{body}" を含むページを返す',
      processes: '{user} のプロセスで "… {match}" を実行しているものが {count} 個',
      socket: 'ソケットで、モード {mode}、グループ {group}',
      portFree: 'ポート {port} で何も待ち受けていない',
    },
    saw: {
      allInstalled: 'すべてインストール済み',
      notInstalled: '未インストール: {names}',
      exit: '終了コード {code}: {output}',
      noExitCode: 'なし',
      noOutput: '(出力なし)',
      noFile: 'ファイルがない',
      cannotRead: '読めない ({error})',
      asExpected: '期待どおり',
      contentDiffers: '内容が違う',
      owner: '所有者 {owner}',
      group: 'グループ {group}',
      mode: 'モード {mode}',
      notExecutable: '実行できない',
      page: 'HTTP {status}: {body}',
      emptyBody: '(本文なし)',
      refused: '接続を拒否された (ECONNREFUSED)',
      noAnswer: '5 秒以内に応答がない',
      cannotConnect: '接続できない ({error})',
      running: '{count} 個が動いている',
      noUser: 'ユーザー {user} がいない',
      socket: 'ソケット、モード {mode}、グループ {group}',
      notSocket: 'ソケットではない、モード {mode}、グループ {group}',
      noSocket: 'ない',
      free: '空いている',
      inUse: 'ポート {port} は使用中',
      cannotTell: '確かめられない ({error})',
      checkFailed: '確認そのものが失敗した: {error}',
      unrecorded: '記録した実行では、この時点でこの確認をしていない (シミュレーション)',
    },
    listSeparator: '、',
    lineSeparator: ' ⏎ ',
  },
  tryThis: 'こうしてみてください',
  outputTail: '最後の出力',
  finished: 'すべてのステップが終わりました。',
  quit: '中断しました。もう一度ウィザードを起動すれば続きから進めます。済んだステップは自動で認識されます。',
  failed: '失敗したステップで止まりました。',
  status: { todo: '未実施', done: '完了', 'already-done': 'すでに完了', skipped: '飛ばした', failed: '失敗' },
  doneEarlier: '以前に完了 (今回はやり直していません)',
  resumeTitle: 'おかえりなさい。このマシンですでに済んでいること:',
  resumeTitleFirstVisit: 'ガイドで用意するもののうち、このマシンにすでにあるもの:',
  resumeKeys: '[↑/↓] 続ける場所を選ぶ   [Enter] ▶ から続ける   [q] 終了',
  resumeState: { done: '完了', todo: '未実施', changed: '変化あり', skipped: '飛ばした' },
  changedHint: '完了していたが結果が消えている: もう一度行います',
  progressIgnored: '進捗ファイル {path} は使いませんでした: {reason}。代わりにマシンそのものを調べます。',
  progressSetAside: '元のファイルは {aside} として残しました。この実行で新しい記録を始めます。',
  nothingChangedTryHelp: '何も変更していません。次を試してください: uwsgi-nginx-guide --help',
  rolledBack:
    'このステップは全部行うか何もしないかのどちらかなので、途中までに行ったことを元に戻しました (新しい順)。元に戻したもの:',
  rollbackKept:
    'このステップは全部行うか何もしないかのどちらかですが、元に戻すのに失敗しました。' +
    '次のものはまだこのマシンにあり、undo のために記録に残してあります (新しい順):',
  rollbackKeptTryNow:
    '次を試してください: 上の出力で失敗の理由を確かめて直し、[r] でステップをやり直してください。' +
    'または [q] で終了し、uwsgi-nginx-guide undo を実行してください。',
  rollbackKeptTry:
    '次を試してください: ログ ("rolling back" の後) でコマンドが失敗した理由を確かめて直してから、' +
    'uwsgi-nginx-guide undo で元に戻してください。ウィザードをもう一度実行してステップをやり直すこともできます。',
  stoppedBeforeAnyStep:
    'どのステップも始める前に止めました。何も変更していません。続けるには同じコマンドをもう一度実行してください。',
  answersFromRecord: '前回の実行のアプリ {app} について行います (別のアプリは --app-name で指定します)。',
  noAccount: 'このマシンにアカウント "{user}" がありません (先に作ってください。例: adduser {user})',
  noGroup: 'このマシンにグループ "{group}" がありません (Debian と Ubuntu の nginx は www-data です)',
  appAccount: {
    rootWarning:
      '注意: アプリが root として動きます。uWSGI とアプリのコード (リクエストごとに行うことすべて) が、このマシンの' +
      'あらゆる権限を持ちます。アプリのバグや侵入があれば、このマシンのどんなものでも読み、変え、消すことができてしまい、' +
      'アプリは root のホームに置かれます。ガイドも、その現行のどの版も、アプリは一般のアカウント (adduser で作る' +
      ' "demo") で動かしています。',
    confirmRoot: 'それでもアプリを root として動かしますか?',
    planningRoot:
      '計画の表示だけです: 実際に実行するときは、質問で root を確認するか、--yes なら --allow-root が必要です。',
    rootNotAllowed:
      '--yes で --user {user} とすると、誰にも確認せずにアプリのコードを root として、このマシンのあらゆる権限で' +
      '動かすことになります。何も変更していません。\n次を試してください: 一般のアカウントを使う: --user demo ' +
      '(先に adduser demo で作ります)。本当に root で動かすなら --allow-root を付けてください。',
    noNormalAccount:
      'アプリを所有し uWSGI を動かすアカウントが root のほかにありません (SUDO_USER がなく、このマシンに一般の' +
      'アカウントもありません)。ウィザードは指示されない限りアプリを root で動かしません。何も変更していません。' +
      "\n次を試してください: 先にガイドのアカウントを作り (adduser --disabled-password --gecos '' demo)、" +
      '--user demo を付けてください。本当に root で動かすなら --user root --allow-root を付けてください。',
    noneIntro:
      'このマシンには一般のアカウントがなく、root とシステムのアカウントだけです。ガイドはアプリを一般のアカウント' +
      ' ("demo") で動かします。ウィザードがいま作ることができます。',
    createName: '作成するアカウントの名前',
    willRun: 'ウィザードが実行するコマンド:',
    createConfirm: '作成しますか?',
    createFailed:
      'adduser が失敗しました (終了コード {code})。アカウントは作られていません。既存のアカウントを指定するか、' +
      '中断して (Ctrl-C) 原因を直してから、もう一度ウィザードを実行してください。',
    newName: '英小文字で始まる 32 文字までの英小文字・数字・"-"・"_" にしてください',
  },
  complete: 'すべてのステップが完了しています。',
  nextStep: '次のステップ:',
  sudo: {
    password: '[sudo] {user} のパスワード (一度だけ聞きます: システムのステップには root が必要です)',
    hidden: '(入力した文字は表示されません)',
    wrong: 'パスワードが受け付けられませんでした。もう一度入力してください。',
    gaveUp:
      'sudo がパスワードを 3 回とも受け付けませんでした。何も変更していません。\n次を試してください: もう一度実行し、{user} のパスワード (root のではなくログインのパスワード) を入力してください。',
    notAllowed:
      '{user} は root としてコマンドを実行できない、と sudo が答えました:\n{output}\n何も変更していません。\n次を試してください: root として実行するか、このマシンの管理者に {user} を sudo グループに加えてもらい (adduser {user} sudo)、その後ログインし直してください。',
    noTerminal:
      'sudo に {user} のパスワードが必要ですが、それを尋ねる端末がありません。何も変更していません。\n次を試してください: 端末で実行してください (リモートのコマンドなら ssh -t)。または root として実行してください。',
    noSudo:
      'システムのステップ (apt、nginx、サービス) には root が必要ですが、sudo が入っていません。何も変更していません。\n次を試してください: root として実行する (su -) か、root で sudo を入れて {user} に使えるようにし (apt-get install sudo && adduser {user} sudo)、その後ログインし直してください。',
  },
  runLock: {
    busy:
      'このマシンでは別の uwsgi-nginx-guide が動いています (pid {pid})。同時に動くと apt と nginx の再起動がぶつかります。' +
      '何も変更していません。\n次を試してください: 終わるのを待つ (ps -f -p {pid} で確認できます) か、それを止めてください。',
    stuck:
      '実行ロック {path} を取れませんでした。何も変更していません。' +
      '\n次を試してください: ウィザードが動いていなければ削除してください: rm {path}',
    symlink:
      '実行ロックまたはそのディレクトリがあるべき場所 {path} がシンボリックリンクです。たどりません。何も変更していません。' +
      '\n次を試してください: 確かめて (ls -l {path})、ウィザードが作るものではないので削除し (rm {path})、もう一度実行してください。',
    notDirectory:
      '{path} は実行ロック用のあなたのディレクトリであるはずですが、そうではありません。何も変更していません。' +
      '\n次を試してください: 確かめて (ls -ld {path}) 別の場所に移し、もう一度実行してください。',
    notRegularFile:
      '実行ロック {path} が通常のファイルではありません。何も変更していません。' +
      '\n次を試してください: 確かめて (ls -l {path}) 削除し、もう一度実行してください。',
    foreignOwner:
      '{path} の持ち主は uid {uid} で、あなた (uid {me}) ではありません。そこの実行ロックは信用も削除もしません。' +
      '何も変更していません。' +
      '\n次を試してください: 確かめて (ls -ln {path})、ウィザードが動いていなければ root で削除してください (rm -r {path})。',
    writable:
      '{path} は他の人も書き込めます (mode {mode})。そこの実行ロックは他人が置けてしまいます。何も変更していません。' +
      '\n次を試してください: chmod go-w {path} を実行してから、もう一度実行してください。',
    notTaken:
      'マシンの実行ロック ({path}) を sudo で取れませんでした: {output}\n何も変更していません。' +
      '\n次を試してください: sudo が使えるか確かめて (sudo -v)、もう一度実行してください。',
    orphanStopped: '以前に強制終了された実行が残したコマンド (プロセスグループ {group}) を止めました。',
  },
  undoNothing: '元に戻すものはありません: {app} についてウィザードの変更記録がありません。',
  undoTitle: 'ウィザードが作成・変更したもの (新しい順):',
  undoCommands: '元に戻すために実行するコマンド:',
  undoConfirm: 'これらをすべて元に戻しますか?',
  undoDeclined: '何も元に戻していません。記録は残っているので、あとでもう一度 undo を実行できます。',
  undoNeedsYes: '確認できる端末がありません。元に戻すには --yes を付けてください。何も変更していません。',
  undoKept: '元に戻せませんでした:',
  undoDone: '元に戻しました。ウィザードが入れたパッケージはそのまま残ります。',
  undoPartly:
    '一部だけ元に戻しました。戻せなかったものは記録に残っています。原因を直してからもう一度 undo を実行してください。',
  questions: {
    appName: 'アプリ名 (ディレクトリ・ファイル・サービス・nginx サイトの名前になります)',
    user: 'アプリを所有し uWSGI を動かすアカウント',
    appDir: 'アプリのディレクトリ',
    webGroup: 'Web サーバーのグループ',
    serverName: 'このサーバーのドメイン名または IP アドレス (nginx の server_name)',
    processes: 'uWSGI のワーカープロセス数',
    testPort: '試運転に使うポート',
  },
};

export const LABELS: Record<Lang, typeof en> = { en, ja };
export type Labels = typeof en;
