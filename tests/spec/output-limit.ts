// @args --max-output 64
// @exit 13
// @stderr script output exceeded 64 bytes (--max-output)
for (let i = 0; ; i++) console.log(`line ${i}`);
