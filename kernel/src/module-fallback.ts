// Cells import packages by name, resolved from the notebook's folder as Node would. So that a notebook
// anywhere can use what ships with the kernel (sentence-tfjs, sentence-tfjs-kernel, @tensorflow/tfjs,
// danfojs-node, ...), a name that resolves nowhere from there falls back to the kernel's own install,
// both at run time (require) and for type checking (TypeScript's module lookup, through ts.sys).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { ts } from './tslab';

const KERNEL_ROOT = path.resolve(__dirname, '..');
const kernelRequire = createRequire(path.join(KERNEL_ROOT, 'package.json'));

/** Where the kernel's install has package `name` (a folder), if it has it. */
export function kernelPackageDir(name: string): string | undefined {
  let dir = KERNEL_ROOT;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isBareSpecifier(id: string): boolean {
  return !id.startsWith('.') && !path.isAbsolute(id) && !id.startsWith('node:');
}

/** `require` from the notebook folder, then from the kernel's install for bare package names. */
export function requireWithFallback(primary: NodeJS.Require): NodeJS.Require {
  const wrapped = ((id: string) => {
    try {
      return primary(id);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code !== 'MODULE_NOT_FOUND' || !isBareSpecifier(id) || !err.message.includes(`'${id}'`)) throw e;
      try {
        return kernelRequire(id);
      } catch {
        throw e;
      }
    }
  }) as NodeJS.Require;
  return Object.assign(wrapped, { resolve: primary.resolve, cache: primary.cache, main: primary.main, extensions: primary.extensions });
}

/**
 * TypeScript looks for packages in every node_modules up to the file system root; the root's
 * node_modules is the last place it tries, so that is where we graft the kernel's packages in.
 */
export function redirectTypeScriptLookups(cwd: string): void {
  const rootModules = path.join(path.parse(cwd).root, 'node_modules');
  const redirect = (p: string): string => {
    const rel = path.relative(rootModules, p);
    if (rel.startsWith('..') || rel === '' || path.isAbsolute(rel)) return p;
    const parts = rel.split(path.sep);
    const nameLength = parts[0].startsWith('@') ? 2 : 1;
    if (parts.length < nameLength) return p;
    const name = parts.slice(0, nameLength).join('/');
    if (fs.existsSync(path.join(rootModules, name))) return p;
    const dir = kernelPackageDir(name);
    return dir ? path.join(dir, ...parts.slice(nameLength)) : p;
  };
  const sys = ts.sys;
  const { fileExists, directoryExists, readFile, realpath, readDirectory, getDirectories } = sys;
  sys.fileExists = (p) => fileExists.call(sys, redirect(p));
  sys.directoryExists = (p) => p === rootModules || directoryExists.call(sys, redirect(p));
  sys.readFile = (p, encoding) => readFile.call(sys, redirect(p), encoding);
  sys.readDirectory = (p, ...rest) => readDirectory.call(sys, redirect(p), ...rest);
  sys.getDirectories = (p) => getDirectories.call(sys, redirect(p));
  if (realpath) sys.realpath = (p) => realpath.call(sys, redirect(p));
}
