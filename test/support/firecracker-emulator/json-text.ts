/** JSON as serde_json writes it (ryu floats, compact, optionally sorted keys) and RFC 7396 merge patches. */

/** A JSON number that was written with a fraction or exponent (serde_json keeps it an f64). */
export class JsonFloat {
  constructor(readonly value: number) {}
}

export type JsonValue = null | boolean | number | bigint | string | JsonFloat | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Formats an f64 the way serde_json (ryu) prints it: `1.0`, `0.5`, `1e20`, `1.5e-7`. */
export function ryuFormat(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : v < 0 ? '-inf' : 'NaN';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const sign = v < 0 ? '-' : '';
  const [mant = '', expPart = '0'] = Math.abs(v).toExponential().split('e');
  const digits = mant.replace('.', '');
  const e10 = Number(expPart);
  const len = digits.length;
  const k = e10 - (len - 1);
  const kk = len + k;
  let body: string;
  if (k >= 0 && kk <= 16) body = `${digits}${'0'.repeat(k)}.0`;
  else if (kk > 0 && kk <= 16) body = `${digits.slice(0, kk)}.${digits.slice(kk)}`;
  else if (kk > -5 && kk <= 0) body = `0.${'0'.repeat(-kk)}${digits}`;
  else if (len === 1) body = `${digits}e${kk - 1}`;
  else body = `${digits[0]}.${digits.slice(1)}e${kk - 1}`;
  return sign + body;
}

/** Compact JSON as serde_json writes it; `sortKeys` mimics a `serde_json::Value` map (BTreeMap). */
export function toJson(v: unknown, sortKeys = false): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : ryuFormat(v);
  if (v instanceof JsonFloat) return ryuFormat(v.value);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => toJson(x, sortKeys)).join(',')}]`;
  const o = v as Record<string, unknown>;
  let keys = Object.keys(o).filter((key) => o[key] !== undefined);
  if (sortKeys) keys = keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return `{${keys.map((key) => `${JSON.stringify(key)}:${toJson(o[key], sortKeys)}`).join(',')}}`;
}

function isPlainObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonFloat);
}

/** RFC 7396 JSON Merge Patch, as `PATCH /mmds` applies it. */
export function mergePatch(target: JsonValue, patch: JsonValue): JsonValue {
  if (!isPlainObject(patch)) return patch;
  const out: JsonObject = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key] ?? null, value);
  }
  return out;
}
