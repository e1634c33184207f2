// The page through nginx in a guest, asked from the host at the guest's own address (port 80 with
// the server name in Host:), as a person's browser would. Shared by the VM files that set a site up,
// with where the wizard is and what to print when a run of it fails.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { PROJECT, log, q } from '../e2e/machine.js';
import type { TestContext } from 'node:test';
import { bootGuest, timed, type Guest, type RunResult } from './guest.js';

/** The standalone executable `npm run build` makes (scripts/standalone.mjs). */
export const EXECUTABLE = join(PROJECT, 'dist', 'uwsgi-nginx-guide-linux-x64');
export const IN_GUEST = '/usr/local/bin/uwsgi-nginx-guide';

export interface HostAnswer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

export function pageFromHost(guest: Guest, serverName: string, path = '/'): Promise<HostAnswer> {
  return new Promise((resolve) => {
    const request = http.get(
      { host: guest.address, port: 80, path, headers: { Host: serverName }, timeout: 5000 },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body, headers: response.headers }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('no answer within 5 s')));
    request.on('error', (error) => resolve({ status: 0, body: error.message, headers: {} }));
  });
}

export function logPage(guest: Guest, serverName: string, page: { status: number; body: string }): void {
  log(
    `GET http://${guest.address}/ (Host: ${serverName}) → ${page.status} ${page.body.replace(/\s+/g, ' ').slice(0, 80)}`,
  );
}

/** The guide's hello page answers 200 within `withinMs` (nginx's reload returns before its new workers take over). */
export async function assertPage(guest: Guest, serverName: string, withinMs = 5000): Promise<void> {
  const deadline = Date.now() + withinMs;
  let page = await pageFromHost(guest, serverName);
  while (!page.body.includes('Hello There!') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    page = await pageFromHost(guest, serverName);
  }
  logPage(guest, serverName, page);
  assert.equal(page.status, 200, `the page for ${serverName} answers from the host`);
  assert.match(page.body, /Hello There!/);
}

export async function assertNoPage(guest: Guest, serverName: string): Promise<void> {
  const page = await pageFromHost(guest, serverName);
  logPage(guest, serverName, page);
  assert.doesNotMatch(page.body, /Hello There!/, `nothing of ${serverName} answers`);
}

/** The tail of the account's last wizard transcript and the guest's journal, for a run that failed. */
export async function printTranscript(guest: Guest, user: string): Promise<void> {
  const last = await guest.run(
    `tail -n 80 "$(ls -t /home/${user}/.local/state/uwsgi-nginx-guide/run-*.log | head -n 1)"`,
    { quiet: true },
  );
  log(
    `---- the wizard's transcript (tail) ----\n${last.stdout}${last.stderr}\n---- journal (tail) ----\n${guest.journalTail(40)}`,
  );
}

/**
 * The standalone wizard run in the guest by `user` (plain output, no terminal), timed and echoed to the log as it
 * goes; it must exit 0 (the transcript's tail is printed when it does not). `env` comes before the command.
 */
export async function wizardIn(
  guest: Guest,
  user: string,
  args: string,
  label: string,
  options: { limitMs: number; env?: string },
): Promise<RunResult> {
  const line = `${options.env ? `${options.env} ` : ''}${IN_GUEST} ${args}`;
  const run = await timed(label, () => guest.run(line, { user, echo: `${label}│ `, timeoutMs: options.limitMs }));
  if (run.code !== 0) await printTranscript(guest, user);
  assert.equal(run.code, 0, `${label} exits 0: ${run.stderr}`);
  return run;
}

/** A booted bookworm guest with the wizard in it, and `user`, who may sudo without a password (removed with t). */
export async function bookwormWithWizard(t: TestContext, user: string): Promise<Guest> {
  assert.ok(existsSync(EXECUTABLE), `${EXECUTABLE} is missing: npm run build makes it`);
  const guest = await bootGuest(t, 'bookworm');
  await guest.createUser(user, { sudo: `${user} ALL=NOPASSWD: ALL`, homeMode: '750' });
  await guest.copyIn(EXECUTABLE, IN_GUEST, { owner: 'root:root', mode: '755' });
  return guest;
}

/** The wizard's answers for an app of `user`'s, in English and without the quiz, quoted for the shell. */
export function answersFor(user: string, app: string, serverName: string, testPort: number): string {
  return ['--lang', 'en', '--no-quiz', '--user', user, '--app-name', app, '--server-name', serverName]
    .concat(['--processes', '2', '--test-port', String(testPort)])
    .map(q)
    .join(' ');
}
