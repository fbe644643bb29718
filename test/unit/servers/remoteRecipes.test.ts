import { describe, expect, it } from 'vitest';
import { readRecipes } from '../../servers/remoteRecipes.ts';
import { renderTemplate } from '../../servers/renderTemplate.ts';

// test/servers/startLighttpd.ts and startApache.ts run these blocks of docs/REMOTES.md; this
// checks, without starting a server, that each is there and fills in completely.
const values = {
  PORT: '8080',
  DATA_DIR: '/srv/dav/data',
  TEMP_DIR: '/srv/dav/run',
  ORIGIN_PATTERN: '^https://app%.example%.org$',
  ORIGIN_REGEX: '^https://app\\.example\\.org$',
};

describe('docs/REMOTES.md recipes', () => {
  it('holds every config the test servers run, once each', async () => {
    expect([...(await readRecipes()).keys()].sort()).toEqual([
      'apache-auth.conf',
      'apache.conf',
      'lighttpd-auth.conf',
      'lighttpd-origin.lua',
      'lighttpd-preflight.lua',
      'lighttpd.conf',
    ]);
  });

  it('fills in with the placeholders the doc names, and ends each block with a newline', async () => {
    for (const [name, recipe] of await readRecipes()) {
      const rendered = renderTemplate(recipe, values);
      expect(rendered, name).not.toMatch(/\{\{|\}\}/);
      expect(rendered.endsWith('\n'), name).toBe(true);
    }
  });

  it('never echoes just any origin', async () => {
    const recipes = await readRecipes();
    expect(recipes.get('lighttpd-origin.lua')).toContain('string.match(origin, allowed)');
    expect(recipes.get('apache.conf')).toContain('=~ m#{{ORIGIN_REGEX}}#');
    for (const recipe of recipes.values()) expect(recipe).not.toMatch(/Allow-Origin"? (=> )?"\*"/);
  });
});
