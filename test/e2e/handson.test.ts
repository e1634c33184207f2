// Issue 7 for real: hands-on mode in tmux, with the student's own shell in a second pane. The
// wizard runs nothing the student does not ask it to: the virtualenv is made in the wrong
// directory first (the wizard names the mistake), then in the right one (the wizard moves on by
// itself); uWSGI is installed by "do it for me" after three hints; wsgi.py is written in the home
// directory (its hint) and moved; the test server is started in the second pane, seen answering,
// and stopped there with Ctrl-C. The rest is run by the wizard unattended (--yes). Then `report`
// holds the figures of both runs.
//
// It changes the machine, so it refuses to run unless it is root and CI=true or
// E2E_ALLOW_SYSTEM_CHANGES=1. Only names of its own are used (user e2ehands, app e2ehon, test
// port 8321); it begins from a machine with or without the apt packages (the wizard installs them
// for the student by "do it for me" when they are missing) and removes what it made.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLI,
  createServiceUser,
  EXIT_BUSY,
  heading,
  listeners,
  log,
  machineTest,
  printScreen,
  q,
  removeAppsAndUser,
  runWizard,
  stepTimings,
  testApp,
  Tmux,
  waitForRunLock,
} from './machine.js';

const USER = 'e2ehands';
const APP = testApp(USER, 'e2ehon', 'hon.handson.e2e.test', 8321);
const TMUX_SOCKET = 'uwsgi-guide-e2e-handson';
const S = 'e2e-handson';
const WIZARD = `${S}:0.0`;
const SHELL = `${S}:0.1`;

/** The guide's wsgi.py for Python 3, as a student types it: with double quotes, which works as well (issue 15). */
const WSGI_PY = [
  'def application(environ, start_response):',
  '    start_response("200 OK", [("Content-Type", "text/html")])',
  `    return [b"<h1 style='color:blue'>Hello There!</h1>"]`,
].join('\n');

interface ReportJson {
  student: string;
  steps: {
    id: string;
    state: string;
    doneBy?: string;
    spentSec?: number;
    hintLevel: number;
    doneForStudent: boolean;
  }[];
  totals: { stepsDone: number; spentSec: number; stepsDoneForStudent: number };
  quiz: { kind: string };
}

machineTest(
  'end-to-end: hands-on mode in tmux with a second pane, then the report (issue 7)',
  async (t, { dir: work, stateOf }) => {
    const state = stateOf('handson');
    const tmux = new Tmux(TMUX_SOCKET);
    const cleanUp = async (when: string) => {
      heading(`clean-up (${when})`);
      tmux.killServer();
      await removeAppsAndUser(USER, [APP.name]);
    };
    await cleanUp('before');
    t.after(() => cleanUp('after'));
    createServiceUser(USER);

    const has =
      (...parts: (string | RegExp)[]) =>
      (screen: string) =>
        parts.every((p) => (typeof p === 'string' ? screen.includes(p) : p.test(screen)));
    /** Type a line into the student's shell, as they would, and press Enter. */
    const type = (line: string) => {
      log(`student$ ${line}`);
      tmux.type(SHELL, line);
      tmux.keys(SHELL, 'Enter');
    };

    heading("1. the wizard in hands-on mode (top pane) and the student's shell as e2ehands (bottom pane)");
    const command = [
      'env -u CI -u CONTINUOUS_INTEGRATION',
      `XDG_STATE_HOME=${q(state.XDG_STATE_HOME)}`,
      q(process.execPath),
      q(CLI),
      '--hands-on',
      // The quizzes have their own tests; here a question after a lesson would only stand in the way.
      '--no-quiz',
      ...APP.answers.map(q),
      `--app-dir ${APP.dir} --web-group www-data --processes 2`,
      '; echo "E2E-EXIT=$?"; sleep 86400',
    ].join(' ');
    let screen = '';
    for (let attempt = 1; ; attempt += 1) {
      await waitForRunLock();
      tmux.start(S, command, 170, 75);
      screen = await tmux.waitFor(
        WIZARD,
        'the first screen, or an exit',
        (x) => x.includes('[Enter] continue from ▶') || x.includes('Step 1 of 11') || x.includes('E2E-EXIT='),
      );
      if (!screen.includes(`E2E-EXIT=${EXIT_BUSY}`) || attempt >= 5) break;
      tmux.killServer();
    }
    tmux.split(S, `runuser -l ${USER}`, 14);
    await tmux.waitFor(SHELL, "the student's prompt", (x) => x.includes(`${USER}@`));

    // On to the virtualenv: the list of what is in place (Enter), the lessons (Enter), and the
    // packages, done for the student by "do it for me" on a machine that lacks them.
    const atVirtualenv = has('Step 4 of 11', '[h] hint (1 of 3)');
    for (;;) {
      screen = await tmux.waitFor(
        WIZARD,
        'the next screen to answer',
        (x) =>
          atVirtualenv(x) ||
          x.includes('[Enter] continue from ▶') ||
          x.includes('[Enter] continue   [q] quit') ||
          (x.includes('Step 3 of 11') && (x.includes('[h] hint (1 of 3)') || x.includes('[Enter] run it'))),
        30 * 60_000,
      );
      if (atVirtualenv(screen)) break;
      if (screen.includes('Step 3 of 11') && screen.includes('[h] hint (1 of 3)')) {
        printScreen('a machine without the packages: done for the student after three hints', screen);
        for (const key of ['h', 'h', 'h']) tmux.keys(WIZARD, key);
      } else {
        printScreen('a screen on the way to the virtualenv: Enter', screen);
        tmux.keys(WIZARD, 'Enter');
      }
      const answered = screen;
      await tmux.waitFor(WIZARD, 'the screen to change', (x) => x !== answered);
    }

    heading('2. virtualenv: made in the wrong directory (the hint), then in the app directory (the wizard moves on)');
    screen = await tmux.waitFor(
      WIZARD,
      'the virtualenv step, hands-on',
      has('Step 4 of 11', 'Type in your shell (as e2ehands', '[h] hint (1 of 3)'),
      30 * 60_000,
    );
    printScreen('step 4 in hands-on mode: what to type, as whom, where', screen);
    assert.match(
      screen,
      /\$ \/usr\/bin\/python3 -m venv \/home\/e2ehands\/e2ehon\/e2ehonenv|\$ mkdir -p \/home\/e2ehands\/e2ehon/,
    );
    tmux.keys(WIZARD, 'h');
    screen = await tmux.waitFor(WIZARD, 'hint 1', has('Hint 1 — what to do:', 'become e2ehands'));
    // The student stays in their home directory: a venv named as the guide says, in the wrong place.
    type(`mkdir -p ${APP.dir} && /usr/bin/python3 -m venv ${APP.name}env`);
    screen = await tmux.waitFor(
      WIZARD,
      'the wrong-directory hint',
      has(
        '! Looks like a wrong move: A virtualenv was made in another directory',
        `seen: /home/${USER}/${APP.name}env`,
      ),
      120_000,
    );
    printScreen('the venv in the wrong directory, recognised', screen);
    const movedOnAt = Date.now();
    type(`rm -r ${APP.name}env && cd ${APP.dir} && /usr/bin/python3 -m venv ${APP.name}env`);
    // Keys count only once the step waits for the student (after its pitfall checks): [h] on screen.
    screen = await tmux.waitFor(
      WIZARD,
      'the wizard moving on by itself',
      has('[virtualenv] done', 'Step 5 of 11', '[h] hint (1 of 3)'),
      120_000,
    );
    log(`the wizard moved on ${((Date.now() - movedOnAt) / 1000).toFixed(1)}s after the command was typed`);
    printScreen('the virtualenv made by the student: step 5 begins', screen);

    heading('3. uwsgi: three hints, the third is "do it for me"');
    tmux.keys(WIZARD, 'h');
    await tmux.waitFor(WIZARD, 'hint 1', has('Hint 1 — what to do:'));
    tmux.keys(WIZARD, 'h');
    screen = await tmux.waitFor(
      WIZARD,
      'hint 2',
      has(
        'Hint 2 — exactly this',
        `cd ${APP.dir} && runuser -u ${USER} -- ${APP.dir}/${APP.name}env/bin/pip install --verbose uwsgi`,
      ),
    );
    tmux.keys(WIZARD, 'h');
    screen = await tmux.waitFor(
      WIZARD,
      'do it for me',
      has('The wizard does this step for you', '[Enter] run it   [b] back: I do it myself'),
    );
    printScreen('hint 3: the wizard offers to do it', screen);
    tmux.keys(WIZARD, 'Enter');
    await tmux.waitFor(
      WIZARD,
      'uwsgi --version to confirm',
      has('Step 5 of 11', 'Command 2 of 2', '[Enter] run it'),
      20 * 60_000,
    );
    tmux.keys(WIZARD, 'Enter');

    heading('4. wsgi.py: written in the home directory (the hint), then moved into the app directory');
    await tmux.waitFor(
      WIZARD,
      'the wsgi-app step, hands-on',
      has('Step 6 of 11', 'Write this file (as e2ehands)'),
      120_000,
    );
    type('cd ~');
    type(`cat > wsgi.py <<'EOF'\n${WSGI_PY}\nEOF`);
    screen = await tmux.waitFor(
      WIZARD,
      'the wrong-directory hint for wsgi.py',
      has('! Looks like a wrong move: wsgi.py was written in another directory', `seen: /home/${USER}/wsgi.py`),
      60_000,
    );
    printScreen('wsgi.py in the home directory, recognised', screen);
    type(`mv wsgi.py ${APP.dir}/ && cd ${APP.dir}`);
    await tmux.waitFor(WIZARD, 'step 7 after wsgi.py was moved', has('[wsgi-app] done', 'Step 7 of 11'), 60_000);

    heading("5. the test run: started in the student's pane, seen by the wizard, stopped there with Ctrl-C");
    type(`source ${APP.name}env/bin/activate`);
    type(`uwsgi --socket 0.0.0.0:${APP.port} --protocol=http -w wsgi`);
    screen = await tmux.waitFor(
      WIZARD,
      'the page seen on the test port',
      has('The page answered. Now stop uWSGI with Ctrl-C'),
      60_000,
    );
    printScreen("the student's uWSGI answered: now Ctrl-C", screen);
    assert.ok(listeners(APP.port).length > 0, `the student's uWSGI listens on ${APP.port}`);
    tmux.keys(SHELL, 'C-c');
    screen = await tmux.waitFor(WIZARD, 'step 8 once the port is free', has('[test-run] done', 'Step 8 of 11'), 60_000);
    assert.deepEqual(listeners(APP.port), [], 'the port is free again');
    printScreen('the test run done by the student: step 8 begins', screen);

    tmux.keys(WIZARD, 'q');
    screen = await tmux.waitFor(WIZARD, 'the wizard to end', has('E2E-EXIT='), 60_000);
    assert.match(screen, /E2E-EXIT=130\b/, 'quit by the person: exit 130');
    tmux.killServer();

    heading('6. the rest by the wizard itself, unattended: a normal run records its times too');
    const rest = await runWizard(
      [...APP.answers, '--app-dir', APP.dir, '--web-group', 'www-data', '--processes', '2', '--yes'],
      { env: state },
    );
    assert.equal(rest.code, 0, `the rest of the guide, run by the wizard: exit ${rest.code}\n${rest.stderr}`);

    heading('7. the report of both runs');
    const out = join(work, 'reports');
    const report = await runWizard(['report', '--out', out, '--lang', 'en'], {
      env: state,
      once: true,
      prefix: 'report│ ',
    });
    assert.equal(report.code, 0, report.stderr);
    const mdPath = /^ {2}(.+\.md)$/m.exec(report.stdout)?.[1];
    const jsonPath = /^ {2}(.+\.json)$/m.exec(report.stdout)?.[1];
    assert.ok(mdPath && jsonPath, `report names its two files:\n${report.stdout}`);
    const md = readFileSync(mdPath, 'utf8');
    log(md);
    const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as ReportJson;
    const byId = new Map(json.steps.map((s) => [s.id, s]));
    const venv = byId.get('virtualenv')!;
    assert.equal(venv.state, 'done');
    assert.equal(venv.doneBy, 'student');
    assert.equal(venv.hintLevel, 1);
    assert.ok((venv.spentSec ?? 0) > 1, `time spent on the virtualenv: ${venv.spentSec}s`);
    const uwsgi = byId.get('uwsgi')!;
    assert.deepEqual(
      [uwsgi.state, uwsgi.hintLevel, uwsgi.doneForStudent],
      ['done', 3, true],
      'uWSGI done by the wizard for the student',
    );
    assert.ok((uwsgi.spentSec ?? 0) > 5, `the uWSGI build took time: ${uwsgi.spentSec}s`);
    for (const id of ['wsgi-app', 'test-run']) {
      const s = byId.get(id)!;
      assert.deepEqual([s.state, s.doneBy, s.doneForStudent], ['done', 'student', false], `${id} done by the student`);
      assert.ok((s.spentSec ?? 0) > 0, `${id} has its time`);
    }
    for (const id of ['concepts', 'wsgi-spec', 'conclusion'])
      assert.equal(byId.get(id)!.doneBy, 'read', `the lesson ${id} was read, not done by the wizard`);
    for (const id of ['ini', 'service', 'nginx']) {
      const s = byId.get(id)!;
      assert.deepEqual(
        [s.state, s.doneBy, s.hintLevel, s.doneForStudent],
        ['done', 'wizard', 0, false],
        `${id} done by the wizard in the normal run`,
      );
      assert.ok(s.spentSec !== undefined && s.spentSec >= 0, `${id} has its time: ${s.spentSec}`);
    }
    // The report's seconds are the run's: each step as long as the plain output shows it, from its
    // "== Step" line to the next (to within the time a line takes to arrive and be timed).
    for (const timing of stepTimings(rest).filter((x) => ['service', 'nginx'].includes(x.id))) {
      const reported = byId.get(timing.id)!.spentSec!;
      log(`${timing.id}: ${timing.seconds.toFixed(1)}s in the run's output, ${reported}s in the report`);
      assert.ok(
        Math.abs(reported - timing.seconds) < 1,
        `${timing.id}: the report says ${reported}s, the run took ${timing.seconds}s`,
      );
    }
    assert.equal(json.totals.stepsDone, 11);
    assert.equal(json.totals.stepsDoneForStudent, 1);
    assert.ok(json.totals.spentSec >= (venv.spentSec ?? 0) + (uwsgi.spentSec ?? 0), "the total holds the steps' times");
    assert.deepEqual(json.quiz, { kind: 'none' });
    assert.match(
      md,
      /\| 5 \| Install uWSGI into the virtualenv \(uwsgi\) \| done \| wizard \| \d+:\d\d \| 3 do it for me \| yes \|/,
    );
    assert.match(
      md,
      /\| 4 \| The app directory and its virtualenv \(virtualenv\) \| done \| student \| \d+:\d\d \| 1 what to do \| {2}\|/,
    );
    assert.match(md, /- Quiz: no quiz taken/);

    heading("8. undo takes back the student's work too: their wsgi.py, as the wizard's own files (issue 15)");
    const undo = await runWizard(['undo', '--yes'], { env: state, once: true, prefix: 'undo│ ' });
    assert.equal(undo.code, 0, `undo exits 0; what it said:\n${undo.stdout.split('\n').slice(-12).join('\n')}`);
    assert.match(undo.stdout, new RegExp(`wrote ${APP.dir}/wsgi\\.py`), "the student's wsgi.py is in undo's list");
    assert.equal(existsSync(`${APP.dir}/wsgi.py`), false, "the student's wsgi.py is gone");
    assert.equal(existsSync(`/etc/nginx/sites-enabled/${APP.name}`), false, 'the site is no longer enabled');
  },
);
