/**
 * `projector_config.pbtxt`: the projector's `ProjectorConfig` in protobuf text format. A small
 * parser for the text format (fields, nested messages, strings with C escapes, numbers) and the
 * formatter that writes what Python's `text_format.MessageToString` writes.
 * @module
 */

/** One embedding of the projector (`EmbeddingInfo`). Paths are relative to the run directory. */
export interface ProjectorEmbedding {
  tensorName: string;
  tensorPath?: string;
  metadataPath?: string;
  bookmarksPath?: string;
  tensorShape?: number[];
  sprite?: { imagePath: string; singleImageDim: number[] };
}

/** A `ProjectorConfig`. */
export interface ProjectorConfig {
  modelCheckpointPath?: string;
  modelCheckpointDir?: string;
  embeddings: ProjectorEmbedding[];
}

type TextValue = string | number | TextMessage;
type TextMessage = Map<string, TextValue[]>;

function quote(s: string): string {
  let out = '"';
  for (const byte of new TextEncoder().encode(s)) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x0d) out += '\\r';
    else if (byte === 0x09) out += '\\t';
    else if (byte === 0x27) out += "\\'";
    else if (byte < 0x20 || byte >= 0x7f) out += `\\${byte.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return `${out}"`;
}

/**
 * Formats a config as Python's `text_format.MessageToString` does (fields in field-number order,
 * two-space indent).
 *
 * @example
 * ```ts
 * formatProjectorConfig({ embeddings: [{ tensorName: 'default:00000', tensorPath: '00000/default/tensors.tsv' }] });
 * ```
 */
export function formatProjectorConfig(c: ProjectorConfig): string {
  const lines: string[] = [];
  if (c.modelCheckpointPath) lines.push(`model_checkpoint_path: ${quote(c.modelCheckpointPath)}`);
  for (const e of c.embeddings) {
    lines.push('embeddings {');
    lines.push(`  tensor_name: ${quote(e.tensorName)}`);
    if (e.metadataPath) lines.push(`  metadata_path: ${quote(e.metadataPath)}`);
    if (e.bookmarksPath) lines.push(`  bookmarks_path: ${quote(e.bookmarksPath)}`);
    for (const d of e.tensorShape ?? []) lines.push(`  tensor_shape: ${d}`);
    if (e.sprite) {
      lines.push('  sprite {');
      lines.push(`    image_path: ${quote(e.sprite.imagePath)}`);
      for (const d of e.sprite.singleImageDim) lines.push(`    single_image_dim: ${d}`);
      lines.push('  }');
    }
    if (e.tensorPath) lines.push(`  tensor_path: ${quote(e.tensorPath)}`);
    lines.push('}');
  }
  if (c.modelCheckpointDir) lines.push(`model_checkpoint_dir: ${quote(c.modelCheckpointDir)}`);
  return lines.map((l) => `${l}\n`).join('');
}

class Tokens {
  private pos = 0;
  constructor(private readonly src: string) {}
  private skipSpace(): void {
    for (;;) {
      while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
      if (this.src[this.pos] === '#') while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++;
      else return;
    }
  }
  peek(): string | undefined {
    this.skipSpace();
    return this.src[this.pos];
  }
  fail(msg: string): never {
    const line = this.src.slice(0, this.pos).split('\n').length;
    throw new Error(`projector config, line ${line}: ${msg}`);
  }
  eat(ch: string): boolean {
    if (this.peek() === ch) return (this.pos++, true);
    return false;
  }
  ident(): string {
    this.skipSpace();
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(this.src.slice(this.pos));
    if (!m) this.fail(`expected a field name at ${JSON.stringify(this.src.slice(this.pos, this.pos + 10))}`);
    this.pos += m[0].length;
    return m[0];
  }
  scalar(): string | number {
    const c = this.peek();
    if (c === '"' || c === "'") {
      let s = '';
      while (this.peek() === '"' || this.peek() === "'") s += this.string();
      return s;
    }
    const m = /^[-+]?[A-Za-z0-9_.+-]+/.exec(this.src.slice(this.pos));
    if (!m) this.fail('expected a value');
    this.pos += m[0].length;
    const n = Number(m[0]);
    return Number.isNaN(n) ? m[0] : n;
  }
  private string(): string {
    const q = this.src[this.pos++]!;
    const bytes: number[] = [];
    const enc = new TextEncoder();
    while (this.pos < this.src.length && this.src[this.pos] !== q) {
      let ch = this.src[this.pos++]!;
      if (ch === '\\') {
        ch = this.src[this.pos++]!;
        const simple: Record<string, number> = { n: 10, r: 13, t: 9, '"': 34, "'": 39, '\\': 92, a: 7, b: 8, f: 12, v: 11, '?': 63 };
        if (ch in simple) bytes.push(simple[ch]!);
        else if (/[0-7]/.test(ch)) {
          let oct = ch;
          while (oct.length < 3 && /[0-7]/.test(this.src[this.pos] ?? '')) oct += this.src[this.pos++];
          bytes.push(parseInt(oct, 8) & 0xff);
        } else if (ch === 'x') {
          let hex = '';
          while (hex.length < 2 && /[0-9a-fA-F]/.test(this.src[this.pos] ?? '')) hex += this.src[this.pos++];
          bytes.push(parseInt(hex, 16));
        } else this.fail(`unknown escape \\${ch}`);
      } else bytes.push(...enc.encode(ch));
    }
    if (this.src[this.pos] !== q) this.fail('unterminated string');
    this.pos++;
    return new TextDecoder().decode(Uint8Array.from(bytes));
  }
  message(close: string | undefined): TextMessage {
    const msg: TextMessage = new Map();
    for (;;) {
      const c = this.peek();
      if (c === undefined) {
        if (close) this.fail(`missing '${close}'`);
        return msg;
      }
      if (close && this.eat(close)) return msg;
      const name = this.ident();
      const colon = this.eat(':');
      let value: TextValue;
      if (this.eat('{')) value = this.message('}');
      else if (this.eat('<')) value = this.message('>');
      else if (!colon) this.fail(`expected ':' after ${name}`);
      else if (this.eat('[')) {
        const list: TextValue[] = [];
        if (!this.eat(']')) {
          do list.push(this.peek() === '{' ? (this.eat('{'), this.message('}')) : this.scalar());
          while (this.eat(','));
          if (!this.eat(']')) this.fail("expected ']'");
        }
        msg.set(name, [...(msg.get(name) ?? []), ...list]);
        this.eat(',') || this.eat(';');
        continue;
      } else value = this.scalar();
      msg.set(name, [...(msg.get(name) ?? []), value]);
      this.eat(',') || this.eat(';');
    }
  }
}

const str = (m: TextMessage, k: string): string | undefined => {
  const v = m.get(k)?.at(-1);
  return v === undefined || v instanceof Map ? undefined : String(v);
};
const nums = (m: TextMessage, k: string): number[] => (m.get(k) ?? []).filter((v) => typeof v === 'number') as number[];

/**
 * Parses `projector_config.pbtxt`. Throws on malformed text, naming the line.
 *
 * @example
 * ```ts
 * parseProjectorConfig('embeddings { tensor_name: "default:00000" tensor_path: "00000/default/tensors.tsv" }');
 * ```
 */
export function parseProjectorConfig(text: string): ProjectorConfig {
  const root = new Tokens(text).message(undefined);
  const config: ProjectorConfig = { embeddings: [] };
  const mcp = str(root, 'model_checkpoint_path');
  if (mcp) config.modelCheckpointPath = mcp;
  const mcd = str(root, 'model_checkpoint_dir');
  if (mcd) config.modelCheckpointDir = mcd;
  for (const e of root.get('embeddings') ?? []) {
    if (!(e instanceof Map)) continue;
    const emb: ProjectorEmbedding = { tensorName: str(e, 'tensor_name') ?? '' };
    const tp = str(e, 'tensor_path');
    if (tp) emb.tensorPath = tp;
    const mp = str(e, 'metadata_path');
    if (mp) emb.metadataPath = mp;
    const bp = str(e, 'bookmarks_path');
    if (bp) emb.bookmarksPath = bp;
    const shape = nums(e, 'tensor_shape');
    if (shape.length) emb.tensorShape = shape;
    const sprite = e.get('sprite')?.at(-1);
    if (sprite instanceof Map) emb.sprite = { imagePath: str(sprite, 'image_path') ?? '', singleImageDim: nums(sprite, 'single_image_dim') };
    config.embeddings.push(emb);
  }
  return config;
}
