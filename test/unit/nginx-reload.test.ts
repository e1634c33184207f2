// The nginx step reloads a running nginx (other sites keep their open connections) and restarts it only when it is not
// running (issue 15, item 14); and without a service manager uWSGI's pidfile is its owner's only (item 15). The reload
// line is run for real by /bin/sh, with stand-ins for `service` and `systemctl` that note how they were called.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CommandAction, Platform } from '../../src/engine/types.js';
import { actionById, debian12, planFor, ubuntu1404 } from '../helpers.js';

const bin = mkdtempSync(join(tmpdir(), 'nginx-reload-'));
const calls = join(bin, 'calls');
// Each stand-in notes its arguments; a status question succeeds only while NGINX_RUNS=1.
for (const program of ['service', 'systemctl']) {
  writeFileSync(
    join(bin, program),
    [
      '#!/bin/sh',
      `echo "${program} $*" >> "${calls}"`,
      'case "$*" in *status*|*is-active*) [ "$NGINX_RUNS" = 1 ] ;; *) exit 0 ;; esac',
      '',
    ].join('\n'),
  );
  chmodSync(join(bin, program), 0o755);
}
after(() => rmSync(bin, { recursive: true, force: true }));

/** What the nginx step's reload line called, with nginx running or not. */
function callsOf(platform: Platform, nginxRuns: boolean): string[] {
  const action = actionById(planFor({ platform }), 'nginx-reload') as CommandAction;
  writeFileSync(calls, '');
  const result = spawnSync('/bin/sh', ['-c', action.command], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, NGINX_RUNS: nginxRuns ? '1' : '0' },
  });
  assert.equal(result.status, 0, String(result.stderr));
  return readFileSync(calls, 'utf8').trim().split('\n');
}

describe("the nginx step makes nginx read the new site without dropping other sites' connections", () => {
  for (const [name, platform, [isRunning, reload, restart]] of [
    [
      'systemd',
      debian12('systemd'),
      ['systemctl is-active --quiet nginx', 'systemctl reload nginx', 'systemctl restart nginx'],
    ],
    ['no service manager', debian12('none'), ['service nginx status', 'service nginx reload', 'service nginx restart']],
    ['Upstart (the guide)', ubuntu1404(), ['service nginx status', 'service nginx reload', 'service nginx restart']],
  ] as const) {
    it(`${name}: a running nginx is reloaded, never restarted`, () => {
      assert.deepEqual(callsOf(platform, true), [isRunning, reload]);
    });
    it(`${name}: an nginx that is not running is restarted (started)`, () => {
      assert.deepEqual(callsOf(platform, false), [isRunning, restart]);
    });
  }

  it('the guide restarts; the plan says why it reloads instead', () => {
    const action = actionById(planFor({ platform: debian12('none') }), 'nginx-reload') as CommandAction;
    assert.equal(action.guideCommand, 'sudo service nginx restart');
    assert.match(action.whyDifferent!.en, /drops the open connections of every site/);
  });
});

describe('without a service manager, the pidfile is writable by its owner only', () => {
  const plan = planFor({ platform: debian12('none') });
  const service = plan.steps.find((step) => step.id === 'service')!;

  it('uWSGI is daemonized with umask 022, not the 0 --daemonize sets', () => {
    const start = actionById(plan, 'start-service') as CommandAction;
    assert.match(start.command, / --daemonize \S+ --pidfile \/run\/myapp\/myapp\.pid --umask 022$/);
  });

  it("a check of the service step proves the pidfile's owner and mode 644", () => {
    const check = service.checks.find((c) => c.id === 'pidfile-owner-only');
    assert.deepEqual(check?.probe, { kind: 'file', path: '/run/myapp/myapp.pid', owner: 'demo', mode: 0o644 });
  });

  it('with a service manager there is no pidfile of ours to check', () => {
    const systemd = planFor({ platform: debian12('systemd') }).steps.find((step) => step.id === 'service')!;
    assert.equal(
      systemd.checks.some((c) => c.id === 'pidfile-owner-only'),
      false,
    );
  });
});
