/**
 * Letter templates: the plain text administrators edit, with Nunjucks placeholders, read into
 * headings, paragraphs and bulleted lists that the PDF and HTML renderers lay out.
 *
 * Templates are written by council staff, not developers, so the template language is cut down
 * on purpose. Nunjucks is not a sandbox: a template that can call functions can reach the
 * JavaScript runtime (`{{ range.constructor("…")() }}`), so only placeholders, `if` and `for`
 * are accepted, and every template is checked before it is rendered.
 */
import nunjucks from 'nunjucks';

export type TextRun = { text: string; bold: boolean };

export type LetterBlock =
  | { kind: 'heading' | 'subheading'; text: string }
  | { kind: 'paragraph'; runs: TextRun[] }
  | { kind: 'list'; items: TextRun[][] };

export const MAX_TEMPLATE_LENGTH = 20_000;

/** Thrown when a template cannot be rendered. Each problem is a sentence fit to show as a GOV.UK error. */
export class LetterTemplateError extends Error {
  override name = 'LetterTemplateError';
  readonly problems: string[];

  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

// Same lexer options for parsing and rendering, so line numbers agree. Trimming block tags means
// a line holding only `{% if %}` leaves no blank line behind, which would otherwise split paragraphs.
const LEXER_OPTIONS = { trimBlocks: true, lstripBlocks: true } as const;

const environment = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true, ...LEXER_OPTIONS });

/** Renders a template with the given values and reads the result into blocks. */
export function renderTemplate(source: string, context: Record<string, unknown>): LetterBlock[] {
  const { problems, placeholders } = inspectSource(source);
  if (problems.length > 0) throw new LetterTemplateError(problems);

  let text: string;
  try {
    text = environment.renderString(source, protectValues(context, 0) as object);
  } catch (error) {
    throw new LetterTemplateError([renderProblem(error, placeholders)]);
  }
  return parseBlocks(text);
}

/** The problems with a template, rendered against sample values; empty when it is fine to save. */
export function checkTemplate(source: string, sampleContext: Record<string, unknown>): string[] {
  try {
    renderTemplate(source, sampleContext);
    return [];
  } catch (error) {
    if (error instanceof LetterTemplateError) return error.problems;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Checking the template before it runs
// ---------------------------------------------------------------------------------------------

const TAGS_HELP = 'Use only if, elif, else, endif, for and endfor';
const ONLY_PLACEHOLDERS_HELP = 'Letter templates can only use placeholders, such as {{ child.firstName }}, with {% if %} and {% for %}';

/** Placeholder descriptions keyed by "line:column", the position Nunjucks reports when a value is missing. */
type Placeholders = Map<string, string | null>;

function inspectSource(source: string): { problems: string[]; placeholders: Placeholders } {
  const placeholders: Placeholders = new Map();
  if (source.length > MAX_TEMPLATE_LENGTH) {
    return { problems: ['The template must be 20,000 characters or fewer'], placeholders };
  }
  if (source.trim() === '') return { problems: ['Enter the text of the letter'], placeholders };

  const tagProblems = checkTags(source);
  if (tagProblems.length > 0) return { problems: tagProblems, placeholders };

  let tree: TemplateNode;
  try {
    tree = parseTemplate(source);
  } catch (error) {
    return { problems: [syntaxProblem(error)], placeholders };
  }
  const problems: string[] = [];
  inspectNode(tree, problems, placeholders);
  return { problems: [...new Set(problems)], placeholders };
}

type OpenTag = { name: 'if' | 'for'; line: number };

/**
 * Checks the `{{ }}`, `{% %}` and `{# #}` tags and that each `if` and `for` is closed. Nunjucks
 * finds these mistakes too, but often without a line number or in terms only a developer follows.
 */
function checkTags(source: string): string[] {
  const problems: string[] = [];
  const open: OpenTag[] = [];
  const opener = /\{([{%#])/g;
  const closers = { '{': '}}', '%': '%}', '#': '#}' } as const;

  for (let match = opener.exec(source); match !== null; match = opener.exec(source)) {
    const kind = match[1] as '{' | '%' | '#';
    const line = lineOf(source, match.index);
    const end = source.indexOf(closers[kind], match.index + 2);
    if (end === -1) {
      if (kind === '{') problems.push(`On line ${line}, a placeholder starts with {{ but does not end with }}`);
      else if (kind === '%') problems.push(`On line ${line}, an instruction starts with {% but does not end with %}`);
      else problems.push(`On line ${line}, a comment starts with {# but does not end with #}`);
      return problems;
    }
    const inside = source.slice(match.index + 2, end).replace(/^-/, '').replace(/-$/, '').trim();
    opener.lastIndex = end + 2;

    if (kind === '{' && inside === '') problems.push(`On line ${line}, a placeholder is empty`);
    if (kind !== '%') continue;

    const name = /^[A-Za-z_]\w*/.exec(inside)?.[0];
    if (name === undefined) {
      problems.push(`On line ${line}, there is an empty or unrecognised {% %}. ${TAGS_HELP}`);
      continue;
    }
    const top = open.at(-1);
    switch (name) {
      case 'if':
      case 'for':
        open.push({ name, line });
        break;
      case 'elif':
      case 'elseif':
        if (top?.name !== 'if') problems.push(`On line ${line}, {% ${name} %} must come after an {% if %}`);
        break;
      case 'else':
        if (top === undefined) problems.push(`On line ${line}, {% else %} must come after an {% if %} or {% for %}`);
        break;
      case 'endif':
      case 'endfor': {
        const wanted = name === 'endif' ? 'if' : 'for';
        if (top === undefined) {
          problems.push(`On line ${line}, {% ${name} %} does not close an earlier {% ${wanted} %}`);
        } else if (top.name !== wanted) {
          problems.push(`On line ${line}, {% ${name} %} comes before the {% ${top.name} %} on line ${top.line} is closed with {% end${top.name} %}`);
          open.pop();
        } else {
          open.pop();
        }
        break;
      }
      default:
        problems.push(`On line ${line}, “${name}” cannot be used in a letter template. ${TAGS_HELP}`);
    }
  }
  for (const tag of open) problems.push(`On line ${tag.line}, {% ${tag.name} %} is not closed with {% end${tag.name} %}`);
  return problems;
}

function lineOf(source: string, index: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < index; i = source.indexOf('\n', i + 1)) line++;
  return line;
}

/** The parts of a Nunjucks syntax tree node this module reads. The parser is untyped. */
interface TemplateNode {
  readonly typename: string;
  readonly lineno: number;
  readonly colno: number;
  readonly fields: readonly string[];
  readonly [field: string]: unknown;
}

interface NunjucksParser {
  parse(source: string, extensions: undefined, options: typeof LEXER_OPTIONS): TemplateNode;
}

function parseTemplate(source: string): TemplateNode {
  const parser = (nunjucks as unknown as { parser?: NunjucksParser }).parser;
  if (parser === undefined) throw new Error('This version of Nunjucks does not expose its parser');
  return parser.parse(source, undefined, LEXER_OPTIONS);
}

function isNode(value: unknown): value is TemplateNode {
  return typeof value === 'object' && value !== null && typeof (value as { typename?: unknown }).typename === 'string';
}

const ALLOWED_NODES = new Set([
  'Root', 'NodeList', 'Output', 'TemplateData', 'Symbol', 'Literal', 'LookupVal',
  'If', 'IfAsync', 'InlineIf', 'For', 'Compare', 'CompareOperand', 'And', 'Or', 'Not', 'Group', 'In', 'Is',
]);

/** Names that lead from a value to the functions behind it. */
function isBlockedName(name: string): boolean {
  return name.startsWith('_') || name === 'constructor' || name === 'prototype';
}

/** Walks the syntax tree, allowing only the node types above, and records where each placeholder is. */
function inspectNode(node: TemplateNode, problems: string[], placeholders: Placeholders): void {
  const line = node.lineno + 1;
  const type = node.typename;

  if (type === 'Filter') {
    const name = isNode(node['name']) ? String(node['name']['value']) : 'filters';
    problems.push(`On line ${line}, “| ${name}” cannot be used. ${ONLY_PLACEHOLDERS_HELP}`);
    return;
  }
  if (type === 'FunCall') {
    problems.push(`On line ${line}, the template uses brackets to call something. ${ONLY_PLACEHOLDERS_HELP}`);
    return;
  }
  if (!ALLOWED_NODES.has(type)) {
    problems.push(`On line ${line}, the template uses something that letter templates do not allow. ${ONLY_PLACEHOLDERS_HELP}`);
    return;
  }
  if (type === 'Symbol' && isBlockedName(String(node['value']))) {
    problems.push(`On line ${line}, “${String(node['value'])}” cannot be used in a placeholder`);
    return;
  }
  if (type === 'LookupVal') {
    const key = node['val'];
    const value = isNode(key) && key.typename === 'Literal' ? key['value'] : undefined;
    if (typeof value === 'string' && isBlockedName(value)) {
      problems.push(`On line ${line}, “${value}” cannot be used in a placeholder`);
      return;
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      problems.push(`On line ${line}, square brackets can only hold a fixed name or number. ${ONLY_PLACEHOLDERS_HELP}`);
      return;
    }
  }
  if (type === 'Output') {
    for (const child of childNodes(node)) {
      if (child.typename !== 'TemplateData') placeholders.set(`${line}:${node.colno + 1}`, describe(child));
    }
  }

  for (const field of node.fields) {
    const value = node[field];
    if (type === 'For' && field === 'name') {
      // The loop variable: one name, or several for `{% for key, value in things %}`.
      const names = isNode(value) && value.typename === 'Array' ? childNodes(value) : [value];
      if (!names.every((name) => isNode(name) && name.typename === 'Symbol' && !isBlockedName(String(name['value'])))) {
        problems.push(`On line ${line}, the {% for %} must name its item, as in {% for item in items %}`);
      }
      continue;
    }
    const children = Array.isArray(value) ? value : [value];
    for (const child of children) if (isNode(child)) inspectNode(child, problems, placeholders);
  }
}

function childNodes(node: TemplateNode): TemplateNode[] {
  const children = node['children'];
  return Array.isArray(children) ? children.filter(isNode) : [];
}

/** "child.firstName" for a plain placeholder; null for anything more involved. */
function describe(node: TemplateNode): string | null {
  if (node.typename === 'Symbol') return String(node['value']);
  if (node.typename === 'LookupVal' && isNode(node['target']) && isNode(node['val'])) {
    const target = describe(node['target']);
    const key = node['val']['value'];
    if (target === null) return null;
    return typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key) ? `${target}.${key}` : `${target}[${JSON.stringify(key)}]`;
  }
  return null;
}

function syntaxProblem(error: unknown): string {
  const { lineno } = error as { lineno?: unknown };
  const detail = error instanceof Error ? error.message.trim() : String(error);
  return typeof lineno === 'number'
    ? `On line ${lineno}, a placeholder or instruction is not written correctly (${detail})`
    : `A placeholder or instruction is not written correctly (${detail})`;
}

function renderProblem(error: unknown, placeholders: Placeholders): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /\[Line (\d+), Column (\d+)\]/.exec(message);
  const line = position?.[1];
  const detail = message.replace(/^\(unknown path\)\s*(\[Line \d+, Column \d+\])?\s*/, '').replace(/^Error: /, '').trim();

  if (message.includes('attempted to output null or undefined value')) {
    const name = position === null ? undefined : placeholders.get(`${position[1]}:${position[2]}`);
    if (typeof name === 'string') return `The template uses “${name}”, which is not available`;
    return line === undefined ? 'The template uses a value that is not available' : `On line ${line}, the template uses a value that is not available`;
  }
  return line === undefined ? `The template could not be filled in (${detail})` : `On line ${line}, the template could not be filled in (${detail})`;
}

// ---------------------------------------------------------------------------------------------
// Values and blocks
// ---------------------------------------------------------------------------------------------

/** Stands in for `*` inside values, so a value cannot switch bold on or off. */
const STAR = '\uE000';

/**
 * Values are substituted before the text is read into blocks, so a value could otherwise add
 * bold or break a paragraph. Line breaks in values become spaces and asterisks are set aside.
 */
function protectValues(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.replace(/\s*(\r\n|\r|\n)\s*/g, ' ').replaceAll('*', STAR);
  if (depth > 20) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => protectValues(item, depth + 1));
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, protectValues(item, depth + 1)]));
  }
  return value;
}

const restore = (text: string) => text.replaceAll(STAR, '*');

/** Reads rendered text into blocks: `# ` heading, `## ` subheading, `- ` list item, anything else a paragraph. */
export function parseBlocks(text: string): LetterBlock[] {
  const blocks: LetterBlock[] = [];
  let paragraph: string[] | null = null;
  let list: TextRun[][] | null = null;

  const finish = () => {
    if (paragraph !== null) {
      const runs = parseRuns(paragraph.join(' '));
      if (runs.length > 0) blocks.push({ kind: 'paragraph', runs });
    }
    if (list !== null && list.length > 0) blocks.push({ kind: 'list', items: list });
    paragraph = null;
    list = null;
  };

  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.trim();
    if (line === '') {
      finish();
    } else if (line.startsWith('# ') || line.startsWith('## ')) {
      finish();
      const kind = line.startsWith('# ') ? 'heading' : 'subheading';
      const heading = restore(line.slice(kind === 'heading' ? 2 : 3).replaceAll('**', '').replace(/\s+/g, ' ').trim());
      if (heading !== '') blocks.push({ kind, text: heading });
    } else if (line.startsWith('- ')) {
      if (list === null) {
        finish();
        list = [];
      }
      const runs = parseRuns(line.slice(2));
      if (runs.length > 0) list.push(runs);
    } else {
      if (paragraph === null) {
        finish();
        paragraph = [];
      }
      paragraph.push(line);
    }
  }
  finish();
  return blocks;
}

/** Splits text on `**` into plain and bold runs. An unmatched `**` is kept as written. */
export function parseRuns(text: string): TextRun[] {
  const parts = text.replace(/\s+/g, ' ').trim().split('**');
  if (parts.length % 2 === 0) {
    const last = parts.pop() ?? '';
    parts[parts.length - 1] = `${parts.at(-1) ?? ''}**${last}`;
  }
  const runs: TextRun[] = [];
  parts.forEach((part, index) => {
    if (part === '') return;
    const bold = index % 2 === 1;
    const previous = runs.at(-1);
    if (previous !== undefined && previous.bold === bold) previous.text += restore(part);
    else runs.push({ text: restore(part), bold });
  });
  return runs;
}
