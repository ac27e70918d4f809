export * from "./Emulator.js"
