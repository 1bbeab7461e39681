// @ts-check
/**
 * Markdown to HTML with marked, then DOMPurify: the only HTML the app inserts. Scripts, event
 * handlers and javascript: URLs are stripped; links open in a new tab without an opener.
 * @module
 */
import DOMPurify from 'dompurify';
import { marked } from 'marked';

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

/**
 * A `<div class="markdown">` holding the rendered, sanitized Markdown.
 * @param {string} text
 * @param {boolean} [inline] render inline (a table cell), without paragraphs
 * @returns {HTMLElement}
 */
export function renderMarkdown(text, inline = false) {
  const el = document.createElement(inline ? 'span' : 'div');
  el.className = 'markdown';
  const html = inline ? marked.parseInline(text, { async: false }) : marked.parse(text, { async: false, gfm: true });
  el.innerHTML = DOMPurify.sanitize(/** @type {string} */ (html), { USE_PROFILES: { html: true } });
  return el;
}
