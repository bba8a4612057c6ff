/**
 * The documentation stays inside the repository: every link in README.md, docs/*.md and
 * CHANGELOG.md is relative and lands on a file of this repository (and, with a `#fragment`, on a
 * heading of that file), and no URL outside code points anywhere but this machine or an example
 * host. A clone read offline, or an archive handed to a municipality, then has no dead ends.
 *
 * Fast and offline: it reads files only. Headings are matched with GitHub's anchors (lower case,
 * spaces to `-`, punctuation other than `-` and `_` dropped, `-1`, `-2`, … for repeats).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The documents checked, relative to the repository root. */
function documents(): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', 'CHANGELOG.md', ...docs];
}

/** Hosts a URL may name: this machine and the reserved example names (RFC 2606, RFC 6761). */
function isPlaceholderHost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return (
    name === 'localhost' ||
    name === '127.0.0.1' ||
    name === '[::1]' ||
    name === 'example' ||
    name.endsWith('.example') ||
    /(^|\.)example\.(org|com|net)$/.test(name)
  );
}

/** A markdown document with code removed: what a reader sees as prose, links and headings. */
interface Prose {
  /** Lines outside fenced and indented code blocks, with inline code spans blanked. */
  readonly lines: readonly string[];
  /** The anchors its headings and `id`/`name` attributes define. */
  readonly anchors: ReadonlySet<string>;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^\s*([-*+]|\d+[.)])\s/;

/** Blanks inline code spans (`…`, ``…``), keeping the line's length. */
function withoutCodeSpans(line: string): string {
  return line.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, (span) => ' '.repeat(span.length));
}

/** The text GitHub renders for a heading, as its anchor is made from it. */
function headingText(markdown: string): string {
  return markdown
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\*+/g, '')
    .replace(/(^|\W)_+(\S(?:.*?\S)?)_+(?=\W|$)/g, '$1$2')
    .replace(/<[^>]+>/g, '')
    .trim();
}

/** GitHub's anchor for a heading text (before de-duplication). */
function slug(text: string): string {
  return headingText(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Reads a markdown text into its prose lines and the anchors it defines. */
function readProse(text: string): Prose {
  const lines: string[] = [];
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  let previous = '';
  let lastText = '';
  let inIndentedCode = false;
  for (const line of text.split('\n')) {
    const blank = line.trim() === '';
    const opening = FENCE.exec(line)?.[1];
    // An indented code block starts after a blank line, unless a list item goes on there.
    const indented = !blank && /^( {4}|\t)/.test(line);
    const startsCode =
      indented && previous.trim() === '' && !LIST_ITEM.test(lastText) && !/^\s/.test(lastText);
    inIndentedCode = fence === undefined && (startsCode || (inIndentedCode && (indented || blank)));
    previous = line;
    if (!blank) lastText = line;
    if (fence !== undefined) {
      const closes =
        opening?.startsWith(fence) === true &&
        !/\S/.test(line.slice(line.indexOf(opening) + opening.length));
      if (closes) fence = undefined;
      lines.push('');
      continue;
    }
    if (opening !== undefined && !inIndentedCode) {
      fence = opening;
      lines.push('');
      continue;
    }
    if (inIndentedCode) {
      lines.push('');
      continue;
    }
    const prose = withoutCodeSpans(line);
    lines.push(prose);
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading?.[1] !== undefined) {
      const base = slug(heading[1]);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      anchors.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const match of prose.matchAll(/<[a-z][^>]*\s(?:id|name)="([^"]+)"/gi)) {
      if (match[1] !== undefined) anchors.add(match[1]);
    }
  }
  return { lines, anchors };
}

/** One link target found in a document, with the line it is on (1-based). */
interface LinkTarget {
  readonly line: number;
  readonly target: string;
}

/**
 * Every link target a reader can follow: inline links and images `[…](target)`, reference
 * definitions `[label]: target`, `<a href>` and `<img src>`, autolinks `<scheme:…>` and bare
 * `http(s)://` URLs (GitHub links those too).
 */
function linkTargets(prose: Prose): LinkTarget[] {
  const found: LinkTarget[] = [];
  prose.lines.forEach((text, index) => {
    const line = index + 1;
    const add = (target: string | undefined) => {
      if (target !== undefined) found.push({ line, target });
    };
    for (const match of text.matchAll(
      /\]\(\s*(?:<([^>]*)>|([^)\s]*))(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g,
    )) {
      add(match[1] ?? match[2]);
    }
    const definition = /^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?/.exec(text);
    add(definition?.[1]);
    for (const match of text.matchAll(/<(?:a|img)\s[^>]*?(?:href|src)\s*=\s*["']([^"']*)["']/gi)) {
      add(match[1]);
    }
    for (const match of text.matchAll(/<([a-z][a-z0-9+.-]*:[^\s<>]*)>/gi)) add(match[1]);
    // Bare URLs not already inside a link target above.
    const outsideLinks = text
      .replace(/\]\([^)]*\)/g, '')
      .replace(/<[^>]*>/g, '')
      .replace(/^ {0,3}\[[^\]]+\]:.*$/, '');
    for (const match of outsideLinks.matchAll(/\bhttps?:\/\/[^\s<>()[\]"'`]+/gi)) {
      add(match[0].replace(/[.,:;!?*_~]+$/, ''));
    }
  });
  return found;
}

/** Why a target found in `from` (a path relative to the root) does not resolve, or undefined. */
function problemWith(
  from: string,
  target: string,
  anchorsOf: (path: string) => Set<string> | undefined,
): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) {
    let url: URL;
    try {
      url = new URL(target.startsWith('//') ? `https:${target}` : target);
    } catch {
      return 'is not a valid URL';
    }
    if (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      isPlaceholderHost(url.hostname)
    ) {
      return undefined;
    }
    return 'points outside the repository; name it in plain text instead';
  }
  if (target.startsWith('/')) return 'is absolute; use a path relative to this file';
  const hash = target.indexOf('#');
  let path: string;
  let fragment: string | undefined;
  try {
    path = decodeURIComponent(hash === -1 ? target : target.slice(0, hash));
    fragment = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
  } catch {
    return 'is not a valid relative link';
  }
  const file = path === '' ? join(root, from) : resolve(root, dirname(from), path);
  const inRepository = relative(root, file);
  if (inRepository.split(sep)[0] === '..') {
    return 'leaves the repository';
  }
  if (!existsSync(file)) return `names ${inRepository}, which does not exist`;
  if (fragment === undefined || fragment === '') return undefined;
  if (!statSync(file).isFile() || !file.endsWith('.md')) {
    return `has an anchor, but ${inRepository} is not a markdown file`;
  }
  const anchors = anchorsOf(inRepository.split(sep).join('/'));
  if (anchors?.has(fragment) !== true)
    return `names #${fragment}, which no heading in ${inRepository} has`;
  return undefined;
}

/** Every broken link in the given documents, as `file:line target: why`. */
function brokenLinks(files: readonly string[]): string[] {
  const cache = new Map<string, Set<string>>();
  const anchorsOf = (path: string) => {
    let anchors = cache.get(path);
    if (anchors === undefined) {
      anchors = new Set(readProse(readFileSync(join(root, path), 'utf8')).anchors);
      cache.set(path, anchors);
    }
    return anchors;
  };
  const problems: string[] = [];
  for (const file of files) {
    const prose = readProse(readFileSync(join(root, file), 'utf8'));
    for (const { line, target } of linkTargets(prose)) {
      const problem = problemWith(file, target, anchorsOf);
      if (problem !== undefined) problems.push(`${file}:${line} ${target}: ${problem}`);
    }
  }
  return problems;
}

describe('links in the documentation', () => {
  it('finds README.md, CHANGELOG.md and the pages in docs/', () => {
    const files = documents();
    expect(files).toContain('README.md');
    expect(files).toContain('CHANGELOG.md');
    expect(files.filter((file) => file.startsWith('docs/')).length).toBeGreaterThan(0);
  });

  it.each(documents())('every link in %s resolves inside the repository', (file) => {
    expect(brokenLinks([file])).toEqual([]);
  });

  it('gives every docs page a link back to README.md', () => {
    const missing = documents()
      .filter((file) => file.startsWith('docs/'))
      .filter(
        (file) =>
          !linkTargets(readProse(readFileSync(join(root, file), 'utf8'))).some(({ target }) =>
            target.startsWith('../README.md'),
          ),
      );
    expect(missing).toEqual([]);
  });
});

describe('the link check itself', () => {
  const anchorsOf = (path: string) =>
    path === 'README.md' ? new Set(['contents', 'one-full-round-on-your-laptop']) : undefined;
  const check = (target: string) => problemWith('docs/api.md', target, anchorsOf);

  it('accepts relative links to files and headings that exist', () => {
    expect(check('../README.md')).toBeUndefined();
    expect(check('../README.md#one-full-round-on-your-laptop')).toBeUndefined();
    expect(check('screenshots/de-sign-in.png')).toBeUndefined();
    expect(check('http://localhost:8787/docs')).toBeUndefined();
    expect(check('https://gateway.example/monitoring')).toBeUndefined();
  });

  it('refuses a missing file, a missing heading, an absolute path and a way out of the repository', () => {
    expect(check('nowhere.md')).toMatch(/does not exist/);
    expect(check('../README.md#no-such-heading')).toMatch(/no heading/);
    expect(check('/README.md')).toMatch(/absolute/);
    expect(check('../../outside.md')).toMatch(/leaves the repository/);
  });

  it('refuses links to other hosts', () => {
    expect(check('https://www.ldi.nrw.de')).toMatch(/outside the repository/);
    expect(check('mailto:poststelle@ldi.nrw.de')).toMatch(/outside the repository/);
    expect(check('//cdn.invalid/x.js')).toMatch(/outside the repository/);
  });

  it('finds links and bare URLs in prose, and none in code', () => {
    const prose = readProse(
      [
        '# Title',
        'See [the API](api.md#errors), ![a picture](x.png "title") and https://elsewhere.invalid/page.',
        '<a href="other.md">other</a> and <https://autolink.invalid>',
        '`[not a link](code.md)` in a code span',
        '```sh',
        'curl https://in-a-fence.invalid [x](fenced.md)',
        '```',
        '',
        '    [indented](code-block.md)',
        '',
        '[label]: definition.md',
      ].join('\n'),
    );
    expect(linkTargets(prose).map(({ target }) => target)).toEqual([
      'api.md#errors',
      'x.png',
      'https://elsewhere.invalid/page',
      'other.md',
      'https://autolink.invalid',
      'definition.md',
    ]);
  });

  it('makes anchors as GitHub does', () => {
    const { anchors } = readProse(
      [
        "## The person's credentials",
        '## Metrics and readiness: `/metrics`, `/ready` and `/health`',
        '## Running as a service (systemd)',
        '## Über _Anmelden_',
        '## Errors',
        '## Errors',
      ].join('\n'),
    );
    expect([...anchors]).toEqual([
      'the-persons-credentials',
      'metrics-and-readiness-metrics-ready-and-health',
      'running-as-a-service-systemd',
      'über-anmelden',
      'errors',
      'errors-1',
    ]);
  });
});
