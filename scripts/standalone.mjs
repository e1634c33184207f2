// One file to download (issue 13): dist/uwsgi-nginx-guide-linux-x64, the wizard with Node inside,
// for a fresh server that has no Node. A Node single executable application (SEA): a copy of the
// Node that builds it (process.execPath) with the wizard's code and files injected by postject.
//
// Node 20's SEA runs one CommonJS script and can require only Node's own modules: no files from
// disk, no import(). So the executable gets a build of its own, everything in one CommonJS file
// (no code splitting): the lazy part's `await import(...)` become calls that evaluate the module
// then, so --help still never evaluates ink, React or the commands (they are parsed, and that is
// what the code cache below is for). Two dependencies use top-level await, which CommonJS cannot
// hold; both are rewritten here (see `withoutTopLevelAwait`), and the build fails if they change.
// The recordings of --simulate go in as SEA assets (src/exec/self.ts reads them).
//
// Run after scripts/bundle.mjs by `npm run build`. It is for the OS and CPU of the machine that
// builds it (dist/uwsgi-nginx-guide-linux-x64 on Linux x86-64): a SEA is the building Node itself.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { common } from './esbuild-options.mjs';

// The servers it is for run Linux; elsewhere the copied Node would be for that system (on macOS it
// would need signing again too), of no use on a server.
if (process.platform !== 'linux') {
  process.stderr.write(`standalone executable: made on Linux only (this is ${process.platform}); skipped\n`);
  process.exit(0);
}

const require = createRequire(import.meta.url);
const work = 'dist/standalone';
const EXECUTABLE = `dist/uwsgi-nginx-guide-${process.platform}-${process.arch}`;
// The fuse Node looks for to know it carries an application (Node's documentation gives it).
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * The edits that take top-level await out of the two dependencies that use it, each found exactly
 * once or the build stops (a new version of them must be looked at, not half-patched):
 * - yoga-layout (ink's layout engine) awaits its WebAssembly module. Emscripten lets the caller
 *   instantiate it (`instantiateWasm`); done synchronously, the module is ready as soon as
 *   loadYoga() returns, and the same wrapper is applied to it.
 * - ink's reconciler awaits its devtools only when DEV=true. The bundle leaves react-devtools-core
 *   out, so there it fails to load with ERR_MODULE_NOT_FOUND and ink prints its hint: the same
 *   error is thrown here, for the same hint. ink's package.json is read then only for the devtools.
 */
const EDITS = [
  {
    file: /yoga-layout[/\\]dist[/\\]src[/\\]index\.js$/,
    from: 'const Yoga = wrapAssembly(await loadYoga());',
    to: [
      'const yogaModule = {',
      '  instantiateWasm(imports, done) {',
      "    const bytes = Buffer.from(YOGA_WASM.slice(YOGA_WASM.indexOf(',') + 1), 'base64');",
      '    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);',
      '    done(instance);',
      '    return instance.exports;',
      '  },',
      '};',
      'loadYoga(yogaModule);',
      "if (typeof yogaModule.Node !== 'function') throw new Error('yoga-layout was not ready at once');",
      'const Yoga = wrapAssembly(yogaModule);',
    ].join('\n'),
  },
  {
    // The WebAssembly, inlined by Emscripten as a data: URL, is exported for the edit above (and
    // kept once: Emscripten itself never reads it when instantiateWasm is given).
    file: /yoga-layout[/\\]dist[/\\]binaries[/\\]yoga-wasm-base64-esm\.js$/,
    from: /"(data:application\/octet-stream;base64,[A-Za-z0-9+/=]+)"/,
    to: '""',
    append: (match) => `\nexport const YOGA_WASM = "${match[1]}";\n`,
  },
  {
    file: /yoga-layout[/\\]dist[/\\]src[/\\]index\.js$/,
    from: "import loadYoga from '../binaries/yoga-wasm-base64-esm.js';",
    to: "import loadYoga, { YOGA_WASM } from '../binaries/yoga-wasm-base64-esm.js';",
  },
  {
    file: /ink[/\\]build[/\\]reconciler\.js$/,
    from: "await import('./devtools.js');",
    to: "throw Object.assign(new Error('no react-devtools-core inside'), { code: 'ERR_MODULE_NOT_FOUND' });",
  },
  {
    file: /ink[/\\]build[/\\]reconciler\.js$/,
    from: '? await loadPackageJson()',
    to: "? { name: 'ink', version: undefined }",
  },
];

const withoutTopLevelAwait = {
  name: 'without-top-level-await',
  setup(b) {
    const seen = new Set();
    b.onLoad({ filter: /(yoga-layout|ink)[/\\].*\.js$/ }, (args) => {
      const edits = EDITS.filter((edit) => edit.file.test(args.path));
      if (edits.length === 0) return undefined;
      let contents = readFileSync(args.path, 'utf8');
      for (const edit of edits) {
        const match = typeof edit.from === 'string' ? undefined : contents.match(edit.from);
        const found = match ? 1 : contents.split(edit.from).length - 1;
        if (found !== 1) throw new Error(`${args.path}: expected "${edit.from}" once, found it ${found} times`);
        contents = contents.replace(edit.from, () => edit.to) + (edit.append ? edit.append(match) : '');
        seen.add(edit);
      }
      return { contents, loader: 'js' };
    });
    b.onEnd((result) => {
      if (result.errors.length === 0 && seen.size !== EDITS.length) {
        const missed = EDITS.filter((edit) => !seen.has(edit)).map((edit) => String(edit.file));
        throw new Error(`the files to rewrite were not bundled: ${missed.join(', ')}`);
      }
    });
  },
};

/** The files built in, by the name src/exec/self.ts's builtInFile() asks for. */
function assets() {
  const dir = 'fixtures/recordings';
  const files = readdirSync(dir).filter((name) => name.endsWith('.json'));
  return Object.fromEntries(files.map((name) => [`recordings/${name}`, join(dir, name)]));
}

/**
 * The executable is this Node: built against shared libraries of its own (Debian's own nodejs
 * package uses libnode, libuv, OpenSSL, ICU… from the system), it would need them on the server
 * too. Node from nodejs.org or NodeSource needs only the C and C++ runtimes. Said, not refused:
 * the file still works where those libraries are installed.
 */
function warnOfSharedLibraries() {
  let listed;
  try {
    listed = execFileSync('ldd', [process.execPath], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return; // No ldd (or not a dynamic executable): nothing to say.
  }
  const system = /^(linux-vdso|ld-linux|libc|libm|libdl|libpthread|librt|libgcc_s|libstdc\+\+|libatomic)[.-]/;
  const libraries = listed
    .split('\n')
    .map((line) => line.trim().split(/\s/)[0])
    .filter(Boolean);
  const own = libraries.filter((library) => !system.test(library) && !library.startsWith('/'));
  if (own.length > 0) {
    process.stderr.write(
      `standalone executable: warning: ${process.execPath} uses ${own.join(', ')}; the executable made from it ` +
        'needs them on the server too (a Node from nodejs.org or NodeSource does not)\n',
    );
  }
}

mkdirSync(work, { recursive: true });
const script = join(work, 'uwsgi-nginx-guide.cjs');
await build({
  ...common,
  entryPoints: ['src/cli.tsx'],
  outfile: script,
  format: 'cjs',
  plugins: [withoutTopLevelAwait],
  // import.meta.url, which CommonJS has not (the recordings' directory is found from it, then not
  // read since the executable holds them): the executable's own path, which __filename is in a SEA.
  define: { ...common.define, 'import.meta.url': '__importMetaUrl' },
  banner: { js: "var __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
});

const config = join(work, 'sea-config.json');
const blob = join(work, 'sea-prep.blob');
const seaConfig = {
  main: script,
  output: blob,
  disableExperimentalSEAWarning: true,
  // V8's compiled code of the script goes in with it: --help need not compile the 1.5 MB first
  // (it is ~50 ms sooner with it).
  useCodeCache: true,
  assets: assets(),
};

// Injecting takes postject ~5 s (it rewrites the whole 100 MB file), so the executable is made
// again only when something it is made of changed: the script, the files built in, this build,
// the Node copied, postject. (The blob itself differs at each build: V8's code cache does.)
const stamp = join(work, 'executable.sha256');
const made = createHash('sha256');
const inputs = [script, ...Object.values(seaConfig.assets), 'scripts/standalone.mjs', require.resolve('postject')];
for (const file of inputs) {
  made.update(`${file}\0`).update(readFileSync(file));
}
const node = statSync(process.execPath);
made.update(JSON.stringify([seaConfig, process.version, process.execPath, node.size, node.mtimeMs]));
const fingerprint = made.digest('hex');
const unchanged = existsSync(EXECUTABLE) && existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint;

if (!unchanged) {
  rmSync(stamp, { force: true });
  writeFileSync(config, JSON.stringify(seaConfig, null, 2));
  // Quiet unless it fails (it says it wrote the blob); a failure's message carries its stderr.
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: ['ignore', 'pipe', 'pipe'] });

  warnOfSharedLibraries();
  rmSync(EXECUTABLE, { force: true });
  copyFileSync(process.execPath, EXECUTABLE);
  chmodSync(EXECUTABLE, 0o755);
  // LIEF, inside postject, warns about the many .note sections of Node's ELF file ("Can't find
  // string offset for section name '.note.100'"): harmless, the executable works
  // (nodejs/postject#83), but it reads like a failure in every build. It warns through console.warn.
  const warn = console.warn;
  console.warn = (...args) => {
    if (!/Can't find string offset for section name/.test(String(args[0]))) warn(...args);
  };
  const { inject } = require('postject');
  const options = { sentinelFuse: SEA_FUSE, machoSegmentName: 'NODE_SEA' };
  await inject(EXECUTABLE, 'NODE_SEA_BLOB', readFileSync(blob), options);
  console.warn = warn;
  writeFileSync(stamp, fingerprint);
}
