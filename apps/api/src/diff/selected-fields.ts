// Which field names a query selects below the current field (fragments and inline fragments followed), so a
// resolver can skip work nobody asked for (here: causation, which re-analyses the snapshot once per change).
import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';

export function selectsAnyField(info: GraphQLResolveInfo, names: ReadonlySet<string>): boolean {
  const seenFragments = new Set<string>();
  const visit = (set: SelectionSetNode | undefined): boolean => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === 'Field') {
        if (names.has(selection.name.value) || visit(selection.selectionSet)) return true;
      } else if (selection.kind === 'InlineFragment') {
        if (visit(selection.selectionSet)) return true;
      } else if (!seenFragments.has(selection.name.value)) {
        seenFragments.add(selection.name.value);
        if (visit(info.fragments[selection.name.value]?.selectionSet)) return true;
      }
    }
    return false;
  };
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}
