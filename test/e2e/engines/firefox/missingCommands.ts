/**
 * BiDi commands Playwright 1.65 sends that Firefox ESR 153 does not know ("unknown command"), which
 * would fail `newContext`. The proxy answers them itself with an empty success: tests here do not
 * rely on what they would emulate (e.g. `prefers-color-scheme`).
 */
export const missingCommands: ReadonlySet<string> = new Set(['emulation.setMediaFeaturesOverride']);
