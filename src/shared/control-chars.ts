// Control characters shown, not obeyed: text that came from outside (a push service's reason, a label, a
// file) is printed or exported with its C0/C1 controls, DEL and bidi overrides written as \uXXXX, so that no
// terminal escape (ESC [, OSC, CSI U+009B) or Trojan-Source reordering (CVE-2021-42574) takes effect.

// C0 but tab and line feed, DEL, C1, and the bidi embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const escapeOne = (char: string): string => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` with every control character but tab and line feed written as `\uXXXX`. */
export function escapeControlChars(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}
