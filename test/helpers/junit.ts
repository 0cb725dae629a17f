/**
 * A strict reader of JUnit XML, for tests: it parses XML 1.0 (refusing what a conforming
 * parser refuses: characters XML does not allow, unknown or malformed entity references, `<`
 * in an attribute, unbalanced or crossed tags, a repeated attribute, text outside the root),
 * then holds the document to the JUnit report structure that CI systems read (Jenkins'
 * junit-10 schema, with GitLab's `file` and `line` on testcases): element names and nesting,
 * required attributes, and counts that add up.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** XML 1.0's Char production. */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  return raw.replace(/&([^;]*);|&/g, (_m, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`${where}: a bare & that starts no reference`);
    if (Object.hasOwn(PREDEFINED, ref)) return PREDEFINED[ref]!;
    const n = /^#x([0-9a-fA-F]+)$/.exec(ref)
      ? parseInt(ref.slice(2), 16)
      : /^#([0-9]+)$/.exec(ref)
        ? parseInt(ref.slice(1), 10)
        : undefined;
    if (n === undefined) throw new Error(`${where}: unknown entity &${ref};`);
    if (!isXmlChar(n))
      throw new Error(`${where}: &${ref}; refers to a character XML does not allow`);
    return String.fromCodePoint(n);
  });
}

/** Parses an XML document (elements, attributes, text; no DTD, comments or CDATA are needed). */
export function parseXml(xml: string): XmlElement {
  for (const c of xml) {
    const cp = c.codePointAt(0)!;
    if (!isXmlChar(cp) || (cp >= 0xd800 && cp <= 0xdfff))
      throw new Error(`a character XML does not allow: U+${cp.toString(16).padStart(4, '0')}`);
  }
  let i = 0;
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n?/.exec(xml);
  if (!decl) throw new Error('no XML declaration (version 1.0, UTF-8) at the start');
  i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const NAME = /[A-Za-z_][\w.-]*/y;
  while (i < xml.length) {
    if (xml.startsWith('</', i)) {
      NAME.lastIndex = i + 2;
      const m = NAME.exec(xml);
      const open = stack.pop();
      if (!m || !open || m[0] !== open.name)
        throw new Error(`closing tag </${m?.[0]}> does not close <${open?.name}>`);
      i = NAME.lastIndex;
      while (/\s/.test(xml[i] ?? '')) i++;
      if (xml[i] !== '>') throw new Error(`malformed closing tag </${m[0]}>`);
      i++;
      continue;
    }
    if (xml[i] === '<') {
      NAME.lastIndex = i + 1;
      const m = NAME.exec(xml);
      if (!m) throw new Error(`malformed tag at ${i}`);
      i = NAME.lastIndex;
      const el: XmlElement = { name: m[0], attributes: {}, children: [], text: '' };
      for (;;) {
        const space = /\s*/y;
        space.lastIndex = i;
        space.exec(xml);
        const hadSpace = space.lastIndex > i;
        i = space.lastIndex;
        if (xml.startsWith('/>', i) || xml[i] === '>') break;
        if (!hadSpace) throw new Error(`<${el.name}>: attributes must be separated by space`);
        const attr = /([A-Za-z_][\w.:-]*)="([^"]*)"/y;
        attr.lastIndex = i;
        const a = attr.exec(xml);
        if (!a) throw new Error(`<${el.name}>: malformed attribute at ${xml.slice(i, i + 30)}`);
        if (a[2]!.includes('<')) throw new Error(`<${el.name} ${a[1]}>: < in an attribute value`);
        if (a[1]! in el.attributes) throw new Error(`<${el.name}>: attribute ${a[1]} twice`);
        el.attributes[a[1]!] = decode(a[2]!, `<${el.name} ${a[1]}>`);
        i = attr.lastIndex;
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(el);
      else if (root) throw new Error('a second root element');
      else root = el;
      if (xml.startsWith('/>', i)) i += 2;
      else {
        i += 1;
        stack.push(el);
      }
      continue;
    }
    const next = xml.indexOf('<', i);
    const raw = xml.slice(i, next < 0 ? xml.length : next);
    if (raw.includes(']]>')) throw new Error('"]]>" in text');
    const top = stack[stack.length - 1];
    if (top) top.text += decode(raw, `<${top.name}> text`);
    else if (raw.trim() !== '')
      throw new Error(`text outside the root element: ${raw.slice(0, 30)}`);
    i = next < 0 ? xml.length : next;
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

const COUNT = /^(0|[1-9][0-9]*)$/;
const TIME = /^[0-9]+(\.[0-9]+)?$/;

function allowed(el: XmlElement, names: readonly string[], required: readonly string[]): void {
  for (const a of Object.keys(el.attributes))
    if (!names.includes(a)) throw new Error(`<${el.name}> has an attribute JUnit does not: ${a}`);
  for (const a of required)
    if (el.attributes[a] === undefined) throw new Error(`<${el.name}> lacks ${a}`);
  for (const a of ['tests', 'failures', 'errors', 'skipped', 'disabled', 'line'])
    if (el.attributes[a] !== undefined && !COUNT.test(el.attributes[a]!))
      throw new Error(`<${el.name} ${a}="${el.attributes[a]}"> is no count`);
  if (el.attributes.time !== undefined && !TIME.test(el.attributes.time))
    throw new Error(`<${el.name} time="${el.attributes.time}"> is no time`);
}

function noText(el: XmlElement): void {
  if (el.text.trim() !== '') throw new Error(`<${el.name}> holds text: ${el.text.slice(0, 30)}`);
}

/** Checks a testcase; returns what it is: passed, failed, errored or skipped. */
function checkCase(tc: XmlElement): 'passed' | 'failure' | 'error' | 'skipped' {
  allowed(
    tc,
    ['name', 'classname', 'assertions', 'time', 'status', 'file', 'line'],
    ['name', 'classname'],
  );
  noText(tc);
  const order = ['skipped', 'error', 'failure', 'system-out', 'system-err'];
  let last = -1;
  for (const c of tc.children) {
    const at = order.indexOf(c.name);
    if (at < 0) throw new Error(`<testcase> holds <${c.name}>`);
    // skipped, then errors, then failures, then output, as the schema's sequence orders them
    if (at < last) throw new Error(`<${c.name}> after <${order[last]}> in <testcase>`);
    last = at;
    if (c.children.length) throw new Error(`<${c.name}> holds elements`);
    allowed(
      c,
      c.name === 'skipped' ? ['message'] : c.name.startsWith('system') ? [] : ['message', 'type'],
      [],
    );
  }
  const has = (n: string): boolean => tc.children.some((c) => c.name === n);
  if (tc.children.filter((c) => c.name === 'skipped').length > 1) throw new Error('two <skipped>');
  if (has('skipped') && (has('failure') || has('error')))
    throw new Error(`testcase ${tc.attributes.name} is both skipped and failed`);
  return has('failure')
    ? 'failure'
    : has('error')
      ? 'error'
      : has('skipped')
        ? 'skipped'
        : 'passed';
}

/** The counts of a suite's testcases, checked against the counts it states. */
function checkSuite(
  suite: XmlElement,
): Record<'tests' | 'failures' | 'errors' | 'skipped', number> {
  allowed(
    suite,
    [
      'name',
      'tests',
      'failures',
      'errors',
      'skipped',
      'disabled',
      'time',
      'timestamp',
      'hostname',
      'id',
      'package',
      'file',
    ],
    ['name', 'tests'],
  );
  noText(suite);
  const counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const c of suite.children) {
    if (c.name === 'properties' || c.name === 'system-out' || c.name === 'system-err') continue;
    if (c.name !== 'testcase') throw new Error(`<testsuite> holds <${c.name}>`);
    const kind = checkCase(c);
    counts.tests++;
    if (kind === 'failure') counts.failures++;
    if (kind === 'error') counts.errors++;
    if (kind === 'skipped') counts.skipped++;
  }
  for (const [k, n] of Object.entries(counts)) {
    const stated = suite.attributes[k];
    if (stated !== undefined && Number(stated) !== n)
      throw new Error(`testsuite ${suite.attributes.name}: ${k}="${stated}" but ${n} counted`);
  }
  return counts;
}

/**
 * Parses a JUnit report and checks it; returns the root `testsuites`. Throws, saying what is
 * wrong, when the XML is not well-formed or the report does not follow the structure.
 */
export function readJUnit(xml: string): XmlElement {
  const root = parseXml(xml);
  if (root.name !== 'testsuites') throw new Error(`root is <${root.name}>, not <testsuites>`);
  allowed(root, ['name', 'tests', 'failures', 'errors', 'skipped', 'disabled', 'time'], []);
  noText(root);
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const s of root.children) {
    if (s.name !== 'testsuite') throw new Error(`<testsuites> holds <${s.name}>`);
    const c = checkSuite(s);
    total.tests += c.tests;
    total.failures += c.failures;
    total.errors += c.errors;
    total.skipped += c.skipped;
  }
  for (const [k, n] of Object.entries(total)) {
    const stated = root.attributes[k];
    if (stated !== undefined && Number(stated) !== n)
      throw new Error(`testsuites: ${k}="${stated}" but ${n} counted`);
  }
  return root;
}

/** Every testcase of a report, with the name of its suite. */
export function testcases(root: XmlElement): (XmlElement & { suite: string })[] {
  return root.children.flatMap((s) =>
    s.children
      .filter((c) => c.name === 'testcase')
      .map((c) => ({ ...c, suite: s.attributes.name! })),
  );
}

/** The child element `name` of `el`, if any. */
export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}
