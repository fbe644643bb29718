import type { MultistatusEntry } from '../../src/webdav/parseMultistatus.ts';
import { button, h } from './dom.ts';
import { listCollection, readRemoteFile } from './remoteDav.ts';

/**
 * Browses the remote live: one PROPFIND (Depth 1) per folder shown,
 * refreshed on demand; a file is read with GET and shown as text.
 */
export function remoteBrowser(
  browseUrl: string,
  parts: { crumbs: HTMLElement; list: HTMLUListElement; file: HTMLPreElement },
) {
  const rootPath = new URL(browseUrl).pathname;
  let folder = '';
  let opened: string | undefined;
  // Listings may come back out of order (a timer's and a click's): only the newest is drawn.
  let generation = 0;

  const go = (path: string) => {
    folder = path;
    void refresh();
  };

  const drawCrumbs = () => {
    const segments = folder.split('/').filter((segment) => segment !== '');
    const crumbs: Node[] = [button({ text: 'remote' }, [], () => go(''))];
    segments.forEach((segment, i) => {
      const target = `${segments.slice(0, i + 1).join('/')}/`;
      crumbs.push(
        h('span', { class: 'sep', text: '/' }),
        button({ text: segment }, [], () => go(target)),
      );
    });
    parts.crumbs.replaceChildren(...crumbs);
  };

  const open = async (path: string) => {
    opened = path;
    parts.file.dataset['path'] = path;
    try {
      const text = await readRemoteFile(browseUrl + encodePath(path));
      let shown = text;
      try {
        shown = JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        // Not JSON: show it as it is.
      }
      if (opened === path) parts.file.textContent = `${path}\n\n${shown}`;
    } catch (error) {
      if (opened === path) parts.file.textContent = `${path}\n\n${String(error)}`;
    }
  };

  const row = (here: string, entry: MultistatusEntry, name: string) => {
    const path = here + name + (entry.isCollection ? '/' : '');
    const meta = entry.isCollection
      ? 'folder'
      : `${entry.contentLength ?? '?'} B${entry.lastModified ? ` · ${time(entry.lastModified)}` : ''}`;
    return h('li', { data: { path } }, [
      button(
        { class: entry.isCollection ? 'folder' : 'file' },
        [
          h('span', { class: 'name', text: entry.isCollection ? `${name}/` : name }),
          h('span', { class: 'meta', text: meta }),
        ],
        () => (entry.isCollection ? go(path) : void open(path)),
      ),
    ]);
  };

  async function refresh(): Promise<void> {
    const mine = ++generation;
    const here = folder;
    drawCrumbs();
    try {
      const entries = (await listCollection(browseUrl + encodePath(here))) ?? [];
      if (mine !== generation) return;
      const self = rootPath + here;
      const rows = entries
        .filter((entry) => entry.href.replace(/\/?$/, '/') !== self.replace(/\/?$/, '/'))
        .map((entry) => ({ entry, name: entry.href.replace(/\/$/, '').split('/').at(-1) ?? '' }))
        .sort(
          (a, b) =>
            Number(b.entry.isCollection) - Number(a.entry.isCollection) ||
            a.name.localeCompare(b.name),
        )
        .map(({ entry, name }) => row(here, entry, name));
      if (rows.length === 0) rows.push(h('li', { class: 'empty', text: 'Empty.' }));
      parts.list.replaceChildren(...rows);
      parts.list.dataset['state'] = 'ok';
    } catch (error) {
      if (mine !== generation) return;
      parts.list.replaceChildren(
        h('li', { class: 'empty', text: `Unreachable: ${String(error)}` }),
      );
      parts.list.dataset['state'] = 'error';
    }
  }

  return { refresh };
}

function encodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function time(httpDate: string): string {
  const date = new Date(httpDate);
  return Number.isNaN(date.getTime()) ? httpDate : date.toLocaleTimeString();
}
