// The parsed tree copied into plain JavaScript objects in one cursor walk. Through the
// Node binding every property of a tree-sitter node is a native call; the facts (and
// extractors that opt in) read this copy instead, which costs nothing to read.
import type Parser from 'tree-sitter';
import type { PlainNode } from './extractors';

type Node = PlainNode;

// Literals whose insides no fact needs: their text is taken whole.
const OPAQUE = new Set(['comment', 'interpreted_string_literal', 'raw_string_literal', 'rune_literal']);

/**
 * Copies the tree in one cursor walk. Anonymous tokens keep only their type unless the
 * tree has errors, where their positions are needed to report MISSING tokens.
 */
export function buildTree(tree: Parser.Tree, hasError: boolean): Node {
  const types: ({ type: string; named: boolean } | undefined)[] = [];
  const fieldNames: (string | null | undefined)[] = [];
  const c = tree.walk();
  const read = (): Node => {
    const id = c.nodeTypeId;
    let t = types[id];
    if (t === undefined) t = types[id] = { type: c.nodeType, named: c.nodeIsNamed };
    const n: Node = { type: t.type, named: t.named, field: null, start: -1, end: -1, missing: false, children: [] };
    if (t.named || hasError) {
      n.start = c.startIndex;
      n.end = c.endIndex;
      if (hasError && n.start === n.end) n.missing = c.nodeIsMissing;
    }
    if (t.named) {
      const fid = c.currentFieldId;
      if (fid) {
        let f = fieldNames[fid];
        if (f === undefined) f = fieldNames[fid] = c.currentFieldName;
        n.field = f;
      }
    }
    return n;
  };
  const root = read();
  const stack: Node[] = [root];
  if (!c.gotoFirstChild()) return root;
  for (;;) {
    const n = read();
    stack[stack.length - 1].children.push(n);
    if (!OPAQUE.has(n.type) && c.gotoFirstChild()) {
      stack.push(n);
      continue;
    }
    while (!c.gotoNextSibling()) {
      if (!c.gotoParent()) return root;
      stack.pop();
      if (stack.length === 0) return root;
    }
  }
}

export function field(n: Node, name: string): Node | undefined {
  for (const k of n.children) if (k.field === name && k.named) return k;
  return undefined;
}

export function fields(n: Node, name: string): Node[] {
  return n.children.filter((k) => k.field === name && k.named);
}

export function named(n: Node): Node[] {
  return n.children.filter((k) => k.named && k.type !== 'comment');
}

export function hasToken(n: Node, token: string): boolean {
  return n.children.some((k) => !k.named && k.type === token);
}
