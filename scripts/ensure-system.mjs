// What the tests need from the system, from Debian's packages (never a download): Chromium for the
// browser tests, redis-server for @oneroute/redis and @oneroute/queue, PostgreSQL 15 for the
// queue's Postgres backend. Installs what is missing in one apt-get run when this process may
// (root with apt-get); otherwise says what to do.
import { execSync, spawnSync } from "node:child_process"
import { existsSync } from "node:fs"

const onPath = (command) => spawnSync(command, ["--version"], { stdio: "ignore" }).status === 0

/** Each need: how to tell it is there, and the Debian package that brings it. */
const needs = [
  {
    what: "Chromium at /usr/bin/chromium (browser tests)",
    found: () => existsSync("/usr/bin/chromium"),
    apt: "chromium"
  },
  { what: "redis-server (Redis store and queue tests)", found: () => onPath("redis-server"), apt: "redis-server" },
  {
    what: "PostgreSQL 15 (the queue's Postgres tests)",
    found: () => onPath("initdb") || existsSync("/usr/lib/postgresql/15/bin/initdb"),
    apt: "postgresql-15"
  }
]

const missing = needs.filter((need) => !need.found())
if (missing.length > 0) {
  const packages = missing.map((need) => need.apt).join(" ")
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) {
    console.error(
      `The tests need ${missing.map((need) => need.what).join(", ")}: run "sudo apt-get install -y ${packages}".`
    )
    process.exit(1)
  }
  console.log(`Installing ${packages} for the tests (apt-get, a minute or two)…`)
  execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages}`, {
    stdio: "inherit"
  })
  const still = missing.filter((need) => !need.found())
  if (still.length > 0) {
    console.error(`Still missing after apt-get: ${still.map((need) => need.what).join(", ")}`)
    process.exit(1)
  }
}
