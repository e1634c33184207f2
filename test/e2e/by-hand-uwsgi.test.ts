// Issue 20 for real: a person followed the guide by hand up to the ini file and started uWSGI
// themselves (daemonized, with the group the guide's Upstart job gives it), and left the guide's
// test server running on the test port. The wizard must find both, say what it found, and never
// start a second uWSGI beside the first: stopped on confirmation (--yes), or kept, when chosen at
// the screen, with no second master started.
//
// It changes the machine, so it refuses to run unless it is root and CI=true or
// E2E_ALLOW_SYSTEM_CHANGES=1. Only names of its own are used (user e2ebyh, app e2ebyhand, test
// port 8311), with a state directory (XDG_STATE_HOME) of its own.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  alive,
  assertCompleted,
  assertPageAnswers,
  CLI,
  createServiceUser,
  EXIT_BUSY,
  followGuideByHand,
  heading,
  log,
  machineTest,
  must,
  plannedFiles,
  printScreen,
  processesOf,
  q,
  removeAppsAndUser,
  runWizard,
  testApp,
  timingTable,
  Tmux,
  uidOf,
  waitForRunLock,
  waitUntil,
  type Proc,
} from './machine.js';

const USER = 'e2ebyh';
const APP = testApp(USER, 'e2ebyhand', 'byhand.e2e.test', 8311);
const PROCESSES = 2;
const ANSWERS = [...APP.answers, '--processes', String(PROCESSES)];
const TMUX_SOCKET = 'e2e-byhand';

/** The uWSGI processes of the app's user, and among them the masters (a parent that is no uWSGI of theirs). */
function uwsgiOf(user: string): { all: Proc[]; masters: Proc[] } {
  const uid = uidOf(user);
  const all = uid === undefined ? [] : processesOf(uid).filter((p) => /(^|\/)uwsgi /.test(p.cmdline));
  return { all, masters: all.filter((p) => !all.some((other) => other.pid === p.ppid)) };
}

/**
 * Start uWSGI as the person would, from the app directory with the venv activated: the ini's
 * master and workers, daemonized, as the app's user with the web group (the job's setgid).
 */
function startByHand(line: string): void {
  const script = `cd ${q(APP.dir)} && . ${q(`${APP.name}env/bin/activate`)} && ${line}`;
  must(`runuser -u ${q(USER)} -g www-data -- sh -c ${q(script)}`);
  log(`by hand$ ${line}`);
}

async function masterByHand(match: RegExp): Promise<number> {
  const find = () => uwsgiOf(USER).masters.find((p) => match.test(p.cmdline));
  await waitUntil(() => find() !== undefined, 15_000);
  const found = find();
  assert.ok(found, `the uWSGI started by hand runs (${match})`);
  log(`by hand: uWSGI master ${found.pid}: ${found.cmdline}`);
  return found.pid;
}

machineTest('end-to-end: a uWSGI started by hand is found, never doubled (issue 20)', async (t, { stateOf }) => {
  const env = stateOf('byhand');
  const tmux = new Tmux(TMUX_SOCKET);
  const cleanUp = async (when: string) => {
    heading(`clean-up (${when})`);
    tmux.killServer();
    await removeAppsAndUser(USER, [APP.name]);
  };
  await cleanUp('before');
  t.after(() => cleanUp('after'));
  createServiceUser(USER);

  heading(`the guide by hand: venv, pip install uwsgi, wsgi.py, as ${USER}`);
  followGuideByHand(USER, APP.name, APP.dir);
  // The files as the wizard would write them (its plan, printed by --dry-run), written by the person.
  const dryRun = await runWizard(['--dry-run', ...ANSWERS], { env, once: true, prefix: 'plan│ ' });
  const files = plannedFiles(dryRun.stdout);
  const writeByHand = (path: string) => {
    const file = files.find((f) => f.path === path);
    assert.ok(file, `the plan writes ${path}`);
    must(`runuser -u ${q(USER)} -- sh -c ${q(`cat > ${q(path)}`)} <<'E2E_EOF'\n${file.content}E2E_EOF`);
  };
  writeByHand(`${APP.dir}/wsgi.py`);

  await t.test(
    '3. the test server left running on the test port: --yes names it and stops it before the test run, which then passes',
    async () => {
      startByHand(`uwsgi --http :${APP.port} -w wsgi --daemonize test-server.log`);
      const testServer = await masterByHand(/--http/);
      const run = await runWizard(['--yes', ...ANSWERS], { env });
      log(`\n${timingTable('the wizard after the test server was left running', run)}`);
      assertCompleted(run, 'the wizard');
      const testRun = run.stdout.slice(run.stdout.indexOf('[test-run]'), run.stdout.indexOf('✓ [test-run] done'));
      assert.match(
        testRun,
        new RegExp(
          `a uWSGI left running holds port ${APP.port}: pid ${testServer}, running by hand, not as a service, as ${USER} since .* serving :${APP.port}`,
        ),
        'the test run names the test server left running, and the port it holds',
      );
      assert.match(testRun, new RegExp(`kill -INT ${testServer}\\b`), 'and stops it before its own');
      assert.ok(!alive(testServer), 'it runs no more');
      const undo = await runWizard(['undo', '--yes', ...ANSWERS], { env, prefix: 'undo│ ' });
      assert.equal(undo.code, 0, `undo exits 0; stderr:\n${undo.stderr}`);
    },
  );

  // The ini by hand too, and its socket's directory in /run, as the person who read the guide's note would.
  writeByHand(`${APP.dir}/${APP.name}.ini`);
  must(`install -d -o ${q(USER)} -g www-data -m 0750 /run/${APP.name}`);

  let installed = false;
  await t.test(
    '1. uWSGI started by hand with --daemonize: --yes names it and stops it, the service is the only master, the page answers, undo leaves no uWSGI',
    async () => {
      startByHand(`uwsgi --ini ${APP.name}.ini --daemonize ${APP.name}-byhand.log`);
      const iniMaster = await masterByHand(/--ini/);

      const run = await runWizard(['--yes', ...ANSWERS], { env });
      log(`\n${timingTable('the wizard after uWSGI was started by hand', run)}`);
      assertCompleted(run, 'the wizard');
      assert.match(
        run.stdout,
        new RegExp(`pid ${iniMaster}, running by hand, not as a service, as ${USER} since `),
        `the run names the uWSGI ${iniMaster} found running by hand`,
      );
      assert.match(run.stdout, /stopping what was found \(the default; --yes does it\)/, 'it says it stops it');
      assert.match(run.stdout, new RegExp(`kill -INT ${iniMaster}\\b`), 'the hand-started master is stopped');
      assert.ok(!alive(iniMaster), 'it runs no more');

      const { all, masters } = uwsgiOf(USER);
      const pidFile = Number(readFileSync(`/run/${APP.name}/${APP.name}.pid`, 'utf8').trim());
      log(`uWSGI of ${USER} now:\n${all.map((p) => `  ${p.pid} (parent ${p.ppid}) ${p.cmdline}`).join('\n')}`);
      assert.deepEqual(
        masters.map((p) => p.pid),
        [pidFile],
        "the service's master (its pidfile's) is the only one",
      );
      assert.equal(all.length, PROCESSES + 1, `1 master + ${PROCESSES} workers in all`);
      assertPageAnswers(APP.server);

      const undo = await runWizard(['undo', '--yes', ...ANSWERS], { env, prefix: 'undo│ ' });
      assert.equal(undo.code, 0, `undo exits 0; stderr:\n${undo.stderr}`);
      assert.ok(await waitUntil(() => uwsgiOf(USER).all.length === 0, 15_000), 'undo leaves no uWSGI running');
      installed = true;
    },
  );

  await t.test(
    '2. the same, the hand-started uWSGI kept at the screen (k): no second master is started, and the summary says which process serves',
    async (st) => {
      if (!installed) return st.skip('case 1 did not complete');
      // undo put back what it replaced; the person's ini and /run/APP as before.
      must(`install -d -o ${q(USER)} -g www-data -m 0750 /run/${APP.name}`);
      startByHand(`uwsgi --ini ${APP.name}.ini --daemonize ${APP.name}-byhand.log`);
      const kept = await masterByHand(/--ini/);

      const command = [
        'env -u CI -u CONTINUOUS_INTEGRATION',
        `XDG_STATE_HOME=${q(env.XDG_STATE_HOME!)}`,
        q(process.execPath),
        q(CLI),
        '--no-quiz',
        ...ANSWERS.map(q),
        `--app-dir ${APP.dir} --web-group www-data`,
        '; echo "E2E-EXIT=$?"; sleep 86400',
      ].join(' ');
      const S = 'byhand';
      for (let attempt = 1; ; attempt += 1) {
        await waitForRunLock();
        tmux.start(S, command, 170, 60);
        const first = await tmux.waitFor(S, 'the first screen', (x) => /Step \d+ of|continue from|E2E-EXIT=/.test(x));
        if (!first.includes(`E2E-EXIT=${EXIT_BUSY}`) || attempt >= 5) break;
        tmux.killServer();
      }
      // Through the guide: Enter for each screen, k when the uWSGI found is offered, a file of theirs replaced.
      let screen = '';
      let offered = '';
      for (let answered = 0; answered < 80; answered += 1) {
        screen = await tmux.waitFor(S, 'a screen to answer', (x) =>
          /\[Enter\]|\[k\] keep it|\[r\] replace|E2E-EXIT=/.test(x),
        );
        if (screen.includes('E2E-EXIT=')) break;
        if (screen.includes('[k] keep it')) {
          offered = screen;
          printScreen('the uWSGI found, offered to be stopped or kept: k', screen);
          tmux.keys(S, 'k');
        } else if (/\[r\] replace/.test(screen) && !/\[Enter\]/.test(screen)) tmux.keys(S, 'r');
        else tmux.keys(S, 'Enter');
        const was = screen;
        await tmux.waitFor(S, 'the screen to change', (x) => x !== was, 120_000);
      }
      // Wherever the terminal wrapped the lines: compared without any white space.
      const squash = (text: string) => text.replace(/\s+/g, '');
      const end = squash(tmux.capture(S, true));
      printScreen('the end of the run', tmux.capture(S));
      assert.ok(
        squash(offered).includes(squash(`pid ${kept}, running by hand, not as a service`)),
        'the screen named it',
      );
      assert.ok(end.includes('E2E-EXIT=0'), 'the run ended with exit 0');
      assert.match(
        end,
        new RegExp(`${squash('kept running, as chosen:')}pid${kept},.*${squash('The service is not what runs')}`),
        'the summary says which process serves',
      );
      assert.ok(alive(kept), 'the uWSGI started by hand still runs');
      const { all, masters } = uwsgiOf(USER);
      log(`uWSGI of ${USER} now:\n${all.map((p) => `  ${p.pid} (parent ${p.ppid}) ${p.cmdline}`).join('\n')}`);
      assert.deepEqual(
        masters.map((p) => p.pid),
        [kept],
        'no second master was started',
      );
      assertPageAnswers(APP.server);

      // status shows it as its own state; undo, which did not start it, shows it and stops it.
      const status = await runWizard(['status', ...ANSWERS], { env, once: true, prefix: 'status│ ' });
      assert.match(
        status.stdout,
        new RegExp(`uWSGI serving the app outside its service:\\n +⚠ pid ${kept}, running by hand, not as a service`),
        'status names the uWSGI running by hand',
      );
      const undo = await runWizard(['undo', '--yes', ...ANSWERS], { env, prefix: 'undo│ ' });
      assert.equal(undo.code, 0, `undo exits 0; stderr:\n${undo.stderr}`);
      assert.match(
        undo.stdout,
        new RegExp(`Not started by the wizard, found serving the app[^\\n]*\\n +- pid ${kept},`),
      );
      assert.match(undo.stdout, new RegExp(`\\$ sh -c 'kill -INT ${kept}\\b`), 'undo stops it');
      assert.ok(await waitUntil(() => uwsgiOf(USER).all.length === 0, 15_000), 'undo leaves no uWSGI running');
    },
  );
});
