// Module hooks for importCost.mjs (registered with module.register): every URL the ESM loader
// loads is posted to the main thread. CommonJS modules that a CommonJS module requires do not pass
// through these hooks on Node 20 and 22; importCost.mjs adds them from require.cache.
let port

export const initialize = (data) => {
  port = data.port
}

export const load = async (url, context, nextLoad) => {
  port.postMessage(url)
  return nextLoad(url, context)
}
