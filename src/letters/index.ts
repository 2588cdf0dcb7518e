/** Letter templates, rendered to accessible PDF for sending and to HTML for preview. */
export { checkTemplate, LetterTemplateError, MAX_TEMPLATE_LENGTH, parseBlocks, renderTemplate } from './template.ts';
export type { LetterBlock, TextRun } from './template.ts';
export { letterPlainText } from './letter.ts';
export type { Letter } from './letter.ts';
export { renderLetterPdf } from './pdf.ts';
export type { LetterPdfOptions } from './pdf.ts';
export { escapeHtml, renderBlocksHtml, renderLetterHtml } from './html.ts';
export type { BlocksHtmlOptions } from './html.ts';
