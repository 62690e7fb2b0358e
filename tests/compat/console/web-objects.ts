// @args --deterministic
// console.log of web globals shows their fields, as Deno's custom inspection does.
console.log(new URL("https://user:pw@a.example:8080/p?q=1#h"));
console.log(new URLSearchParams("a=1&b=2&a=3"));
console.log({ link: new URL("http://x/y") });
console.log(new Headers({ a: "1" }));
console.log([new URL("http://h/a?b=c")], { params: new URLSearchParams("x=1") });
