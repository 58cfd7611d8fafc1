/**
 * Size limits that keep parsing and evaluation off the edge of the call stack: deeper input
 * is refused with a FilterSyntaxError instead of a RangeError.
 */
import type { ExpressionNode } from './ast.js';

/** Deepest nesting of parentheses, calls, NOT and unary minus accepted. */
export const MAX_NESTING = 200;
/** Deepest syntax tree accepted (chains of AND / OR do not count: they are evaluated in a loop). */
export const MAX_TREE_DEPTH = 1000;

/** Children of a node, for the depth check. */
function children(node: ExpressionNode): readonly ExpressionNode[] {
  switch (node.type) {
    case 'literal':
    case 'identifier':
      return [];
    case 'negate':
    case 'not':
      return [node.operand];
    case 'arithmetic':
    case 'comparison':
    case 'logical':
      return [node.left, node.right];
    case 'between':
      return [node.value, node.low, node.high];
    case 'in':
    case 'affix':
      return [node.value, ...node.list];
    case 'like':
    case 'is':
      return [node.value];
    case 'call':
      return node.args;
  }
}

/** The first node found deeper than MAX_TREE_DEPTH (iterative: safe on any input). */
export function deepestNode(root: ExpressionNode): ExpressionNode | undefined {
  const stack: [ExpressionNode, number][] = [[root, 1]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [node, depth] = top;
    if (depth > MAX_TREE_DEPTH) return node;
    for (const child of children(node)) {
      const flat = node.type === 'logical' && child.type === 'logical' && child.operator === node.operator;
      stack.push([child, flat ? depth : depth + 1]);
    }
  }
  return undefined;
}
