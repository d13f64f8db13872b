// Parses WWW-Authenticate challenges (RFC 7235 / RFC 6750) as registries send them: quoted values
// may hold commas and backslash escapes (`scope="repository:a/b:pull,push"`), scheme and parameter
// names are case-insensitive, and undici hands repeated headers over as an array, one per line.

/** One authentication challenge: `Bearer realm="…",service="…"` → { scheme: 'bearer', params }. */
export interface Challenge {
  /** Lower-cased scheme: `bearer`, `basic`, … */
  scheme: string
  /** Parameters with lower-cased names. */
  params: Record<string, string>
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/

class Cursor {
  position = 0
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.position >= this.text.length
  }

  peek(): string {
    return this.text[this.position] ?? ''
  }

  skipWhitespace(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.position += 1
  }

  skipSeparators(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === ',') this.position += 1
  }

  token(): string {
    const start = this.position
    while (!this.done && TOKEN_CHAR.test(this.peek())) this.position += 1
    return this.text.slice(start, this.position)
  }

  quoted(): string {
    // Called on the opening quote; an unterminated string runs to the end of the header.
    this.position += 1
    let value = ''
    while (!this.done) {
      const char = this.peek()
      this.position += 1
      if (char === '\\' && !this.done) {
        value += this.peek()
        this.position += 1
      } else if (char === '"') {
        break
      } else {
        value += char
      }
    }
    return value
  }
}

function parseLine(line: string): Challenge[] {
  const cursor = new Cursor(line)
  const challenges: Challenge[] = []
  for (;;) {
    cursor.skipSeparators()
    const scheme = cursor.token()
    if (scheme === '') break
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} }
    challenges.push(challenge)
    for (;;) {
      cursor.skipSeparators()
      const start = cursor.position
      const name = cursor.token()
      if (name === '') {
        // Not a parameter (e.g. a token68 such as `Negotiate abc==`): skip to the next comma.
        while (!cursor.done && cursor.peek() !== ',') cursor.position += 1
        if (cursor.done) break
        continue
      }
      cursor.skipWhitespace()
      if (cursor.peek() !== '=') {
        // A bare token after the parameters starts the next challenge on the same line.
        cursor.position = start
        break
      }
      cursor.position += 1
      if (cursor.peek() === '=' || cursor.done) {
        // A token68 with base64 padding (`Negotiate abc==`): no parameter to record.
        while (cursor.peek() === '=') cursor.position += 1
        continue
      }
      cursor.skipWhitespace()
      const value = cursor.peek() === '"' ? cursor.quoted() : cursor.token()
      challenge.params[name.toLowerCase()] = value
      if (cursor.done) break
    }
    if (cursor.done) break
  }
  return challenges
}

/** All challenges of a WWW-Authenticate header (a string, or an array of repeated header lines). */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  if (header === undefined) return []
  const lines = Array.isArray(header) ? header : [header]
  return lines.flatMap(parseLine)
}

/** The challenge a registry client answers: the first Bearer or Basic one, as ggcr and containerd pick. */
export function selectChallenge(challenges: Challenge[]): Challenge | null {
  return challenges.find((challenge) => challenge.scheme === 'bearer' || challenge.scheme === 'basic') ?? null
}
