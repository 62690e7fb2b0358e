export const ready = await Promise.resolve("ready");
