// What the wizard learned about a person's own project (`--app-source`, issue 17), as data: read from
// its files without running any of its code. The plan turns it into steps; the screen into words.

/** Which kind of project was recognised: what decides the module, the static files and the checks. */
export type Framework = 'flask' | 'django' | 'wsgi';

/** Where a file or directory is, relative to the project's root ('' = the root itself). */
export type SourcePath = string;

export interface FoundApp {
  /**
   * The project's directory, absolute (`--app-source`): read and copied, never changed; every SourcePath is in it.
   * Set by whoever looked in that directory (the pure finder sees only its files); the plan needs it.
   */
  root?: string;
  framework: Framework;
  /** The module uWSGI imports (`module =` in the ini), dotted: `wsgi`, `mysite.wsgi`, `app`. */
  module: string;
  /** The WSGI callable in that module: `application`, `app`. */
  callable: string;
  /** The directory uWSGI changes into before importing the module (`chdir =`), in the project. */
  chdir: SourcePath;
  /**
   * A Flask app factory (`create_app()`): the module and callable above are a small `wsgi.py` the
   * wizard writes beside the project, shown in full; `factory` is what it calls.
   */
  shim?: { path: SourcePath; content: string; factory: string };
  /** Django: `DJANGO_SETTINGS_MODULE`, `STATIC_ROOT` and `ALLOWED_HOSTS` / `DEBUG` as the settings say them. */
  django?: {
    settingsModule: string;
    managePy: SourcePath;
    /** An absolute path, or undefined when the settings do not set it (it is then asked or added). */
    staticRoot?: string;
    /**
     * STATIC_ROOT made from BASE_DIR (`BASE_DIR / 'staticfiles'`): where it is in the project, so
     * under wherever the project is put (`staticfiles`). Set instead of `staticRoot`, never both.
     */
    staticRootInProject?: SourcePath;
    /** undefined: the settings compute it (read from the page's answer instead). */
    allowedHosts?: readonly string[];
    debug?: boolean;
  };
  /**
   * The static files nginx serves itself: its URL prefix and the directory in the project (Flask's
   * `static/`; Django's STATIC_ROOT when it is in the project, filled by collectstatic).
   */
  statics?: { url: string; dir: SourcePath };
  /** What lists the packages to install into the venv. */
  requirements?: { kind: 'requirements.txt' | 'pyproject.toml'; path: SourcePath };
  /** The project is a git repository: what was read (and is to be deployed) is its working tree. */
  git?: boolean;
}

/** The outcome of looking at a project: what was looked at is always kept, to be said on refusal. */
export type FindResult =
  | { kind: 'found'; app: FoundApp; lookedAt: readonly SourcePath[] }
  | { kind: 'none'; lookedAt: readonly SourcePath[] }
  | {
      kind: 'several';
      candidates: readonly { module: string; callable: string; file: SourcePath }[];
      lookedAt: readonly SourcePath[];
    };
