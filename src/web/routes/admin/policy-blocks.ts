/**
 * The home education policy is plain text an administrator types, shown to the public. Rather
 * than accept HTML or a full markup language, it is read into a few kinds of block that the
 * template lays out with GOV.UK classes, and every word goes through the template's escaping.
 */
export type PolicyBlock =
  | { kind: 'heading' | 'subheading'; level: 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] };

const tidy = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * `# ` starts a heading, `## ` a subheading, `- ` a list item, and a blank line ends a paragraph;
 * lines of one paragraph are joined. The page has its own h1, so headings are h2 and subheadings
 * h3, except that a subheading before any heading is an h2, keeping the outline without gaps.
 */
export function parsePolicy(text: string): PolicyBlock[] {
  const blocks: PolicyBlock[] = [];
  let paragraph: string[] = [];
  let list: string[] = [];
  let seenHeading = false;

  const finish = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: tidy(paragraph.join(' ')) });
    if (list.length > 0) blocks.push({ kind: 'list', items: list });
    paragraph = [];
    list = [];
  };

  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    // A marker with nothing after it (`#`, `- `) adds nothing, rather than showing a stray symbol.
    const heading = /^(##?)(?:\s+(.*))?$/.exec(line);
    const item = /^-(?:\s+(.*))?$/.exec(line);
    if (line === '') {
      finish();
    } else if (heading) {
      finish();
      const subheading = heading[1] === '##';
      const words = tidy(heading[2] ?? '');
      if (words === '') continue;
      blocks.push({ kind: subheading ? 'subheading' : 'heading', level: subheading && seenHeading ? 3 : 2, text: words });
      if (!subheading) seenHeading = true;
    } else if (item) {
      if (paragraph.length > 0) finish();
      const words = tidy(item[1] ?? '');
      if (words !== '') list.push(words);
    } else {
      if (list.length > 0) finish();
      paragraph.push(line);
    }
  }
  finish();
  return blocks;
}
