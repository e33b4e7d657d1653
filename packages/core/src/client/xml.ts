/**
 * A strict reader for the small XML documents STS answers with. It knows elements, attributes
 * (skipped), text, the five predefined entities and character references; it refuses DOCTYPE
 * and entity declarations (no XXE, no entity expansion), processing instructions after the
 * prolog, mismatched tags, deep nesting and trailing content.
 */

export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

export class XmlError extends Error {}

const MAX_DEPTH = 16;
const MAX_CHARS = 256 * 1024;
const NAME = /^[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeText(raw: string): string {
  return raw.replace(/&([^;&\s]{1,10});?/g, (match, name: string) => {
    if (!match.endsWith(';')) throw new XmlError('bare & in text');
    if (name.startsWith('#x')) return codePoint(Number.parseInt(name.slice(2), 16), match);
    if (name.startsWith('#')) return codePoint(Number.parseInt(name.slice(1), 10), match);
    const value = ENTITIES[name];
    if (value === undefined) throw new XmlError(`unknown entity ${match}`);
    return value;
  });
}

function codePoint(value: number, match: string): string {
  if (!Number.isInteger(value) || value <= 0 || value > 0x10ffff)
    throw new XmlError(`bad character reference ${match}`);
  return String.fromCodePoint(value);
}

export function parseXml(input: string): XmlElement {
  if (input.length > MAX_CHARS) throw new XmlError('document too large');
  let at = 0;
  const text = input.replace(/^\uFEFF/, '');
  const skipSpace = () => {
    while (at < text.length && /\s/.test(text[at] ?? '')) at += 1;
  };
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (text.startsWith('<!--', at)) {
        const end = text.indexOf('-->', at + 4);
        if (end < 0) throw new XmlError('unterminated comment');
        at = end + 3;
      } else return;
    }
  };
  skipSpace();
  if (text.startsWith('<?xml', at)) {
    const end = text.indexOf('?>', at);
    if (end < 0) throw new XmlError('unterminated XML declaration');
    at = end + 2;
  }
  skipMisc();
  if (text.startsWith('<!', at) || text.startsWith('<?', at)) throw new XmlError('declarations are not accepted');

  const element = (depth: number): XmlElement => {
    if (depth > MAX_DEPTH) throw new XmlError('nested too deeply');
    if (text[at] !== '<') throw new XmlError('expected an element');
    at += 1;
    const name = NAME.exec(text.slice(at, at + 200))?.[0];
    if (!name) throw new XmlError('bad element name');
    at += name.length;
    const close = text.indexOf('>', at);
    if (close < 0) throw new XmlError('unterminated start tag');
    const attributes = text.slice(at, close);
    if (/[<]/.test(attributes)) throw new XmlError('bad start tag');
    at = close + 1;
    const node: XmlElement = { name: localName(name), children: [], text: '' };
    if (attributes.endsWith('/')) return node;
    let content = '';
    for (;;) {
      const next = text.indexOf('<', at);
      if (next < 0) throw new XmlError(`unterminated element ${name}`);
      content += text.slice(at, next);
      at = next;
      if (text.startsWith('</', at)) {
        const end = text.indexOf('>', at);
        if (end < 0 || text.slice(at + 2, end).trim() !== name) throw new XmlError(`mismatched end tag for ${name}`);
        at = end + 1;
        node.text = decodeText(content);
        return node;
      }
      if (text.startsWith('<![CDATA[', at)) {
        const end = text.indexOf(']]>', at);
        if (end < 0) throw new XmlError('unterminated CDATA');
        content += text.slice(at + 9, end).replace(/[&<>]/g, (c) => `&${c === '&' ? 'amp' : c === '<' ? 'lt' : 'gt'};`);
        at = end + 3;
      } else if (text.startsWith('<!--', at)) {
        const end = text.indexOf('-->', at);
        if (end < 0) throw new XmlError('unterminated comment');
        at = end + 3;
      } else if (text.startsWith('<!', at) || text.startsWith('<?', at)) {
        throw new XmlError('declarations are not accepted');
      } else {
        node.children.push(element(depth + 1));
      }
    }
  };

  const root = element(1);
  skipMisc();
  if (at !== text.length) throw new XmlError('content after the root element');
  return root;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** The one child of that name; two of them is as wrong as none (a response must be unambiguous). */
export function onlyChild(parent: XmlElement | undefined, name: string): XmlElement | undefined {
  const found = parent?.children.filter((child) => child.name === name) ?? [];
  if (found.length > 1) throw new XmlError(`${name} appears ${found.length} times`);
  return found[0];
}

export function childText(parent: XmlElement | undefined, name: string): string | undefined {
  return onlyChild(parent, name)?.text.trim();
}
