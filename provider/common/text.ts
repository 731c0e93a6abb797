/** Rules on free text that several resources share. */

/** True when the text holds no line break, tab or other control character. */
export function isOneLine(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
}

/** The rule {@link isOneLine} enforces, as check reports it. */
export const ONE_LINE_RULE = "must not contain a line break or another control character";
