// Generates docs/api.md from the public entry points' exports and their TSDoc, so the
// reference is complete by construction. `node scripts/api-reference.mjs --check` fails when
// docs/api.md is out of date (the test suite runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entries = [
  ['@agentry/core', 'packages/core/src/index.ts'],
  ['@agentry/core/openai', 'packages/core/src/providers/openai/index.ts'],
  ['@agentry/core/anthropic', 'packages/core/src/providers/anthropic/index.ts'],
  ['@agentry/core/remote', 'packages/core/src/providers/remote/index.ts'],
  ['@agentry/core/server', 'packages/core/src/server/index.ts'],
  ['@agentry/core/auth', 'packages/core/src/auth/index.ts'],
  ['@agentry/core/client', 'packages/core/src/client/index.ts'],
  ['@agentry/core/client/validation', 'packages/core/src/client/validation.ts'],
  ['@agentry/core/client/steps', 'packages/core/src/client/steps.ts'],
  ['@agentry/core/client/history', 'packages/core/src/client/history.ts'],
  ['@agentry/core/testing', 'packages/core/src/testing/index.ts'],
  ['@agentry/core/otel', 'packages/core/src/otel/index.ts'],
  ['@agentry/core/sentry', 'packages/core/src/sentry/index.ts'],
  ['@agentry/core/tapes', 'packages/core/src/tapes/index.ts'],
  ['@agentry/core/test-cases', 'packages/core/src/test-cases/index.ts'],
  ['@agentry/react', 'packages/react/src/index.ts'],
  ['@agentry/postgres', 'packages/postgres/src/index.ts'],
  ['@agentry/postgres/pglite', 'packages/postgres/src/pglite/index.ts'],
];

const program = ts.createProgram(
  entries.map(([, file]) => path.join(root, file)),
  {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    customConditions: ['@agentry/source'],
    jsx: ts.JsxEmit.ReactJSX,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  },
);
const checker = program.getTypeChecker();

const oneLine = (text) => text.replace(/\s+/g, ' ').trim();
const escapeCell = (text) => text.replace(/\|/g, '\\|');

function kindOf(symbol) {
  const declaration = symbol.declarations?.[0];
  if (!declaration) return 'value';
  if (ts.isFunctionDeclaration(declaration)) return 'function';
  if (ts.isClassDeclaration(declaration)) return 'class';
  if (ts.isInterfaceDeclaration(declaration)) return 'interface';
  if (ts.isTypeAliasDeclaration(declaration)) return 'type';
  if (ts.isVariableDeclaration(declaration)) {
    const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
    return type.getCallSignatures().length > 0 ? 'function' : 'constant';
  }
  return 'value';
}

function docOf(symbol) {
  return oneLine(ts.displayPartsToString(symbol.getDocumentationComment(checker))).replace(
    /\{@link ([^}]+)\}/g,
    '`$1`',
  );
}

function typeParameters(declaration) {
  const parameters = declaration?.typeParameters;
  return parameters?.length ? `<${parameters.map((parameter) => oneLine(parameter.getText())).join(', ')}>` : '';
}

function defaultOf(symbol) {
  const tag = symbol.getJsDocTags(checker).find((item) => item.name === 'default');
  return tag ? oneLine(ts.displayPartsToString(tag.text)) : '';
}

function describe(symbol, name = symbol.name) {
  const declaration = symbol.declarations?.[0];
  const kind = kindOf(symbol);
  const lines = [];
  const doc = docOf(symbol);
  if (kind === 'function') {
    const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
    for (const signature of type.getCallSignatures()) {
      lines.push(
        '```ts',
        `${name}${checker.signatureToString(signature, undefined, ts.TypeFormatFlags.NoTruncation)}`,
        '```',
      );
    }
  } else if (kind === 'type') {
    const text = oneLine(declaration.type.getText());
    lines.push(
      '```ts',
      `type ${name}${typeParameters(declaration)} = ${text.length > 400 ? `${text.slice(0, 400)} …` : text}`,
      '```',
    );
  } else if (kind === 'constant') {
    const type = checker.typeToString(checker.getTypeOfSymbolAtLocation(symbol, declaration));
    lines.push('```ts', `const ${name}: ${type.length > 300 ? `${type.slice(0, 300)} …` : type}`, '```');
  }
  if (doc) lines.unshift(doc, '');
  if (kind === 'interface' || kind === 'class') {
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    const rows = [];
    for (const member of type.getProperties()) {
      if (member.name.startsWith('#') || member.name.startsWith('__')) continue;
      const memberDeclaration = member.declarations?.[0];
      if (!memberDeclaration) continue;
      const optional = member.flags & ts.SymbolFlags.Optional ? '?' : '';
      const memberType = oneLine(checker.typeToString(checker.getTypeOfSymbolAtLocation(member, memberDeclaration)));
      const defaultValue = defaultOf(member);
      const memberDoc = docOf(member);
      rows.push(
        `| \`${member.name}${optional}\` | \`${escapeCell(memberType.length > 160 ? `${memberType.slice(0, 160)}…` : memberType)}\` | ${escapeCell(memberDoc)}${defaultValue ? ` Default: \`${escapeCell(defaultValue)}\`.` : ''} |`,
      );
    }
    if (rows.length > 0) lines.push('', '| member | type | description |', '| --- | --- | --- |', ...rows);
  }
  return [
    `### \`${name}${kind === 'interface' || kind === 'class' ? typeParameters(declaration).replace(/ extends [^,>]+( = [^,>]+)?/g, '') : ''}\` (${kind})`,
    '',
    ...lines,
    '',
  ].join('\n');
}

const out = [
  '# API reference',
  '',
  'Generated from the public entry points and their TSDoc by `node scripts/api-reference.mjs`; the',
  'test suite fails when it is out of date. Concepts and guides: [concepts.md](concepts.md),',
  '[server.md](server.md), [providers.md](providers.md), [test-panel.md](test-panel.md).',
  '',
];
for (const [name, file] of entries) {
  const source = program.getSourceFile(path.join(root, file));
  if (!source) throw new Error(`No source for ${name} at ${file}`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  const exports = checker.getExportsOfModule(moduleSymbol).sort((a, b) => a.name.localeCompare(b.name));
  out.push(`## \`${name}\``, '');
  for (const exported of exports) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    out.push(describe(symbol, exported.name));
  }
}
const text = `${out
  .join('\n')
  .replace(/\n{3,}/g, '\n\n')
  .trim()}\n`;
const target = path.join(root, 'docs', 'api.md');
if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== text) {
    console.error('docs/api.md is out of date: run `node scripts/api-reference.mjs`.');
    process.exit(1);
  }
  console.log('docs/api.md is up to date.');
} else {
  writeFileSync(target, text);
  console.log(`Wrote docs/api.md (${text.length} bytes).`);
}
