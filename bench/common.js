// Shared by the bench scripts: the built engine, the .go files of a tree, options.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist', 'src');

/** A module of the built engine (dist/src/<rel>); exits 2 with a hint when not built. */
function fromDist(rel) {
  if (!fs.existsSync(dist)) {
    console.error("bench: run 'npm run build' first");
    process.exit(2);
  }
  return require(path.join(dist, rel));
}

/** Every .go file under root, sorted; each directory is read once (symlink loops end). */
function goFiles(root) {
  const out = [];
  const seen = new Set();
  const walk = (d) => {
    let real;
    let ents;
    try {
      real = fs.realpathSync(d);
      if (seen.has(real)) return;
      seen.add(real);
      ents = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of ents) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.go')) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

/** Removes `--name VALUE` from args and returns VALUE, or dflt when absent. */
function takeOption(args, name, dflt) {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}

module.exports = { fromDist, goFiles, takeOption };
