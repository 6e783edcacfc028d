/**
 * Whether JSON text nests arrays/objects deeper than `maxDepth`, found in one pass over its characters (strings
 * skipped) before anything is parsed: a record nested 100,000 deep is refused for the price of reading it, and
 * nothing downstream (validation, JSON.stringify into quarantine) ever meets deep recursion.
 */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > maxDepth) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}
