import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

// The tarball is all a user of the package has: every link its README, docs and shipped type
// comments make must land on a file in it (or on the repository's copy of one). Needs `npm run
// build` first, as `npm test` does, so dist/types exists.
const root = process.cwd();
const repoBlob = 'https://github.com/actordav/actordav/blob/main/';

const packed: string[] = (
  JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  ) as { files: { path: string }[] }[]
)[0]!.files.map((file) => file.path);
const inPack = new Set(packed);
const text = (path: string) => readFileSync(join(root, path), 'utf8');

// GitHub's heading anchors: lower-case, punctuation dropped, spaces to hyphens, repeats numbered.
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const line of markdown.replace(/```[\s\S]*?```/g, '').split('\n')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    found.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return found;
}

function withoutCode(markdown: string): string {
  return markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
}

function markdownLinks(source: string): string[] {
  return [...withoutCode(source).matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
}

// Where a link leads inside the tarball, or why it leads nowhere.
function check(from: string, link: string): string | undefined {
  if (/^(mailto:|https?:\/\/(?!github\.com\/actordav\/))/.test(link)) return undefined;
  const [target = '', anchor] = link.split('#');
  let path: string;
  if (link.startsWith('https://')) {
    if (!link.startsWith(repoBlob)) return `${link}: not a file of the repository's main branch`;
    path = target.slice(repoBlob.length);
  } else {
    path = target === '' ? from : normalize(join(dirname(from), target));
  }
  if (!inPack.has(path)) return `${link}: ${path} is not in the tarball`;
  if (anchor !== undefined && path.endsWith('.md') && !anchors(text(path)).has(anchor)) {
    return `${link}: ${path} has no heading #${anchor}`;
  }
  return undefined;
}

describe('the packed tarball', () => {
  it('holds the entries, their types, the README, the LICENSE and the docs', () => {
    expect(existsSync(join(root, 'dist/types/sw.d.ts'))).toBe(true);
    for (const file of ['README.md', 'LICENSE', 'package.json', 'docs/GUIDE.md']) {
      expect(inPack).toContain(file);
    }
    for (const entry of ['sw', 'client', 'workbox']) {
      expect(inPack).toContain(`dist/${entry}.js`);
      expect(inPack).toContain(`dist/types/${entry}.d.ts`);
    }
  });

  it('every link of its README and docs leads to a file in it', () => {
    const docs = packed.filter((path) => path.endsWith('.md'));
    expect(docs.length).toBeGreaterThan(1);
    const broken = docs.flatMap((doc) =>
      markdownLinks(text(doc)).flatMap((link) => check(doc, link) ?? []),
    );
    expect(broken).toEqual([]);
  });

  it('the comments shipped in dist/types cite only docs it holds', () => {
    const types = packed.filter((path) => path.endsWith('.d.ts'));
    expect(types.length).toBeGreaterThan(10);
    const broken = types.flatMap((file) => {
      const source = text(file);
      const links = [...source.matchAll(/\]\(([^)\s]+)\)|(https:\/\/github\.com\/[^\s)>]+)/g)];
      const cited = /DESIGN\.md|\.\.\/shared\//.test(source) ? [`${file}: cites DESIGN.md`] : [];
      return [
        ...cited,
        ...links.flatMap((match) => {
          const why = check(file, match[1] ?? match[2]!);
          return why === undefined ? [] : [`${file}: ${why}`];
        }),
      ];
    });
    expect(broken).toEqual([]);
  });
});
