/** `CSS.escape` where the platform has it (browsers), a quote-safe fallback elsewhere (jsdom). */
export function cssEscape(s: string): string {
  return typeof CSS !== 'undefined' && typeof CSS.escape === 'function' ? CSS.escape(s) : s.replace(/["\\]/g, '\\$&');
}
