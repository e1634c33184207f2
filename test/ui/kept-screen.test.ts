// What is left on a real terminal (a tmux pane, its scrollback included) once the wizard has
// ended (issue 21, part 1): the summary of every step, how the run ended, how uWSGI is run from
// now on and where the log is. And what was on the terminal before the wizard is still there:
// the screen never clears the scrollback, even when its frame was taller than the terminal.
// The vehicle is --simulate (a recorded real run replayed, nothing of this machine touched).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SHIPPED } from '../cli-run.js';
import { sleep } from '../helpers.js';

const state = mkdtempSync(join(tmpdir(), 'uwsgi-guide-kept-'));
const SOCKET = `uwsgi-guide-kept-${process.pid}`;
const noTmux = spawnSync('tmux', ['-V']).status === 0 ? false : 'tmux is not installed';

// Room for every frame the screen leaves in the history (tmux keeps a cleared screen there).
const CONFIG = join(state, 'tmux.conf');
writeFileSync(CONFIG, 'set -g history-limit 100000\n');

function tmux(...args: string[]): string {
  const run = spawnSync('tmux', ['-u', '-f', CONFIG, '-L', SOCKET, ...args], {
    encoding: 'utf8',
    env: { ...process.env, LANG: 'C.UTF-8', XDG_STATE_HOME: state, TERM: 'xterm-256color' },
  });
  if (run.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}
after(() => {
  spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  rmSync(state, { recursive: true, force: true });
});

/** The pane with its whole history, once `done` shows in it. */
async function paneWhen(
  session: string,
  done: string,
  keys: () => void = () => undefined,
  timeoutMs = 90_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pane = tmux('capture-pane', '-p', '-J', '-t', session, '-S', '-');
    if (pane.includes(done)) return pane;
    if (Date.now() > deadline) throw new Error(`no ${done} in the pane:\n${pane}`);
    keys();
    await sleep(200);
  }
}

/** The wizard in a small pane (24 rows: its frames are taller), after a line of the person's own. */
function start(session: string, args: string[]): void {
  const wizard = [process.execPath, SHIPPED, ...args].map((word) => `'${word}'`).join(' ');
  const script = `echo EARLIER-IN-THIS-SHELL; ${wizard}; echo "EXIT=$?"; sleep 600`;
  tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '24', `sh -c '${script.replace(/'/g, `'\\''`)}'`);
}

describe('the terminal after the wizard', { skip: noTmux }, () => {
  it('a normal end (--simulate --yes): the scrollback, every step, the end, and how to run uWSGI stay', async () => {
    start('end', ['--simulate', '--yes', '--lang', 'en']);
    const pane = await paneWhen('end', 'EXIT=');
    assert.match(pane, /EXIT=0/, pane);
    assert.match(pane, /^EARLIER-IN-THIS-SHELL$/m, 'the scrollback was not cleared');
    const after = pane.slice(pane.lastIndexOf('  concepts '));
    for (const line of [
      /^ {2}service +done · Run uWSGI as a service$/m,
      /^ {2}conclusion +done · /m,
      /^Every step has been gone through\.$/m,
      /^How uWSGI is run on a real machine \(this was a simulation\):$/m,
      // The recording is of a machine without a service manager (a container).
      /^ {2}Stop uWSGI: +.*uwsgi --stop \/run\/hello\/hello\.pid$/m,
      /^ {2}Start uWSGI: +.*uwsgi --ini \/home\/sammy\/hello\/hello\.ini/m,
      /^ {2}uWSGI log: +tail \/home\/sammy\/hello\/hello\.log$/m,
      /^⚠ uWSGI will NOT start again by itself after a reboot: .*start it with: .*uwsgi --ini /m,
      /^log: none — a simulation writes nothing/m,
    ])
      assert.match(after, line, `after the end:\n${after}`);
  });

  it('a quit (q at the first step): the steps, that it stopped and how to go on stay', async () => {
    start('quit', ['--simulate', '--no-quiz', '--lang', 'en']);
    let pressed = false;
    const pane = await paneWhen('quit', 'EXIT=', () => {
      const now = tmux('capture-pane', '-p', '-t', 'quit');
      if (!pressed && /\[q\]/.test(now)) {
        tmux('send-keys', '-t', 'quit', 'q');
        pressed = true;
      }
    });
    assert.match(pane, /EXIT=130/, pane);
    assert.match(pane, /^EARLIER-IN-THIS-SHELL$/m, 'the scrollback was not cleared');
    const after = pane.slice(pane.lastIndexOf('  concepts '));
    assert.match(after, /^ {2}concepts +to do · /m);
    assert.match(after, /^Stopped\. Run the wizard again to continue/m);
  });

  it('a failed check, then q: why it failed with what to try, and how to run uWSGI, stay', {
    timeout: 300_000,
  }, async () => {
    // The recording's incident: nginx answers 502 (the socket's group), a check fails at the nginx step.
    start('failure', ['--simulate', '--no-quiz', '--lang', 'en']);
    let quit = false;
    const pane = await paneWhen(
      'failure',
      'EXIT=',
      () => {
        const now = tmux('capture-pane', '-p', '-t', 'failure');
        if (quit) return;
        // The key bar of a failed check: its heading may be above the pane's last rows.
        if (now.includes('[r] check again')) {
          tmux('send-keys', '-t', 'failure', 'q');
          quit = true;
        } else if (now.includes('[Enter]')) tmux('send-keys', '-t', 'failure', 'Enter');
        // Every step up to nginx at the simulation's interactive pace: about a minute.
      },
      240_000,
    );
    assert.match(pane, /EXIT=130/, pane);
    assert.match(pane, /^EARLIER-IN-THIS-SHELL$/m, 'the scrollback was not cleared');
    // The last frame stays above the summary (tried in tmux: its last command cut as `… (0.…`, the summary
    // right under it): its lines whole, the summary after a blank line.
    const lastFrame = pane.slice(pane.lastIndexOf('Step 10 of 11'), pane.lastIndexOf('  concepts '));
    assert.doesNotMatch(lastFrame, /…/, `a line of the last frame is cut:\n${lastFrame}`);
    assert.match(lastFrame, /fi' \(\d+\.\ds\)\n\n$/, `the last frame, then a blank line:\n${lastFrame}`);
    const after = pane.slice(pane.lastIndexOf('  concepts '));
    for (const line of [
      /^ {2}service +done · /m,
      /^ {2}nginx +to do · /m,
      /^Stopped\. Run the wizard again to continue/m,
      /^ {2}✗ A check did not pass$/m,
      /^ {2}✗ http:\/\/127\.0\.0\.1\/ with Host: .* answers "Hello There!"\n {6}expected: .+\n {6}found: .*502.*\n {6}try this: .+/m,
      /^ {2}Start uWSGI: +.*uwsgi --ini /m,
      /^⚠ uWSGI will NOT start again by itself after a reboot/m,
    ])
      assert.match(after, line, `after the end:\n${after}`);
  });
});
