#!/usr/bin/env node
import module from 'node:module'

// V8's compiled code for the bundle is kept between runs (Node >= 22.1; a no-op before): most of
// a short command's start-up is compiling the 2.5 MB bundle, not running it. This launcher turns
// the cache on, then loads the bundle (dist/cli-main.js, built from src/cli/run.ts) through it.
;(module as { enableCompileCache?: () => unknown }).enableCompileCache?.()
// A file beside this one at run time, not bundled into it: the cache must be on before it loads.
const bundle = './cli-main.js'
await import(/* webpackIgnore: true */ bundle)
