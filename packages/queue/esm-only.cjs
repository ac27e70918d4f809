"use strict"
// @oneroute/queue is ESM-only. Its package.json lists the ESM build under "module-sync", a condition that
// Nodes which can require() ES modules (>= 20.19 on 20.x, >= 22.12 on 22.x, 23+) match for require()
// too; older Nodes fall through to "require" and get this message instead of a cryptic error.
const error = new Error(
  "@oneroute/queue is ESM-only: use import, or Node >= 20.19 which can require() it (>= 22.12 on Node 22)"
)
error.code = "ERR_REQUIRE_ESM"
throw error
