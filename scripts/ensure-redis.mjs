// The @oneroute/redis tests start their own redis-server (Debian's). Installs it when missing
// and this process may (root with apt-get); otherwise says what to do.
import { execSync, spawnSync } from "node:child_process"
import { existsSync } from "node:fs"

const found = () => spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0

if (!found()) {
  const canInstall = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")
  if (!canInstall) {
    console.error('The Redis store tests need redis-server: run "sudo apt-get install -y redis-server" and try again.')
    process.exit(1)
  }
  console.log("Installing redis-server for the Redis store tests (apt-get)…")
  execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server", {
    stdio: "inherit"
  })
  if (!found()) {
    console.error("redis-server is still not on PATH after apt-get install.")
    process.exit(1)
  }
}
