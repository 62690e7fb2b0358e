// @args --deterministic
// @fuel-max 119000
// The cost of starting the engine and running nothing: a budget, so a
// regression in the prelude or the bundle shows up here.
