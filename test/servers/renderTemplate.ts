/**
 * Fills in a config from docs/REMOTES.md: `{{NAME}}` takes `values[NAME]`. A placeholder
 * without a value throws, so a doc that gains one cannot start a half-configured server.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (marker, name: string) => {
    const value = values[name];
    if (value === undefined) throw new RangeError(`template placeholder ${marker} has no value`);
    return value;
  });
}
