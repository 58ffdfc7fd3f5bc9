// The parsed tree copied into plain JavaScript objects in one cursor walk. Through the
// Node binding every property of a tree-sitter node is a native call; the facts (and
// extractors that opt in) read this copy instead, which costs nothing to read.
import type Parser from 'tree-sitter';
import type { PlainNode } from './extractors';

type Node = PlainNode;

// Literals whose insides no fact needs: their text is taken whole.
const OPAQUE = new Set(['comment', 'interpreted_string_literal', 'raw_string_literal', 'rune_literal']);

/** The children of every leaf: never added to (leaves are not descended into). */
const NO_CHILDREN: Node[] = Object.freeze([]) as unknown as Node[];

/** What the walk needs to know of a node type, by type id. */
interface TypeInfo {
  type: string;
  named: boolean;
  /** Never has children in a tree without errors: a token (every anonymous node is one), or a literal taken whole. */
  leaf: boolean;
  /** Its children may have field names (false: no child ever has one, so none is asked for). */
  fields: boolean;
}

interface NodeTypeInfo {
  type: string;
  named: boolean;
  fields?: Record<string, unknown>;
  children?: unknown;
  subtypes?: unknown;
}

/** What is known of a language: the grammar's node types by name, and what the walks learnt by type and field id. */
interface LanguageInfo {
  grammar: Map<string, NodeTypeInfo>;
  types: TypeInfo[];
  fieldNames: (string | null)[];
}

const languages = new WeakMap<object, LanguageInfo>();

/** The language's info (from node-types.json, which tree-sitter-go's binding exposes as nodeTypeInfo), kept across files. */
function languageOf(tree: Parser.Tree): LanguageInfo {
  const lang = (tree as unknown as { language?: { nodeTypeInfo?: NodeTypeInfo[] } }).language;
  let l = lang && languages.get(lang);
  if (!l) {
    l = { grammar: new Map(), types: [], fieldNames: [] };
    for (const t of lang?.nodeTypeInfo ?? []) if (t.named) l.grammar.set(t.type, t);
    if (lang) languages.set(lang, l);
  }
  return l;
}

/**
 * Copies the tree in one cursor walk. Anonymous tokens keep only their type unless the
 * tree has errors, where their positions are needed to report MISSING tokens.
 *
 * Every cursor property is a native call, so the walk asks for no more than it keeps: in
 * a tree without errors it does not descend into tokens, and it asks for a field name
 * only under node types whose children can have one (the grammar's node-types.json says
 * which). A tree with errors is walked in full, since error recovery builds what the
 * grammar does not describe.
 */
export function buildTree(tree: Parser.Tree, hasError: boolean): Node {
  const { grammar, types, fieldNames } = languageOf(tree);
  const c = tree.walk();
  const info = (id: number): TypeInfo => {
    // Ids are small but ERROR's (65535): keep it from turning the array into a dictionary.
    const at = id === 65535 ? 0 : id + 1;
    let t = types[at];
    if (t === undefined) {
      const type = c.nodeType;
      const named = c.nodeIsNamed;
      const g = named ? grammar.get(type) : undefined;
      // Unknown to the grammar (ERROR, or no node-types.json): assume anything.
      const leaf = !named || OPAQUE.has(type) || (g !== undefined && !g.fields && !g.children && !g.subtypes);
      const fields = g === undefined || (g.fields !== undefined && Object.keys(g.fields).length > 0);
      t = types[at] = { type, named, leaf, fields };
    }
    return t;
  };
  const rootInfo = info(c.nodeTypeId);
  const root: Node = { type: rootInfo.type, named: rootInfo.named, field: null, start: c.startIndex, end: c.endIndex, missing: false, children: [] };
  if (hasError && root.start === root.end) root.missing = c.nodeIsMissing;
  if (OPAQUE.has(root.type) || !c.gotoFirstChild()) return root;
  const stack: Node[] = [root];
  const infos: TypeInfo[] = [rootInfo];
  for (;;) {
    const t = info(c.nodeTypeId);
    const descend = hasError ? !OPAQUE.has(t.type) : !t.leaf;
    const n: Node = { type: t.type, named: t.named, field: null, start: -1, end: -1, missing: false, children: descend ? [] : NO_CHILDREN };
    if (t.named || hasError) {
      n.start = c.startIndex;
      n.end = c.endIndex;
      if (hasError && n.start === n.end) n.missing = c.nodeIsMissing;
    }
    if (t.named && (hasError || infos[infos.length - 1].fields)) {
      const fid = c.currentFieldId;
      if (fid) {
        let f = fieldNames[fid];
        if (f === undefined) f = fieldNames[fid] = c.currentFieldName;
        n.field = f;
      }
    }
    stack[stack.length - 1].children.push(n);
    if (descend && c.gotoFirstChild()) {
      stack.push(n);
      infos.push(t);
      continue;
    }
    while (!c.gotoNextSibling()) {
      if (!c.gotoParent()) return root;
      stack.pop();
      infos.pop();
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
