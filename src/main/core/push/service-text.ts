// Makes text a push service sent (a reason, a body excerpt, a header) safe to print, store and export:
// terminal escape sequences and control characters are removed where the text enters Pushdeck.

/* eslint-disable no-control-regex -- matching control characters is the point */
// ECMA-48: CSI (ESC [ … final byte), OSC (ESC ] … BEL or ST), the other ESC sequences, and their 8-bit forms.
const ESCAPES =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u009b[0-?]*[ -/]*[@-~]|\u009d[^\u0007\u009c]*[\u0007\u009c]?|\u001b[@-_]?/g;
// C0 and C1 controls, DEL, and the bidirectional overrides that can make a line read other than it is.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/* eslint-enable no-control-regex */

/** The text without escape sequences or control characters; line breaks and tabs become spaces. */
export function serviceText(text: string): string {
  return text
    .replace(ESCAPES, '')
    .replace(/[\t\n\r\v\f]/g, ' ')
    .replace(CONTROLS, '');
}
