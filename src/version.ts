// The tool's version, read from package.json so that there is one place to change it.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Root of the installed package (where package.json lives), from src/ or dist/src/. */
export const PACKAGE_ROOT = (() => {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '..');
})();

export const VERSION: string = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;
