// A syntax error.
const ok = 1;
const broken = (;
