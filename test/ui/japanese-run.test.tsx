// A run in Japanese shows no English sentence (issue 14, item 4): the expected and found words of
// every check, the stack line and the proofs are the screen's own, in the person's language. Only
// a program's own words (its output, a page, a log line) stay as the program wrote them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { render } from 'ink-testing-library';
import type { ProbeAnswer } from '../../src/engine/ports.js';
import { WizardSession } from '../../src/engine/session.js';
import { StackMonitor } from '../../src/engine/stack.js';
import type { Plan, Probe } from '../../src/engine/types.js';
import type { Recording } from '../../src/simulate/recording.js';
import { fastClock } from '../../src/simulate/simulated-system.js';
import { loadRecording, startSimulation } from '../../src/simulate/simulation.js';
import { runChecks } from '../../src/engine/wizard.js';
import { App } from '../../src/ui/App.js';
import { plainPrinter } from '../../src/ui/plain.js';
import { byHandUwsgi, FakeSystem, plain, sleep, waitFor } from '../helpers.js';
import { englishSentences } from './english-scan.js';

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CLI = join(PROJECT, 'dist', 'src', 'cli.js');

/** Everything the recorded machine's programs printed: commands' output, pages, nginx's log. */
function recordedProgramTexts(recording: Recording): string[] {
  const texts = Object.values(recording.commands).map((command) => command.chunks.map(([, text]) => text).join(''));
  if (recording.incident) texts.push(...recording.incident.evidence, recording.incident.fixOutput);
  for (const { answer } of recording.answers) {
    if (!('observed' in answer)) continue;
    const seen = answer.observed;
    if (seen.kind === 'command') texts.push(...seen.output);
    if (seen.kind === 'http' && 'body' in seen) texts.push(seen.body);
    if (seen.kind === 'socket' && !seen.exists && seen.error !== undefined) texts.push(seen.error);
  }
  return texts;
}

/**
 * What the plan shows as it is, in any language: commands (the machine's and the guide's), paths,
 * files' contents, the lines a student types.
 */
function planTexts(plan: Plan): string[] {
  const keys = new Set(['command', 'guideCommand', 'line', 'content', 'path', 'guidePath', 'exactCommands']);
  const texts: string[] = [];
  const walk = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      if (keys.has(key)) texts.push(value);
    } else if (Array.isArray(value)) for (const item of value) walk(item, key);
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) walk(v, /^\d+$/.test(k) ? key : k);
  };
  walk(plan, '');
  return texts;
}

/** Frames drawn from now on are as wide as a wide terminal: a sentence is never cut across two rows. */
function widen(stdout: NodeJS.WriteStream | { emit(event: string): boolean }): void {
  Object.defineProperty(stdout, 'columns', { value: 1000, configurable: true });
  stdout.emit('resize');
}

function report(where: string, sentences: string[]): string {
  return `English sentences in ${where}:\n${sentences.map((s) => `  ${s}`).join('\n')}`;
}

/** A failing observation of each kind, as a broken machine would give, with programs' own words. */
const NGINX_ERROR = 'nginx: [emerg] unknown directive "uwsgi_pas" in /etc/nginx/sites-enabled/hello:7';
const BAD_GATEWAY =
  '<html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1></center>';

function failing(probe: Probe, asked: number): ProbeAnswer {
  const first = asked === 0;
  switch (probe.kind) {
    case 'packages':
      return { ok: false, observed: { kind: 'packages', missing: probe.names.slice(0, 2) } };
    case 'command':
      return {
        ok: false,
        observed: { kind: 'command', exitCode: first ? 1 : null, output: first ? [NGINX_ERROR] : [] },
      };
    case 'file':
      return first
        ? { ok: false, observed: { kind: 'file', exists: false } }
        : {
            ok: false,
            observed: {
              kind: 'file',
              exists: true,
              differences: [
                { what: 'content' },
                { what: 'owner', found: 'root' },
                { what: 'group', found: 'root' },
                { what: 'mode', found: 0o600 },
                { what: 'not-executable' },
              ],
            },
          };
    case 'http':
      return first
        ? { ok: false, observed: { kind: 'http', error: 'ECONNREFUSED' } }
        : { ok: false, observed: { kind: 'http', status: 502, body: BAD_GATEWAY } };
    case 'processes':
      return {
        ok: false,
        observed: first ? { kind: 'processes', running: 0, userMissing: true } : { kind: 'processes', running: 1 },
      };
    case 'socket':
      return first
        ? { ok: false, observed: { kind: 'socket', exists: false } }
        : { ok: false, observed: { kind: 'socket', exists: true, isSocket: true, mode: 0o660, group: 'sammy' } };
    case 'port-free':
      return { ok: false, observed: { kind: 'port-free', inUse: true } };
    case 'uwsgi':
      return { ok: false, observed: { kind: 'uwsgi', found: first ? [] : [byHandUwsgi()] } };
  }
}

/**
 * The real curriculum, planned as the recording's run was, on a fake machine where every check
 * fails twice (with a different finding each time) and then passes; unattended, a failed check is
 * asked again. Every kind of probe is seen failing, by the plain output and the screen alike.
 */
function brokenThenFixed(): { session: WizardSession; plan: Plan } {
  const { plan } = startSimulation(loadRecording(), { maxActionMs: 5 });
  const fake = new FakeSystem({ probe: (_name, asked, probe) => (asked < 2 ? failing(probe, asked) : true) });
  let clock = 0;
  // Each look at the clock is a minute later: a check that settles is asked once, then counts as failed.
  const session = new WizardSession(plan, fake, {
    auto: true,
    pollMs: 1,
    now: () => (clock += 60_000),
    autoRetry: () => true,
  });
  return { session, plan };
}

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

describe('a Japanese run shows no English sentence', () => {
  const work = mkdtempSync(join(tmpdir(), 'uwsgi-guide-ja-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  const recording = loadRecording();
  const recorded = [
    ...recordedProgramTexts(recording),
    ...planTexts(startSimulation(recording, { maxActionMs: 5 }).plan),
  ];

  it('in plain output: --simulate --yes --lang ja, the recorded run with its failed checks and warnings', async () => {
    for (const dir of ['home', 'state', 'tmp']) mkdirSync(join(work, dir));
    const env = {
      PATH: process.env.PATH,
      HOME: join(work, 'home'),
      XDG_STATE_HOME: join(work, 'state'),
      TMPDIR: join(work, 'tmp'),
      LANG: 'C.UTF-8',
    };
    const run = await new Promise<{ code: number | null; stdout: string }>((done) => {
      const child = spawn(process.execPath, [CLI, '--simulate', '--yes', '--lang', 'ja'], { env });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.on('close', (code) => done({ code, stdout }));
    });
    assert.equal(run.code, 0, run.stdout.slice(-2000));
    // The run went through what this test is about: a failed check and a warning, each with its words.
    assert.match(run.stdout, /期待: /);
    assert.match(run.stdout, /実際: /);
    const sentences = englishSentences(run.stdout, recorded);
    assert.deepEqual(sentences, [], report('the plain output', sentences));
  });

  it('on the screen: the simulation in Japanese, through the recorded 502 and its retry', async () => {
    const simulation = startSimulation(recording, { maxActionMs: 5 });
    const session = new WizardSession(simulation.plan, simulation.system, {
      auto: false,
      pollMs: 5,
      now: fastClock(50),
    });
    simulation.follow(session);
    const stack = new StackMonitor(simulation.plan, simulation.system);
    stack.follow(session);
    const instance = render(
      <App session={session} lang="ja" auto={false} stack={stack} simulation={simulation.info} />,
    );
    unmount = instance.unmount;
    widen(instance.stdout);
    const from = instance.frames.length;
    void session.run();
    const screen = () => plain(instance.lastFrame());
    await sleep(20);
    const deadline = Date.now() + 20_000;
    const failed = () => screen().includes('確認に通らない項目があります');
    while (!(failed() && screen().includes('ステップ 10 / 11'))) {
      assert.ok(Date.now() < deadline, `the nginx check never failed; screen:\n${screen()}`);
      // A check still settling on a loaded machine may fail before the recorded 502: asked again, as a person would.
      if (failed()) instance.stdin.write('r');
      else if (/\[Enter\]/.test(screen())) instance.stdin.write('\r');
      await sleep(15);
    }
    instance.stdin.write('e');
    await sleep(30);
    instance.stdin.write('r');
    await waitFor(() => /アプリ ● 200/.test(screen()), `the whole stack alive:\n${screen()}`, 10_000);
    const frames = instance.frames.slice(from).map(plain).join('\n');
    assert.match(frames, /期待: /);
    const sentences = [...new Set(englishSentences(frames, recorded))];
    assert.deepEqual(sentences, [], report('the screen', sentences));
  });

  it('in plain output and on the screen: every kind of check failing, then passing, on a fake machine', async () => {
    // The fake's pages: a passing one answers with the text its check looks for.
    const pages = brokenThenFixed().plan.steps.flatMap((step) =>
      [...runChecks(step), ...step.checks].flatMap((check) =>
        check.probe.kind === 'http' ? [check.probe.expectBody] : [],
      ),
    );
    const programs = [NGINX_ERROR, BAD_GATEWAY, ...pages, ...planTexts(brokenThenFixed().plan)];

    const printed = brokenThenFixed();
    let out = '';
    printed.session.subscribe(plainPrinter((text) => (out += text), 'ja', printed.session.getState()));
    const state = await printed.session.run();
    assert.equal(state.phase.kind, 'finished', out.slice(-3000));
    for (const words of [
      '実際: 未インストール',
      '実際: 終了コード 1',
      'ファイルがない',
      '内容が違う',
      '接続を拒否された',
      'HTTP 502',
      '手で起動したもの (サービスではない)',
      'ソケット、モード 660',
    ]) {
      assert.ok(out.includes(words), `the plain output shows "${words}":\n${out}`);
    }
    const inPlain = englishSentences(out, programs);
    assert.deepEqual(inPlain, [], report('the plain output', inPlain));

    const drawn = brokenThenFixed();
    const instance = render(<App session={drawn.session} lang="ja" auto={true} />);
    unmount = instance.unmount;
    widen(instance.stdout);
    const from = instance.frames.length;
    const final = await drawn.session.run();
    await sleep(50);
    assert.equal(final.phase.kind, 'finished');
    const frames = instance.frames.slice(from).map(plain).join('\n');
    assert.match(frames, /期待: /);
    const onScreen = [...new Set(englishSentences(frames, programs))];
    assert.deepEqual(onScreen, [], report('the screen', onScreen));
  });
});
