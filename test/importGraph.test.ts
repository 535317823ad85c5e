// The import graph of the repository's TypeScript: no file cycles (type-only imports included), and
// packages depend one way (core <- raycast, image <- dataset <- scene-gen <- trainer <- inspect), as
// docs/architecture.md says. Imports are read with TypeScript's own pre-processor; `@oxels/NAME[/SUB]` resolves through the
// package's `exports`, so a cycle through a package index is one too.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

/** What each package may import besides itself. */
const ALLOWED: Record<string, string[]> = {
  core: [],
  raycast: ['core'],
  image: ['core'],
  dataset: ['core', 'image', 'raycast'],
  'scene-gen': ['core', 'dataset', 'image', 'raycast'],
  trainer: ['core', 'dataset', 'image', 'raycast', 'scene-gen'],
  inspect: ['core', 'dataset', 'image', 'raycast', 'scene-gen', 'trainer'],
};

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `@oxels/NAME[/SUB]` -> the file its package.json exports for it. */
function resolvePackage(specifier: string): string | undefined {
  const [, name, sub] = /^@oxels\/([a-z-]+)(\/.*)?$/.exec(specifier) ?? [];
  if (!name) return undefined;
  const dir = join(root, 'packages', name);
  const exports = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).exports as
    | Record<string, string>
    | string;
  const target = typeof exports === 'string' ? exports : exports[`.${sub ?? ''}`];
  return target && join(dir, target);
}

/** The repository files a file imports (relative and @oxels/ specifiers; packages from npm are left out). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles.flatMap(({ fileName }) => {
    const target = fileName.startsWith('.') ? resolve(dirname(file), fileName) : resolvePackage(fileName);
    return target && existsSync(target) ? [target] : [];
  });
}

/** A file's import and export-from declarations, with whether each brings types only (erased at run time). */
function declarationsOf(file: string): { specifier: string; typeOnly: boolean }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  return source.statements.flatMap((st) => {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const clause = st.importClause;
      const bindings = clause?.namedBindings;
      const allTypes =
        !clause?.name &&
        bindings &&
        ts.isNamedImports(bindings) &&
        bindings.elements.every((e) => e.isTypeOnly);
      return [{ specifier: st.moduleSpecifier.text, typeOnly: Boolean(clause?.isTypeOnly || allTypes) }];
    }
    if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      return [{ specifier: st.moduleSpecifier.text, typeOnly: st.isTypeOnly }];
    }
    return [];
  });
}

const files = ['packages', 'scripts', 'test'].flatMap((d) => sourceFiles(join(root, d)));
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const packageOf = (file: string) => /^packages\/([^/]+)\//.exec(relative(root, file))?.[1];

/** Every cycle's files (strongly connected components of more than one file, or a file importing itself). */
function cycles(): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(relative(root, w));
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.includes(v)) found.push(component.sort());
    }
  };
  for (const f of graph.keys()) if (!index.has(f)) visit(f);
  return found;
}

describe('import graph', () => {
  it('reads the whole repository', () => {
    expect(files.length).toBeGreaterThan(300);
    // The resolver works: the trainer's index reaches scene-gen's live entry through @oxels/scene-gen/live.
    const trainerIndex = join(root, 'packages/trainer/src/index.ts');
    const reached = new Set<string>();
    const walk = (f: string) => {
      if (reached.has(f)) return;
      reached.add(f);
      for (const g of graph.get(f) ?? []) walk(g);
    };
    walk(trainerIndex);
    expect(reached.has(join(root, 'packages/scene-gen/src/live.ts'))).toBe(true);
  });

  it('has no cycles, not even over types', () => {
    expect(cycles()).toEqual([]);
  });

  it('finds a cycle where there is one (the check itself)', () => {
    const a = join(root, 'packages/raycast/src/index.ts');
    const b = join(root, 'packages/image/src/index.ts');
    const saved = [graph.get(a)!, graph.get(b)!];
    graph.set(a, [...saved[0], b]);
    graph.set(b, [...saved[1], a]);
    try {
      expect(cycles()).toContainEqual(['packages/image/src/index.ts', 'packages/raycast/src/index.ts']);
    } finally {
      graph.set(a, saved[0]);
      graph.set(b, saved[1]);
    }
  });

  it('has packages depend one way: core <- raycast, image <- dataset <- scene-gen <- trainer <- inspect', () => {
    const wrong: string[] = [];
    for (const [file, targets] of graph) {
      const from = packageOf(file);
      if (!from) continue;
      for (const target of targets) {
        const to = packageOf(target);
        if (!to || to === from) continue;
        if (!ALLOWED[from]?.includes(to)) wrong.push(`${relative(root, file)} imports ${to}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has the trainer reach scene-gen only through @oxels/scene-gen/live (the renderer stays out of shard runs)', () => {
    const wrong = files
      .filter((f) => /^packages\/trainer\/(src|bin)\//.test(relative(root, f)))
      .flatMap((f) =>
        declarationsOf(f)
          .filter(
            (d) => d.specifier.startsWith('@oxels/scene-gen') && d.specifier !== '@oxels/scene-gen/live',
          )
          .map((d) => `${relative(root, f)} imports ${d.specifier}`),
      );
    expect(wrong).toEqual([]);
  });

  it('has dataset import raycast for types only (a shard reader never loads three.js)', () => {
    const datasetFiles = files.filter((f) => packageOf(f) === 'dataset');
    const raycastImports = datasetFiles.flatMap((f) =>
      declarationsOf(f)
        .filter((d) => d.specifier.startsWith('@oxels/raycast'))
        .map((d) => ({ file: relative(root, f), ...d })),
    );
    expect(raycastImports.length).toBeGreaterThan(0);
    expect(raycastImports.filter((d) => !d.typeOnly)).toEqual([]);
  });
});
