import { plural } from '../format.js';

/** "3 policies." or "Showing 500 of 1,204 policies." for a connection the page did not load in full. */
export function ConnectionNote({ shown, total, noun }: { shown: number; total: number; noun: [string, string] }) {
  const [singular, pluralForm] = noun;
  const text = shown < total ? `Showing ${shown} of ${plural(total, singular, pluralForm)}.` : `${plural(total, singular, pluralForm)}.`;
  return <p className="muted">{text}</p>;
}
