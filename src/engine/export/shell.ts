// Issue 19: the plan as one POSIX script (`set -eu`), idempotent: each command guarded by what
// makes it safe to skip (model.ts), each file written only when its content, owner or mode differ.
import { createAccountCommand } from '../app-account.js';
import { shellArg } from '../commands.js';
import { octal } from '../plan.js';
import type { StepId } from '../types.js';
import { type ExportItem, type ExportModel, type Guard, PLACEHOLDERS, type VariableName } from './model.js';

export const SHELL_VARIABLES: Record<VariableName, string> = {
  appName: 'APP_NAME',
  user: 'APP_USER',
  userGroup: 'APP_GROUP',
  appDir: 'APP_DIR',
  webGroup: 'WEB_GROUP',
  serverName: 'SERVER_NAME',
  processes: 'PROCESSES',
  testPort: 'TEST_PORT',
};

/** The versions this export was run with on real machines (the e2e suite; test/vm/export.test.ts). */
export const SHELL_TESTED_WITH = 'dash 0.5.12 (/bin/sh of Debian 12, and of a fresh Debian 13 with systemd)';

/**
 * A shell line with each placeholder as its variable: `${APP_DIR}` in a bare word, `'"${APP_DIR}"'`
 * inside single quotes (where the shell would expand nothing).
 */
export function shellWithVariables(line: string): string {
  let out = '';
  let quoted = false;
  let i = 0;
  while (i < line.length) {
    const found = (Object.keys(PLACEHOLDERS) as VariableName[]).find((name) =>
      line.startsWith(String(PLACEHOLDERS[name]), i),
    );
    if (found) {
      const variable = `\${${SHELL_VARIABLES[found]}}`;
      out += quoted ? `'"${variable}"'` : variable;
      i += String(PLACEHOLDERS[found]).length;
      continue;
    }
    if (line[i] === "'") quoted = !quoted;
    out += line[i];
    i += 1;
  }
  return out;
}

/** Content for an unquoted here-document: the shell's own characters escaped, the placeholders as variables. */
function hereDocument(content: string): string {
  return shellWithVariables(content.replace(/[\\$`]/g, (c) => `\\${c}`));
}

const END_OF_FILE = 'UWSGI_NGINX_GUIDE_EOF';

/** Writes a file only when it differs; as its owner, unless root (never root into another's directory). */
const PUT_FILE = `# put_file PATH OWNER GROUP MODE, the content on stdin: written when content, owner or mode differ.
put_file() {
  _new=$(mktemp)
  cat > "$_new"
  if [ -f "$1" ] && [ ! -L "$1" ] && cmp -s "$_new" "$1" && [ "$(stat -c '%U:%G %a' "$1")" = "$2:$3 $4" ]; then
    rm -f "$_new"
    return 0
  fi
  if [ "$2" = root ]; then _as=""; else _as="runuser -u $2 -g $3 --"; fi
  $_as sh -c 'umask 077; t=$(mktemp "$1.XXXXXX") && cat > "$t" && chmod "$2" "$t" && mv -f "$t" "$1"' sh "$1" "$4" < "$_new"
  if [ "$2" = root ]; then chown -h "root:$3" "$1"; fi
  rm -f "$_new"
  echo "  wrote $1"
  changed=1
  anything=1
}`;

function guardTest(guard: Guard): string | undefined {
  switch (guard.kind) {
    case 'exists':
      return `[ -e ${guard.path} ]`;
    case 'link':
      return guard.target ? `[ "$(readlink ${guard.path})" = ${guard.target} ]` : `[ -L ${guard.path} ]`;
    case 'running': {
      const what = guard.what.what;
      if (what.kind === 'uwsgi-daemon')
        return `{ [ -f ${what.pidFile} ] && kill -0 "$(cat ${what.pidFile})" 2>/dev/null; }`;
      if (what.kind === 'systemd-unit') return `systemctl is-active --quiet ${what.name}`;
      return `status ${what.name} 2>/dev/null | grep -q start/running`;
    }
    case 'checks':
      return `{ ${guard.tests.join(' && ')}; }`;
    case 'step-changed':
      return undefined;
  }
}

/** One item of the plan as lines of the script. */
export function shellItem(item: ExportItem): string[] {
  if (item.kind === 'file') {
    const { path, owner, group, mode, content } = item.action;
    if (content.includes(END_OF_FILE)) throw new Error(`export: ${path} contains ${END_OF_FILE}`);
    return [
      `put_file ${shellWithVariables(`${path} ${owner} ${group} ${octal(mode).slice(1)}`)} <<${END_OF_FILE}`,
      `${hereDocument(content).replace(/\n$/, '')}`,
      END_OF_FILE,
    ];
  }
  const { action, guard } = item;
  const line = shellWithVariables(action.cwd ? `(cd ${action.cwd} && ${action.command})` : action.command);
  const test = guardTest(guard);
  const run = [`  echo "==> [${item.step}] ${action.id}"`, `  ${line}`];
  if (test === undefined) return [`if [ "$changed" = 1 ]; then`, ...run, 'fi'];
  return [`if ! ${shellWithVariables(test)}; then`, ...run, '  changed=1', '  anything=1', 'fi'];
}

/** The script's beginning: the answers as variables, the root check, put_file, the app's account. */
export function shellPrelude(model: ExportModel): string[] {
  return [
    '# The answers: every path and name below follows them.',
    ...(Object.keys(SHELL_VARIABLES) as VariableName[]).map(
      (name) => `${SHELL_VARIABLES[name]}=${shellArg(model.values[name])}`,
    ),
    '',
    'if [ "$(id -u)" != 0 ]; then echo "$0: run it as root (sudo sh $0)" >&2; exit 1; fi',
    'anything=0',
    'changed=0',
    '',
    PUT_FILE,
    '',
    "# The app's account (the wizard asks for an existing one; a new server may not have it yet).",
    'if ! id -u "$APP_USER" >/dev/null 2>&1; then',
    `  ${createAccountCommand('APP_USER_PLACEHOLDER').replace('APP_USER_PLACEHOLDER', '"$APP_USER"')}`,
    '  anything=1',
    'fi',
  ];
}

/** The plan's items, step by step: each step's lines begin with its title and `changed=0`. */
export function shellSteps(model: ExportModel, items = model.items): { step: StepId; lines: string[] }[] {
  const steps: { step: StepId; lines: string[] }[] = [];
  for (const item of items) {
    let current = steps.at(-1);
    if (current?.step !== item.step) {
      const title = model.plan.steps.find((s) => s.id === item.step)?.title.en ?? '';
      current = { step: item.step, lines: [`# ---- [${item.step}] ${title}`, 'changed=0'] };
      steps.push(current);
    }
    current.lines.push(...shellItem(item));
  }
  return steps;
}

export const SHELL_END =
  'if [ "$anything" = 1 ]; then echo "uwsgi-nginx-guide export: done, changes made"; ' +
  'else echo "uwsgi-nginx-guide export: nothing to change"; fi';

export function shellScript(model: ExportModel, header: string[]): string {
  return [
    '#!/bin/sh',
    ...header.map((line) => `# ${line}`),
    'set -eu',
    '',
    ...shellPrelude(model),
    ...shellSteps(model).flatMap(({ lines }) => ['', ...lines]),
    '',
    SHELL_END,
    '',
  ].join('\n');
}
