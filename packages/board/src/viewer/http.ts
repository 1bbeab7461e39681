/**
 * Small HTTP helpers of the viewer's server: replies (JSON, CSV, bytes; gzip when the client
 * accepts it and the body is large), request bodies (JSON or form-encoded) and an error that
 * carries its status code.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

/**
 * An error that becomes an HTTP reply with `status` and `message` as plain text.
 *
 * @example
 * ```ts
 * throw new HttpError(404, 'no run named "x"');
 * ```
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * Headers every reply carries: no sniffing, no framing by other sites, no referrer.
 *
 * @example
 * ```ts
 * res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' });
 * ```
 */
export const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const GZIP_MIN = 4096;

/**
 * Sends `body` with `type`, gzipped when it is large and the client accepts gzip.
 *
 * @example
 * ```ts
 * send(req, res, 200, 'text/csv; charset=utf-8', 'Wall time,Step,Value\r\n');
 * ```
 */
export function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string | Uint8Array, headers: Record<string, string> = {}): void {
  let bytes: Uint8Array = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const out: Record<string, string> = { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-cache', ...headers };
  const compressible = /^(text\/|application\/(json|javascript))/.test(type);
  if (compressible && bytes.length >= GZIP_MIN && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
    bytes = gzipSync(bytes, { level: 1 });
    out['Content-Encoding'] = 'gzip';
    out.Vary = 'Accept-Encoding';
  }
  out['Content-Length'] = String(bytes.length);
  res.writeHead(status, out);
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

/**
 * Sends a value as JSON. Non-finite numbers become the strings `"NaN"`, `"Infinity"`, `"-Infinity"`.
 *
 * @example
 * ```ts
 * sendJson(req, res, reader.runs());
 * ```
 */
export function sendJson(req: IncomingMessage, res: ServerResponse, value: unknown, status = 200): void {
  send(req, res, status, 'application/json; charset=utf-8', toJson(value));
}

/**
 * JSON that keeps non-finite numbers (JSON has none): they are written as the strings `"NaN"`,
 * `"Infinity"` and `"-Infinity"`, which the viewer turns back into numbers.
 *
 * @example
 * ```ts
 * toJson([1, NaN]); // '[1,"NaN"]'
 * ```
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

/**
 * Reads a request body (at most `limit` bytes, else `HttpError(413)`) as text.
 *
 * @example
 * ```ts
 * const text = await readBody(req);
 * ```
 */
export async function readBody(req: IncomingMessage, limit = 8 << 20): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `request body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The parameters of a request: the query string, plus the body of a POST, form-encoded (as
 * TensorBoard's frontend sends it) or JSON. Repeated keys give arrays.
 *
 * @example
 * ```ts
 * const params = await requestParams(req, new URL(req.url!, 'http://localhost'));
 * params.get('runs'); // ['a', 'b'] from runs=a&runs=b or {"runs": ["a", "b"]}
 * ```
 */
export async function requestParams(req: IncomingMessage, url: URL): Promise<Map<string, string[]>> {
  const params = new Map<string, string[]>();
  const add = (k: string, v: unknown) => {
    const list = params.get(k) ?? [];
    for (const x of Array.isArray(v) ? v : [v]) list.push(String(x));
    params.set(k, list);
  };
  for (const [k, v] of url.searchParams) add(k, v);
  if (req.method === 'POST') {
    const body = await readBody(req);
    const type = String(req.headers['content-type'] ?? '');
    if (type.includes('application/json')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body || '{}');
      } catch {
        throw new HttpError(400, 'the request body is not valid JSON');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError(400, 'the JSON body must be an object');
      for (const [k, v] of Object.entries(parsed)) add(k, v);
    } else {
      for (const [k, v] of new URLSearchParams(body)) add(k, v);
    }
  }
  return params;
}

/**
 * One required parameter, or `HttpError(400)`.
 *
 * @example
 * ```ts
 * const tag = param(params, 'tag');
 * ```
 */
export function param(params: Map<string, string[]>, name: string): string {
  const v = params.get(name)?.[0];
  if (v === undefined) throw new HttpError(400, `missing parameter "${name}"`);
  return v;
}

/**
 * An optional non-negative integer parameter (`HttpError(400)` when it is something else).
 *
 * @example
 * ```ts
 * const samples = intParam(params, 'samples'); // number | undefined
 * ```
 */
export function intParam(params: Map<string, string[]>, name: string): number | undefined {
  const v = params.get(name)?.[0];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new HttpError(400, `parameter "${name}" must be a non-negative integer (got ${JSON.stringify(v)})`);
  return n;
}

/**
 * Quotes a CSV field when it needs it (RFC 4180).
 *
 * @example
 * ```ts
 * csvField('a,b'); // '"a,b"'
 * ```
 */
export function csvField(v: unknown): string {
  const s = typeof v === 'number' ? String(v) : v === undefined || v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Rows as CSV text with a header line, CRLF line ends (as Python's csv module writes them).
 *
 * @example
 * ```ts
 * toCsv(['Wall time', 'Step', 'Value'], [[1700000000, 1, 0.5]]); // 'Wall time,Step,Value\r\n1700000000,1,0.5\r\n'
 * ```
 */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
