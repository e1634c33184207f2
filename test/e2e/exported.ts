// What the export e2e files share (issue 19): this machine's platform, an app of their own set up
// fresh (and removed afterwards, also on failure), the CLI's export into the test's directory, and
// the page once nginx's reload has taken effect.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import {
  assertPageAnswers,
  CLI,
  createServiceUser,
  curlPage,
  heading,
  log,
  q,
  removeAppsAndUser,
  sh,
  type TestApp,
  waitUntil,
} from './machine.js';

/** This machine: a container without systemd, the platform the wizard detects here. */
export const PLATFORM = existsSync('/run/systemd/system') ? 'debian-12' : 'debian-12-noinit';

/** The app's account made fresh, everything of the app removed before and after the test. */
export async function freshApp(t: TestContext, app: TestApp): Promise<void> {
  const cleanUp = async (when: string) => {
    heading(`clean-up (${when})`);
    await removeAppsAndUser(app.user, [app.name]);
  };
  await cleanUp('before');
  t.after(() => cleanUp('after'));
  createServiceUser(app.user);
}

/** `export --format FORMAT` for this machine's platform and the app's answers, into DIR/FORMAT; returns that directory. */
export function exportFor(format: string, app: TestApp, dir: string): string {
  heading(`export --format ${format} --platform ${PLATFORM}`);
  const out = join(dir, format);
  const env = `XDG_STATE_HOME=${q(join(dir, 'state'))} LANG=C.UTF-8`;
  const exported = sh(
    `${env} node ${q(CLI)} export --format ${format} --platform ${PLATFORM} ${app.answers.map(q).join(' ')} --out ${q(out)}`,
  );
  log(`${exported.stdout}${exported.stderr}`);
  assert.equal(exported.code, 0, 'export exits 0');
  return out;
}

/** The page through nginx; its reload returns before its new workers take over (the wizard's check waits too). */
export async function assertPageAnswersSoon(server: string): Promise<void> {
  await waitUntil(() => /Hello There!/.test(curlPage(server).stdout), 15_000);
  assertPageAnswers(server);
}
