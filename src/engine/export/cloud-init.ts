// Issue 19: the plan as cloud-init user-data (#cloud-config), for a machine being created: the
// packages, the app's account, the root-owned files (write_files, deferred until the packages made
// their directories: nginx's sites-available), and the rest of the plan in runcmd, as the shell
// export's own steps (the same guards), run once at the first boot. The app's own files are written
// there too, as their owner: write_files would make the app directory root's before its step.
import type { ExportModel } from './model.js';
import { fillIn } from './model.js';
import { SHELL_END, shellPrelude, shellSteps } from './shell.js';

/** The version `cloud-init schema` checked it with (npm test, Debian 12's package). */
export const CLOUD_INIT_TESTED_WITH = 'cloud-init 22.4 (Debian 12: cloud-init schema --config-file)';

/** A YAML block scalar (`|`) of these lines, indented under a key at `indent`. */
function block(text: string, indent: string): string[] {
  const body = text.replace(/\n$/, '');
  const keep = text.endsWith('\n') ? '' : '-';
  return [`|${keep}`, ...body.split('\n').map((line) => (line === '' ? '' : `${indent}${line}`))];
}

export function cloudConfig(model: ExportModel, header: string[]): string {
  const written = model.items.filter((item) => item.kind === 'file' && item.action.owner === 'root');
  const inRuncmd = model.items.filter((item) => !written.includes(item));
  // A step whose files write_files wrote has changed (this is the first boot): its handlers run.
  const changedByWriteFiles = new Set(written.map((item) => item.step));
  const files = written.flatMap((item) => {
    if (item.kind !== 'file') return [];
    const { action } = item;
    const [first, ...rest] = block(fillIn(action.content, model.values), '      ');
    return [
      `  - path: ${JSON.stringify(fillIn(action.path, model.values))}`,
      `    owner: ${JSON.stringify(`${fillIn(action.owner, model.values)}:${fillIn(action.group, model.values)}`)}`,
      `    permissions: "0${action.mode.toString(8)}"`,
      '    defer: true',
      `    content: ${first}`,
      ...rest,
    ];
  });
  const runcmd = [
    ['set -eu', ...shellPrelude(model)].join('\n'),
    ...shellSteps(model, inRuncmd).map(({ step, lines }) =>
      changedByWriteFiles.has(step) ? lines.join('\n').replace(/^changed=0$/m, 'changed=1') : lines.join('\n'),
    ),
    SHELL_END,
  ];
  return [
    '#cloud-config',
    ...header.map((line) => `# ${line}`),
    '# The answers are written out below; `uwsgi-nginx-guide export` again with other answers makes another.',
    'package_update: true',
    `packages: [${model.packages.map((name) => JSON.stringify(name)).join(', ')}]`,
    'users:',
    '  - default',
    `  - name: ${JSON.stringify(model.values.user)}`,
    '    lock_passwd: true',
    '    shell: /bin/bash',
    ...(files.length > 0 ? ['write_files:', ...files] : []),
    'runcmd:',
    ...runcmd.flatMap((entry) => {
      const [first, ...rest] = block(`${entry}\n`, '    ');
      return [`  - ${first}`, ...rest];
    }),
    '',
  ].join('\n');
}
