// Turns file offsets into the 1-based line and column editors and GitHub show. Built once per file,
// only when something in it has to be reported. Columns count UTF-16 code units, as JavaScript
// strings and VS Code do; a CRLF line break is not part of the line.

export interface LineColumn {
  line: number
  column: number
}

export class LineIndex {
  private starts: Int32Array | null = null

  constructor(private readonly text: string) {}

  private lineStarts(): Int32Array {
    if (this.starts === null) {
      const starts: number[] = [0]
      let at = this.text.indexOf('\n')
      while (at !== -1) {
        starts.push(at + 1)
        at = this.text.indexOf('\n', at + 1)
      }
      this.starts = Int32Array.from(starts)
    }
    return this.starts
  }

  /** The 0-based line holding `offset`. */
  lineOf(offset: number): number {
    const starts = this.lineStarts()
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if ((starts[middle] ?? 0) <= offset) low = middle
      else high = middle - 1
    }
    return low
  }

  /** 1-based line and column of an offset. */
  position(offset: number): LineColumn {
    const line = this.lineOf(offset)
    return { line: line + 1, column: offset - (this.lineStarts()[line] ?? 0) + 1 }
  }

  /** Offset just past the last character of the line holding `offset` (before `\r\n` or `\n`). */
  lineEnd(offset: number): number {
    let end = this.text.indexOf('\n', offset)
    if (end === -1) end = this.text.length
    if (end > offset && this.text.charCodeAt(end - 1) === 13) end--
    return end
  }
}
