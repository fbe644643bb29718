/**
 * Fills a config template: `{{NAME}}` takes `values[NAME]`; lines between `#{{#flag}}` and
 * `#{{/flag}}` stay only when `flags[flag]` is true, between `#{{^flag}}` and `#{{/flag}}` only
 * when it is false. The markers are comments in both lighttpd and Apache syntax.
 */
export function renderTemplate(
  template: string,
  values: Readonly<Record<string, string>>,
  flags: Readonly<Record<string, boolean>>,
): string {
  return template
    .replace(
      /^#\{\{([#^])(\w+)\}\}\n([\s\S]*?)^#\{\{\/\2\}\}\n/gm,
      (_, kind: string, flag: string, body: string) => {
        const on = flags[flag];
        if (on === undefined) throw new RangeError(`template section "${flag}" has no flag`);
        return on === (kind === '#') ? body : '';
      },
    )
    .replace(/\{\{(\w+)\}\}/g, (marker, name: string) => {
      const value = values[name];
      if (value === undefined) throw new RangeError(`template placeholder ${marker} has no value`);
      return value;
    });
}
