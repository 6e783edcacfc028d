interface Atom {
  /** 128 entries: 1 for the ASCII codes the atom accepts. */
  readonly accepts: Uint8Array;
  readonly min: number;
  readonly max: number;
}

const SPECIAL = new Set('\\^$.|?*+()[]{}'.split(''));

function range(table: Uint8Array, from: number, to: number): void {
  for (let c = from; c <= to; c++) table[c] = 1;
}

function escapeClass(table: Uint8Array, letter: string): boolean {
  if (letter === 'd') range(table, 48, 57);
  else if (letter === 'w') {
    range(table, 48, 57);
    range(table, 65, 90);
    range(table, 97, 122);
    table[95] = 1;
  } else if (/^[\x20-\x7e]$/.test(letter) && !/[a-zA-Z0-9]/.test(letter)) table[letter.charCodeAt(0)] = 1;
  else return false;
  return true;
}

/** Parses `[...]` starting after the `[`; returns the index after `]`, or -1 if unsupported. */
function parseClass(source: string, at: number, table: Uint8Array): number {
  if (source[at] === '^') return -1;
  const single = (i: number): number | undefined => {
    const c = source.charCodeAt(i);
    return c < 128 && source[i] !== '\\' && source[i] !== ']' ? c : undefined;
  };
  for (let i = at; i < source.length;) {
    if (source[i] === ']') return i > at ? i + 1 : -1;
    if (source[i] === '\\') {
      if (!escapeClass(table, source[i + 1] ?? '')) return -1;
      i += 2;
      continue;
    }
    const from = single(i);
    if (from === undefined) return -1;
    const to = source[i + 1] === '-' && source[i + 2] !== ']' ? single(i + 2) : undefined;
    if (to !== undefined) {
      if (to < from) return -1;
      range(table, from, to);
      i += 3;
    } else {
      table[from] = 1;
      i += 1;
    }
  }
  return -1;
}

/** Parses an optional quantifier at `at`; returns [min, max, next index], or undefined if malformed. */
function parseQuantifier(source: string, at: number): [number, number, number] | undefined {
  const c = source[at];
  if (c === '?') return [0, 1, at + 1];
  if (c === '*') return [0, Infinity, at + 1];
  if (c === '+') return [1, Infinity, at + 1];
  if (c !== '{') return [1, 1, at];
  const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at));
  if (!match) return undefined;
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
  return max < min ? undefined : [min, max, at + match[0].length];
}

/**
 * Compiles the simple anchored patterns contracts use (`^C\d{8}$`, `^[A-Za-z0-9-]{1,64}$`, `^[A-Z]{2}$`: literals,
 * `\d`, `\w`, `[...]` classes, quantifiers) into a byte matcher; undefined for anything else (the caller then uses
 * the RegExp). To stay exact without backtracking, only the last atom may have a variable count.
 */
export function compileBytePattern(pattern: RegExp): BytePattern | undefined {
  const { source, flags } = pattern;
  if (flags !== '' || source[0] !== '^' || source[source.length - 1] !== '$' || source.endsWith('\\$')) return undefined;
  const body = source.slice(1, -1);
  const atoms: Atom[] = [];
  for (let i = 0; i < body.length;) {
    const accepts = new Uint8Array(128);
    const c = body[i];
    if (c === '[') {
      i = parseClass(body, i + 1, accepts);
      if (i < 0) return undefined;
    } else if (c === '\\') {
      if (!escapeClass(accepts, body[i + 1] ?? '')) return undefined;
      i += 2;
    } else {
      if (SPECIAL.has(c) || body.charCodeAt(i) >= 128) return undefined;
      accepts[body.charCodeAt(i)] = 1;
      i += 1;
    }
    const quantifier = parseQuantifier(body, i);
    if (!quantifier) return undefined;
    const [min, max, next] = quantifier;
    i = next;
    if (atoms.length > 0 && atoms[atoms.length - 1].min !== atoms[atoms.length - 1].max) return undefined;
    atoms.push({ accepts, min, max });
  }
  return new BytePattern(atoms);
}

/** Tests bytes[start, end) against a compiled pattern without building a string; only ASCII bytes can match. */
export class BytePattern {
  constructor(private readonly atoms: readonly Atom[]) {}

  matches(bytes: Uint8Array, start: number, end: number): boolean {
    let at = start;
    for (let a = 0; a < this.atoms.length; a++) {
      const { accepts, min, max } = this.atoms[a];
      let count = 0;
      while (count < max && at < end && bytes[at] < 128 && accepts[bytes[at]] === 1) {
        at++;
        count++;
      }
      if (count < min) return false;
    }
    return at === end;
  }
}
