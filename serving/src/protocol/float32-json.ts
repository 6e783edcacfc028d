/**
 * JSON text for float32 values. Printed as doubles, a float32 reads like 0.0000018561521528681624;
 * the shortest decimal that rounds back to the same float32 is 0.0000018561522 — about half the
 * bytes to write and for the client to parse, and exact: Math.fround(JSON value) === the output.
 */
export function float32ArrayJson(data: Float32Array): string {
  let text = '[';
  for (let i = 0; i < data.length; i++) text += (i === 0 ? '' : ',') + float32Json(data[i]);
  return `${text}]`;
}

const FLOAT32_EXACT_INTEGERS = 2 ** 24;

export function float32Json(value: number): string {
  if (!Number.isFinite(value)) return 'null'; // what JSON.stringify writes for NaN and ±Infinity
  if (Number.isInteger(value) && Math.abs(value) <= FLOAT32_EXACT_INTEGERS) return String(value);
  // A float32 has 24 significant bits: 9 significant digits always identify it, and 7 or 8 usually
  // suffice. Rounding to 7 digits also finds any shorter representation (String() drops trailing zeros).
  for (let digits = 7; digits < 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return String(candidate);
  }
  return String(Number(value.toPrecision(9)));
}
