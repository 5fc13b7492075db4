/**
 * A serde_json-like deserializer: the same error texts and `line L column C` positions as the
 * Rust crate, driven by a schema that mirrors each request body's Rust struct.
 */
import { JsonFloat, ryuFormat } from './json-text';
import type { JsonObject, JsonValue } from './json-text';
import { rustDebugStr } from './rust-text';

export class SerdeError extends Error {
  constructor(
    readonly msg: string,
    public line = 0,
    public col = 0,
  ) {
    super(msg);
  }
  override toString(): string {
    return this.line === 0 ? this.msg : `${this.msg} at line ${this.line} column ${this.col}`;
  }
}

type IntName = 'u8' | 'u16' | 'u32' | 'u64' | 'usize';

export interface StrSchema {
  t: 'str';
  expecting: string;
  /** Returns the error text of a failed FromStr, or null. */
  check?: (s: string) => string | null;
  map?: (s: string) => string;
  /** A FromStr visitor fails inside deserialize_str (positioned right after the string). */
  positionedHere?: boolean;
}

export interface Field {
  name: string;
  type: Schema;
  required: boolean;
  default?: unknown;
}

export interface StructSchema {
  t: 'struct';
  name: string;
  /** `#[serde(deny_unknown_fields)]` */
  deny: boolean;
  fields: Field[];
}

export type Schema =
  | { t: 'any' }
  | { t: 'int'; name: IntName }
  | { t: 'bool' }
  | StrSchema
  | { t: 'option'; of: Schema }
  | { t: 'enum'; variants: string[] }
  | { t: 'vec'; of: Schema }
  | StructSchema;

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const INT_LIMITS: Record<IntName, bigint> = { u8: 255n, u16: 65535n, u32: 4294967295n, u64: U64_MAX, usize: U64_MAX };
const SIMPLE_ESCAPES: Record<number, number> = { 0x22: 0x22, 0x5c: 0x5c, 0x2f: 0x2f, 0x62: 0x08, 0x66: 0x0c, 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09 };

interface ParsedNumber {
  kind: 'u' | 'i' | 'f';
  value: bigint | number;
}

function oneOf(names: string[]): string {
  if (names.length === 1) return `\`${names[0]}\``;
  if (names.length === 2) return `\`${names[0]}\` or \`${names[1]}\``;
  return `one of ${names.map((n) => `\`${n}\``).join(', ')}`;
}

function numberUnexpected(n: ParsedNumber): string {
  return n.kind === 'f' ? `floating point \`${ryuFormat(n.value as number)}\`` : `integer \`${n.value}\``;
}

function bigToJs(b: bigint): number | bigint {
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

interface SeqState {
  first: boolean;
}

class Deserializer {
  private i = 0;
  private depth = 128;

  constructor(private readonly b: Buffer) {}

  private posOf(idx: number): [number, number] {
    let line = 1;
    let start = 0;
    for (let k = 0; k < idx; k++) {
      if (this.b[k] === 0x0a) {
        line++;
        start = k + 1;
      }
    }
    return [line, idx - start];
  }
  private error(msg: string): SerdeError {
    const [l, c] = this.posOf(this.i);
    return new SerdeError(msg, l, c);
  }
  private peekError(msg: string): SerdeError {
    const [l, c] = this.posOf(Math.min(this.b.length, this.i + 1));
    return new SerdeError(msg, l, c);
  }
  private fix(err: unknown): unknown {
    if (err instanceof SerdeError && err.line === 0) {
      const [l, c] = this.posOf(this.i);
      err.line = l;
      err.col = c;
    }
    return err;
  }
  private peek(): number {
    return this.i < this.b.length ? this.b[this.i]! : -1;
  }
  private next(): number {
    return this.b[this.i++]!;
  }
  private ws(): number {
    while (this.i < this.b.length) {
      const c = this.b[this.i];
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.i++;
      else break;
    }
    return this.peek();
  }
  private enter(): void {
    this.depth--;
    if (this.depth === 0) throw this.peekError('recursion limit exceeded');
  }
  private leave(): void {
    this.depth++;
  }
  private ident(rest: string): void {
    for (const ch of rest) {
      if (this.i >= this.b.length) throw this.error('EOF while parsing a value');
      const c = this.next();
      if (c !== ch.charCodeAt(0)) throw this.error('expected ident');
    }
  }
  /** After the opening quote. */
  private parseStr(): string {
    const bytes: number[] = [];
    for (;;) {
      if (this.i >= this.b.length) throw this.error('EOF while parsing a string');
      const c = this.next();
      if (c === 0x22) break;
      if (c === 0x5c) {
        if (this.i >= this.b.length) throw this.error('EOF while parsing a string');
        const e = this.next();
        const simple = SIMPLE_ESCAPES[e];
        if (simple !== undefined) {
          bytes.push(simple);
        } else if (e === 0x75) {
          let cp = this.hex4();
          if (cp >= 0xd800 && cp <= 0xdbff) {
            if (this.b[this.i] !== 0x5c || this.b[this.i + 1] !== 0x75) {
              throw this.error('lone leading surrogate in hex escape');
            }
            this.i += 2;
            const lo = this.hex4();
            if (lo < 0xdc00 || lo > 0xdfff) throw this.error('invalid unicode code point');
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          } else if (cp >= 0xdc00 && cp <= 0xdfff) {
            throw this.error('invalid unicode code point');
          }
          bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
        } else {
          throw this.error('invalid escape');
        }
      } else if (c < 0x20) {
        throw this.error('control character (\\u0000-\\u001F) found while parsing a string');
      } else {
        bytes.push(c);
      }
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
    } catch {
      throw this.error('invalid unicode code point');
    }
  }
  private hex4(): number {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      if (this.i >= this.b.length) throw this.error('EOF while parsing a string');
      const c = this.next();
      const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
      if (d < 0) throw this.error('invalid escape');
      v = v * 16 + d;
    }
    return v;
  }
  /** After an optional '-' was eaten. */
  private parseNumber(positive: boolean): ParsedNumber {
    const start = this.i;
    if (this.i >= this.b.length) throw this.error('EOF while parsing a value');
    const c = this.next();
    if (c === 0x30) {
      if (isDigit(this.peek())) throw this.peekError('invalid number');
    } else if (c >= 0x31 && c <= 0x39) {
      while (isDigit(this.peek())) this.i++;
    } else {
      throw this.error('invalid number');
    }
    let isFloat = false;
    if (this.peek() === 0x2e) {
      isFloat = true;
      this.i++;
      if (!isDigit(this.peek())) {
        throw this.peek() === -1 ? this.peekError('EOF while parsing a value') : this.peekError('invalid number');
      }
      while (isDigit(this.peek())) this.i++;
    }
    if (this.peek() === 0x65 || this.peek() === 0x45) {
      isFloat = true;
      this.i++;
      if (this.peek() === 0x2b || this.peek() === 0x2d) this.i++;
      if (this.i >= this.b.length) throw this.error('EOF while parsing a value');
      const d = this.next();
      if (!isDigit(d)) throw this.error('invalid number');
      while (isDigit(this.peek())) this.i++;
    }
    const text = this.b.subarray(start, this.i).toString('latin1');
    if (!isFloat) {
      const big = BigInt(text);
      if (positive && big <= U64_MAX) return { kind: 'u', value: big };
      if (!positive && -big >= I64_MIN) return { kind: 'i', value: -big };
    }
    const f = Number((positive ? '' : '-') + text);
    if (!Number.isFinite(f)) throw this.error('number out of range');
    return { kind: 'f', value: f };
  }
  private peekInvalidType(expected: string): unknown {
    const c = this.peek();
    let unexp: string;
    if (c === 0x6e) {
      this.i++;
      this.ident('ull');
      unexp = 'null';
    } else if (c === 0x74) {
      this.i++;
      this.ident('rue');
      unexp = 'boolean `true`';
    } else if (c === 0x66) {
      this.i++;
      this.ident('alse');
      unexp = 'boolean `false`';
    } else if (c === 0x2d) {
      this.i++;
      unexp = numberUnexpected(this.parseNumber(false));
    } else if (isDigit(c)) {
      unexp = numberUnexpected(this.parseNumber(true));
    } else if (c === 0x22) {
      this.i++;
      unexp = `string ${rustDebugStr(this.parseStr())}`;
    } else if (c === 0x5b) {
      unexp = 'sequence';
    } else if (c === 0x7b) {
      unexp = 'map';
    } else {
      return this.peekError('expected value');
    }
    return this.fix(new SerdeError(`invalid type: ${unexp}, expected ${expected}`));
  }
  private colon(): void {
    const c = this.ws();
    if (c === 0x3a) {
      this.i++;
      return;
    }
    if (c === -1) throw this.peekError('EOF while parsing an object');
    throw this.peekError('expected `:`');
  }
  private endMap(): SerdeError | null {
    const c = this.ws();
    if (c === 0x7d) {
      this.i++;
      return null;
    }
    if (c === 0x2c) return this.peekError('trailing comma');
    if (c === -1) return this.peekError('EOF while parsing an object');
    return this.peekError('trailing characters');
  }
  private endSeq(): SerdeError | null {
    const c = this.ws();
    if (c === 0x5d) {
      this.i++;
      return null;
    }
    if (c === 0x2c) {
      this.i++;
      return this.ws() === 0x5d ? this.peekError('trailing comma') : this.peekError('trailing characters');
    }
    if (c === -1) return this.peekError('EOF while parsing a list');
    return this.peekError('trailing characters');
  }
  /** serde_json's MapAccess::next_key: returns the key string, or null at '}'. */
  private nextKey(state: SeqState): string | null {
    let c = this.ws();
    if (c === 0x7d) return null;
    if (c === 0x2c && !state.first) {
      this.i++;
      c = this.ws();
    } else if (c === -1) {
      throw this.peekError('EOF while parsing an object');
    } else if (state.first) {
      state.first = false;
    } else {
      throw this.peekError('expected `,` or `}`');
    }
    if (c === 0x22) {
      this.i++;
      return this.parseStr();
    }
    if (c === 0x7d) throw this.peekError('trailing comma');
    if (c === -1) throw this.peekError('EOF while parsing a value');
    throw this.peekError('key must be a string');
  }
  /** serde_json's SeqAccess::has_next_element. */
  private hasNext(state: SeqState): boolean {
    let c = this.ws();
    if (c === 0x5d) return false;
    if (c === 0x2c && !state.first) {
      this.i++;
      c = this.ws();
    } else if (c === -1) {
      throw this.peekError('EOF while parsing a list');
    } else if (state.first) {
      state.first = false;
    } else {
      throw this.peekError('expected `,` or `]`');
    }
    if (c === 0x5d) throw this.peekError('trailing comma');
    if (c === -1) throw this.peekError('EOF while parsing a value');
    return true;
  }
  /** A sequence of `item()`s, with serde_json's error positioning. */
  private seq<T>(item: () => T): T[] {
    this.enter();
    this.i++;
    const out: T[] = [];
    let err: unknown = null;
    try {
      const st = { first: true };
      while (this.hasNext(st)) out.push(item());
    } catch (e) {
      err = e;
    }
    this.leave();
    const end = this.endSeq();
    if (err) throw this.fix(err);
    if (end) throw end;
    return out;
  }
  /** Any JSON value (serde_json::Value). Integers become numbers (BigInt past 2^53). */
  any(): JsonValue {
    const c = this.ws();
    if (c === -1) throw this.peekError('EOF while parsing a value');
    switch (c) {
      case 0x6e:
        this.i++;
        this.ident('ull');
        return null;
      case 0x74:
        this.i++;
        this.ident('rue');
        return true;
      case 0x66:
        this.i++;
        this.ident('alse');
        return false;
      case 0x22:
        this.i++;
        return this.parseStr();
      case 0x5b:
        return this.seq(() => this.any());
      case 0x7b: {
        this.enter();
        this.i++;
        const out: JsonObject = {};
        let err: unknown = null;
        try {
          const st = { first: true };
          for (let key = this.nextKey(st); key !== null; key = this.nextKey(st)) {
            this.colon();
            Object.defineProperty(out, key, { value: this.any(), enumerable: true, writable: true, configurable: true });
          }
        } catch (e) {
          err = e;
        }
        this.leave();
        const end = this.endMap();
        if (err) throw this.fix(err);
        if (end) throw end;
        return out;
      }
      default:
        if (c === 0x2d || isDigit(c)) {
          if (c === 0x2d) this.i++;
          const n = this.parseNumber(c !== 0x2d);
          return n.kind === 'f' ? new JsonFloat(n.value as number) : bigToJs(n.value as bigint);
        }
        throw this.peekError('expected value');
    }
  }
  /** Deserializes one value according to `schema`. */
  value(schema: Schema): unknown {
    switch (schema.t) {
      case 'any':
        return this.any();
      case 'int': {
        const c = this.ws();
        if (c === -1) throw this.peekError('EOF while parsing a value');
        let n: ParsedNumber;
        if (c === 0x2d) {
          this.i++;
          n = this.parseNumber(false);
        } else if (isDigit(c)) {
          n = this.parseNumber(true);
        } else {
          throw this.peekInvalidType(schema.name);
        }
        if (n.kind === 'f') throw this.fix(new SerdeError(`invalid type: ${numberUnexpected(n)}, expected ${schema.name}`));
        const big = n.value as bigint;
        if (big < 0n || big > INT_LIMITS[schema.name]) {
          throw this.fix(new SerdeError(`invalid value: ${numberUnexpected(n)}, expected ${schema.name}`));
        }
        return bigToJs(big);
      }
      case 'bool': {
        const c = this.ws();
        if (c === -1) throw this.peekError('EOF while parsing a value');
        if (c === 0x74) {
          this.i++;
          this.ident('rue');
          return true;
        }
        if (c === 0x66) {
          this.i++;
          this.ident('alse');
          return false;
        }
        throw this.peekInvalidType('a boolean');
      }
      case 'str': {
        const c = this.ws();
        if (c === -1) throw this.peekError('EOF while parsing a value');
        if (c !== 0x22) throw this.peekInvalidType(schema.expecting);
        this.i++;
        const s = this.parseStr();
        if (schema.check) {
          const problem = schema.check(s);
          // A hand-written `String::deserialize` + parse fails outside deserialize_str (positioned later).
          if (problem) throw schema.positionedHere ? this.fix(new SerdeError(problem)) : new SerdeError(problem);
        }
        return schema.map ? schema.map(s) : s;
      }
      case 'option': {
        if (this.ws() === 0x6e) {
          this.i++;
          this.ident('ull');
          return null;
        }
        return this.value(schema.of);
      }
      case 'enum':
        return this.enumValue(schema.variants);
      case 'vec': {
        const c = this.ws();
        if (c === -1) throw this.peekError('EOF while parsing a value');
        if (c !== 0x5b) throw this.peekInvalidType('a sequence');
        return this.seq(() => this.value(schema.of));
      }
      case 'struct':
        return this.struct(schema);
    }
  }
  private enumValue(variants: string[]): string {
    const c = this.ws();
    if (c === -1) throw this.peekError('EOF while parsing a value');
    const check = (v: string): string => {
      if (!variants.includes(v)) throw this.fix(new SerdeError(`unknown variant \`${v}\`, expected ${oneOf(variants)}`));
      return v;
    };
    if (c === 0x22) {
      this.i++;
      return check(this.parseStr());
    }
    if (c === 0x7b) {
      this.enter();
      this.i++;
      if (this.ws() !== 0x22) throw this.peekInvalidType('variant identifier');
      this.i++;
      const v = check(this.parseStr());
      this.colon();
      if (this.ws() !== 0x6e) throw this.peekInvalidType('unit variant');
      this.i++;
      this.ident('ull');
      this.leave();
      const e = this.ws();
      if (e === 0x7d) {
        this.i++;
        return v;
      }
      if (e === -1) throw this.peekError('EOF while parsing an object');
      throw this.error('expected value');
    }
    throw this.peekError('expected value');
  }
  private struct(schema: StructSchema): Record<string, unknown> {
    const c = this.ws();
    if (c === -1) throw this.peekError('EOF while parsing a value');
    if (c === 0x5b) {
      // APPROX: serde also accepts a struct written as a JSON array of its fields in order;
      // nobody sends that to Firecracker, so it is refused as a type error here.
      throw this.fix(new SerdeError(`invalid type: sequence, expected struct ${schema.name}`));
    }
    if (c !== 0x7b) throw this.peekInvalidType(`struct ${schema.name}`);
    this.enter();
    this.i++;
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    let err: unknown = null;
    try {
      const st = { first: true };
      for (let key = this.nextKey(st); key !== null; key = this.nextKey(st)) {
        const field = schema.fields.find((f) => f.name === key);
        if (!field) {
          if (schema.deny) {
            const names = schema.fields.map((f) => f.name);
            throw new SerdeError(`unknown field \`${key}\`, ${names.length ? `expected ${oneOf(names)}` : 'there are no fields'}`);
          }
          this.colon();
          this.any();
          continue;
        }
        if (seen.has(key)) throw new SerdeError(`duplicate field \`${key}\``);
        seen.add(key);
        this.colon();
        out[key] = this.value(field.type);
      }
      for (const f of schema.fields) {
        if (seen.has(f.name)) continue;
        if (f.required) throw new SerdeError(`missing field \`${f.name}\``);
        out[f.name] = typeof f.default === 'function' ? (f.default as () => unknown)() : f.default === undefined ? null : f.default;
      }
    } catch (e) {
      if (!(e instanceof SerdeError)) throw e;
      err = e;
    }
    this.leave();
    const end = this.endMap();
    if (err) throw this.fix(err);
    if (end) throw end;
    const ordered: Record<string, unknown> = {};
    for (const f of schema.fields) ordered[f.name] = out[f.name];
    return ordered;
  }
  end(): void {
    if (this.ws() !== -1) throw this.peekError('trailing characters');
  }
}

/** `serde_json::from_slice::<T>(body)`. Throws SerdeError; the caller names the Rust type T. */
export function fromSlice<T = unknown>(buf: Buffer, schema: Schema): T {
  const de = new Deserializer(buf);
  const v = de.value(schema);
  de.end();
  return v as T;
}

/**
 * Schema constructors. Field order and struct names follow the Rust types, because serde puts
 * both into its messages (`expected one of ...`, `expected struct X`).
 */
export const S = {
  any: { t: 'any' } as Schema,
  u8: { t: 'int', name: 'u8' } as Schema,
  u16: { t: 'int', name: 'u16' } as Schema,
  u32: { t: 'int', name: 'u32' } as Schema,
  u64: { t: 'int', name: 'u64' } as Schema,
  usize: { t: 'int', name: 'usize' } as Schema,
  bool: { t: 'bool' } as Schema,
  string: { t: 'str', expecting: 'a string' } as Schema,
  path: { t: 'str', expecting: 'path string' } as Schema,
  option: (of: Schema): Schema => ({ t: 'option', of }),
  vec: (of: Schema): Schema => ({ t: 'vec', of }),
  enumOf: (...variants: string[]): Schema => ({ t: 'enum', variants }),
  struct: (name: string, deny: boolean, fields: Field[]): StructSchema => ({ t: 'struct', name, deny, fields }),
  req: (name: string, type: Schema): Field => ({ name, type, required: true }),
  opt: (name: string, type: Schema, def?: unknown): Field => ({ name, type, required: false, default: def }),
};
