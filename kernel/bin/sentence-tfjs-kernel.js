#!/usr/bin/env node
// The sentence-tfjs-kernel command (install/uninstall/list a kernelspec, start the kernel, run a notebook).
require('../dist/cli.js')
  .main(process.argv.slice(2))
  .then((code) => {
    if (code !== undefined) process.exitCode = code;
  });
