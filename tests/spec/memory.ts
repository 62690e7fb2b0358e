// @args --memory 64
// @exit 12
// @stderr script exceeded the memory limit of 64 MB (--memory); raise it with --memory MB
const hoard: string[] = [];
for (let i = 0; ; i++) hoard.push("x".repeat(1024 * 1024) + i);
