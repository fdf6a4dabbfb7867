// Offset → 1-based line, built lazily (one indexOf pass) only when a line is actually asked for.
export class LineIndex {
  private starts: Uint32Array | undefined;

  constructor(private readonly text: string) {}

  lineOf(offset: number): number {
    const starts = (this.starts ??= this.build());
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  }

  private build(): Uint32Array {
    const found: number[] = [0];
    for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) found.push(i + 1);
    return Uint32Array.from(found);
  }
}
