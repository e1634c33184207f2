// The page through nginx in a guest, asked from the host at the guest's own address (port 80 with
// the server name in Host:), as a person's browser would. Shared by the VM files that set a site up,
// with where the wizard is and what to print when a run of it fails.
import assert from 'node:assert/strict';
import http from 'node:http';
import { join } from 'node:path';
import { PROJECT, log } from '../e2e/machine.js';
import type { Guest } from './guest.js';

/** The standalone executable `npm run build` makes (scripts/standalone.mjs). */
export const EXECUTABLE = join(PROJECT, 'dist', 'uwsgi-nginx-guide-linux-x64');
export const IN_GUEST = '/usr/local/bin/uwsgi-nginx-guide';

export function pageFromHost(guest: Guest, serverName: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const request = http.get(
      { host: guest.address, port: 80, path: '/', headers: { Host: serverName }, timeout: 5000 },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('no answer within 5 s')));
    request.on('error', (error) => resolve({ status: 0, body: error.message }));
  });
}

function logPage(guest: Guest, serverName: string, page: { status: number; body: string }): void {
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
