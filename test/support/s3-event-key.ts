/**
 * Encodes an object key as S3 writes it into an event notification: form URL-encoding (a space as "+", "+" as "%2B",
 * "=" as "%3D", UTF-8 bytes as %XX), "/" kept. `alsoEscape` picks characters encodeURIComponent leaves alone that
 * S3 may escape all the same ("(" arrives as "%28" in events AWS users report); decoding must accept both forms.
 */
export function encodeS3EventKey(key: string, alsoEscape: (character: string) => boolean = () => false): string {
  let encoded = '';
  for (const character of key) {
    if (character === ' ') encoded += '+';
    else if (character === '/') encoded += '/';
    else {
      const escaped = encodeURIComponent(character);
      encoded += escaped === character && alsoEscape(character) ? `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : escaped;
    }
  }
  return encoded;
}
