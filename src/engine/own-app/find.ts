// Finding the WSGI callable of a person's own project (issue 17) from its files alone: which files
// there are and the text of the few that are read (src/exec/own-app-source.ts reads them, as the
// app's account). Nothing of the project is ever run: its Python is read as tokens
// (python-lines.ts), so a comment or a string that looks like code is not taken for it.
import type { FindResult, FoundApp, SourcePath } from './found.js';
import {
  assignment,
  importedNames,
  isName,
  isOp,
  type LogicalLine,
  namesBound,
  pythonLines,
  stringValue,
  type Token,
} from './python-lines.js';

/** What was found in the project's directory: symbolic links are never in it (never followed). */
export interface SourceTree {
  /** Every regular file, relative to the project's root, '/'-separated. */
  files: readonly SourcePath[];
  /** Every directory, the same way. */
  dirs: readonly SourcePath[];
  /** The text of the files read (those `filesToRead` chose); a file absent here was not read. */
  texts: Readonly<Record<SourcePath, string>>;
  /** The project is a git repository: what was read is its working tree. */
  git?: boolean;
}

/** How deep Python files are read (`pkg/sub/settings.py` is 3), and how many at most. */
export const READ_DEPTH = 3;
export const MOST_FILES_READ = 200;

/** Which files the finder needs the text of: the Python files near the top of the project. */
export function filesToRead(files: readonly SourcePath[]): SourcePath[] {
  return files
    .filter((file) => file.endsWith('.py') && file.split('/').length <= READ_DEPTH)
    .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))
    .slice(0, MOST_FILES_READ);
}

/** What the finder looks for, said when a project has none of it. */
export const LOOKED_FOR: readonly SourcePath[] = ['manage.py', 'wsgi.py', 'app.py', 'application.py', '*/__init__.py'];

const FACTORIES = ['create_app', 'make_app'];
const APP_NAMES = ['app', 'application'];

/** Find the one WSGI app of a project: Django by its manage.py, else Flask or plain WSGI by the likely files. */
export function findApp(tree: SourceTree): FindResult {
  const reader = new Reader(tree);
  const managePys = tree.files.filter((file) => /^(?:[^/]+\/)?manage\.py$/.test(file));
  const djangos = managePys.flatMap((managePy) => djangoApp(reader, managePy) ?? []);
  if (djangos.length === 1) return { kind: 'found', app: djangos[0]!, lookedAt: reader.lookedAt() };
  if (djangos.length > 1) {
    const candidates = djangos.map((app) => ({
      module: app.module,
      callable: app.callable,
      file: app.django!.managePy,
    }));
    return { kind: 'several', candidates, lookedAt: reader.lookedAt() };
  }
  const candidates = wsgiCandidates(reader);
  if (candidates.length === 1)
    return { kind: 'found', app: foundFrom(reader, candidates[0]!), lookedAt: reader.lookedAt() };
  if (candidates.length === 0) return { kind: 'none', lookedAt: reader.lookedAt() };
  return {
    kind: 'several',
    candidates: candidates.map(({ module, callable, file }) => ({ module, callable, file })),
    lookedAt: reader.lookedAt(),
  };
}

/** What `--app-module module:callable` names, looked up in the project (the person chose; we check it is there). */
export type NamedModule =
  | { kind: 'found'; app: FoundApp; lookedAt: readonly SourcePath[] }
  /** No `module.py` nor `module/__init__.py` in the project (`lookedAt`: those two). */
  | { kind: 'no-module'; lookedAt: readonly SourcePath[] }
  /** The module is there but defines no such name at its top level. */
  | { kind: 'no-callable'; file: SourcePath; lookedAt: readonly SourcePath[] };

export const MODULE_CALLABLE = /^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*):([A-Za-z_]\w*)$/;

/** The app `--app-module` names (`module:callable`, already well formed), when the project has it. */
export function namedApp(tree: SourceTree, spec: string): NamedModule {
  const [, module, callable] = MODULE_CALLABLE.exec(spec) ?? [];
  if (module === undefined || callable === undefined) throw new Error(`not module:callable: ${spec}`);
  const reader = new Reader(tree);
  const django = tree.files.includes('manage.py') ? djangoApp(reader, 'manage.py') : undefined;
  if (django && django.module === module && django.callable === callable) {
    return { kind: 'found', app: django, lookedAt: reader.lookedAt() };
  }
  const file = moduleFile(tree, '', module);
  if (file === undefined) return { kind: 'no-module', lookedAt: [...reader.seen, ...moduleFiles('', module)] };
  const lines = reader.lines(file) ?? [];
  const topLevel = lines.filter((line) => line.indent === 0);
  if (!topLevel.some((line) => namesBound(line).includes(callable))) {
    return { kind: 'no-callable', file, lookedAt: reader.lookedAt() };
  }
  const factory = FACTORIES.includes(callable) && topLevel.some((line) => definesFunction(line, callable));
  const candidate: Candidate = {
    module,
    callable,
    file,
    framework: factory || mentionsFlask(lines) ? 'flask' : 'wsgi',
    ...(factory ? { factory: callable } : {}),
  };
  return { kind: 'found', app: foundFrom(reader, candidate), lookedAt: reader.lookedAt() };
}

/** The files read, in the order they were looked at. */
class Reader {
  readonly seen: SourcePath[] = [];
  private readonly parsed = new Map<SourcePath, LogicalLine[]>();
  constructor(readonly tree: SourceTree) {}

  lines(path: SourcePath): LogicalLine[] | undefined {
    if (!this.seen.includes(path)) this.seen.push(path);
    const text = this.tree.texts[path];
    if (text === undefined) return undefined;
    const lines = this.parsed.get(path) ?? pythonLines(text);
    this.parsed.set(path, lines);
    return lines;
  }

  lookedAt(): SourcePath[] {
    return this.seen.length > 0 ? [...this.seen] : [...LOOKED_FOR];
  }
}

// ---------------------------------------------------------------------------------------------
// Django: manage.py → DJANGO_SETTINGS_MODULE → the settings → WSGI_APPLICATION

function djangoApp(reader: Reader, managePy: SourcePath): FoundApp | undefined {
  const manageLines = reader.lines(managePy);
  if (!manageLines) return undefined;
  const settingsModule = settingsModuleOf(manageLines);
  const chdir = managePy.includes('/') ? managePy.slice(0, managePy.lastIndexOf('/')) : '';
  if (settingsModule === undefined) return undefined;
  const settingsFile = moduleFile(reader.tree, chdir, settingsModule) ?? moduleFiles(chdir, settingsModule)[0]!;
  const settings = reader.lines(settingsFile) ?? [];
  const wsgiApplication = stringValue(onlyAssignment(settings, 'WSGI_APPLICATION') ?? []);
  // What startproject writes, `PROJECT.wsgi.application`, when the settings do not say it plainly.
  const dotted = wsgiApplication ?? `${settingsModule.split('.')[0]}.wsgi.application`;
  const cut = dotted.lastIndexOf('.');
  if (cut <= 0) return undefined;
  const module = dotted.slice(0, cut);
  const wsgiFile = moduleFile(reader.tree, chdir, module);
  reader.lines(wsgiFile ?? moduleFiles(chdir, module)[0]!);
  if (wsgiFile === undefined) return undefined;

  const baseDir = baseDirOf(settings, settingsFile);
  const staticRoot = staticRootOf(onlyAssignment(settings, 'STATIC_ROOT'), baseDir);
  const staticUrl = urlPrefix(stringValue(onlyAssignment(settings, 'STATIC_URL') ?? []));
  const allowedHosts = stringList(onlyAssignment(settings, 'ALLOWED_HOSTS'));
  const debug = onlyAssignment(settings, 'DEBUG');
  const debugValue = debug?.length === 1 && (isName(debug[0], 'True') || isName(debug[0], 'False'));
  return {
    framework: 'django',
    module,
    callable: dotted.slice(cut + 1),
    chdir,
    django: {
      settingsModule,
      managePy,
      ...(staticRoot?.absolute !== undefined ? { staticRoot: staticRoot.absolute } : {}),
      ...(staticRoot?.inProject !== undefined ? { staticRootInProject: staticRoot.inProject } : {}),
      ...(allowedHosts ? { allowedHosts } : {}),
      ...(debugValue ? { debug: isName(debug![0], 'True') } : {}),
    },
    ...(staticUrl && staticRoot?.inProject !== undefined
      ? { statics: { url: staticUrl, dir: staticRoot.inProject } }
      : {}),
    ...requirementsOf(reader.tree, chdir),
    ...(reader.tree.git ? { git: true } : {}),
  };
}

/** `os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')` (or `os.environ[…] = '…'`). */
function settingsModuleOf(lines: readonly LogicalLine[]): string | undefined {
  for (const { tokens } of lines) {
    const at = tokens.findIndex((token) => token.kind === 'string' && token.value === 'DJANGO_SETTINGS_MODULE');
    if (at === -1) continue;
    const value = tokens.slice(at + 1, at + 4).find((token) => token.kind === 'string');
    if (value?.kind === 'string' && value.value && /^[\w.]+$/.test(value.value)) return value.value;
  }
  return undefined;
}

/**
 * What a name of the module is given, when it is given once, at the module's level, with `=`:
 * assigned again (`+=`, in an `if`, by an import) it depends on more than we read, so undefined.
 */
function onlyAssignment(lines: readonly LogicalLine[], name: string): Token[] | undefined {
  const binding = lines.filter((line) => namesBound(line).includes(name));
  if (binding.length !== 1 || binding[0]!.indent !== 0) return undefined;
  const found = assignment(binding[0]!);
  return found && isOp(binding[0]!.tokens[1], '=') ? found.value : undefined;
}

/** Tokens that make BASE_DIR from `__file__`: `Path(__file__).resolve().parent.parent`, `os.path.dirname(…)`. */
const PATH_WORDS = new Set(['Path', 'pathlib', '__file__', 'resolve', 'absolute', 'parent', 'os', 'path', 'dirname']);

/** The directory BASE_DIR names, in the project ('' = its root), when the settings make it from `__file__`. */
function baseDirOf(settings: readonly LogicalLine[], settingsFile: SourcePath): SourcePath | undefined {
  const value = onlyAssignment(settings, 'BASE_DIR');
  if (!value?.some((token) => isName(token, '__file__'))) return undefined;
  const known = value.every(
    (token) =>
      (token.kind === 'name' &&
        (PATH_WORDS.has(token.text) || token.text === 'abspath' || token.text === 'realpath')) ||
      (token.kind === 'op' && '().'.includes(token.text)),
  );
  if (!known) return undefined;
  const ups = value.filter((token) => isName(token, 'parent') || isName(token, 'dirname')).length;
  const parts = settingsFile.split('/');
  // One `parent` is the settings file's own directory.
  if (ups < 1 || ups > parts.length) return undefined;
  return parts.slice(0, parts.length - ups).join('/');
}

/** STATIC_ROOT: `'/abs'`, `BASE_DIR / 'x' / 'y'`, `os.path.join(BASE_DIR, 'x')`, either inside `str(…)`. */
function staticRootOf(
  value: Token[] | undefined,
  baseDir: SourcePath | undefined,
): { absolute?: string; inProject?: SourcePath } | undefined {
  if (!value) return undefined;
  let tokens = value;
  if (isName(tokens[0], 'str') && isOp(tokens[1], '(') && isOp(tokens.at(-1), ')')) tokens = tokens.slice(2, -1);
  const literal = stringValue(tokens);
  if (literal !== undefined)
    return literal.startsWith('/') ? { absolute: literal.replace(/\/+$/, '') || '/' } : undefined;
  if (baseDir === undefined) return undefined;
  let parts: (string | undefined)[] | undefined;
  if (isName(tokens[0], 'BASE_DIR') && tokens.length > 1 && tokens.length % 2 === 1) {
    const rest = tokens.slice(1);
    if (rest.every((token, at) => (at % 2 === 0 ? isOp(token, '/') : token.kind === 'string'))) {
      parts = rest.filter((token) => token.kind === 'string').map((token) => stringValue([token]));
    }
  }
  const join = ['os', '.', 'path', '.', 'join', '(', 'BASE_DIR'];
  if (
    join.every((text, at) => (tokens[at] as { text?: string } | undefined)?.text === text) &&
    isOp(tokens.at(-1), ')')
  ) {
    const rest = tokens.slice(join.length, -1);
    if (rest.every((token, at) => (at % 2 === 0 ? isOp(token, ',') : token.kind === 'string'))) {
      parts = rest.filter((token) => token.kind === 'string').map((token) => stringValue([token]));
    }
  }
  if (!parts || parts.length === 0 || parts.some((part) => part === undefined)) return undefined;
  const segments = [baseDir, ...(parts as string[])]
    .flatMap((part) => part.split('/'))
    .filter((part) => part !== '' && part !== '.');
  if (segments.includes('..') || (parts as string[]).some((part) => part.startsWith('/'))) return undefined;
  return { inProject: segments.join('/') };
}

/** STATIC_URL as nginx's location: `static/` → `/static/`; a full URL (another host serves them) → undefined. */
function urlPrefix(url: string | undefined): string | undefined {
  if (url === undefined || url === '' || /^[a-z]+:\/\//i.test(url) || url.startsWith('//')) return undefined;
  return `/${url.replace(/^\/+/, '').replace(/\/*$/, '/')}`.replace(/^\/\/$/, '/');
}

/** `['a', 'b']` or `('a',)`: the strings; anything computed: undefined. */
function stringList(tokens: Token[] | undefined): string[] | undefined {
  if (!tokens || tokens.length < 2) return undefined;
  const open = tokens[0]!;
  const close = tokens.at(-1)!;
  if (!((isOp(open, '[') && isOp(close, ']')) || (isOp(open, '(') && isOp(close, ')')))) return undefined;
  const inner = tokens.slice(1, -1);
  const values: string[] = [];
  for (let at = 0; at < inner.length; at += 2) {
    const value = stringValue(inner.slice(at, at + 1));
    if (value === undefined) return undefined;
    values.push(value);
    if (at + 1 < inner.length && !isOp(inner[at + 1], ',')) return undefined;
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// Flask and plain WSGI: the likely files, each read for an app object, a WSGI function or a factory

interface Candidate {
  module: string;
  callable: string;
  file: SourcePath;
  framework: 'flask' | 'wsgi';
  /** A Flask app factory (`create_app`): served through a generated wsgi.py. */
  factory?: string;
  /** `from M import N as app`: the app is M's N (a candidate of its own, which this one stands for). */
  reexports?: { module: string; name: string };
  /** `app = create_app()` with create_app from module M: that factory is this app. */
  calls?: { module: string; name: string };
}

const NOT_APPS = /^(?:manage|setup|conftest|test_\w*|\w*_test|asgi)\.py$/;
const PACKAGE_FILES = /^[A-Za-z_]\w*\/(?:__init__|wsgi|app|application)\.py$/;
const FIRST = ['wsgi.py', 'app.py', 'application.py'];

function wsgiCandidates(reader: Reader): Candidate[] {
  // A directory's files count only in a package (with its __init__.py): a folder of scripts is not the app.
  const inPackage = (file: string) => reader.tree.files.includes(`${file.split('/')[0]}/__init__.py`);
  const files = reader.tree.files.filter(
    (file) =>
      (!file.includes('/') && file.endsWith('.py') && !NOT_APPS.test(file)) ||
      (PACKAGE_FILES.test(file) && inPackage(file)),
  );
  const rank = (file: string) => (FIRST.includes(file) ? FIRST.indexOf(file) : file.includes('/') ? 4 : 3);
  files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const found = files.flatMap((file) => candidateIn(reader, file) ?? []);
  // The entry point that imports (or calls) another candidate stands for it: one app, not two.
  const standsFor = (other: Candidate) => (c: Candidate) =>
    c !== other &&
    ((c.reexports?.module === other.module && c.reexports.name === (other.factory ?? other.callable)) ||
      (c.calls?.module === other.module && c.calls.name === other.factory));
  return found
    .filter((candidate) => !found.some(standsFor(candidate)))
    .map((candidate) => {
      const target = found.find((other) => standsFor(other)(candidate));
      return target && candidate.framework === 'wsgi' && target.framework === 'flask'
        ? { ...candidate, framework: 'flask' as const }
        : candidate;
    });
}

function candidateIn(reader: Reader, file: SourcePath): Candidate | undefined {
  const lines = reader.lines(file);
  if (!lines) return undefined;
  const module = moduleOf(file);
  const top = lines.filter((line) => line.indent === 0);
  const imports = top.flatMap(importedNames);
  const fromImports = top.filter((line) => isName(line.tokens[0], 'from')).flatMap(importedNames);
  const flask = mentionsFlask(lines);
  for (const name of APP_NAMES) {
    for (const line of top) {
      const assigned = assignment(line);
      if (assigned?.name !== name) continue;
      if (isFlaskCall(assigned.value)) return { module, callable: name, file, framework: 'flask' };
      const call = factoryCall(assigned.value);
      if (call) {
        const from = imports.find((entry) => entry.as === call)?.from;
        return {
          module,
          callable: name,
          file,
          framework: flask || from !== undefined ? 'flask' : 'wsgi',
          ...(from ? { calls: { module: absoluteModule(from, file), name: call } } : {}),
        };
      }
    }
  }
  if (top.some((line) => definesFunction(line, 'application'))) {
    return { module, callable: 'application', file, framework: 'wsgi' };
  }
  for (const name of APP_NAMES) {
    const entry = fromImports.find((imported) => imported.as === name);
    if (entry) {
      const reexports = { module: absoluteModule(entry.from, file), name: entry.name };
      return { module, callable: name, file, framework: 'wsgi', reexports };
    }
  }
  if (top.some((line) => assignment(line)?.name === 'application')) {
    return { module, callable: 'application', file, framework: 'wsgi' };
  }
  const factory = FACTORIES.find((name) => top.some((line) => definesFunction(line, name)));
  if (factory && flask) return { module, callable: 'app', file, framework: 'flask', factory };
  return undefined;
}

/** `Flask(…)` or `flask.Flask(…)`. */
function isFlaskCall(value: readonly Token[]): boolean {
  const at = isName(value[0], 'flask') && isOp(value[1], '.') ? 2 : 0;
  return isName(value[at], 'Flask') && isOp(value[at + 1], '(');
}

/** `create_app(…)` or `pkg.create_app(…)`: the factory's name. */
function factoryCall(value: readonly Token[]): string | undefined {
  const call = value.findIndex((token) => isOp(token, '('));
  const name = value[call - 1];
  const dotted = value.slice(0, call).every((token, at) => (at % 2 === 0 ? token.kind === 'name' : isOp(token, '.')));
  return call > 0 && dotted && name?.kind === 'name' && FACTORIES.includes(name.text) ? name.text : undefined;
}

function definesFunction(line: LogicalLine, name: string): boolean {
  const at = isName(line.tokens[0], 'async') ? 1 : 0;
  return isName(line.tokens[at], 'def') && isName(line.tokens[at + 1], name) && isOp(line.tokens[at + 2], '(');
}

function mentionsFlask(lines: readonly LogicalLine[]): boolean {
  return lines.some((line) =>
    importedNames(line).some((entry) => entry.from === 'flask' || entry.from.startsWith('flask.')),
  );
}

/** `from . import x` inside pkg/wsgi.py is `pkg`; `from .app import x`, `pkg.app`. */
function absoluteModule(from: string, file: SourcePath): string {
  if (!from.startsWith('.')) return from;
  const dots = /^\.+/.exec(from)![0].length;
  const pkg = file.split('/').slice(0, -1);
  const base = pkg.slice(0, pkg.length - (dots - 1));
  return [...base, ...from.slice(dots).split('.').filter(Boolean)].join('.');
}

function foundFrom(reader: Reader, candidate: Candidate): FoundApp {
  const { tree } = reader;
  // The app's own module: the one whose Flask(…) decides where its static files are.
  const appModule = candidate.reexports?.module ?? candidate.calls?.module ?? candidate.module;
  const appFile = moduleFile(tree, '', appModule) ?? candidate.file;
  const shim = candidate.factory ? factoryShim(tree, candidate.module, candidate.factory) : undefined;
  const statics = candidate.framework === 'flask' ? flaskStatics(reader, appFile) : undefined;
  return {
    framework: candidate.framework,
    module: shim ? shim.path.replace(/\.py$/, '') : candidate.module,
    callable: shim ? 'app' : candidate.callable,
    chdir: '',
    ...(shim ? { shim } : {}),
    ...(statics ? { statics } : {}),
    ...requirementsOf(tree, ''),
    ...(tree.git ? { git: true } : {}),
  };
}

/** The small wsgi.py that makes the app with the project's factory, beside the project's own files. */
function factoryShim(tree: SourceTree, module: string, factory: string): NonNullable<FoundApp['shim']> {
  const path = tree.files.includes('wsgi.py') ? 'uwsgi_entry.py' : 'wsgi.py';
  const content = [
    `# Written by uwsgi-nginx-guide: uWSGI serves the app that the project's factory ${module}.${factory}() makes.`,
    '# The project has no module-level app object to point uWSGI at; its own files are left as they are.',
    `from ${module} import ${factory}`,
    '',
    `app = ${factory}()`,
    '',
  ].join('\n');
  return { path, content, factory: `${module}.${factory}` };
}

/** Flask's static folder beside the app's module (`static/`, or `static_folder=` / `static_url_path=` said). */
function flaskStatics(reader: Reader, appFile: SourcePath): FoundApp['statics'] {
  const tokens = (reader.lines(appFile) ?? []).flatMap((line) => line.tokens);
  const at = tokens.findIndex((_, index) => isFlaskCall(tokens.slice(index)));
  const call = at === -1 ? [] : tokens.slice(at, at + closingParen(tokens.slice(at)));
  const keyword = (name: string): Token | undefined => {
    const k = call.findIndex((token, i) => isName(token, name) && isOp(call[i + 1], '='));
    return k === -1 ? undefined : call[k + 2];
  };
  const folder = keyword('static_folder');
  const urlPath = keyword('static_url_path');
  if (isName(folder, 'None')) return undefined;
  const folderName = folder === undefined ? 'static' : stringValue([folder]);
  const url = urlPath === undefined ? '/static/' : urlPrefix(stringValue([urlPath]));
  if (folderName === undefined || url === undefined || folderName.startsWith('/') || folderName.includes('..')) {
    return undefined;
  }
  const moduleDir = appFile.includes('/') ? appFile.slice(0, appFile.lastIndexOf('/') + 1) : '';
  const dir = `${moduleDir}${folderName}`.replace(/\/+$/, '');
  return reader.tree.dirs.includes(dir) ? { url, dir } : undefined;
}

function closingParen(tokens: readonly Token[]): number {
  let depth = 0;
  for (let at = 0; at < tokens.length; at += 1) {
    if (isOp(tokens[at], '(')) depth += 1;
    if (isOp(tokens[at], ')') && --depth === 0) return at;
  }
  return tokens.length;
}

// ---------------------------------------------------------------------------------------------
// Modules and files

/** `pkg/app.py` → `pkg.app`; `pkg/__init__.py` → `pkg`. */
function moduleOf(file: SourcePath): string {
  return file
    .replace(/\/__init__\.py$/, '')
    .replace(/\.py$/, '')
    .replaceAll('/', '.');
}

/** Where a dotted module may be, from the directory uWSGI imports it in. */
function moduleFiles(chdir: SourcePath, module: string): SourcePath[] {
  const base = `${chdir ? `${chdir}/` : ''}${module.replaceAll('.', '/')}`;
  return [`${base}.py`, `${base}/__init__.py`];
}

function moduleFile(tree: SourceTree, chdir: SourcePath, module: string): SourcePath | undefined {
  return moduleFiles(chdir, module).find((file) => tree.files.includes(file));
}

/** requirements.txt, else pyproject.toml: beside the app's directory first, then at the project's root. */
function requirementsOf(tree: SourceTree, chdir: SourcePath): Pick<FoundApp, 'requirements'> {
  for (const dir of chdir ? [`${chdir}/`, ''] : ['']) {
    for (const kind of ['requirements.txt', 'pyproject.toml'] as const) {
      if (tree.files.includes(`${dir}${kind}`)) return { requirements: { kind, path: `${dir}${kind}` } };
    }
  }
  return {};
}
