// Fails while it is imported: its top level runs inside the bundler's
// module function, which a stack trace must not name.
export const threshold = 500;
const settings: Record<string, number> = JSON.parse("{}");
if (settings.window === undefined) {
  throw new Error("settings.window is missing");
}
