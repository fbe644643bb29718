import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderTemplate } from './renderTemplate.ts';

const doc = fileURLToPath(new URL('../../docs/REMOTES.md', import.meta.url));

/**
 * The server configs the tests run, read from docs/REMOTES.md: each is the fenced block that
 * follows a `<!-- recipe: NAME -->` line there, so what users copy is what the suite runs.
 */
export async function readRecipes(): Promise<ReadonlyMap<string, string>> {
  const text = await readFile(doc, 'utf8');
  const recipes = new Map<string, string>();
  for (const match of text.matchAll(/^<!-- recipe: ([\w.-]+) -->\n+```[\w-]*\n([\s\S]*?)^```$/gm)) {
    const [, name = '', body = ''] = match;
    if (recipes.has(name)) throw new Error(`docs/REMOTES.md has two recipes named ${name}`);
    recipes.set(name, body);
  }
  return recipes;
}

/** One recipe of docs/REMOTES.md by name; throws when the doc lacks it. */
export async function readRecipe(name: string): Promise<string> {
  const recipe = (await readRecipes()).get(name);
  if (recipe === undefined) throw new Error(`docs/REMOTES.md has no recipe named ${name}`);
  return recipe;
}

/**
 * A server's whole config from its recipes: `{server}.conf`, then `{server}-auth.conf` when it
 * asks for a password, then `asRoot` (the user to drop to) when the tests run as root.
 */
export async function renderServerConfig(
  server: 'apache' | 'lighttpd',
  values: Readonly<Record<string, string>>,
  { auth, asRoot }: { auth: boolean; asRoot: string | undefined },
): Promise<string> {
  const render = async (name: string) => renderTemplate(await readRecipe(name), values);
  return [
    await render(`${server}.conf`),
    auth ? await render(`${server}-auth.conf`) : '',
    asRoot ?? '',
  ].join('');
}
