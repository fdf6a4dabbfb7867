// IP ranges as np-guard and people read them: `first-last` from the API, shown in CIDR notation when the range is
// exactly one CIDR block (`0.0.0.0-255.255.255.255` → `0.0.0.0/0`), else as given.

interface Address {
  family: 4 | 6;
  value: bigint;
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256n + BigInt(part);
  }
  return value;
}

function parseV6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split('::').length > 2) return undefined;
  const [head = '', tail] = text.split('::');
  const groups = (part: string): string[] | undefined => {
    if (part === '') return [];
    const list = part.split(':');
    const last = list.at(-1) ?? '';
    if (last.includes('.')) {
      const v4 = parseV4(last);
      if (v4 === undefined) return undefined;
      list.splice(-1, 1, (v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16));
    }
    return list.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g)) ? list : undefined;
  };
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  if (!left || !right) return undefined;
  const missing = 8 - left.length - right.length;
  if ((tail === undefined && missing !== 0) || missing < 0) return undefined;
  let value = 0n;
  for (const group of [...left, ...Array<string>(missing).fill('0'), ...right]) value = (value << 16n) + BigInt(`0x${group}`);
  return value;
}

export function parseAddress(text: string): Address | undefined {
  const v4 = parseV4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = text.includes(':') ? parseV6(text) : undefined;
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

/** `first-last` in CIDR notation when it is one CIDR block; else unchanged. A lone address stays as written. */
export function rangeToCidr(range: string): string {
  const [firstText, lastText] = range.split('-');
  if (firstText === undefined || lastText === undefined) return range;
  const first = parseAddress(firstText);
  const last = parseAddress(lastText);
  if (!first || !last || first.family !== last.family || last.value < first.value) return range;
  const bits = first.family === 4 ? 32 : 128;
  const size = last.value - first.value + 1n;
  const hostBits = size.toString(2).length - 1;
  if (size !== 1n << BigInt(hostBits) || (first.value & (size - 1n)) !== 0n) return range;
  return `${firstText}/${bits - hostBits}`;
}
