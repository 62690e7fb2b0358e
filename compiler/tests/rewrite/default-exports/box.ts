export default class {
  constructor(public value: number) {}
}
