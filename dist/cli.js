#!/usr/bin/env node
import { createRequire as __pullcheckCreateRequire } from 'node:module';
const require = __pullcheckCreateRequire(import.meta.url);

// src/errors.ts
var ConfigurationError = class extends Error {
  constructor(message, key) {
    super(key === void 0 ? message : `${key}: ${message}`);
    this.key = key;
  }
  key;
  name = "ConfigurationError";
};

// src/cli/io.ts
var EXIT_OK = 0;
var EXIT_USAGE = 2;
var EXIT_INTERNAL = 3;

// src/cli/commands/images.ts
var imagesCommand = {
  name: "images",
  summary: "(not available yet)",
  usage: "pullcheck images",
  async run() {
    throw new ConfigurationError("this command is not available yet");
  }
};

// src/cli/commands/resolve.ts
var resolveCommand = {
  name: "resolve",
  summary: "(not available yet)",
  usage: "pullcheck resolve",
  async run() {
    throw new ConfigurationError("this command is not available yet");
  }
};

// src/cli/commands/inspect.ts
var inspectCommand = {
  name: "inspect",
  summary: "(not available yet)",
  usage: "pullcheck inspect",
  async run() {
    throw new ConfigurationError("this command is not available yet");
  }
};

// src/cli/commands/scan.ts
var scanCommand = {
  name: "scan",
  summary: "(not available yet)",
  usage: "pullcheck scan",
  async run() {
    throw new ConfigurationError("this command is not available yet");
  }
};

// src/version.ts
var VERSION = "0.1.0";

// src/cli/main.ts
var commands = [scanCommand, imagesCommand, resolveCommand, inspectCommand];
function helpText() {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "pullcheck: find images that will not pull, before they are deployed.",
    "",
    "Usage: pullcheck <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Run `pullcheck <command> --help` for the options of a command.",
    "Exit codes: 0 clean, 1 findings at or above the fail level, 2 usage or configuration error, 3 internal error.",
    ""
  ].join("\n");
}
async function main(argv, io) {
  const [name, ...rest] = argv;
  if (name === void 0 || name === "--help" || name === "-h" || name === "help") {
    io.stdout(helpText());
    return name === void 0 ? EXIT_USAGE : EXIT_OK;
  }
  if (name === "--version" || name === "-V") {
    io.stdout(`${VERSION}
`);
    return EXIT_OK;
  }
  const command = commands.find((c) => c.name === name);
  if (command === void 0) {
    io.stderr(`pullcheck: unknown command "${name}"

${helpText()}`);
    return EXIT_USAGE;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    const end = rest.indexOf("--");
    const helpAt = Math.max(rest.indexOf("--help"), rest.indexOf("-h"));
    if (end === -1 || helpAt < end) {
      io.stdout(`${command.usage.trimEnd()}
`);
      return EXIT_OK;
    }
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      io.stderr(`pullcheck ${name}: ${error.message}
`);
      return EXIT_USAGE;
    }
    const detail = error instanceof Error ? error.stack ?? error.message : String(error);
    io.stderr(`pullcheck ${name}: internal error (please report it): ${detail}
`);
    return EXIT_INTERNAL;
  }
}

// src/cli/index.ts
process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: process.stdin,
  stderrIsTTY: process.stderr.isTTY === true,
  cwd: process.cwd(),
  env: process.env
});
//# sourceMappingURL=cli.js.map
