/**
 * Every TypeScript snippet of the README compiles under the repository's strict tsconfig. A snippet is a fragment: the
 * names it uses but does not define come from an HTML comment right above it (`<!-- compile-with: ... -->`, invisible
 * when rendered); its imports go to the top of the file and the rest runs in a Stack's constructor (`this` is a Stack).
 * The "Composing the constructs" app is a whole program (examples/compose-platform/app.ts) compiled and synthesized by
 * test/package/consumer-app.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { REPO_ROOT } from '../support/cdk-context';

interface Snippet {
  readonly line: number;
  readonly context: string;
  readonly code: string;
}

function readmeSnippets(markdown: string): Snippet[] {
  const withoutConsumerApp = markdown.replace(/<!-- consumer-app:start -->[\s\S]*?<!-- consumer-app:end -->/, (block) => block.replace(/[^\n]/g, ''));
  const snippets: Snippet[] = [];
  const pattern = /(?:<!-- compile-with:\n([\s\S]*?)-->\n)?```ts\n([\s\S]*?)```/g;
  for (let match = pattern.exec(withoutConsumerApp); match !== null; match = pattern.exec(withoutConsumerApp)) {
    snippets.push({ line: withoutConsumerApp.slice(0, match.index).split('\n').length, context: match[1] ?? '', code: match[2] });
  }
  return snippets;
}

/** The snippet as a module at the repository root, so its `./constructs/...` imports resolve as the README shows them. */
function asModule(snippet: Snippet): string {
  const lines = `${snippet.context}\n${snippet.code}`.split('\n');
  const imports = lines.filter((line) => line.startsWith('import '));
  const declarations = snippet.context.split('\n').filter((line) => line !== '' && !line.startsWith('import '));
  const body = snippet.code.split('\n').filter((line) => !line.startsWith('import '));
  return [
    "import { Stack as ReadmeSnippetStack } from 'aws-cdk-lib';",
    ...imports,
    ...declarations,
    'export class ReadmeSnippet extends ReadmeSnippetStack {',
    '  constructor() {',
    '    super();',
    ...body.map((line) => `    ${line}`),
    '  }',
    '}',
  ].join('\n');
}

test('every TypeScript snippet of the README compiles with strict tsc', () => {
  const snippets = readmeSnippets(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'));
  expect(snippets.length).toBeGreaterThanOrEqual(2);
  const files = new Map(snippets.map((snippet) => [join(REPO_ROOT, `readme-snippet-line-${snippet.line}.ts`), asModule(snippet)]));
  const { config } = ts.readConfigFile(join(REPO_ROOT, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, REPO_ROOT);
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const text = files.get(fileName);
    return text === undefined ? getSourceFile(fileName, languageVersion, ...rest) : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => files.has(fileName) || fileExists(fileName);
  const program = ts.createProgram([...files.keys()], { ...options, noEmit: true }, host);
  const problems = ts
    .getPreEmitDiagnostics(program)
    .filter((diagnostic) => diagnostic.file !== undefined && files.has(diagnostic.file.fileName))
    .map((diagnostic) => `${diagnostic.file!.fileName.slice(REPO_ROOT.length + 1)}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`);
  expect(problems).toEqual([]);
});
