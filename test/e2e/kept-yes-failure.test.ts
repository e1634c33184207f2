// What a person keeps on their terminal after an unattended run (--yes) that failed at a step
// (issue 21, part 1): once the wizard has exited, the pane still shows the failed step, why it
// failed, what to try and where the run's log is, in either language. test/ui/kept-screen.test.ts
// proves the normal end, a quit and a failure then q; this is the --yes failure, and a real one:
// the test port is held by a program of the suite's own, so uWSGI's test run cannot take it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  CLI,
  createServiceUser,
  heading,
  listening,
  machineTest,
  printScreen,
  q,
  removeAppsAndUser,
  testApp,
  Tmux,
  waitForRunLock,
  waitUntil,
} from './machine.js';

const APP = testApp('e2ekeptyes', 'e2ekeptapp', 'e2ekept.example', 8095);

/** The words of a failed test run that the kept screen must show, by language. */
const EXPECTED = {
  en: {
    failed: /^Stopped at a failed step\. \[test-run\] /m,
    command: /^ {2}✗ The command failed: exit code 1$/m,
    summary: /^ {2}test-run +failed · /m,
    tryThis: /^ {6}try this: .+/m,
    log: /^log: \/\S+$/m,
  },
  ja: {
    failed: /^失敗したステップで止まりました。 ?\[test-run\] /m,
    command: /^ {2}✗ コマンドが失敗しました: 終了コード 1$/m,
    summary: /^ {2}test-run +失敗 · /m,
    tryThis: /^ {6}こうしてみてください: .+/m,
    log: /^ログ: \/\S+$/m,
  },
} as const;

machineTest(
  '--yes on a terminal, failing at a step: the failure, why, what to try and the log stay',
  async (t, work) => {
    heading('the test port held by another program; the wizard with --yes in a tmux pane, in English then Japanese');
    await removeAppsAndUser(APP.user, [APP.name]);
    createServiceUser(APP.user);
    // On every address, as uWSGI's --socket 0.0.0.0:PORT asks for it.
    const holder = spawn(
      'python3',
      [
        '-c',
        `import socket, time\ns = socket.socket()\ns.bind(("0.0.0.0", ${APP.port}))\ns.listen()\ntime.sleep(3600)`,
      ],
      { stdio: 'ignore' },
    );
    const tmux = new Tmux(`e2ekeptyes${process.pid}`);
    t.after(async () => {
      tmux.killServer();
      holder.kill('SIGKILL');
      await removeAppsAndUser(APP.user, [APP.name]);
    });
    assert.ok(await waitUntil(() => listening(APP.port), 10_000), `the suite holds port ${APP.port}`);

    const answers = APP.answers.filter((word, i, all) => word !== '--lang' && all[i - 1] !== '--lang');
    for (const lang of ['en', 'ja'] as const) {
      await waitForRunLock();
      const state = `${work.dir}/state`;
      const wizard = [process.execPath, CLI, '--yes', '--lang', lang, ...answers].map(q).join(' ');
      tmux.start(lang, `cd /tmp && env XDG_STATE_HOME=${q(state)} ${wizard}; echo EXITED=$?; sleep 600`, 110, 40);
      const ended = (screen: string) => /^EXITED=\d+/m.test(screen);
      await tmux.waitFor(lang, 'the end of the run', ended, 20 * 60_000);
      // The whole pane, what scrolled off included: the kept lines follow the last frame. Lines wider
      // than the pane are joined again, so that a sentence is found whole.
      const pane = tmux.capture(lang, true, true);
      const kept = pane.slice(pane.lastIndexOf('  concepts '));
      printScreen(`after the wizard exited (${lang})`, kept);
      assert.match(kept, /^EXITED=1$/m, `${lang}: the run ended at a failed step (exit 1)`);
      const words = EXPECTED[lang];
      assert.match(kept, words.summary, `${lang}: the summary names the failed step`);
      assert.match(kept, words.failed, `${lang}: that the run stopped there`);
      // The reason: the command, uWSGI's own words from its last output, and the check that did not pass.
      assert.match(kept, words.command, `${lang}: which command failed, and how`);
      const uwsgi = /^ {4}\$ runuser -u e2ekeptyes -- \S+\/uwsgi --socket 0\.0\.0\.0:8095 --protocol=http -w wsgi$/m;
      assert.match(kept, uwsgi, `${lang}: the command, whole`);
      assert.match(kept, /^ {4}\| bind\(\): Address already in use/m, `${lang}: why it failed, in uWSGI's words`);
      assert.match(kept, words.tryThis, `${lang}: what to try`);
      assert.match(kept, words.log, `${lang}: where the run's log is`);
    }
  },
);
