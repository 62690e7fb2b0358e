enum Level {
  Ok,
  Warn = 5,
  Crit,
}
enum Color {
  Red = "red",
  Green = "green",
}
const enum Flags {
  A = 1 << 0,
  B = 1 << 1,
}
namespace Units {
  export const MS_PER_S = 1000;
  export function ms(s: number): number {
    return s * MS_PER_S;
  }
}
console.log(Level.Ok, Level.Warn, Level.Crit, Level[6]);
console.log(Color.Green, Object.values(Color).join(","));
console.log(Flags.A | Flags.B, Units.ms(2));
