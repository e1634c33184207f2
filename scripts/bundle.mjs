// Ship the CLI as one bundled file (issue 8): Node then reads and compiles one script instead of
// resolving a few hundred modules across node_modules, which was most of its start-up time.
//
// dist/bundle/uwsgi-nginx-guide.cjs is what every start needs: the flags (src/cli.tsx). What the
// commands do (src/commands.ts) is imported once the flags are read, so --help never reads it. It
// is CommonJS because Node starts a CommonJS script ~10 ms sooner than an
// ES module, a third of the time --help may take beyond `node -e 0`.
//
// What the CLI imports dynamically (`await import(...)`) is left out of it: the commands, and
// through them ink, React and the screen, inquirer, yaml, diff. Those are bundled apart, as ES modules (yoga, under
// ink, uses
// top-level await) in dist/bundle/lazy/, and loaded only when the screen starts, a question is
// asked, an answers file is read: --help, --version, status --json and a piped --dry-run never
// read them. They are built together with code splitting, so that ink and the screen share one
// React. The pure engine modules the screen imports are copied into the lazy part too; they hold
// no state, so two copies behave as one.
import { build } from 'esbuild';
import { chmodSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, extname, relative } from 'node:path';
import { common } from './esbuild-options.mjs';

const outdir = 'dist/bundle';
const lazyDir = `${outdir}/lazy`;

/**
 * A package in CommonJS (react, yaml) bundled as an ES module entry would offer only a default
 * export, and `const { createElement } = await import('react')` would find nothing: its entry
 * re-exports each of its names, read from the package itself at build time.
 */
const require = createRequire(import.meta.url);
const namedExports = {
  name: 'named-exports-of-commonjs',
  setup(b) {
    b.onResolve({ filter: /^lazy-entry:/ }, (args) => ({
      path: args.path.slice('lazy-entry:'.length),
      namespace: 'lazy-entry',
    }));
    // Inside the lazy part too (the commands import ink, react, yaml, diff when they need them):
    // a package imported dynamically goes through the same entry, so its names are there.
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.kind === 'dynamic-import' && args.namespace !== 'lazy-entry' && !args.path.startsWith('node:')
        ? { path: args.path, namespace: 'lazy-entry' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-entry' }, async (args) => {
      // What esbuild itself bundles for `import` (diff: its ES build; react: CommonJS).
      const resolved = await b.resolve(args.path, { kind: 'import-statement', resolveDir: process.cwd() });
      const isEsModule = /^\s*(export|import)\b/m.test(readFileSync(resolved.path, 'utf8'));
      if (isEsModule) return { contents: `export * from ${JSON.stringify(args.path)};`, resolveDir: process.cwd() };
      const loaded = require(args.path);
      const names = Object.keys(loaded).filter((name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name));
      const contents = `import m from ${JSON.stringify(args.path)};\nexport default m;\nexport const { ${names.join(', ')} } = m;\n`;
      return { contents, resolveDir: process.cwd() };
    });
  },
};

/** Each dynamic import becomes an entry of the lazy build, named after what it imports. */
const lazyEntries = {};
const leaveDynamicImportsOut = {
  name: 'leave-dynamic-imports-out',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData === 'resolving') return undefined;
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      if (resolved.errors.length > 0 || resolved.external) return resolved;
      const name = args.path.startsWith('.')
        ? relative('src', resolved.path).replace(extname(resolved.path), '').replace(/[/\\]/g, '-')
        : args.path.replace(/^@/, '').replace(/\//g, '-');
      lazyEntries[name] = args.path.startsWith('.') ? resolved.path : `lazy-entry:${args.path}`;
      return { path: `./lazy/${basename(name)}.js`, external: true };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { 'uwsgi-nginx-guide': 'src/cli.tsx' },
  outExtension: { '.js': '.cjs' },
  outdir,
  format: 'cjs',
  plugins: [leaveDynamicImportsOut],
});
chmodSync(`${outdir}/uwsgi-nginx-guide.cjs`, 0o755);

await build({
  ...common,
  entryPoints: lazyEntries,
  outdir: lazyDir,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunk-[hash]',
  plugins: [namedExports],
  // CommonJS dependencies bundled into an ES module still call require() for Node's own modules,
  // and some read __filename (write-file-atomic names its temporary files after it).
  banner: {
    js: [
      "import { createRequire as __createRequire } from 'node:module';",
      "import { fileURLToPath as __fileURLToPath } from 'node:url';",
      'const require = __createRequire(import.meta.url);',
      'const __filename = __fileURLToPath(import.meta.url);',
    ].join(' '),
  },
});
