/** The part of a stream the progress bar needs (process.stderr, or a fake in tests). */
export interface ProgressStream {
  readonly isTTY?: boolean
  write(text: string): unknown
}

export interface Progress {
  /** Records one more finished row and redraws. */
  update(sent: number, failed: number): void
  /** Erases the bar so that other output can be written on a clean line (a TTY only). */
  clear(): void
  /** Leaves the last state on screen and ends its line. */
  end(): void
}

const WIDTH = 10

export const renderBar = (done: number, total: number, sent: number, failed: number): string => {
  const filled = total === 0 ? WIDTH : Math.floor((done / total) * WIDTH)
  return `[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${done}/${total} sent ${sent} failed ${failed}`
}

/**
 * On a TTY, one line redrawn in place. Elsewhere (a pipe, a CI log) carriage returns would pile
 * up as garbage, so it prints a plain line each time another tenth of the rows is done.
 */
export const createProgress = (total: number, stream: ProgressStream): Progress => {
  let drawn = ""
  let tenths = 0
  if (stream.isTTY === true) {
    return {
      update: (sent, failed) => {
        drawn = renderBar(sent + failed, total, sent, failed)
        stream.write(`\r${drawn}\x1b[K`)
      },
      clear: () => {
        if (drawn !== "") stream.write("\r\x1b[K")
      },
      end: () => {
        if (drawn !== "") stream.write("\n")
      }
    }
  }
  return {
    update: (sent, failed) => {
      const done = sent + failed
      const reached = Math.floor((done * 10) / total)
      if (reached <= tenths) return
      tenths = reached
      stream.write(`${renderBar(done, total, sent, failed)}\n`)
    },
    clear: () => {},
    end: () => {}
  }
}
