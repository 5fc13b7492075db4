import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

// Operators and constructs only shell code has; a sentence shown to a user or a path has none.
const shellish = /\|\||&&|\$\(|\$\{?[A-Za-z_]|2>&1|>\s*\/dev\/null|;\s*(?:then|do)\b|\b(?:fi|done|esac)\s*(?:$|[;\n)])|\bset -e\b|\bexit \d/;

/**
 * Shell code in TypeScript strings: a multi-line string (or an array joined with newlines) that
 * reads as shell, or a template that splices a value into shell syntax. Host operations belong
 * in electron/host-scripts/*.sh, which get their values as positional arguments.
 */
function inlineShell(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node) => `${relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (node.text.includes('\n') && shellish.test(node.text)) found.push(`${at(node)} multi-line shell string`);
    } else if (ts.isTemplateExpression(node)) {
      const parts = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('\u0000');
      const quoted = node.templateSpans.some((s) => ts.isCallExpression(s.expression) && ts.isIdentifier(s.expression.expression) && ['shq', 'shellCommand'].includes(s.expression.expression.text));
      if (shellish.test(parts) || quoted) found.push(`${at(node)} value spliced into shell`);
    } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'exec' && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      found.push(`${at(node)} command written inline`);
    } else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'join') {
      const target = node.expression.expression;
      const separator = node.arguments[0];
      if (ts.isArrayLiteralExpression(target) && separator && ts.isStringLiteral(separator) && separator.text === '\n') {
        const joined = target.elements.map((e) => (ts.isStringLiteralLike(e) ? e.text : ts.isTemplateExpression(e) ? e.head.text : '')).join('\n');
        if (shellish.test(joined)) found.push(`${at(node)} shell lines joined in code`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The one place shell is written in TypeScript: the framing that every host script runs inside. */
const framing = new Set(['electron/ssh/remote-command.ts']);

// Files whose host operations are still being moved into electron/host-scripts/. Each entry
// goes when its file is converted; the list must end empty.
const notYetConverted = new Set<string>([]);

describe('host operations live in shell files', () => {
  // Parses every production file with the TypeScript compiler: seconds, not milliseconds.
  it('no production TypeScript holds a shell script in a string or splices a value into one', { timeout: 60_000 }, () => {
    const files = sourceFiles(join(root, 'electron'));
    const findings = files.flatMap(inlineShell).filter((f) => !notYetConverted.has(f.split(':')[0]!) && !framing.has(f.split(':')[0]!));
    expect(findings).toEqual([]);
  });
});
