// A cheap bound on a YAML text's nesting, taken before the `yaml` library parses it: its parser recurses, and
// about 800 nested `[` (or ~1,000 block levels) exhaust the stack, which the library then reports as a syntax
// error at some column. Texts nested past NESTING_BOUND are refused as DEPTH_LIMIT here, located where the
// nesting crossed the reader's depth limit; shallower ones are parsed and the converter's own check locates them.
// The scan over-estimates (a block scalar's deeper lines, a plain scalar's continuation lines count as levels),
// so its bound sits well above any depth limit a real manifest reaches and well below the library's stack use.

/** Levels the scan lets through to the parser (the converter refuses anything past the depth limit anyway). */
export const NESTING_BOUND = 256;

export interface NestingCrossing {
  /** Offset of the collection that took the nesting past the depth limit. */
  readonly offset: number;
  /** 0-based index of the document it is in. */
  readonly document: number;
}

const SPACE = 32;
const TAB = 9;
const NEWLINE = 10;
const CR = 13;

/** Where the nesting of `text` crosses `maxDepth`, when it goes on past `bound`; else undefined. */
export function excessiveYamlNesting(text: string, maxDepth: number, bound = NESTING_BOUND): NestingCrossing | undefined {
  if (bound <= maxDepth) bound = maxDepth + 1;
  const length = text.length;
  // Indentation columns of the open block collections, innermost last.
  const indents: number[] = [];
  let flowDepth = 0;
  let document = 0;
  let crossing = -1;
  let blockScalarIndent = -1; // ≥ 0 while inside a block scalar (`|`, `>`): the indentation of the line that opened it
  let i = 0;

  /** A new level at `offset`: false when the nesting went past the bound. */
  const open = (offset: number): boolean => {
    const level = indents.length + flowDepth;
    if (level === maxDepth + 1) crossing = offset;
    return level <= bound;
  };
  const skipQuoted = (quote: number): void => {
    for (i++; i < length; i++) {
      const c = text.charCodeAt(i);
      if (quote === 34 && c === 92) i++;
      else if (c === quote) {
        if (quote === 39 && text.charCodeAt(i + 1) === 39) i++;
        else {
          i++;
          return;
        }
      }
    }
  };
  const skipLine = (): void => {
    const end = text.indexOf('\n', i);
    i = end === -1 ? length : end;
  };

  while (i < length) {
    // At the start of a line.
    const lineStart = i;
    if (flowDepth === 0) {
      while (i < length && text.charCodeAt(i) === SPACE) i++;
      const indent = i - lineStart;
      const c = text.charCodeAt(i);
      if (i >= length || c === NEWLINE || c === CR || c === 35 /* # */ || c === TAB) {
        skipLine();
        i++;
        continue;
      }
      if (blockScalarIndent >= 0) {
        if (indent > blockScalarIndent) {
          skipLine();
          i++;
          continue;
        }
        blockScalarIndent = -1;
      }
      if (indent === 0 && (text.startsWith('---', i) || text.startsWith('...', i))) {
        const after = text.charCodeAt(i + 3);
        if (i + 3 >= length || after === SPACE || after === NEWLINE || after === CR || after === TAB) {
          if (text.charCodeAt(i) === 45) document++;
          indents.length = 0;
          skipLine();
          i++;
          continue;
        }
      }
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
      if (!open(i)) return { offset: crossing, document };
      // Sequence entries and explicit keys on this line open a level each (`- - - x`).
      for (;;) {
        const d = text.charCodeAt(i);
        const next = text.charCodeAt(i + 1);
        if ((d === 45 || d === 63) && (next === SPACE || next === NEWLINE || next === CR || i + 1 >= length)) {
          i++;
          while (text.charCodeAt(i) === SPACE) i++;
          indents.push(i - lineStart);
          if (!open(i)) return { offset: crossing, document };
        } else break;
      }
    }
    // The rest of the line (in a flow collection: up to where it closes at depth 0, then as block content).
    let tokenStart = true;
    while (i < length) {
      const c = text.charCodeAt(i);
      if (c === NEWLINE) break;
      if (flowDepth > 0) {
        if (c === 91 || c === 123) {
          flowDepth++;
          if (!open(i)) return { offset: crossing, document };
        } else if (c === 93 || c === 125) {
          flowDepth--;
          tokenStart = false;
        } else if (c === 34 || c === 39) {
          skipQuoted(c);
          continue;
        } else if (c === 35 && (i === lineStart || text.charCodeAt(i - 1) === SPACE || text.charCodeAt(i - 1) === TAB)) {
          skipLine();
          continue;
        }
        i++;
        continue;
      }
      // Block context: only a value's first character opens a flow collection or a quoted or block scalar.
      if (c === SPACE || c === TAB) {
        i++;
        continue;
      }
      if (c === 35 && (i === lineStart || text.charCodeAt(i - 1) === SPACE || text.charCodeAt(i - 1) === TAB)) {
        skipLine();
        continue;
      }
      if (tokenStart) {
        if (c === 91 || c === 123) {
          flowDepth++;
          if (!open(i)) return { offset: crossing, document };
          i++;
          continue;
        }
        if (c === 34 || c === 39) {
          skipQuoted(c);
          tokenStart = false;
          continue;
        }
        if (c === 124 || c === 62) {
          blockScalarIndent = lineIndent(text, lineStart);
          skipLine();
          continue;
        }
        if (c === 38 || c === 33) {
          // An anchor or a tag before the value.
          while (i < length && text.charCodeAt(i) !== SPACE && text.charCodeAt(i) !== NEWLINE) i++;
          continue;
        }
      }
      const next = text.charCodeAt(i + 1);
      tokenStart = c === 58 /* : */ && (next === SPACE || next === TAB || next === NEWLINE || next === CR || i + 1 >= length);
      i++;
    }
    i++; // the newline
  }
  return undefined;
}

function lineIndent(text: string, lineStart: number): number {
  let i = lineStart;
  while (text.charCodeAt(i) === SPACE) i++;
  return i - lineStart;
}
