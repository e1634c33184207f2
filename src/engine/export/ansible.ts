// Issue 19: the plan as an Ansible playbook of ansible-core's builtin modules. Each task says the
// plan's command it stands for (`# plan:`), so that a reader (and the content test) can hold it
// against `--dry-run`. A command that only makes its step's changes take effect (nginx -t and the
// reload, systemd's daemon-reload) is a handler notified by the step's changes, run at its place in
// the plan (meta: flush_handlers) and in order: nginx is reloaded only after `nginx -t` passed.
import type { StepId } from '../types.js';
import { octal } from '../plan.js';
import {
  type ExportCommand,
  type ExportItem,
  type ExportModel,
  fillIn,
  PLACEHOLDERS,
  type VariableName,
} from './model.js';

export const ANSIBLE_VARIABLES: Record<VariableName, string> = {
  appName: 'app_name',
  user: 'app_user',
  userGroup: 'app_group',
  appDir: 'app_dir',
  webGroup: 'web_group',
  serverName: 'server_name',
  processes: 'processes',
  testPort: 'test_port',
};

/** The versions the playbook was run with: ansible-core from Debian 12 (the e2e suite; test/vm/export.test.ts). */
export const ANSIBLE_TESTED_WITH =
  'ansible-core 2.14 (Debian 12: -c local, and over ssh to fresh Debian 12 and 13 hosts with systemd)';

/** A value as a YAML double-quoted scalar, each placeholder as its Jinja variable and any other Jinja kept literal. */
function templated(text: string): string {
  let out = '';
  let rest = text;
  const names = Object.keys(PLACEHOLDERS) as VariableName[];
  const literal = (piece: string) => (/[{][{%#]/.test(piece) ? `{% raw %}${piece}{% endraw %}` : piece);
  for (;;) {
    let first: { at: number; name: VariableName } | undefined;
    for (const name of names) {
      const at = rest.indexOf(String(PLACEHOLDERS[name]));
      if (at !== -1 && (first === undefined || at < first.at)) first = { at, name };
    }
    if (!first) break;
    out += `${literal(rest.slice(0, first.at))}{{ ${ANSIBLE_VARIABLES[first.name]} }}`;
    rest = rest.slice(first.at + String(PLACEHOLDERS[first.name]).length);
  }
  return JSON.stringify(out + literal(rest));
}

type Task = string[];

/** What the bootstrap task prints when it installed what the modules need: its only change. */
const MODULE_NEEDS_INSTALLED = 'uwsgi-nginx-guide: installed python3 and python3-setuptools';

/**
 * Every module but `raw` runs Python on the host, and a minimal Debian (debootstrap's minbase, a
 * container image, a netinst without the standard utilities) has none; the `pip` module of
 * ansible-core 2.14 also imports setuptools' pkg_resources in that Python (not the venv's). The
 * first task installs both with `raw` (a shell line over ssh) where they are missing, as Ansible's
 * documentation does for such hosts, so that the playbook works on the fresh servers it is for
 * without a step by hand first. Changed only when it installed them; --check skips raw, and so
 * changes nothing. Facts are not gathered before it (they need Python too).
 */
const WHAT_MODULES_NEED: Task = [
  '- name: "[python] python3 and setuptools for Ansible\'s modules (a minimal Debian has neither)"',
  '  ansible.builtin.raw: >-',
  "    python3 -c 'import pkg_resources' 2>/dev/null ||",
  '    { apt-get update -q &&',
  '    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q python3 python3-setuptools &&',
  `    echo ${MODULE_NEEDS_INSTALLED}; }`,
  '  register: module_needs',
  `  changed_when: "'${MODULE_NEEDS_INSTALLED}' in module_needs.stdout"`,
];

/** The name a step's handlers listen to. */
const changedIn = (step: StepId) => `${step} changed`;

/**
 * pip's options as pip's own environment variables (`--only-binary=:all:` is PIP_ONLY_BINARY), not
 * extra_args: with extra_args the pip module reports "changed" under --check whatever is installed
 * (ansible-core's pip.py), and --check --diff must find nothing to change on a set-up machine. An
 * option without a value stays in extra_args.
 */
function pipOptions(options: string): string[] {
  const words = options === '' ? [] : options.split(' ');
  const valued = words.flatMap((word) => {
    const option = /^--([a-z-]+)=(\S+)$/.exec(word);
    return option ? [`    PIP_${option[1]!.toUpperCase().replaceAll('-', '_')}: ${JSON.stringify(option[2])}`] : [];
  });
  const bare = words.filter((word) => !/^--[a-z-]+=\S+$/.test(word));
  return [
    ...(bare.length > 0 ? [`    extra_args: ${JSON.stringify(bare.join(' '))}`] : []),
    ...(valued.length > 0 ? ['  environment:', ...valued] : []),
  ];
}

function asServiceUser(item: ExportCommand): string[] {
  const runAs = item.action.for?.runAs;
  return runAs === 'service-user' || runAs === 'service-user-web-group' ? ['  become_user: "{{ app_user }}"'] : [];
}

function commandModule(item: ExportCommand, extra: string[]): Task {
  const line = item.action.for?.line ?? item.action.command;
  const group = item.action.for?.runAs === 'service-user-web-group';
  // runuser gives the web server's group; become cannot: the plan's own line keeps it (as root).
  const argv = group ? item.action.command : line;
  return [
    `- name: ${JSON.stringify(`[${item.step}] ${item.action.id}`)}`,
    '  ansible.builtin.command:',
    `    cmd: ${templated(argv)}`,
    ...(item.action.cwd ? [`    chdir: ${templated(item.action.cwd)}`] : []),
    ...extra,
    ...(group ? [] : asServiceUser(item)),
  ];
}

/** One command of the plan as a task (or nothing, where the task before it covers it: apt-get update). */
function commandTask(item: ExportCommand, notify: string[]): Task | undefined {
  const { action, guard } = item;
  const line = action.for?.line ?? action.command;
  const name = `- name: ${JSON.stringify(`[${item.step}] ${action.id}`)}`;
  if (/^apt-get update$/.test(line)) return undefined;
  const apt = /apt-get .*install -y (.+)$/.exec(line);
  if (apt)
    return [
      name,
      '  ansible.builtin.apt:',
      `    name: [${apt[1]!.split(' ').map(templated).join(', ')}]`,
      '    update_cache: true',
      '    cache_valid_time: 3600',
    ];
  // pip's options but --verbose (--only-binary=:all: of --uwsgi-from wheel) go to its environment.
  const pip = /^(?:(\S+)\/bin\/)?pip install (?:--verbose )?((?:--\S+ )*)(.+)$/.exec(line);
  if (pip)
    return [
      name,
      '  ansible.builtin.pip:',
      `    name: [${pip[3]!.split(' ').map(templated).join(', ')}]`,
      ...(pip[1] ? [`    virtualenv: ${templated(pip[1])}`] : []),
      ...pipOptions(pip[2]!.trim()),
      ...asServiceUser(item),
      ...notify,
    ];
  switch (guard.kind) {
    case 'exists': {
      const mkdir = /^mkdir -p (\S+)$/.exec(line);
      if (mkdir)
        return [
          name,
          '  ansible.builtin.file:',
          `    path: ${templated(mkdir[1]!)}`,
          '    state: directory',
          ...asServiceUser(item),
          ...notify,
        ];
      return [...commandModule(item, [`    creates: ${templated(guard.path)}`]), ...notify];
    }
    case 'link':
      if (guard.target)
        return [
          name,
          '  ansible.builtin.file:',
          `    src: ${templated(guard.target)}`,
          `    dest: ${templated(guard.path)}`,
          '    state: link',
          ...notify,
        ];
      return [...commandModule(item, [`    creates: ${templated(guard.path)}`]), ...notify];
    case 'running': {
      const what = guard.what.what;
      if (what.kind === 'systemd-unit')
        return [
          name,
          '  ansible.builtin.systemd:',
          `    name: ${templated(what.name)}`,
          '    enabled: true',
          '    state: started',
        ];
      if (what.kind === 'upstart-job')
        return [name, '  ansible.builtin.service:', `    name: ${templated(what.name)}`, '    state: started'];
      // Without a service manager: its pidfile is in /run, emptied at every boot.
      return commandModule(item, [`    creates: ${templated(what.pidFile)}`]);
    }
    case 'checks':
      // A look at what an earlier task made (uwsgi --version): it changes nothing.
      return [...commandModule(item, []), '  changed_when: false'];
    case 'step-changed':
      return undefined;
  }
}

function fileTask(item: ExportItem & { kind: 'file' }, notify: string[]): Task {
  const { action } = item;
  const ownedByUser = action.owner === PLACEHOLDERS.user;
  return [
    `- name: ${JSON.stringify(`[${item.step}] ${action.id}`)}`,
    '  ansible.builtin.copy:',
    `    dest: ${templated(action.path)}`,
    `    content: ${templated(action.content)}`,
    `    owner: ${templated(action.owner)}`,
    `    group: ${templated(action.group)}`,
    `    mode: "${octal(action.mode)}"`,
    // Written as its owner in the owner's directory: never root into a directory another account controls.
    ...(ownedByUser ? ['  become_user: "{{ app_user }}"'] : []),
    ...notify,
  ];
}

function indent(lines: string[], by: string): string[] {
  return lines.map((line) => (line === '' ? '' : `${by}${line}`));
}

export function ansiblePlaybook(model: ExportModel, header: string[]): string {
  const { items, plan } = model;
  const handlerSteps = new Set(
    items.filter((item) => item.kind === 'command' && item.guard.kind === 'step-changed').map((item) => item.step),
  );
  const tasks: string[][] = [
    WHAT_MODULES_NEED,
    [
      '- name: "[account] the app\'s account (the wizard asks for an existing one)"',
      '  ansible.builtin.user:',
      '    name: "{{ app_user }}"',
    ],
  ];
  const handlers: string[][] = [];
  // Where each step's handlers run: the comment above its flush names the plan's commands.
  const flushes = new Map<StepId, string[]>();
  for (const item of items) {
    const notify = handlerSteps.has(item.step) ? [`  notify: ${JSON.stringify(changedIn(item.step))}`] : [];
    // The plan's own line, with this export's answers: what --dry-run prints (as root).
    const planned = item.kind === 'command' ? item.action.command : `file ${item.action.path}`;
    const plan = `# plan: ${fillIn(planned, model.values)}`;
    if (item.kind === 'file') {
      tasks.push([plan, ...fileTask(item, notify)]);
      continue;
    }
    if (item.guard.kind === 'step-changed') {
      handlers.push([
        plan,
        ...commandModule(item, []).filter((line) => !line.startsWith('  become_user')),
        `  listen: ${JSON.stringify(changedIn(item.step))}`,
      ]);
      const flush = flushes.get(item.step);
      if (flush) {
        flush.push(plan);
        continue;
      }
      const comment = [`# [${item.step}] its handlers run here, in order, when the step changed something:`, plan];
      flushes.set(item.step, comment);
      tasks.push(comment, [
        `- name: ${JSON.stringify(`[${item.step}] make its changes take effect`)}`,
        '  ansible.builtin.meta: flush_handlers',
      ]);
      continue;
    }
    const task = commandTask(item, notify);
    tasks.push(task ? [plan, ...task] : [plan, '# (the next task does it: apt update_cache)']);
  }
  const lines = [
    '---',
    ...header.map((line) => `# ${line}`),
    `# Run: ansible-playbook -i INVENTORY playbook.yml (variables in vars.yml; see README.md)`,
    `- name: ${JSON.stringify(`uWSGI and nginx for {{ app_name }} (uwsgi-nginx-guide, ${plan.platform.id})`)}`,
    '  hosts: all',
    '  become: true',
    '  gather_facts: false',
    '  vars_files:',
    '    - vars.yml',
    '  tasks:',
    ...tasks.flatMap((task) => indent(task, '    ')),
    ...(handlers.length > 0 ? ['  handlers:', ...handlers.flatMap((handler) => indent(handler, '    '))] : []),
    '',
  ];
  return lines.join('\n');
}

export function ansibleVariables(model: ExportModel, header: string[]): string {
  return [
    '---',
    ...header.map((line) => `# ${line}`),
    '# The answers: every path and name of the playbook follows them.',
    ...(Object.keys(ANSIBLE_VARIABLES) as VariableName[]).map(
      (name) => `${ANSIBLE_VARIABLES[name]}: ${JSON.stringify(model.values[name])}`,
    ),
    '',
  ].join('\n');
}
