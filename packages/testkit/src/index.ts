export * from "./ConformanceSuite.js"
export * from "./Emulator.js"
export * from "./EmulatorControl.js"
export * from "./OneRouteTest.js"
