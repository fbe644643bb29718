import { readdir } from 'node:fs/promises';

/** Every file and folder under `root`, as sorted relative paths (folders end in `/`). */
export async function diskFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .map((entry) => {
      const relative = `${entry.parentPath}/${entry.name}`.slice(root.length + 1);
      return entry.isDirectory() ? `${relative}/` : relative;
    })
    .sort();
}
