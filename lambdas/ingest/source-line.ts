import { isUtf8 } from 'node:buffer';
import type { LineTerminator } from './byte-lines';

/** One line of a source object, decoded to text (records are read from these). */
export interface SourceLine {
  /** 1-based line number in the object. */
  readonly number: number;
  readonly text: string;
  readonly terminator: LineTerminator;
  /** Length in bytes, terminator excluded. */
  readonly bytes: number;
  /** Offset in the line of the first byte that is not valid UTF-8 (the text holds U+FFFD there), or -1. */
  readonly invalidUtf8At: number;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Where the line's content starts: after a UTF-8 byte order mark on the object's first line, for every format. */
export function contentStart(bytes: Uint8Array, start: number, end: number, lineNumber: number): number {
  const hasBom = lineNumber === 1 && end - start >= 3 && bytes[start] === UTF8_BOM[0] && bytes[start + 1] === UTF8_BOM[1] && bytes[start + 2] === UTF8_BOM[2];
  return hasBom ? start + 3 : start;
}

export function decodeLine(bytes: Buffer, start: number, end: number, number: number, terminator: LineTerminator): SourceLine {
  const content = bytes.subarray(start, end);
  return { number, text: content.toString('utf8'), terminator, bytes: end - start, invalidUtf8At: isUtf8(content) ? -1 : firstInvalidUtf8Byte(content) };
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629), or -1. */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let length: number;
    let min: number; // the smallest code point this length may encode (shorter forms are overlong)
    if (b >= 0xc2 && b <= 0xdf) [length, min] = [2, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [length, min] = [3, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [length, min] = [4, 0x10000];
    else return i;
    if (i + length > bytes.length) return i;
    let codePoint = b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      codePoint = (codePoint << 6) | (c & 0x3f);
    }
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return i;
    i += length;
  }
  return -1;
}
