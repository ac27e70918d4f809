// Browser tests drive Debian's Chromium (never a downloaded browser). Installs it when missing
// and this process may (root with apt-get); otherwise says what to do.
import { execSync } from "node:child_process"
import { existsSync } from "node:fs"

const CHROMIUM = "/usr/bin/chromium"

if (!existsSync(CHROMIUM)) {
  const canInstall = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get")
  if (!canInstall) {
    console.error(`Browser tests need Chromium at ${CHROMIUM}: run "sudo apt-get install -y chromium" and try again.`)
    process.exit(1)
  }
  console.log("Installing Chromium for the browser tests (apt-get, about a minute)…")
  execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", { stdio: "inherit" })
}
