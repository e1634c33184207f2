// The export formats (issue 19), each a set of files rendered from the same model of the plan.
import { describePlatform } from '../platforms.js';
import type { ExportModel } from './model.js';
import { ANSIBLE_TESTED_WITH, ansiblePlaybook, ansibleVariables } from './ansible.js';
import { CLOUD_INIT_TESTED_WITH, cloudConfig } from './cloud-init.js';
import { SHELL_TESTED_WITH, shellScript } from './shell.js';

export const EXPORT_FORMATS = ['shell', 'ansible', 'cloud-init'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface RenderedFile {
  text: string;
  mode: number;
}

/** What every export says of itself first: what made it, for which machine, and what it was tested with. */
export function exportHeader(model: ExportModel, testedWith: string): string[] {
  return [
    'Written by uwsgi-nginx-guide export from the plan the wizard runs (uwsgi-nginx-guide --dry-run shows it).',
    `Platform: ${describePlatform(model.plan.platform)}`,
    `Tested with: ${testedWith}`,
  ];
}

export function renderExport(format: ExportFormat, model: ExportModel): Record<string, RenderedFile> {
  switch (format) {
    case 'shell':
      return { 'setup.sh': { text: shellScript(model, exportHeader(model, SHELL_TESTED_WITH)), mode: 0o755 } };
    case 'ansible': {
      const header = exportHeader(model, ANSIBLE_TESTED_WITH);
      return {
        'playbook.yml': { text: ansiblePlaybook(model, header), mode: 0o644 },
        'vars.yml': { text: ansibleVariables(model, header), mode: 0o644 },
        'README.md': { text: ansibleReadme(model), mode: 0o644 },
      };
    }
    case 'cloud-init':
      return { 'user-data': { text: cloudConfig(model, exportHeader(model, CLOUD_INIT_TESTED_WITH)), mode: 0o644 } };
  }
}

const FAMILY = { systemd: 'systemd', upstart: 'Upstart (Ubuntu 14.04)', none: 'no service manager (uWSGI daemonized)' };

function ansibleReadme(model: ExportModel): string {
  const { platform } = model.plan;
  return [
    `# uWSGI and nginx for ${model.values.appName}: an Ansible playbook`,
    '',
    'Written by `uwsgi-nginx-guide export --format ansible` from the plan the wizard runs',
    '(`uwsgi-nginx-guide --dry-run` prints the same commands and files; each task names its command',
    'after `# plan:`).',
    '',
    `- Platform: ${platform.prettyName} (\`${platform.id}\`), service family: ${FAMILY[platform.serviceManager]}.`,
    `- Tested with: ${ANSIBLE_TESTED_WITH}.`,
    "- Modules: ansible-core's builtin ones only (apt, user, file, copy, pip, systemd/service, command where",
    '  no module fits, with `creates:` or `changed_when: false`), so a second run reports `changed=0`.',
    '- nginx is reloaded by a handler that runs only after the handler running `nginx -t` passed.',
    '- `vars.yml` holds every answer; change it there, or with `-e app_user=...`.',
    "- The hosts need only ssh and sudo (or root's login): Ansible's modules run Python on them (the `pip`",
    '  module with setuptools), and a minimal Debian has neither, so the first task installs `python3` and',
    '  `python3-setuptools` with `raw` (apt-get) where they are missing.',
    '',
    'Run it (as a user who may become root on the hosts):',
    '',
    '```sh',
    'ansible-playbook -i HOSTS, playbook.yml            # over ssh',
    'ansible-playbook -c local -i localhost, playbook.yml  # on this machine',
    'ansible-playbook -i HOSTS, playbook.yml --check --diff   # what a run would change',
    '```',
    '',
    ...(platform.serviceManager === 'none'
      ? [
          'Without a service manager uWSGI is started daemonized with a pidfile in /run: it does not come',
          'back after a reboot; run the playbook again (its pidfile is gone then, so it starts uWSGI).',
          '',
        ]
      : []),
  ].join('\n');
}
