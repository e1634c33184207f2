// The doctor's vocabulary (issue 16): what it can find wrong with a uWSGI + nginx site, where in
// the chain it looked, and the evidence it shows for it. Pure data: the doctor's checks produce it
// (src/engine/doctor/*), src/exec gathers what they read, and the screen, the plain output and
// --json put it into words (every sentence from src/ui/labels.ts, in Japanese and English).
// The causes and their log lines are the facts of /work/shared/notes/failures.md.

/**
 * The layers of the chain, outside in: the order the doctor checks them, and where it stops
 * explaining (the first layer that fails), while still listing what it saw beyond.
 */
export const LAYERS = [
  /** nginx runs and `nginx -t` passes. */
  'nginx',
  /** The site is enabled: its server block is in `nginx -T`. */
  'site',
  /** A request for the name reaches that block (server_name, default_server on the port). */
  'route',
  /** nginx's uwsgi_pass and uWSGI's socket name the same path (relative ones resolved). */
  'socket-path',
  /** The socket exists, is a socket, and something listens on it. */
  'socket',
  /** nginx's worker user can reach it: every directory on the path, the socket's mode and group. */
  'socket-access',
  /** uWSGI's service (or process) is up; its log since the last start. */
  'uwsgi',
  /** The app imports as the service user, with the venv's Python, from its directory. */
  'app',
  /** A request straight to the socket in the uwsgi protocol answers. */
  'uwsgi-request',
  /** The page through nginx, asked for the name. */
  'page',
] as const;
export type Layer = (typeof LAYERS)[number];

/** Every cause the doctor can name; one catalogue entry each (what, why, fix, try this). */
export const CAUSES = [
  'nginx-down',
  'nginx-config',
  'listen-dup',
  'site-disabled',
  /** No site at all for the app (nothing in sites-available, nothing passing to its socket). */
  'no-site',
  'default-site',
  'socket-path-differs',
  'permission',
  'no-socket',
  'refused',
  'bind-denied',
  'no-app',
  'venv',
  'apt-uwsgi',
  'http-to-uwsgi',
  'uwsgi-to-http',
  'big-headers',
  'harakiri',
  'queue-full',
  'str-body',
  'no-die-on-term',
  'unit-user',
  'test-leftover',
  'django-hosts',
  'django-static',
  'too-large',
  /** The page fails and none of the above explains it: the doctor shows what it saw. */
  'unexplained',
] as const;
export type CauseId = (typeof CAUSES)[number];

/** What the doctor shows as proof: always a program's own words or the machine's own state. */
export type Evidence =
  /** A line of a log, as written there, with where it was read. */
  | { kind: 'log-line'; source: 'nginx' | 'uwsgi' | 'journal' | 'upstart'; file: string; line: string }
  /** What stat said about a path on the way to the socket, or the socket itself. */
  | {
      kind: 'stat';
      path: string;
      type: 'dir' | 'socket' | 'file' | 'other';
      mode: number;
      owner: string;
      group: string;
    }
  /** A command the doctor ran and what it printed (cut to the lines that matter). */
  | { kind: 'command'; command: string; exitCode: number | null; output: string[] }
  /** A line of a configuration file (nginx's as `nginx -T` printed it, a uWSGI ini, a unit). */
  | { kind: 'config'; file: string; line: number; text: string }
  /** An answer to a request (through nginx, or straight to the socket): its status and start of body. */
  | { kind: 'answer'; via: 'nginx' | 'uwsgi-socket'; status?: number; error?: string; body: string };

/**
 * One change that fixes a finding, exact, shown before it is made: a command, or a file's new
 * content (written with a backup, recorded for undo, like every change the wizard makes).
 */
export type FixAction =
  /** `stopsByHand`: it stops the uWSGI of this master pid, started by hand (its words say so). */
  | { kind: 'command'; command: string; asRoot: boolean; stopsByHand?: number }
  | { kind: 'file'; path: string; content: string; owner: string; group: string; mode: number };

export interface Finding {
  cause: CauseId;
  layer: Layer;
  /**
   * The particulars the sentences name (the socket's path, the user nginx runs as, the server
   * name…): placeholders for the catalogue's words, never words themselves.
   */
  facts: Record<string, string>;
  evidence: Evidence[];
  /** The exact fix, when the doctor can make it; absent, the catalogue's "try this" is all. */
  fix?: FixAction[];
}
