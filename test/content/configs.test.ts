// The files the plans write, checked by the programs that will read them, where those programs
// are on this machine: the systemd unit by `systemd-analyze verify`, the nginx server block by
// `nginx -t` (in a configuration of its own under a temporary directory: /etc/nginx is never
// read into it nor touched), the ini by uWSGI in strict mode. Where its program is missing a
// check is skipped, saying why; under CI=true it fails instead, saying what is missing: CI must
// prove the files, and .ci/run provides the programs (NGINX, UWSGI: unpacked, not installed).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { buildPlan } from '../../src/engine/plan.js';
import { allPlatforms } from '../../src/engine/platforms.js';
import type { FileAction, PlanContext } from '../../src/engine/types.js';
import { curriculum } from '../../steps/index.js';
import { goldenContext } from '../golden.js';
import { DJANGO_APP, debian12, FLASK_APP, ownAppContext } from '../helpers.js';
import { checkedBy, findUwsgi, missing, nginxCheck, nginxTree, noUwsgi, program, programEnv } from '../validators.js';

const work = mkdtempSync(join(tmpdir(), 'uwsgi-nginx-guide-configs-'));
after(() => rmSync(work, { recursive: true, force: true }));

function fileOf(ctx: PlanContext, id: string): FileAction | undefined {
  return buildPlan(curriculum, ctx)
    .steps.flatMap((s) => s.actions)
    .find((a): a is FileAction => a.kind === 'file' && a.id === id);
}

/** Each distinct content of a file across the platforms, with the platforms that write it. */
function distinct(
  id: string,
  ctxOf: (platform: ReturnType<typeof allPlatforms>[number]) => PlanContext,
): { platforms: string[]; file: FileAction }[] {
  const seen = new Map<string, { platforms: string[]; file: FileAction }>();
  for (const platform of allPlatforms()) {
    const file = fileOf(ctxOf(platform), id);
    if (!file) continue;
    const entry = seen.get(file.content) ?? { platforms: [], file };
    entry.platforms.push(platform.id);
    seen.set(file.content, entry);
  }
  return [...seen.values()];
}

const env = programEnv;

/** A person's own projects (issue 17): their unit, site and ini are checked the same way. */
const OWN_APPS = [FLASK_APP, DJANGO_APP];

function run(program: string, args: string[]) {
  return spawnSync(program, args, { encoding: 'utf8', timeout: 20_000, cwd: work, env });
}

const analyzer = program('SYSTEMD_ANALYZE', 'systemd-analyze');
const noAnalyzer = missing('SYSTEMD_ANALYZE', 'systemd-analyze');
checkedBy('the systemd unit passes systemd-analyze verify', analyzer, noAnalyzer, (systemdAnalyze) => {
  // verify insists that ExecStart= names an executable that exists: the unit is planned for an
  // app directory under the temporary directory, with a stand-in for the venv's uwsgi.
  const appDir = join(work, 'unit', 'myapp');
  const ctxOf = (platform: ReturnType<typeof allPlatforms>[number]) => {
    const ctx = goldenContext(platform);
    return { ...ctx, answers: { ...ctx.answers, appDir } };
  };
  for (const { platforms, file } of distinct('write-systemd-unit', ctxOf)) {
    it(`as planned for ${platforms.join(', ')}`, () => {
      mkdirSync(join(appDir, 'myappenv', 'bin'), { recursive: true });
      writeFileSync(join(appDir, 'myappenv', 'bin', 'uwsgi'), '#!/bin/sh\n');
      chmodSync(join(appDir, 'myappenv', 'bin', 'uwsgi'), 0o755);
      const unit = join(work, 'unit', 'myapp.service');
      writeFileSync(unit, file.content);
      const result = run(systemdAnalyze, ['verify', unit]);
      assert.equal(result.status, 0, `${result.stderr}\n${file.content}`);
      // Unknown keys and bad values are only warnings: none may appear.
      assert.equal(result.stderr.trim(), '', file.content);
    });
  }

  // A person's own project: the unit reads its environment file.
  for (const app of OWN_APPS)
    it(`for a ${app.framework} project, with EnvironmentFile=`, () => {
      const ctx = ownAppContext(app, debian12('systemd'));
      const file = fileOf({ ...ctx, answers: { ...ctx.answers, appDir } }, 'write-systemd-unit')!;
      assert.match(file.content, /^EnvironmentFile=/m);
      const unit = join(work, 'unit', 'myapp.service');
      writeFileSync(unit, file.content);
      const result = run(systemdAnalyze, ['verify', unit]);
      assert.equal(result.status, 0, `${result.stderr}\n${file.content}`);
      assert.equal(result.stderr.trim(), '', file.content);
    });

  it('the check itself catches a unit systemd would refuse', () => {
    const unit = join(work, 'unit', 'broken.service');
    writeFileSync(unit, '[Service]\nExecStart=uwsgi --ini myapp.ini\nUsr=demo\n');
    const result = run(systemdAnalyze, ['verify', unit]);
    assert.ok(
      result.status !== 0 || result.stderr.trim() !== '',
      'a relative ExecStart and an unknown key pass unnoticed',
    );
  });
});

checkedBy('the nginx server block passes nginx -t', program('NGINX', 'nginx'), missing('NGINX', 'nginx'), (nginx) => {
  /** nginx -t of a whole configuration around the block, in a directory of its own. */
  function nginxTest(name: string, site: string) {
    const prefix = join(work, 'nginx', name);
    nginxTree(prefix, { site });
    return nginxCheck(nginx, prefix, '-t');
  }

  for (const [i, { platforms, file }] of distinct('write-nginx-site', goldenContext).entries()) {
    it(`as planned for ${platforms.join(', ')}`, () => {
      const result = nginxTest(`site-${i}`, file.content);
      assert.equal(result.status, 0, `${result.stderr}\n${file.content}`);
      assert.match(result.stderr, /test is successful/);
    });
  }

  for (const app of OWN_APPS)
    it(`for a ${app.framework} project, with its static location`, () => {
      const file = fileOf(ownAppContext(app), 'write-nginx-site')!;
      assert.match(file.content, /location \/static\/ \{/);
      const result = nginxTest(`site-${app.framework}`, file.content);
      assert.equal(result.status, 0, `${result.stderr}\n${file.content}`);
    });

  it('the check itself catches a block nginx would refuse', () => {
    const result = nginxTest('broken', 'server {\n    listen 80;\n    uwsgi_pass unix:/run/myapp/myapp.sock\n}\n');
    assert.notEqual(result.status, 0, result.stderr);
  });
});

checkedBy('the ini is accepted by uWSGI in strict mode', findUwsgi(), noUwsgi, (uwsgi) => {
  for (const [i, { platforms, file }] of distinct('write-ini', goldenContext).entries()) {
    it(`as planned for ${platforms.join(', ')}`, () => {
      const ini = join(work, `myapp-${i}.ini`);
      writeFileSync(ini, file.content);
      const result = run(uwsgi, ['--strict', '--ini', ini, '--get', 'module', '--get', 'processes', '--get', 'socket']);
      assert.equal(result.status, 0, `${result.stderr}\n${file.content}`);
      const socket = /^socket = (.*)$/m.exec(file.content)?.[1];
      assert.equal(result.stdout, `wsgi:application\n5\n${socket}\n`);
    });
  }

  for (const app of OWN_APPS)
    it(`for a ${app.framework} project: chdir, module, home, need-app, touch-reload`, () => {
      const file = fileOf(ownAppContext(app), 'write-ini')!;
      const ini = join(work, `myapp-${app.framework}.ini`);
      writeFileSync(ini, file.content);
      const result = run(uwsgi, ['--strict', '--ini', ini, '--get', 'module', '--get', 'need-app']);
      assert.equal(result.status, 0, `${result.stderr}\n${file.content}`);
      assert.equal(result.stdout, `${app.module}:${app.callable}\ntrue\n`);
    });

  it('the check itself catches a misspelt option', () => {
    const ini = join(work, 'broken.ini');
    writeFileSync(ini, '[uwsgi]\nmodule = wsgi:application\nchmod-sockets = 664\n');
    assert.notEqual(run(uwsgi, ['--strict', '--ini', ini, '--get', 'module']).status, 0);
  });
});
