// A request straight to uWSGI's socket in the uwsgi protocol (issue 16): what nginx's uwsgi_pass
// sends, made by us, so the doctor can tell "nginx is wrong" from "uWSGI or the app is wrong". The
// packet is a 4-byte header (modifier1 = 0 for a WSGI request, the vars block's size as u16
// little-endian, modifier2 = 0), then the vars as pairs (u16 LE key length, key, u16 LE value
// length, value); uWSGI answers in plain HTTP. Node's `net` only. It answers data: the status, the
// headers and the start of the body, or why there was no answer.
import { connect, type Socket } from 'node:net';
import type { SocketAddress } from '../engine/doctor/nginx-config.js';

export interface UwsgiRequestOptions {
  /** The Host asked for (HTTP_HOST, SERVER_NAME). */
  host: string;
  /** The path, with its query string if any (`/`, `/x?a=1`). */
  uri?: string;
  method?: string;
  /** SERVER_PORT: the port nginx took the request on. */
  serverPort?: number;
  /** More request headers, as a browser sends them (`Cookie`…): each becomes HTTP_NAME. */
  headers?: Record<string, string>;
  /** How long to wait for the connection and the answer, altogether. */
  timeoutMs?: number;
  /** How much of the body to keep. */
  bodyLimit?: number;
}

export type UwsgiRequestError =
  /** No file at the path. */
  | 'ENOENT'
  /** The socket or a directory on its path refused us. */
  | 'EACCES'
  /** A socket file with no listener (a uWSGI killed without vacuum), or no listener on the port. */
  | 'ECONNREFUSED'
  /** The listen queue is full. */
  | 'EAGAIN'
  /** The path is not a socket. */
  | 'ENOTSOCK'
  /** No answer in time (a request stuck in the app, or an HTTP socket waiting for more). */
  | 'timeout'
  /** An answer that is not HTTP. */
  | 'not-http'
  /** Closed without a byte of answer (uWSGI refused the packet, or the worker died). */
  | 'closed'
  /**
   * Reset with the request unread: uWSGI's answer to a vars block over its buffer-size (nginx's
   * `recv() failed (104: Connection reset by peer)`).
   */
  | 'ECONNRESET';

export type UwsgiAnswer =
  | {
      ok: true;
      status: number;
      /** The status line as sent (`HTTP/1.1 200 OK`). */
      statusLine: string;
      headers: [name: string, value: string][];
      /** The start of the body (bodyLimit bytes), as UTF-8. */
      body: string;
      /** How many bytes of body came, until the connection closed or the time was up. */
      bodyBytes: number;
      /** The time ran out after the headers: the body may be longer. */
      cutShort: boolean;
    }
  | {
      ok: false;
      /** One of UwsgiRequestError, or another errno code as Node gives it. */
      error: UwsgiRequestError | string;
      /** The first bytes received, when there were some (not-http), escaped to be shown. */
      received?: string;
    };

/** The packet as uWSGI reads it: the 4-byte header and the vars. Throws when the vars exceed 64 KiB. */
export function encodeUwsgiPacket(vars: [string, string][], modifier1 = 0, modifier2 = 0): Buffer {
  const parts: Buffer[] = [];
  const u16 = (n: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(n);
    return b;
  };
  for (const [key, value] of vars) {
    const k = Buffer.from(key, 'utf8');
    const v = Buffer.from(value, 'utf8');
    if (k.length > 0xffff || v.length > 0xffff) throw new RangeError(`uwsgi var ${key} is longer than 65535 bytes`);
    parts.push(u16(k.length), k, u16(v.length), v);
  }
  const body = Buffer.concat(parts);
  if (body.length > 0xffff) throw new RangeError(`uwsgi vars block of ${body.length} bytes is over 65535`);
  const header = Buffer.alloc(4);
  header.writeUInt8(modifier1, 0);
  header.writeUInt16LE(body.length, 1);
  header.writeUInt8(modifier2, 3);
  return Buffer.concat([header, body]);
}

/** The vars nginx's uwsgi_params sends for such a request. */
export function requestVars(options: UwsgiRequestOptions): [string, string][] {
  const uri = options.uri ?? '/';
  const cut = uri.indexOf('?');
  const path = cut < 0 ? uri : uri.slice(0, cut);
  const query = cut < 0 ? '' : uri.slice(cut + 1);
  const vars: [string, string][] = [
    ['REQUEST_METHOD', options.method ?? 'GET'],
    ['REQUEST_URI', uri],
    ['PATH_INFO', path],
    ['QUERY_STRING', query],
    ['SERVER_PROTOCOL', 'HTTP/1.1'],
    ['SERVER_NAME', options.host],
    ['SERVER_PORT', String(options.serverPort ?? 80)],
    ['HTTP_HOST', options.host],
    ['REMOTE_ADDR', '127.0.0.1'],
  ];
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    vars.push([`HTTP_${name.toUpperCase().replace(/-/g, '_')}`, value]);
  }
  return vars;
}

/** Bytes shown as text: printable ASCII as is, anything else as \xNN. */
function shown(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) {
    out += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** The answer in what came: undefined while its headers are not all there. */
function parseAnswer(data: Buffer, bodyLimit: number, cutShort: boolean): UwsgiAnswer | undefined {
  const end = data.indexOf(HEADER_END);
  if (end < 0) return undefined;
  const [statusLine, ...headerLines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine);
  if (!status) return { ok: false, error: 'not-http', received: shown(data.subarray(0, 200)) };
  const headers = headerLines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return colon < 0 ? [line, ''] : [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  });
  const body = data.subarray(end + HEADER_END.length);
  return {
    ok: true,
    status: Number(status[1]),
    statusLine,
    headers,
    body: body.subarray(0, bodyLimit).toString('utf8'),
    bodyBytes: body.length,
    cutShort,
  };
}

/**
 * Send one request to the socket (`unix` path or host and port) and read the answer until uWSGI
 * closes the connection or the time is up.
 */
export function uwsgiRequest(target: SocketAddress, options: UwsgiRequestOptions): Promise<UwsgiAnswer> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const bodyLimit = options.bodyLimit ?? 4096;
  let packet: Buffer;
  try {
    packet = encodeUwsgiPacket(requestVars(options));
  } catch {
    // What nginx would do with such headers is its own business; the doctor never sends them.
    return Promise.resolve({ ok: false, error: 'EMSGSIZE' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const socket: Socket =
      target.kind === 'unix'
        ? connect({ path: target.path })
        : connect({ host: target.host.replace(/^\[|\]$/g, ''), port: target.port });
    const finish = (answer: UwsgiAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const answerSoFar = (timedOut: boolean): UwsgiAnswer => {
      const data = Buffer.concat(chunks);
      if (data.length === 0) return { ok: false, error: timedOut ? 'timeout' : 'closed' };
      const answer = parseAnswer(data, bodyLimit, timedOut);
      if (answer) return answer;
      // No end of headers: HTTP cut short, or no HTTP at all.
      const received = shown(data.subarray(0, 200));
      if (/^HTTP\/\d/.test(data.subarray(0, 8).toString('latin1'))) {
        return { ok: false, error: timedOut ? 'timeout' : 'closed', received };
      }
      return { ok: false, error: 'not-http', received };
    };
    const timer = setTimeout(() => finish(answerSoFar(true)), timeoutMs);
    socket.on('connect', () => socket.write(packet));
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      const data = size > 8 ? Buffer.concat(chunks) : undefined;
      // Not HTTP from the first bytes on: no need to wait for more.
      if (data && !/^HTTP\/\d/.test(data.subarray(0, 6).toString('latin1'))) finish(answerSoFar(false));
      // Enough of the body: the rest is not read.
      const end = data?.indexOf(HEADER_END) ?? -1;
      if (data && end >= 0 && data.length - end - HEADER_END.length > bodyLimit) {
        const answer = parseAnswer(data, bodyLimit, false);
        if (answer?.ok) finish({ ...answer, cutShort: true });
      }
    });
    socket.on('end', () => finish(answerSoFar(false)));
    socket.on('close', () => finish(answerSoFar(false)));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // An error after part of the answer came (a reset): what came is the answer.
      if (chunks.length > 0) finish(answerSoFar(false));
      else finish({ ok: false, error: error.code ?? 'closed' });
    });
  });
}
