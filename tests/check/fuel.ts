// @fuel-max 100000
// Over its fuel budget.
let x = 0;
for (let i = 0; i < 1e7; i++) x += i;
console.log(x);
